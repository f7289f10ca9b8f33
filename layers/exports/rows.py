"""The exported rows, read column by column, and the GeoJSON document built by PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from layers.i18n import LANGUAGE_CODES
from layers.params import FeatureFilters
from layers.selectors import KINDS, conditions

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpx": ("application/gpx+xml", "gpx"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
    "shp": ("application/zip", "zip"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}
TEXT_FIELDS = {
    "attraction": ("category", "address", "website", "phone", "opening_hours", "wheelchair"),
    "trail": ("activity", "difficulty"),
}
TRANSLATED = tuple(f"{base}_{code}" for base in ("name", "description")
                   for code in LANGUAGE_CODES)


@dataclass
class Rows:
    """One kind's exported features, column by column."""

    kind: str
    columns: dict[str, list]  # field -> values (None for missing)
    geoms: np.ndarray  # shapely, EPSG:4326; attractions: footprint if any, else location
    points: np.ndarray  # attractions' locations (GPX waypoints); lines for trails

    def __len__(self) -> int:
        return len(self.geoms)


def rows(*, kinds: list[str], filters: FeatureFilters, with_partner: bool) -> list[Rows]:
    out = []
    for name in kinds:
        kind = KINDS[name]
        params: list = []
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _distance = found
        fields = [*TRANSLATED, *TEXT_FIELDS[name]] + (["fee"] if name == "attraction" else [])
        geom = ("COALESCE(x.footprint, x.location)" if name == "attraction" else "x.geom")
        point = "x.location" if name == "attraction" else "x.geom"
        sql = f"""
            SELECT COALESCE(NULLIF(x.source_id, ''), x.uid::text), p.slug, l.slug,
                   {', '.join(f'NULLIF(x.{f}::text, {chr(39) * 2})' if f != 'fee' else 'x.fee'
                              for f in fields)},
                   x.properties::text, ST_AsBinary({geom}), ST_AsBinary({point})
            FROM {kind.table} x
            JOIN layers_layer l ON l.id = x.layer_id
            JOIN layers_partner p ON p.id = l.partner_id
            WHERE {where}
            ORDER BY x.id
        """
        with connection.cursor() as cur:
            cur.execute(sql, params)
            records = cur.fetchall()
        cols: dict[str, list] = {"source_id": [r[0] for r in records]}
        if with_partner:
            cols["partner"] = [r[1] for r in records]
            cols["layer"] = [r[2] for r in records]
        for i, f in enumerate(fields, 3):
            cols[f] = [r[i] for r in records]
        props = [json.loads(r[-3]) for r in records]
        for key in dict.fromkeys(k for p in props for k in p):
            if key not in cols:
                cols[key] = [p.get(key) for p in props]
        out.append(Rows(name, cols,
                        shapely.from_wkb([bytes(r[-2]) for r in records]) if records
                        else np.empty(0, dtype=object),
                        shapely.from_wkb([bytes(r[-1]) for r in records]) if records
                        else np.empty(0, dtype=object)))
    return out


def json_value(v):
    return v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v)


def geojson_sql(*, kinds: list[str], filters: FeatureFilters,
                with_partner: bool) -> tuple[str, list] | None:
    """SQL of the GeoJSON export: PostGIS turns each row into a Feature (ST_AsGeoJSON).

    The feature's own attributes travel as one ``properties`` object, which the
    importers unfold again.
    """
    fields = [*TRANSLATED, *dict.fromkeys(f for k in kinds for f in TEXT_FIELDS[k])]
    selects, params = [], []
    for name in kinds:
        kind = KINDS[name]
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _ = found
        own = {*TRANSLATED, *TEXT_FIELDS[name]}
        cols = [f"NULLIF(x.{f}::text, '') AS {f}" if f in own else f"NULL::text AS {f}"
                for f in fields]
        if "attraction" in kinds:
            cols.append("x.fee" if name == "attraction" else "NULL::boolean AS fee")
        if with_partner:
            cols[:0] = ["p.slug AS partner", "l.slug AS layer"]
        geom = "COALESCE(x.footprint, x.location)" if name == "attraction" else "x.geom"
        selects.append(f"""
            SELECT {kind.order} AS kind_order, x.id AS row_id,
                   COALESCE(NULLIF(x.source_id, ''), x.uid::text) AS source_id,
                   {', '.join(cols)}, NULLIF(x.properties, '{{}}'::jsonb) AS properties,
                   {geom} AS geom
            FROM {kind.table} x
            JOIN layers_layer l ON l.id = x.layer_id
            JOIN layers_partner p ON p.id = l.partner_id
            WHERE {where}""")
    if not selects:
        return None
    names = ["source_id", *(["partner", "layer"] if with_partner else []), *fields,
             *(["fee"] if "attraction" in kinds else []), "properties", "geom"]
    sql = (f"SELECT {', '.join(names)} FROM ({' UNION ALL '.join(selects)}) u "
           "ORDER BY kind_order, row_id")
    return sql, params


def geojson_document(*, kinds: list[str], filters: FeatureFilters, with_partner: bool) -> bytes:
    """The GeoJSON export, built by PostgreSQL in one statement (the 50,000-feature path)."""
    found = geojson_sql(kinds=kinds, filters=filters, with_partner=with_partner)
    if found is None:
        return b'{"type": "FeatureCollection", "features": []}'
    sql, params = found
    with connection.cursor() as cur:
        # Bytes straight from the server: a large document is not decoded and re-encoded.
        cur.execute("SELECT convert_to(json_build_object('type', 'FeatureCollection', "
                    "'features', COALESCE(json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json), "
                    f"'[]'::json))::text, 'UTF8') FROM ({sql}) t", params)
        return bytes(cur.fetchone()[0])
