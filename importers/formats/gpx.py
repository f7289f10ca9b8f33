"""GPX 1.0 and 1.1: tracks (all their segments), routes and waypoints.

Devices and apps write both a route and the track recorded along it; such a
route is dropped unless asked for, so one way does not become two trails.
"""

from __future__ import annotations

from pathlib import Path

import gpxpy
import gpxpy.gpx
import numpy as np
import shapely
import shapely.ops
from pyproj import Geod

from geo.crs import WGS84, identify
from importers.encoding import EncodingChoice
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData
from importers.safety import check_xml

GEOD = Geod(ellps="WGS84")
DUPLICATE_ROUTE_TOLERANCE_M = 150.0


def _coords(points, with_ele: bool) -> list[tuple]:
    if with_ele:
        return [(p.longitude, p.latitude, float(p.elevation)) for p in points]
    return [(p.longitude, p.latitude) for p in points]


def _elevation_usable(points) -> tuple[bool, str | None]:
    """Whether every point has a real elevation (all-zero elevations are a device's blank)."""
    eles = [p.elevation for p in points]
    if not eles or any(e is None for e in eles):
        missing = sum(e is None for e in eles)
        return False, (f"{missing} of {len(eles)} points have no elevation" if eles and missing
                       < len(eles) else None)
    if all(e == 0 for e in eles):
        return False, "every elevation is 0"
    return True, None


def _common(obj) -> dict:
    links = getattr(obj, "link", None) or None
    if not links and getattr(obj, "links", None):
        links = obj.links[0].href
    return {
        "name": obj.name, "desc": obj.description, "cmt": getattr(obj, "comment", None),
        "type": getattr(obj, "type", None), "src": getattr(obj, "source", None),
        "link": links, "number": getattr(obj, "number", None),
    }


def _max_vertex_distance_m(route: shapely.LineString, track: shapely.MultiLineString) -> float:
    """How far (m) the route's farthest vertex lies from the track."""
    worst = 0.0
    for x, y in shapely.get_coordinates(route):
        nearest = shapely.ops.nearest_points(track, shapely.Point(x, y))[0]
        _, _, dist = GEOD.inv(x, y, nearest.x, nearest.y)
        worst = max(worst, dist)
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
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        check_xml(data, label)
        try:
            gpx = gpxpy.parse(data.decode("utf-8", errors="strict"))
        except UnicodeDecodeError:
            gpx = gpxpy.parse(data)  # gpxpy honours the XML declaration's encoding
        except gpxpy.gpx.GPXException as exc:
            raise Refused(f"{label}: not a GPX file gpxpy can read: {exc}") from None
        rows: list[dict] = []
        geoms: list = []
        notes: list[str] = []

        for wpt in gpx.waypoints:
            with_ele = wpt.elevation is not None
            geoms.append(shapely.Point(*_coords([wpt], with_ele)[0]))
            rows.append({**_common(wpt), "gpx_type": "waypoint", "sym": wpt.symbol,
                         "time": wpt.time.isoformat() if wpt.time else None})

        tracks: list[shapely.MultiLineString] = []
        for i, trk in enumerate(gpx.tracks, 1):
            segments = [seg.points for seg in trk.segments if len(seg.points) >= 2]
            empty = len(trk.segments) - len(segments)
            if empty:
                notes.append(f"track {i} ({trk.name or 'unnamed'}): {empty} empty or one-point "
                             "segment(s) left out")
            all_points = [p for seg in segments for p in seg]
            with_ele, why = _elevation_usable(all_points)
            if why and all_points:
                notes.append(f"track {i} ({trk.name or 'unnamed'}): {why}; stored without "
                             "elevation")
            if not segments:
                notes.append(f"track {i} ({trk.name or 'unnamed'}) has no points: left out")
                continue
            geom = shapely.MultiLineString([_coords(seg, with_ele) for seg in segments])
            tracks.append(geom)
            times = [p.time for p in all_points if p.time]
            geoms.append(geom)
            rows.append({**_common(trk), "gpx_type": "track",
                         "time_start": min(times).isoformat() if times else None,
                         "time_end": max(times).isoformat() if times else None})

        for i, rte in enumerate(gpx.routes, 1):
            points = rte.points
            if len(points) < 2:
                notes.append(f"route {i} ({rte.name or 'unnamed'}) has fewer than two points: "
                             "left out")
                continue
            with_ele, _ = _elevation_usable(points)
            line = shapely.LineString(_coords(points, with_ele))
            if tracks and not options.keep_duplicate_routes:
                flat = shapely.force_2d(line)
                near = [t for t in tracks
                        if _max_vertex_distance_m(flat, shapely.force_2d(t))
                        <= DUPLICATE_ROUTE_TOLERANCE_M]
                if near:
                    notes.append(
                        f"route {i} ({rte.name or 'unnamed'}) follows a track of the same file "
                        f"within {DUPLICATE_ROUTE_TOLERANCE_M:.0f} m: not imported twice "
                        "(--keep-duplicate-routes keeps it)")
                    continue
            geoms.append(shapely.MultiLineString([line.coords]))
            rows.append({**_common(rte), "gpx_type": "route"})

        columns: dict[str, list] = {}
        for key in dict.fromkeys(k for row in rows for k in row):
            values = [row.get(key) for row in rows]
            if any(v is not None and v != "" for v in values):
                columns[key] = values
        return [SourceData(
            label=label, layer=path.stem, geometries=_object_array(geoms),
            columns=columns, crs=identify(f"EPSG:{WGS84}"),
            crs_reason="GPX coordinates are WGS 84 by definition",
            encoding=EncodingChoice("utf-8", "GPX is XML: its declaration says the encoding"),
            notes=notes,
        )]
