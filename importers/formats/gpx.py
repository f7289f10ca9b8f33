"""GPX 1.0 and 1.1: tracks (all their segments), routes and waypoints.

The file is streamed (lxml iterparse, entities never resolved, no network):
a GPX of a few hundred thousand points is read in a fraction of a second and
without holding its XML tree in memory. Devices and apps write both a route
and the track recorded along it; such a route is dropped unless asked for, so
one way does not become two trails.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
import shapely.ops
from lxml import etree
from pyproj import Geod

from geo.crs import WGS84, identify
from importers.encoding import EncodingChoice
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData
from importers.safety import check_xml_prolog

GEOD = Geod(ellps="WGS84")
DUPLICATE_ROUTE_TOLERANCE_M = 150.0
TEXT_FIELDS = ("name", "desc", "cmt", "src", "type", "sym", "number")


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Points:
    """Coordinates of one segment or route as they stream in."""

    __slots__ = ("eles", "first_time", "last_time", "xs", "ys")

    def __init__(self) -> None:
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.eles: list[float | None] = []
        self.first_time: str | None = None
        self.last_time: str | None = None


def _elevation_usable(eles: list[float | None]) -> tuple[bool, str | None]:
    """Whether every point has a real elevation (all-zero elevations are a device's blank)."""
    missing = sum(e is None for e in eles)
    if missing:
        return False, (f"{missing} of {len(eles)} points have no elevation"
                       if missing < len(eles) else None)
    if eles and all(e == 0 for e in eles):
        return False, "every elevation is 0"
    return True, None


def _line(points: _Points, with_ele: bool) -> np.ndarray:
    if with_ele:
        return np.column_stack([points.xs, points.ys, np.asarray(points.eles, dtype=float)])
    return np.column_stack([points.xs, points.ys])


def _max_vertex_distance_m(route, track) -> float:
    """How far (m) the route's farthest vertex lies from the track."""
    worst = 0.0
    for x, y in shapely.get_coordinates(route):
        nearest = shapely.ops.nearest_points(track, shapely.Point(x, y))[0]
        worst = max(worst, GEOD.inv(x, y, nearest.x, nearest.y)[2])
    return worst


def _object_array(items: list) -> np.ndarray:
    # np.array() would try to unpack shapely geometries; fill a 1-D array instead.
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


class GPX:
    name = "GPX"
    suffixes = frozenset({".gpx"})

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        label = label or path.name
        check_xml_prolog(path, label)
        notes: list[str] = []
        waypoints: list[tuple[shapely.Point, dict]] = []
        tracks: list[tuple[list[_Points], dict, int]] = []
        routes: list[tuple[_Points, dict, int]] = []
        segment: _Points | None = None
        segments: list[_Points] = []
        route: _Points | None = None
        try:
            for event, el in etree.iterparse(
                    str(path), events=("start", "end"), resolve_entities=False,
                    no_network=True, load_dtd=False, huge_tree=False, remove_comments=True):
                local = _local(el.tag)
                if event == "start":
                    if local == "trkseg":
                        segment = _Points()
                    elif local == "trk":
                        segments = []
                    elif local == "rte":
                        route = _Points()
                    continue
                if local in ("trkpt", "rtept", "wpt"):
                    x, y, ele, time, fields = self._point(el, label, local == "wpt")
                    target = segment if local == "trkpt" else route
                    if local == "wpt":
                        geom = shapely.Point(x, y, ele) if ele is not None else shapely.Point(x, y)
                        waypoints.append((geom, {**fields, "gpx_type": "waypoint",
                                                 "time": time}))
                    elif target is not None:
                        target.xs.append(x)
                        target.ys.append(y)
                        target.eles.append(ele)
                        if time:
                            target.first_time = target.first_time or time
                            target.last_time = time
                    el.clear(keep_tail=True)
                elif local == "trkseg":
                    if segment is not None:
                        segments.append(segment)
                    segment = None
                    el.clear(keep_tail=True)
                elif local == "trk":
                    tracks.append((segments, self._fields(el), len(tracks) + 1))
                    el.clear(keep_tail=True)
                elif local == "rte":
                    routes.append((route, self._fields(el), len(routes) + 1))
                    route = None
                    el.clear(keep_tail=True)
        except etree.XMLSyntaxError as exc:
            raise Refused(f"{label}: not well-formed XML: {exc}") from None

        geoms: list = []
        rows: list[dict] = []
        for geom, fields in waypoints:
            geoms.append(geom)
            rows.append(fields)
        track_lines: list = []
        for segs, fields, i in tracks:
            name = fields.get("name") or "unnamed"
            usable = [s for s in segs if len(s.xs) >= 2]
            if len(usable) < len(segs):
                notes.append(f"track {i} ({name}): {len(segs) - len(usable)} empty or one-point "
                             "segment(s) left out")
            if not usable:
                notes.append(f"track {i} ({name}) has no points: left out")
                continue
            with_ele, why = _elevation_usable([e for s in usable for e in s.eles])
            if why:
                notes.append(f"track {i} ({name}): {why}; stored without elevation")
            geom = shapely.MultiLineString([_line(s, with_ele) for s in usable])
            track_lines.append(shapely.force_2d(geom))
            geoms.append(geom)
            rows.append({**fields, "gpx_type": "track",
                         "time_start": next((s.first_time for s in usable if s.first_time), None),
                         "time_end": next((s.last_time for s in reversed(usable)
                                           if s.last_time), None)})
        for points, fields, i in routes:
            name = fields.get("name") or "unnamed"
            if points is None or len(points.xs) < 2:
                notes.append(f"route {i} ({name}) has fewer than two points: left out")
                continue
            with_ele, _ = _elevation_usable(points.eles)
            line = shapely.LineString(_line(points, with_ele))
            if track_lines and not options.keep_duplicate_routes:
                flat = shapely.force_2d(line)
                if any(_max_vertex_distance_m(flat, t) <= DUPLICATE_ROUTE_TOLERANCE_M
                       for t in track_lines):
                    notes.append(
                        f"route {i} ({name}) follows a track of the same file within "
                        f"{DUPLICATE_ROUTE_TOLERANCE_M:.0f} m: not imported twice "
                        "(--keep-duplicate-routes keeps it)")
                    continue
            geoms.append(shapely.MultiLineString([line]))
            rows.append({**fields, "gpx_type": "route"})

        columns: dict[str, list] = {}
        for key in dict.fromkeys(k for row in rows for k in row):
            values = [row.get(key) for row in rows]
            if any(v is not None and v != "" for v in values):
                columns[key] = values
        return [SourceData(
            label=label, layer=path.stem, geometries=_object_array(geoms), columns=columns,
            crs=identify(f"EPSG:{WGS84}"), crs_reason="GPX coordinates are WGS 84 by definition",
            encoding=EncodingChoice("utf-8", "GPX is XML: its declaration says the encoding"),
            notes=notes,
        )]

    @staticmethod
    def _fields(el) -> dict:
        """Text of the direct children that describe a waypoint, route or track."""
        out: dict = {}
        for child in el:
            local = _local(child.tag)
            if local in TEXT_FIELDS and child.text and child.text.strip():
                out[local] = child.text.strip()
            elif local == "link":  # GPX 1.1: <link href="…">
                out.setdefault("link", child.get("href"))
            elif local == "url" and child.text:  # GPX 1.0
                out.setdefault("link", child.text.strip())
        return out

    def _point(self, el, label: str, with_fields: bool):
        try:
            lat, lon = float(el.get("lat")), float(el.get("lon"))
        except (TypeError, ValueError):
            raise Refused(f"{label}: line {el.sourceline}: a point whose lat/lon "
                          f"({el.get('lat')!r}, {el.get('lon')!r}) are not numbers") from None
        ele = time = None
        for child in el:
            local = _local(child.tag)
            if local == "ele" and child.text and child.text.strip():
                try:
                    ele = float(child.text)
                except ValueError:
                    raise Refused(f"{label}: line {child.sourceline}: elevation "
                                  f"{child.text.strip()!r} is not a number") from None
            elif local == "time" and child.text:
                time = child.text.strip()
        return lon, lat, ele, time, (self._fields(el) if with_fields else {})
