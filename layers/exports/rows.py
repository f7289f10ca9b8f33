"""The exported rows, read column by column, and the GeoJSON document built by PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import shapely
from django.db import connection, transaction
from psycopg.types.string import ByteaBinaryLoader

from geo.crs import WGS84
from geo.i18n import LANGUAGE_CODES
from layers import registry
from layers.params import FeatureFilters
from layers.registry import Column, FeatureKind
from layers.selectors import conditions
from layers.vocabulary import PUBLIC_ID_COLUMN

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpx": ("application/gpx+xml", "gpx"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
    "shp": ("application/zip", "zip"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "fgb": ("application/flatgeobuf", "fgb"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
WGS84_ONLY = ("gpx", "kml")
"""Formats whose coordinates are WGS 84 by definition: ``crs`` cannot change them."""
TRANSLATED = tuple(f"{base}_{code}" for base in ("name", "description")
                   for code in LANGUAGE_CODES)


def own_columns(name: str) -> list[Column]:
    """The exported columns that only kind ``name`` has, in the order they are written."""
    return list(registry.kind(name).export_columns)


def _translated(kind: FeatureKind) -> list[Column]:
    # A kind's name and description fields (a route's title and summary) are what the
    # API shows as its name and description.
    source = {"name": kind.name_field, "description": kind.description_field}
    return [Column(f"{base}_{code}", f"NULLIF(x.{source[base]}_{code}, '')", "text")
            for base in ("name", "description") for code in LANGUAGE_CODES]


@dataclass
class Rows:
    """One kind's exported features, column by column."""

    kind: str
    columns: dict[str, list]  # field -> values (None for missing)
    geoms: np.ndarray  # shapely, in the export's CRS; attractions: footprint, else location
    points: np.ndarray  # attractions' locations (GPX waypoints); lines for trails, routes
    # The public ids (UUIDs, the API's ``id``), also the ``id`` column (PUBLIC_ID_COLUMN)
    # of every export, a layer's and the regional layer's. The importers recognise that
    # column: they match features by it and never store it as an attribute, so a layer's
    # export imports back into it unchanged. A feature's own attribute named ``id`` is
    # not exported beside it in the flat formats (it stays on the platform, and in the
    # GeoJSON's nested ``properties``).
    ids: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.geoms)


def in_crs(geom_sql: str, srid: int) -> str:
    """``geom_sql`` (EPSG:4326) transformed to ``srid`` by PostGIS, as the OGC API's
    ``crs`` is (layers.selectors.Output), so that both give the same coordinates."""
    return geom_sql if srid == WGS84 else f"ST_Transform({geom_sql}, {int(srid)})"


def rows(*, kinds: list[str], filters: FeatureFilters, with_partner: bool,
         srid: int = WGS84) -> list[Rows]:
    """Each kind's features, their geometries in ``srid``."""
    out = []
    for name in kinds:
        kind = registry.kind(name)
        params: list = []
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _distance = found
        fields = [*_translated(kind), *own_columns(name)]
        common = kind.sources()
        sql = f"""
            SELECT {common['source_id']}, x.uid::text, {common['partner']}, {common['layer']},
                   {', '.join(c.sql for c in fields)},
                   {common['properties']}::text,
                   ST_AsBinary({in_crs(common['geom'], srid)}),
                   ST_AsBinary({in_crs(common['point'], srid)})
            FROM {kind.table} x {kind.joins()}
            WHERE {where}
            ORDER BY x.id
        """
        with connection.cursor() as cur:
            cur.execute(sql, params)
            records = cur.fetchall()
        cols: dict[str, list] = {"source_id": [r[0] for r in records],
                                 PUBLIC_ID_COLUMN: [r[1] for r in records]}
        if with_partner:
            cols["partner"] = [r[2] for r in records]
            cols["layer"] = [r[3] for r in records]
        for i, f in enumerate(fields, 4):
            cols[f.name] = [r[i] for r in records]
        props = [json.loads(r[-3]) if r[-3] else {} for r in records]
        for key in dict.fromkeys(k for p in props for k in p):
            if key not in cols:
                cols[key] = [p.get(key) for p in props]
        out.append(Rows(name, cols, _geometries([r[-2] for r in records]),
                        _geometries([r[-1] for r in records]), ids=[r[1] for r in records]))
    return out


