"""The one GPX 1.1 and KML 2.2 writer: documents and their elements, from plain values.

What goes in them is the exports' business (layers/exports/gpx_kml.py writes a layer's or
the regional layer's features, routes/exports.py a route with its stops); how a waypoint,
a track or a placemark is written is here. Coordinates are WGS 84 lon/lat, written with 7
decimals (about 1 cm); elevations in metres.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np

GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"
ATLAS_NS = "https://atlas.example/gpx/1"
"""The platform's GPX extensions: a feature's public id and its fields, which the
importers read back."""
Coords = Sequence[Sequence[float]] | np.ndarray  # (lon, lat) or (lon, lat, ele) each


def text(tag: str, value: object) -> str:
    """``<tag>value</tag>`` escaped, or nothing for an empty value."""
    return f"<{tag}>{escape(str(value))}</{tag}>" if value not in (None, "") else ""


def gpx_document(elements: Iterable[str], *, metadata: str = "",
                 namespaces: dict[str, str] | None = None) -> bytes:
    """A GPX 1.1 document of ``elements`` (waypoints before tracks, as the schema wants),
    one a line; ``namespaces`` (prefix -> URI) for extensions."""
    extra = "".join(f" xmlns:{p}={quoteattr(uri)}" for p, uri in (namespaces or {}).items())
    head = (f'<gpx version="1.1" creator="Regional Tourism Atlas" xmlns="{GPX_NS}"{extra} '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{GPX_NS} {GPX_NS}/gpx.xsd">')
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', head]
    if metadata:
        lines.append(metadata)
    lines += [*elements, "</gpx>"]
    return "\n".join(lines).encode()


def gpx_metadata(*, name: str | None, desc: str | None = None,
                 link: str | None = None) -> str:
    link_part = (f"<link href={quoteattr(link)}>{text('text', name)}</link>" if link else "")
    return "<metadata>" + text("name", name) + text("desc", desc) + link_part + "</metadata>"


def gpx_waypoint(lon: float, lat: float, *, name: str | None, desc: str | None = None,
                 type: str | None = None, extensions: str = "") -> str:
    return (f'<wpt lat="{lat:.7f}" lon="{lon:.7f}">' + text("name", name)
            + text("desc", desc) + text("type", type) + extensions + "</wpt>")


def gpx_track(segments: Iterable[Coords], *, name: str | None, desc: str | None = None,
              type: str | None = None, extensions: str = "", ele_digits: int = 2) -> str:
    """One track, a segment per line; a point's elevation when it has a finite one."""
    segs = []
    for line in segments:
        points = "".join(
            f'<trkpt lat="{c[1]:.7f}" lon="{c[0]:.7f}">'
            + (f"<ele>{c[2]:.{ele_digits}f}</ele>" if len(c) > 2 and c[2] == c[2] else "")
            + "</trkpt>" for c in line)
        segs.append(f"<trkseg>{points}</trkseg>")
    return ("<trk>" + text("name", name) + text("desc", desc) + text("type", type)
            + extensions + "".join(segs) + "</trk>")


def kml_document(elements: Iterable[str], *, name: str | None = None,
                 description: str | None = None) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<kml xmlns="{KML_NS}"><Document>']
    head = text("name", name) + text("description", description)
    if head:
        lines.append(head)
    lines += [*elements, "</Document></kml>"]
    return "\n".join(lines).encode()


def kml_coordinates(points: Coords, ele_digits: int = 2) -> str:
    """KML tuples; a point whose elevation is not known (NaN) has none (KML lets a
    line's tuples differ), as GPX leaves out its ``<ele>``."""
    return " ".join(",".join(f"{v:.7f}" if k < 2 else f"{v:.{ele_digits}f}"
                             for k, v in enumerate(c) if k < 2 or v == v) for c in points)


def kml_point(point: Sequence[float], ele_digits: int = 2) -> str:
    return f"<Point><coordinates>{kml_coordinates([point], ele_digits)}</coordinates></Point>"


def kml_lines(lines: Iterable[Coords], *, ele_digits: int = 2, absolute: bool = False) -> str:
    """A MultiGeometry of LineStrings; ``absolute``: their elevations are above sea level."""
    mode = "<altitudeMode>absolute</altitudeMode>" if absolute else ""
    return "<MultiGeometry>" + "".join(
        f"<LineString>{mode if len(c) and len(c[0]) > 2 else ''}<coordinates>"
        f"{kml_coordinates(c, ele_digits)}</coordinates></LineString>"
        for c in lines) + "</MultiGeometry>"


def kml_polygons(polygons: Iterable[tuple[Coords, Sequence[Coords]]]) -> str:
    """A MultiGeometry of Polygons, each (exterior ring, interior rings)."""
    def ring(tag: str, points: Coords) -> str:
        return (f"<{tag}><LinearRing><coordinates>{kml_coordinates(points)}</coordinates>"
                f"</LinearRing></{tag}>")
    return "<MultiGeometry>" + "".join(
        "<Polygon>" + ring("outerBoundaryIs", outer)
        + "".join(ring("innerBoundaryIs", r) for r in inner) + "</Polygon>"
        for outer, inner in polygons) + "</MultiGeometry>"


def kml_placemark(geometry: str, *, name: str | None = None, description: str | None = None,
                  data: str = "", id: str | None = None) -> str:
    head = f"<Placemark id={quoteattr(id)}>" if id else "<Placemark>"
    return (head + text("name", name) + text("description", description) + data
            + geometry + "</Placemark>")
