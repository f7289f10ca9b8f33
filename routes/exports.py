"""A route to take along: GPX 1.1 (track with elevation, stops as waypoints), KML, GeoJSON."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import numpy as np

from geo import geojson
from routes.selectors import route_legs_coords

GPX_NS = "http://www.topografix.com/GPX/1/1"
EXPORT_FORMATS = {
    "gpx": ("application/gpx+xml", "gpx"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
    "geojson": ("application/geo+json", "geojson"),
}


def _stop_label(stop: dict) -> str:
    return f"{stop['order']}. {stop['name'] or ''}"


def _num(v: float, digits: int) -> str:
    return f"{v:.{digits}f}"


def to_gpx(detail: dict, legs: list[tuple[str, np.ndarray]], page_url: str) -> bytes:
    """GPX 1.1: the stops as waypoints (in order, named), the route as one track with a
    segment per leg, elevations where the leg has them."""
    p = detail["properties"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<gpx version="1.1" creator="Regional Tourism Atlas" xmlns="{GPX_NS}">',
           "<metadata>", f"<name>{escape(p['name'] or p['slug'])}</name>"]
    if p.get("summary"):
        out.append(f"<desc>{escape(p['summary'])}</desc>")
    out.append(f"<link href={quoteattr(page_url)}><text>{escape(p['name'] or '')}</text></link>")
    out.append("</metadata>")
    for stop in p["stops"]:
        lon, lat = stop["location"]
        out.append(f'<wpt lat="{_num(lat, 7)}" lon="{_num(lon, 7)}">')
        out.append(f"<name>{escape(_stop_label(stop))}</name>")
        if stop.get("note"):
            out.append(f"<desc>{escape(stop['note'])}</desc>")
        out.append(f"<type>{escape(stop['category'])}</type>")
        out.append("</wpt>")
    out.append("<trk>")
    out.append(f"<name>{escape(p['name'] or p['slug'])}</name>")
    if p.get("difficulty_reason"):
        out.append(f"<desc>{escape(p['difficulty_reason'])}</desc>")
    out.append(f"<type>{escape(','.join(p.get('transport_modes') or []))}</type>")
    for _mode, coords in legs:
        out.append("<trkseg>")
        has_z = coords.shape[1] == 3
        for row in coords:
            ele = f"<ele>{_num(row[2], 1)}</ele>" if has_z and np.isfinite(row[2]) else ""
            out.append(f'<trkpt lat="{_num(row[1], 7)}" lon="{_num(row[0], 7)}">{ele}</trkpt>')
        out.append("</trkseg>")
    out.append("</trk>")
    out.append("</gpx>")
    return "\n".join(out).encode()


def to_kml(detail: dict, legs: list[tuple[str, np.ndarray]]) -> bytes:
    p = detail["properties"]

    def coords(c: np.ndarray) -> str:
        if c.shape[1] == 3:
            return " ".join(f"{x:.7f},{y:.7f},{z:.1f}" for x, y, z in c)
        return " ".join(f"{x:.7f},{y:.7f}" for x, y in c)

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
           f"<name>{escape(p['name'] or p['slug'])}</name>"]
    if p.get("summary"):
        out.append(f"<description>{escape(p['summary'])}</description>")
    out.append(f"<Placemark><name>{escape(p['name'] or p['slug'])}</name>")
    if p.get("difficulty_reason"):
        out.append(f"<description>{escape(p['difficulty_reason'])}</description>")
    out.append("<MultiGeometry>")
    for _mode, c in legs:
        alt = "<altitudeMode>absolute</altitudeMode>" if c.shape[1] == 3 else ""
        out.append(f"<LineString>{alt}<coordinates>{coords(c)}</coordinates></LineString>")
    out.append("</MultiGeometry></Placemark>")
    for stop in p["stops"]:
        lon, lat = stop["location"]
        out.append(f"<Placemark><name>{escape(_stop_label(stop))}</name>")
        if stop.get("note"):
            out.append(f"<description>{escape(stop['note'])}</description>")
        out.append(f"<Point><coordinates>{lon:.7f},{lat:.7f}</coordinates></Point></Placemark>")
    out.append("</Document></kml>")
    return "\n".join(out).encode()


def to_geojson(detail: dict) -> bytes:
    """The route line and its stops as one FeatureCollection (RFC 7946)."""
    p = dict(detail["properties"])
    stops = p.pop("stops")
    p.pop("along_the_way", None)
    features = [geojson.feature(id=detail["id"], geometry=detail["geometry"], properties=p)]
    for stop in stops:
        features.append(geojson.feature(
            id=stop["id"], geometry={"type": "Point", "coordinates": stop["location"]},
            properties={"kind": "stop", "route": p["slug"],
                        **{k: v for k, v in stop.items() if k != "location"}}))
    return geojson.collection(features)


def export(detail: dict, route_id: int, fmt: str, page_url: str) -> bytes:
    if fmt == "geojson":
        return to_geojson(detail)
    legs = route_legs_coords(route_id)
    return to_gpx(detail, legs, page_url) if fmt == "gpx" else to_kml(detail, legs)
