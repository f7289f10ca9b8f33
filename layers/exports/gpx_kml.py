"""GPX 1.1 and KML 2.2 documents of the exported rows."""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

import shapely

from geo import gpxkml
from geo.i18n import fallback_chain
from layers import registry
from layers.exports.licence import Credit, licence_text, licence_url, licences
from layers.exports.rows import Rows, json_value
from layers.vocabulary import PUBLIC_ID_COLUMN


def _gpx_type(part: Rows, i: int) -> str | None:
    """What a GPX <type> says of a feature: the column its kind names (a category, an
    activity, the modes of a route)."""
    column = registry.kind(part.kind).gpx_type
    return part.columns[column][i] if column else None

def _name(part: Rows, i: int, lang: str) -> str | None:
    """The feature's name in ``lang``, else the next of its fallback chain, else any
    (a layer's GPX and KML follow ``lang`` as the routes' do: Interfaces D14); the
    chain ends with every language, so a feature named in any has a name."""
    return next((part.columns[f"name_{c}"][i] for c in fallback_chain(lang)
                 if part.columns.get(f"name_{c}") and part.columns[f"name_{c}"][i]), None)


def _description(part: Rows, i: int, lang: str) -> str | None:
    return next((part.columns[f"description_{c}"][i] for c in fallback_chain(lang)
                 if part.columns.get(f"description_{c}")
                 and part.columns[f"description_{c}"][i]), None)


XML_NAME = re.compile(r"[^\W\d][\w.-]*")
"""A name that may be an element's (letters of any script, digits, ``_ . -``; no colon)."""


def _gpx_field(name: str, value: object) -> str:
    """One attribute as an extension element of its own, ``<atlas:NAME>``: GDAL, QGIS
    and geopandas read each such element as a field ``atlas_NAME`` (Interfaces D14: all
    ``<atlas:field name=…>`` collapsed into one ``atlas_field``). Text goes as it is;
    numbers, booleans and lists as JSON, marked ``json="1"`` for the importer. A name
    that cannot be an element's (a space, a leading digit) keeps the ``atlas:field``
    form, which the importer reads too."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if XML_NAME.fullmatch(name) and not name.lower().startswith("xml") and name not in (
            "id", "field"):
        marker = "" if isinstance(value, str) else ' json="1"'
        return f"<atlas:{name}{marker}>{escape(text)}</atlas:{name}>"
    return (f"<atlas:field name={quoteattr(name)}>"
            f"{escape(json.dumps(value, ensure_ascii=False))}</atlas:field>")


def _coords(g: shapely.Geometry) -> list[list[tuple[float, ...]]]:
    return [list(p.coords) for p in shapely.get_parts(g)]


def to_gpx(parts: list[Rows], lang: str = "en", found: list[Credit] | None = None,
           stem: str | None = None) -> bytes:
    """GPX 1.1: points (attractions) as waypoints, lines (trails, routes) as tracks (one
    segment per part, with ele).

    Every attribute an import maps back travels in a namespaced extension.
    """
    def extensions(part: Rows, i: int) -> str:
        # The public id in an element of its own (the importer matches features by it).
        items = (f"<atlas:id>{escape(part.ids[i])}</atlas:id>" if part.ids else "") + "".join(
            _gpx_field(k, v[i]) for k, v in part.columns.items()
            if v[i] not in (None, "") and k != PUBLIC_ID_COLUMN)
        return f"<extensions>{items}</extensions>" if items else ""

    out = []
    for part in (p for p in parts if not registry.kind(p.kind).lines):
        for i, g in enumerate(part.points):
            out.append(gpxkml.gpx_waypoint(g.x, g.y, name=_name(part, i, lang),
                                           desc=_description(part, i, lang),
                                           type=_gpx_type(part, i),
                                           extensions=extensions(part, i)))
    for part in (p for p in parts if registry.kind(p.kind).lines):
        for i, g in enumerate(part.geoms):
            if g is None:  # a route not placed yet: a track needs points
                continue
            out.append(gpxkml.gpx_track(_coords(g), name=_name(part, i, lang),
                                        type=_gpx_type(part, i),
                                        extensions=extensions(part, i)))
    return gpxkml.gpx_document(out, namespaces={"atlas": gpxkml.ATLAS_NS},
                               metadata=_gpx_metadata(found or [], stem))


def _gpx_metadata(found: list[Credit], stem: str | None) -> str:
    """<metadata>: the attribution as its description, and a <copyright> (GPX 1.1: an
    author, a licence URI) when one licence covers the whole file."""
    stated = licences(found)
    url = licence_url(stated[0]) if len(stated) == 1 else None
    authors = ", ".join(dict.fromkeys(c.partner for c in found))
    copyright_ = (f"<copyright author={quoteattr(authors)}>"
                  f"{gpxkml.text('license', url)}</copyright>" if url else "")
    return ("<metadata>" + gpxkml.text("name", stem) + gpxkml.text("desc", licence_text(found))
            + copyright_ + "</metadata>")


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


def to_kml(parts: list[Rows], lang: str = "en", found: list[Credit] | None = None,
           stem: str | None = None) -> bytes:
    """KML 2.2 with a typed <Schema> per kind: each attribute keeps its exact name (any
    script) and its type (<SimpleData> of a declared <SimpleField>), so the importers
    read back what was written.

    The public id is the Placemark's own ``id``, which GDAL's LIBKML driver reads as its
    field ``id``: as a <SimpleData name="id"> too, it collided with that field and GDAL
    ≥ 3.9 renamed it ``id2`` (Interfaces D13). A UUID may start with a digit, which an
    XML ID may not; GDAL, QGIS, Google Earth and the importers read it all the same.
    """
    out = []
    types = {part.kind: {k: _kml_type(v) for k, v in part.columns.items()
                         if k != PUBLIC_ID_COLUMN} for part in parts}
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
                           if v[i] not in (None, "") and k in kinds)
            out.append(gpxkml.kml_placemark(
                _kml_geometry(g), name=_name(part, i, lang),
                id=part.ids[i] if part.ids else None,
                data=f'<ExtendedData><SchemaData schemaUrl="#{part.kind}s">{data}'
                     "</SchemaData></ExtendedData>"))
        out.append("</Folder>")
    return gpxkml.kml_document(out, name=stem, description=licence_text(found or []))
