"""GPX 1.0 and 1.1: tracks (all their segments), routes and waypoints.

The file is streamed (lxml iterparse, entities never resolved, no network):
a GPX of a few hundred thousand points is read in a fraction of a second and
without holding its XML tree in memory. Devices and apps write both a route
and the track recorded along it; such a route is dropped unless asked for, so
one way does not become two trails.

A file of more waypoints, tracks and routes than a batch is read a batch at a time
(``gpx_batches.OpenGPX``, decision 0027): its waypoints, then its tracks, then its routes, one pass
each, in the order and with the row numbers a whole read gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops
from django.utils.translation import gettext_noop as _
from lxml import etree
from pyproj import Geod

from geo.crs import WGS84, identify
from geo.gpxkml import ATLAS_NS
from importers.encoding import EncodingChoice, EncodingError, xml_encoding
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, object_array
from importers.messages import Message
from importers.safety import check_xml_prolog
from layers.vocabulary import PUBLIC_ID_COLUMN

GEOD = Geod(ellps="WGS84")
DUPLICATE_ROUTE_TOLERANCE_M = 150.0
TEXT_FIELDS = ("name", "desc", "cmt", "src", "type", "sym", "number")
STREAMED = tuple(f"{{*}}{tag}" for tag in ("wpt", "trk", "rte"))


ATLAS_FIELD = f"{{{ATLAS_NS}}}field"
ATLAS_ID = f"{{{ATLAS_NS}}}id"  # the feature's public id, in our exports
ATLAS_PREFIX = f"{{{ATLAS_NS}}}"  # an attribute of our exports, an element each
EXPORTED = "\0exported"  # marks attributes that come from the platform's own export


def _described(fields: dict[str, Any], **gpx: Any) -> dict[str, Any]:
    """A row's attributes: the exported ones as they were, else GPX's own plus ``gpx``."""
    if fields.pop(EXPORTED, False):
        return fields
    return {**fields, **gpx}


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Points:
    """Coordinates of one segment or route: arrays, as XPath pulled them out in C."""

    __slots__ = ("eles", "first_time", "last_time", "missing_ele", "xs", "ys")

    def __init__(self, xs: np.ndarray, ys: np.ndarray, eles: np.ndarray | None,
                 missing_ele: int, first_time: str | None, last_time: str | None) -> None:
        self.xs, self.ys, self.eles = xs, ys, eles
        self.missing_ele = missing_ele
        self.first_time, self.last_time = first_time, last_time


class _PointReader:
    """Compiled XPath for the points of one namespace (GPX 1.0, 1.1 or none)."""

    def __init__(self, ns: str) -> None:
        p = "g:" if ns else ""
        opts = {"namespaces": {"g": ns}} if ns else {}

        def xp(expr: str) -> etree.XPath:
            # Plain strings: lxml's "smart" strings keep a reference to their element each.
            return etree.XPath(expr.replace("P:", p), smart_strings=False, **opts)

        self.by_tag: dict[str, tuple[etree.XPath, ...]] = {}
        for tag in ("trkpt", "rtept"):
            self.by_tag[tag] = (
                xp(f"P:{tag}/@lon"), xp(f"P:{tag}/@lat"), xp(f"P:{tag}/P:ele/text()"),
                xp(f"count(P:{tag})"),
                xp(f"(P:{tag}/P:time/text())[1]"), xp(f"(P:{tag}/P:time/text())[last()]"))
        self.segments = xp("P:trkseg")

    def points(self, parent: etree._Element, tag: str, label: str) -> _Points:
        lon, lat, ele, count, first, last = self.by_tag[tag]
        try:
            xs = np.array(lon(parent), dtype=float)
            ys = np.array(lat(parent), dtype=float)
            if len(xs) != len(ys) or len(xs) != int(count(parent)):
                raise ValueError
        except ValueError:
            for point in parent:  # find the culprit, for the message
                if _local(point.tag) == tag:
                    GPX._point(point, label, False)
            raise Refused(Message(_("%(file)s: line %(line)s: unreadable points"), file=label,
                                  line=str(parent.sourceline))) from None
        n = len(xs)
        texts = [t.strip() for t in ele(parent)]
        missing = n - sum(1 for t in texts if t)
        eles = None
        if missing == 0 and n:
            try:
                eles = np.array(texts, dtype=float)
            except ValueError:
                raise Refused(Message(_("%(file)s: line %(line)s: an elevation that is not a "
                                        "number"), file=label,
                                      line=str(parent.sourceline))) from None
        first_time, last_time = first(parent), last(parent)
        return _Points(xs, ys, eles, missing, str(first_time[0]).strip() if first_time else None,
                       str(last_time[0]).strip() if last_time else None)


def _elevation_usable(parts: list[_Points]) -> tuple[bool, Message | None]:
    """Whether every point has a real elevation (all-zero elevations are a device's blank)."""
    total = sum(len(p.xs) for p in parts)
    missing = sum(p.missing_ele for p in parts)
    if missing:
        return False, (Message(_("%(count)s of %(total)s points have no elevation"),
                               count=missing, total=total) if missing < total else None)
    if total and all(p.eles is not None and not p.eles.any() for p in parts):
        return False, Message(_("every elevation is 0"))
    return True, None


def _line(points: _Points, with_ele: bool) -> np.ndarray:
    if with_ele:
        assert points.eles is not None, "with_ele: every point has an elevation"
        return np.column_stack([points.xs, points.ys, points.eles])
    return np.column_stack([points.xs, points.ys])


def _max_vertex_distance_m(route: shapely.LineString, track: shapely.MultiLineString) -> float:
    """How far (m) the route's farthest vertex lies from the track."""
    worst = 0.0
    for x, y in shapely.get_coordinates(route):
        nearest = shapely.ops.nearest_points(track, shapely.Point(x, y))[0]
        worst = max(worst, GEOD.inv(x, y, nearest.x, nearest.y)[2])
    return worst


def _named(template: str, number: int, fields: dict[str, Any]) -> Message:
    """"track 2 (Ridge walk)": a track or route by its place in the file and its name."""
    name = fields.get("name")
    return Message(template, number=str(number),
                   name=name if name else Message(_("unnamed")))


def encoding_of(path: Path, label: str) -> EncodingChoice:
    check_xml_prolog(path, label)
    try:
        # lxml (libxml2) reads the declared encoding itself; the report names it.
        return xml_encoding(path, "GPX")
    except EncodingError as exc:
        raise Refused(Message(_("%(file)s: %(problem)s"), file=label,
                              problem=exc.message)) from None


def elements(path: Path, label: str) -> Iterator[tuple[str, etree._Element, _PointReader]]:
    """Each waypoint, route and track of the file, in file order, as (its tag's local
    name, the element, the point reader of its namespace); each is cleared once the
    consumer has it."""
    reader: _PointReader | None = None
    try:
        # One event per waypoint, route and track: their points are pulled out
        # by XPath in C, and each is cleared once read.
        for _event, el in etree.iterparse(
                str(path), events=("end",), tag=STREAMED, resolve_entities=False,
                no_network=True, load_dtd=False, huge_tree=False, remove_comments=True):
            tag = el.tag
            if reader is None:
                reader = _PointReader(tag[1:tag.index("}")] if tag.startswith("{") else "")
            yield _local(tag), el, reader
            el.clear(keep_tail=True)
            # The cleared elements would stay in the tree, each an empty element of the
            # root's (some 300 bytes a waypoint): the ones read are dropped.
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise Refused(Message(_("%(file)s: not well-formed XML: %(error)s"), file=label,
                              error=str(exc))) from None


def waypoint_row(el: etree._Element, label: str) -> tuple[shapely.Point, dict[str, Any]]:
    x, y, ele, time, fields = GPX._point(el, label, True)
    geom = shapely.Point(x, y, ele) if ele is not None else shapely.Point(x, y)
    return geom, _described(fields, gpx_type="waypoint", time=time)


def track_row(segs: list[_Points], fields: dict[str, Any], i: int, notes: list[Message]
           ) -> tuple[shapely.MultiLineString, dict[str, Any]] | None:
    """Track ``i``'s row (None: it has no points; ``notes`` say why)."""
    track = _named(_("track %(number)s (%(name)s)"), i, fields)
    usable = [s for s in segs if len(s.xs) >= 2]
    if len(usable) < len(segs):
        notes.append(Message(_("%(track)s: %(count)s empty or one-point segment(s) left "
                               "out"), track=track, count=len(segs) - len(usable)))
    if not usable:
        notes.append(Message(_("%(track)s has no points: left out"), track=track))
        return None
    with_ele, why = _elevation_usable(usable)
    if why:
        notes.append(Message(_("%(track)s: %(why)s; stored without elevation"),
                             track=track, why=why))
    geom = shapely.MultiLineString([_line(s, with_ele) for s in usable])
    return geom, _described(
        fields, gpx_type="track",
        time_start=next((s.first_time for s in usable if s.first_time), None),
        time_end=next((s.last_time for s in reversed(usable) if s.last_time), None))


def route_row(points: _Points, fields: dict[str, Any], i: int, notes: list[Message],
           track_lines: list[shapely.MultiLineString], keep_duplicate: bool
           ) -> tuple[shapely.MultiLineString, dict[str, Any]] | None:
    """Route ``i``'s row (None: too short, or it follows one of ``track_lines``, the
    file's tracks in 2-D)."""
    route = _named(_("route %(number)s (%(name)s)"), i, fields)
    if points is None or len(points.xs) < 2:
        notes.append(Message(_("%(route)s has fewer than two points: left out"),
                             route=route))
        return None
    with_ele, _why = _elevation_usable([points])
    line = shapely.LineString(_line(points, with_ele))
    if track_lines and not keep_duplicate:
        flat = shapely.force_2d(line)
        if any(_max_vertex_distance_m(flat, t) <= DUPLICATE_ROUTE_TOLERANCE_M
               for t in track_lines):
            notes.append(Message(
                _("%(route)s follows a track of the same file within %(metres)s m: not "
                  "imported twice (--keep-duplicate-routes keeps it)"),
                route=route, metres=round(DUPLICATE_ROUTE_TOLERANCE_M)))
            return None
    return shapely.MultiLineString([line]), _described(fields, gpx_type="route")


def as_source(path: Path, label: str, encoding: EncodingChoice, notes: list[Message],
            geoms: list[shapely.Geometry], rows: list[dict[str, Any]], first_row: int = 1,
            names: list[str] | None = None) -> SourceData:
    """``rows`` as a source; its columns those holding a value on some row, or ``names``
    (a batch: the whole file's, so that every batch has the same columns)."""
    columns: dict[str, np.ndarray] = {}
    if names is not None:
        columns = {key: object_array(row.get(key) for row in rows) for key in names}
    else:
        for key in dict.fromkeys(k for row in rows for k in row):
            values = [row.get(key) for row in rows]
            if any(v is not None and v != "" for v in values):
                columns[key] = object_array(values)
    return SourceData(
        label=label, layer=path.stem, geometries=object_array(geoms), columns=columns,
        crs=identify(f"EPSG:{WGS84}"),
        crs_reason=Message(_("GPX coordinates are WGS 84 by definition")),
        encoding=encoding, notes=notes, first_row=first_row)


class GPX:
    name = "GPX"
    suffixes = frozenset({".gpx"})

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        label = label or path.name
        encoding = encoding_of(path, label)
        notes: list[Message] = []
        waypoints: list[tuple[shapely.Point, dict[str, Any]]] = []
        tracks: list[tuple[list[_Points], dict[str, Any], int]] = []
        routes: list[tuple[_Points, dict[str, Any], int]] = []
        for local, el, reader in elements(path, label):
            if local == "wpt":
                waypoints.append(waypoint_row(el, label))
            elif local == "trk":
                segs = [reader.points(seg, "trkpt", label) for seg in reader.segments(el)]
                tracks.append((segs, self.element_fields(el), len(tracks) + 1))
            elif local == "rte":
                routes.append((reader.points(el, "rtept", label), self.element_fields(el),
                               len(routes) + 1))

        geoms: list[shapely.Geometry] = []
        rows: list[dict[str, Any]] = []
        for geom, fields in waypoints:
            geoms.append(geom)
            rows.append(fields)
        track_lines: list[shapely.MultiLineString] = []
        for segs, fields, i in tracks:
            row = track_row(segs, fields, i, notes)
            if row is not None:
                track_lines.append(shapely.force_2d(row[0]))
                geoms.append(row[0])
                rows.append(row[1])
        for points, fields, i in routes:
            row = route_row(points, fields, i, notes, track_lines, options.keep_duplicate_routes)
            if row is not None:
                geoms.append(row[0])
                rows.append(row[1])
        return [as_source(path, label, encoding, notes, geoms, rows)]

    @staticmethod
    def element_fields(el: etree._Element) -> dict[str, Any]:
        """Text of the direct children that describe a waypoint, route or track.

        A file exported by the platform carries every attribute in an extension, an
        element each (``<atlas:VISITORS json="1">1200</atlas:VISITORS>``: text as it
        is, other values as JSON), or in older exports and for names that are no XML
        name an ``atlas:field`` (JSON values): those are read instead, so the export
        imports back exactly. Its ``atlas:id``, the public id, becomes the column the
        other formats name it (PUBLIC_ID_COLUMN), which the pipeline recognises.
        """
        out: dict[str, Any] = {}
        exported: dict[str, Any] = {}
        public_id = None
        for child in el:
            local = _local(child.tag)
            if local in TEXT_FIELDS and child.text and child.text.strip():
                out[local] = child.text.strip()
            elif local == "link":  # GPX 1.1: <link href="…">
                out.setdefault("link", child.get("href"))
            elif local == "url" and child.text:  # GPX 1.0
                out.setdefault("link", child.text.strip())
            elif local == "extensions":
                for field in child:
                    if field.tag == ATLAS_FIELD and field.get("name"):
                        try:
                            exported[field.get("name")] = json.loads(field.text or "null")
                        except ValueError:
                            exported[field.get("name")] = field.text
                    elif field.tag == ATLAS_ID and field.text and field.text.strip():
                        public_id = field.text.strip()
                    elif isinstance(field.tag, str) and field.tag.startswith(ATLAS_PREFIX):
                        name = field.tag[len(ATLAS_PREFIX):]
                        text = field.text or ""
                        try:
                            exported[name] = json.loads(text) if field.get("json") else text
                        except ValueError:
                            exported[name] = text
        if public_id is not None:
            (exported or out)[PUBLIC_ID_COLUMN] = public_id
        return {**exported, EXPORTED: True} if exported else out

    @staticmethod
    def _point(el: etree._Element, label: str, with_fields: bool
               ) -> tuple[float, float, float | None, str | None, dict[str, Any]]:
        try:
            lat, lon = float(el.get("lat")), float(el.get("lon"))
        except (TypeError, ValueError):
            raise Refused(Message(_("%(file)s: line %(line)s: a point whose lat/lon (%(lat)s, "
                                    "%(lon)s) are not numbers"), file=label,
                                  line=str(el.sourceline), lat=repr(el.get("lat")),
                                  lon=repr(el.get("lon")))) from None
        ele = time = None
        for child in el:
            local = _local(child.tag)
            if local == "ele" and child.text and child.text.strip():
                try:
                    ele = float(child.text)
                except ValueError:
                    raise Refused(Message(_("%(file)s: line %(line)s: elevation %(value)s is not "
                                            "a number"), file=label,
                                          line=str(child.sourceline),
                                          value=repr(child.text.strip()))) from None
            elif local == "time" and child.text:
                time = child.text.strip()
        return lon, lat, ele, time, (GPX.element_fields(el) if with_fields else {})