def merged(parts: list[Rows], *, with_kind: bool) -> Rows:
    """Every kind's rows as one table (the formats of one table: GeoParquet): the union
    of the kinds' columns, missing where a kind has no such column, and with
    ``with_kind`` a column ``kind`` first, as the regional GeoJSON's."""
    # A feature's own attribute named kind gives way to the kind, as in the CSV.
    names = [k for k in dict.fromkeys(k for p in parts for k in p.columns)
             if not (with_kind and k == "kind")]
    columns: dict[str, list] = {"kind": [p.kind for p in parts for _ in range(len(p))]
                                } if with_kind else {}
    for name in names:
        columns[name] = [v for p in parts
                         for v in p.columns.get(name, [None] * len(p))]

    def joined(arrays: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=object)

    return Rows(parts[0].kind if len(parts) == 1 else "feature", columns,
                joined([p.geoms for p in parts]), joined([p.points for p in parts]),
                ids=[i for p in parts for i in p.ids])


def _geometries(wkbs: list) -> np.ndarray:
    """Shapely geometries of WKB values; None where a feature has none (a published route
    whose stops are not placed yet)."""
    if not wkbs:
        return np.empty(0, dtype=object)
    return shapely.from_wkb([None if w is None else bytes(w) for w in wkbs])


def json_value(v: object) -> str | int | float | bool | None:
    return v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v)


def geojson_sql(*, kinds: list[str], filters: FeatureFilters,
                with_partner: bool) -> tuple[str, list, list[str]] | None:
    """SQL of the GeoJSON export's rows, their parameters and the names of the properties:
    each row has ``id`` (the public id), the properties and ``geom``.

    The feature's own attributes travel as one ``properties`` object, which the
    importers unfold again. The regional layer's features also say their ``kind``,
    after the fields an import maps (an attractions import takes a column named
    kind for the category when it comes first).
    """
    own = {c.name: c for k in kinds for c in own_columns(k)}
    names = ["source_id", *(["partner", "layer"] if with_partner else []), *TRANSLATED,
             *own, *(["kind"] if with_partner else []), "properties"]
    selects: list[str] = []
    params: list[object] = []
    for name in kinds:
        kind = registry.kind(name)
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _ = found
        common = kind.sources()
        mine = {c.name: c.sql for c in [*_translated(kind), *own_columns(name)]}
        values = {"source_id": common["source_id"], "partner": common["partner"],
                  "layer": common["layer"], "kind": f"'{name}'::text",
                  "properties": common["properties"], **mine}
        cols = [f"{values[n]} AS {n}" if n in values else f"NULL::{own[n].type} AS {n}"
                for n in names]
        selects.append(f"""
            SELECT {kind.order} AS kind_order, x.id AS row_id, x.uid::text AS id,
                   {', '.join(cols)}, {common['geom']} AS geom
            FROM {kind.table} x {kind.joins()}
            WHERE {where}""")
    if not selects:
        return None
    sql = (f"SELECT id, {', '.join(names)}, geom FROM ({' UNION ALL '.join(selects)}) u "
           "ORDER BY kind_order, row_id")
    return sql, params, names


def _members_sql(members: dict[str, object] | None, params: list) -> str:
    """``'name', value::json, `` for each foreign member, its value as JSON text that
    json_build_object writes as it is (the streamed export writes the same text)."""
    out = ""
    for name, value in (members or {}).items():
        out += "%s, %s::json, "
        params += [name, json.dumps(value, ensure_ascii=False)]
    return out


def _members_bytes(members: dict[str, object] | None) -> bytes:
    return "".join(f"{json.dumps(name)} : {json.dumps(value, ensure_ascii=False)}, "
                   for name, value in (members or {}).items()).encode()


def _geojson_geometry(srid: int) -> str:
    """A Feature's geometry as GeoJSON text: degrees to 7 decimals (~1 cm), metres to the
    millimetre; no ``crs`` inside the geometry (PostGIS's default for a SRID but 4326), the
    document's own ``crs`` member says it (``crs_member``)."""
    if srid == WGS84:
        return "ST_AsGeoJSON(u.geom, 7)"
    return f"ST_AsGeoJSON({in_crs('u.geom', srid)}, 3, 0)"


def crs_member(srid: int) -> dict[str, object]:
    """The ``crs`` member of a GeoJSON document in ``srid`` (GeoJSON 2008, as GDAL writes
    and reads it); none for WGS 84, RFC 7946's only CRS. RFC 7946 allows another CRS by
    prior arrangement, which asking for it is: GDAL, QGIS and geopandas read it."""
    if srid == WGS84:
        return {}
    return {"crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{srid}"}}}


