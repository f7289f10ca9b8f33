"""GPX 1.1 and KML 2.2 documents of the exported rows."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

import shapely

from geo import gpxkml
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


def _coords(g: shapely.Geometry) -> list[list[tuple[float, ...]]]:
    return [list(p.coords) for p in shapely.get_parts(g)]


def to_gpx(parts: list[Rows]) -> bytes:
    """GPX 1.1: points (attractions) as waypoints, lines (trails, routes) as tracks (one
    segment per part, with ele).

    Every attribute an import maps back travels in a namespaced extension.
    """
    def extensions(part: Rows, i: int) -> str:
        # The public id in an element of its own (the importer matches features by it),
        # not again as an atlas:field.
        items = (f"<atlas:id>{escape(part.ids[i])}</atlas:id>" if part.ids else "") + "".join(
            f"<atlas:field name={quoteattr(k)}>"
            f"{escape(json.dumps(v[i], ensure_ascii=False))}</atlas:field>"
            for k, v in part.columns.items()
            if v[i] not in (None, "") and k != PUBLIC_ID_COLUMN)
        return f"<extensions>{items}</extensions>" if items else ""

    out = []
    for part in (p for p in parts if not registry.kind(p.kind).lines):
        for i, g in enumerate(part.points):
            desc = next((part.columns[f"description_{c}"][i] for c in ("bg", "el", "fr", "en")
                         if part.columns[f"description_{c}"][i]), None)
            out.append(gpxkml.gpx_waypoint(g.x, g.y, name=_name(part, i), desc=desc,
                                           type=_gpx_type(part, i),
                                           extensions=extensions(part, i)))
    for part in (p for p in parts if registry.kind(p.kind).lines):
        for i, g in enumerate(part.geoms):
            if g is None:  # a route not placed yet: a track needs points
                continue
            out.append(gpxkml.gpx_track(_coords(g), name=_name(part, i),
                                        type=_gpx_type(part, i),
                                        extensions=extensions(part, i)))
    return gpxkml.gpx_document(out, namespaces={"atlas": gpxkml.ATLAS_NS})


def _kml_geometry(g: shapely.Geometry | None) -> str:
    if g is None:  # a route not placed yet: a Placemark may have no geometry
        return ""
    kind = g.geom_type
    if kind == "Point":
        return gpxkml.kml_point(g.coords[0])
    if kind == "MultiLineString":
        return gpxkml.kml_lines(p.coords for p in g.geoms)
    if kind == "MultiPolygon":
        return gpxkml.kml_polygons((p.exterior.coords, [r.coords for r in p.interiors])
                                   for p in g.geoms)
    raise ValueError(kind)


def _kml_type(values: list[object]) -> str:
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


def _kml_text(value: object, kml_type: str) -> str:
    if kml_type == "bool":
        return "1" if value else "0"
    return escape(str(json_value(value)))


def to_kml(parts: list[Rows]) -> bytes:
    """KML 2.2 with a typed <Schema> per kind: each attribute keeps its exact name (any
    script) and its type (<SimpleData> of a declared <SimpleField>), so the importers
    read back what was written. The public id is the SimpleData ``id`` (a Placemark's
    own ``id`` attribute must be an XML name, which a UUID starting with a digit is not)."""
    out = []
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
            out.append(gpxkml.kml_placemark(
                _kml_geometry(g), name=_name(part, i),
                data=f'<ExtendedData><SchemaData schemaUrl="#{part.kind}s">{data}'
                     "</SchemaData></ExtendedData>"))
        out.append("</Folder>")
    return gpxkml.kml_document(out)
