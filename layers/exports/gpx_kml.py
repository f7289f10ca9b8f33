"""GPX 1.1 and KML 2.2 documents of the exported rows."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

import shapely

from layers import registry
from layers.exports.rows import Rows, json_value
from layers.vocabulary import PUBLIC_ID_COLUMN


def _gpx_type(part: Rows, i: int) -> str | None:
    """What a GPX <type> says of a feature: the column its kind names (a category, an
    activity, the modes of a route)."""
    column = registry.kind(part.kind).gpx_type
    return part.columns[column][i] if column else None

def _name(part: Rows, i: int) -> str | None:
    return next((part.columns[f"name_{c}"][i] for c in ("bg", "el", "fr", "en")
                 if part.columns[f"name_{c}"][i]), None)


def _gpx_text(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>" if value not in (None, "") else ""


def _coords(g) -> list[list[tuple]]:
    return [list(p.coords) for p in shapely.get_parts(g)]


def to_gpx(parts: list[Rows]) -> bytes:
    """GPX 1.1: points (attractions) as waypoints, lines (trails, routes) as tracks (one
    segment per part, with ele).

    Every attribute an import maps back travels in a namespaced extension.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gpx version="1.1" creator="Regional Tourism Atlas" '
           'xmlns="http://www.topografix.com/GPX/1/1" '
           'xmlns:atlas="https://atlas.example/gpx/1" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
           'http://www.topografix.com/GPX/1/1/gpx.xsd">']

    def extensions(part: Rows, i: int) -> str:
        # The public id in an element of its own (the importer matches features by it),
        # not again as an atlas:field.
        items = (f"<atlas:id>{escape(part.ids[i])}</atlas:id>" if part.ids else "") + "".join(
            f"<atlas:field name={quoteattr(k)}>"
            f"{escape(json.dumps(v[i], ensure_ascii=False))}</atlas:field>"
            for k, v in part.columns.items()
            if v[i] not in (None, "") and k != PUBLIC_ID_COLUMN)
        return f"<extensions>{items}</extensions>" if items else ""

    waypoints = [p for p in parts if not registry.kind(p.kind).lines]
    tracks = [p for p in parts if registry.kind(p.kind).lines]
    for part in waypoints:
        for i, g in enumerate(part.points):
            out.append(f'<wpt lat="{g.y:.7f}" lon="{g.x:.7f}">'
                       + _gpx_text("name", _name(part, i))
                       + _gpx_text("desc", next((part.columns[f"description_{c}"][i]
                                                 for c in ("bg", "el", "fr", "en")
                                                 if part.columns[f"description_{c}"][i]), None))
                       + _gpx_text("type", _gpx_type(part, i))
                       + extensions(part, i) + "</wpt>")
    for part in tracks:
        for i, g in enumerate(part.geoms):
            segs = []
            for line in _coords(g):
                pts = "".join(
                    f'<trkpt lat="{c[1]:.7f}" lon="{c[0]:.7f}">'
                    + (f"<ele>{c[2]:.2f}</ele>" if len(c) > 2 else "") + "</trkpt>"
                    for c in line)
                segs.append(f"<trkseg>{pts}</trkseg>")
            out.append("<trk>" + _gpx_text("name", _name(part, i))
                       + _gpx_text("type", _gpx_type(part, i))
                       + extensions(part, i) + "".join(segs) + "</trk>")
    out.append("</gpx>")
    return "\n".join(out).encode()


def _kml_geometry(g) -> str:
    def coords(seq) -> str:
        return " ".join(",".join(f"{v:.7f}" if k < 2 else f"{v:.2f}" for k, v in enumerate(c))
                        for c in seq)

    kind = g.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{coords(g.coords)}</coordinates></Point>"
    if kind == "MultiLineString":
        return "<MultiGeometry>" + "".join(
            f"<LineString><coordinates>{coords(p.coords)}</coordinates></LineString>"
            for p in g.geoms) + "</MultiGeometry>"
    if kind == "MultiPolygon":
        return "<MultiGeometry>" + "".join(
            "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
            f"{coords(p.exterior.coords)}</coordinates></LinearRing></outerBoundaryIs>"
            + "".join("<innerBoundaryIs><LinearRing><coordinates>"
                      f"{coords(r.coords)}</coordinates></LinearRing></innerBoundaryIs>"
                      for r in p.interiors) + "</Polygon>" for p in g.geoms) + "</MultiGeometry>"
    raise ValueError(kind)


def _kml_type(values: list) -> str:
    """The KML SimpleField type that keeps every value of a column as it is."""
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in present):
        return "double"
    return "string"


def _kml_text(value, kml_type: str) -> str:
    if kml_type == "bool":
        return "1" if value else "0"
    return escape(str(json_value(value)))


def to_kml(parts: list[Rows]) -> bytes:
    """KML 2.2 with a typed <Schema> per kind: each attribute keeps its exact name (any
    script) and its type (<SimpleData> of a declared <SimpleField>), so the importers
    read back what was written. The public id is the SimpleData ``id`` (a Placemark's
    own ``id`` attribute must be an XML name, which a UUID starting with a digit is not)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>']
    types = {part.kind: {k: _kml_type(v) for k, v in part.columns.items()} for part in parts}
    for part in parts:
        out.append(f'<Schema name="{part.kind}s" id="{part.kind}s">' + "".join(
            f"<SimpleField name={quoteattr(k)} type=\"{t}\"/>"
            for k, t in types[part.kind].items()) + "</Schema>")
    for part in parts:
        kinds = types[part.kind]
        out.append(f"<Folder><name>{part.kind}s</name>")
        for i, g in enumerate(part.geoms):
            data = "".join(f"<SimpleData name={quoteattr(k)}>{_kml_text(v[i], kinds[k])}"
                           "</SimpleData>" for k, v in part.columns.items()
                           if v[i] not in (None, ""))
            out.append("<Placemark>" + (f"<name>{escape(_name(part, i))}</name>"
                                        if _name(part, i) else "")
                       + f'<ExtendedData><SchemaData schemaUrl="#{part.kind}s">{data}'
                       f"</SchemaData></ExtendedData>{_kml_geometry(g)}</Placemark>")
        out.append("</Folder>")
    out.append("</Document></kml>")
    return "\n".join(out).encode()