def geojson_document(*, kinds: list[str], filters: FeatureFilters, with_partner: bool,
                     members: dict[str, object] | None = None, srid: int = WGS84) -> bytes:
    """The GeoJSON export, built by PostgreSQL in one statement (the 50,000-feature path).

    Each Feature's ``id`` is the feature's public id, as in the API (see ``Rows.ids``).
    """
    found = geojson_sql(kinds=kinds, filters=filters, with_partner=with_partner)
    if found is None:
        return (b'{"type" : "FeatureCollection", ' + _members_bytes(members)
                + b'"features" : []}')
    sql, params, names = found
    head: list = []
    head_sql = _members_sql(members, head)
    properties = ", ".join(f"u.{n}" for n in names)
    # GDAL reads a Feature's string id as an "id" attribute: the importers take it for
    # the public id (see Rows.ids).
    with connection.cursor() as cur:
        # Bytes straight from the server: a large document is not decoded and re-encoded.
        # ST_AsGeoJSON(record) writes no Feature id before PostGIS 3.5: the Feature is
        # built here, its properties a row of every column but the id and the geometry.
        cur.execute(f"""
            SELECT convert_to(json_build_object('type', 'FeatureCollection', {head_sql}'features',
                COALESCE(json_agg(json_build_object(
                    'type', 'Feature', 'id', u.id,
                    'geometry', {_geojson_geometry(srid)}::json,
                    'properties', to_json(pr)) ORDER BY u.ord), '[]'::json))::text, 'UTF8')
            FROM (SELECT t.*, row_number() OVER () AS ord FROM ({sql}) t) u
            CROSS JOIN LATERAL (SELECT {properties}) pr""", head + params)
        return bytes(cur.fetchone()[0])


STREAMED_ROWS = 2000
"""Features a streamed GeoJSON export reads from the server at a time."""


def _feature_text_sql(rows_sql: str, names: list[str], srid: int) -> str:
    """Each row of ``rows_sql`` (``geojson_sql``'s) as its Feature's JSON text, in the rows'
    order: the bytes ``json_build_object('type', 'Feature', 'id', …)`` writes (its
    ``"key" : value`` spacing), joined as text instead. json_build_object would parse the
    geometry's GeoJSON again (``::json``) to write it out unchanged, and ordering the
    Features again by a row number sorted the built text; with ``convert_to`` for bytes
    sent as hex, 0.27 s of PostgreSQL's CPU for 50,000 features instead of 0.13–0.18 s
    (docs/benchmarks.md, "One GeoJSON document of 50,000 features").

    The order is ``rows_sql``'s own ORDER BY: this query only projects its rows (no join,
    no aggregate: the LATERAL row is pulled up into the projection), which PostgreSQL
    does in its subquery's order."""
    properties = ", ".join(f"u.{n}" for n in names)
    # The properties stay one to_json of the row: the same text as the document's, one
    # call instead of one a column (which was not faster).
    return f"""
        SELECT '{{"type" : "Feature", "id" : ' || COALESCE(to_json(u.id)::text, 'null')
               || ', "geometry" : ' || COALESCE({_geojson_geometry(srid)}, 'null')
               || ', "properties" : ' || COALESCE(to_json(pr)::text, 'null') || '}}'
        FROM ({rows_sql}) u CROSS JOIN LATERAL (SELECT {properties}) pr"""


def write_geojson(out: BinaryIO, *, kinds: list[str], filters: FeatureFilters,
                  with_partner: bool, members: dict[str, object] | None = None,
                  srid: int = WGS84) -> None:
    """The GeoJSON export (the same bytes as ``geojson_document``) written to ``out``
    a few thousand features at a time, through a server-side cursor: the regional
    export, hundreds of MB, is never whole in the worker's memory nor in the
    database's (Trust D8).

    Each Feature's text comes in the connection's encoding (UTF-8, as Django sets it): read
    in binary and kept as bytes, it is neither sent as hex (a ``bytea``) nor decoded to
    ``str`` and encoded again, and the worker only joins each batch with commas."""
    found = geojson_sql(kinds=kinds, filters=filters, with_partner=with_partner)
    if found is None:
        out.write(b'{"type" : "FeatureCollection", ' + _members_bytes(members)
                  + b'"features" : []}')
        return
    sql, params, names = found
    # json_build_object's own spacing, as geojson_document's single statement writes it.
    out.write(b'{"type" : "FeatureCollection", ' + _members_bytes(members) + b'"features" : [')
    connection.ensure_connection()
    with transaction.atomic(), \
            connection.connection.cursor(name="atlas_export", binary=True) as cur:
        cur.adapters.register_loader("text", ByteaBinaryLoader)  # this cursor's only
        cur.execute(_feature_text_sql(sql, names, srid), params)
        first = True
        while batch := cur.fetchmany(STREAMED_ROWS):
            if not first:
                out.write(b", ")
            out.write(b", ".join([feature for (feature,) in batch]))
            first = False
    out.write(b"]}")
