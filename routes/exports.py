"""A route to take along: GPX 1.1 (track with elevation, stops as waypoints), KML, GeoJSON
(in WGS 84, or another CRS the OGC API serves)."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
import shapely.geometry
from pyproj import Transformer

from geo import geojson, gpxkml
from geo.crs import WGS84
from layers.exports.rows import crs_member
from routes.selectors import route_legs_coords

EXPORT_FORMATS = {
    "gpx": ("application/gpx+xml", "gpx"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
    "geojson": ("application/geo+json", "geojson"),
}


def _stop_label(stop: dict) -> str:
    return f"{stop['order']}. {stop['name'] or ''}"


def to_gpx(detail: dict, legs: list[tuple[str, np.ndarray]], page_url: str) -> bytes:
    """GPX 1.1: the stops as waypoints (in order, named), the route as one track with a
    segment per leg, elevations where the leg has them."""
    p = detail["properties"]
    name = p["name"] or p["slug"]
    out = [gpxkml.gpx_waypoint(*stop["location"], name=_stop_label(stop),
                               desc=stop.get("note"), type=stop["category"])
           for stop in p["stops"]]
    out.append(gpxkml.gpx_track((coords for _mode, coords in legs), name=name,
                                desc=p.get("difficulty_reason"),
                                type=",".join(p.get("transport_modes") or []), ele_digits=1))
    return gpxkml.gpx_document(out, metadata=gpxkml.gpx_metadata(
        name=name, desc=p.get("summary"), link=page_url))


def to_kml(detail: dict, legs: list[tuple[str, np.ndarray]]) -> bytes:
    p = detail["properties"]
    name = p["name"] or p["slug"]
    out = [gpxkml.kml_placemark(
        gpxkml.kml_lines((c for _mode, c in legs), ele_digits=1, absolute=True),
        name=name, description=p.get("difficulty_reason"))]
    out += [gpxkml.kml_placemark(gpxkml.kml_point(stop["location"]), name=_stop_label(stop),
                                 description=stop.get("note"))
            for stop in p["stops"]]
    return gpxkml.kml_document(out, name=name, description=p.get("summary"))


def _in_crs(geometry: dict[str, Any] | None, srid: int) -> dict[str, Any] | None:
    """A GeoJSON geometry (lon/lat) in ``srid``, easting and northing to the millimetre,
    elevations as they are."""
    if geometry is None or srid == WGS84:
        return geometry
    transformer = Transformer.from_crs(WGS84, srid, always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, 0], out[:, 1] = transformer.transform(coords[:, 0], coords[:, 1])
        out[:, :2] = out[:, :2].round(3)
        return out

    shape = shapely.geometry.shape(geometry)
    moved = shapely.transform(shape, project, include_z=shapely.has_z(shape))
    return shapely.geometry.mapping(moved)


def to_geojson(detail: dict, srid: int = WGS84) -> bytes:
    """The route line and its stops as one FeatureCollection: RFC 7946 in WGS 84; in
    another ``srid``, with the ``crs`` member GeoJSON 2008 gave it (the layers' exports
    do the same)."""
    p = dict(detail["properties"])
    stops = p.pop("stops")
    p.pop("along_the_way", None)
    features = [geojson.feature(id=detail["id"], geometry=_in_crs(detail["geometry"], srid),
                                properties=p)]
    for stop in stops:
        point = {"type": "Point", "coordinates": stop["location"]}
        features.append(geojson.feature(
            id=stop["id"], geometry=_in_crs(point, srid),
            properties={"kind": "stop", "route": p["slug"],
                        **{k: v for k, v in stop.items() if k != "location"}}))
    return geojson.collection(features, **crs_member(srid))


def export(detail: dict, route_id: int, fmt: str, page_url: str, srid: int = WGS84) -> bytes:
    """The route in ``fmt``; ``srid`` for GeoJSON (GPX and KML are WGS 84: the view
    refuses another CRS for them)."""
    if fmt == "geojson":
        return to_geojson(detail, srid)
    legs = route_legs_coords(route_id)
    return to_gpx(detail, legs, page_url) if fmt == "gpx" else to_kml(detail, legs)
