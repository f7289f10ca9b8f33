"""Writing normalised rows: COPY into a staging table, then upsert in SQL.

Every change is logged in importers_runchange with the row as it was before,
so that undo restores the layer exactly. Fields the file does not carry are
not touched on update: what editors changed on the platform survives.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import GeneratedField

from geo.crs import WGS84
from importers.pipeline.normalise import Rows
from layers.i18n import LANGUAGE_CODES, fallback_chain
from layers.models import Attraction, Trail
from layers.vocabulary import LayerKind

MODELS = {LayerKind.ATTRACTIONS: Attraction, LayerKind.TRAILS: Trail}
MODEL_NAMES = {Attraction: "attraction", Trail: "trail"}
NEVER_COPIED = {"id", "uid", "layer", "source_id", "created_at", "updated_at", "retired_at",
                "properties"}


def writable_columns(model) -> list[tuple[str, object]]:
    """(column, field) of every column an import may fill, in a fixed order."""
    cols = []
    for f in model._meta.concrete_fields:
        if f.name in NEVER_COPIED or isinstance(f, GeneratedField):
            continue
        cols.append((f.column, f))
    return cols


def geometry_columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, GeometryField)]


def _q(col: str) -> str:
    return connection.ops.quote_name(col)


def _ewkb_hex(geoms: list) -> list[str | None]:
    if not geoms:
        return []
    arr = shapely.set_srid(np.asarray(geoms, dtype=object), WGS84)
    return list(shapely.to_wkb(arr, hex=True, include_srid=True))


def _staging_rows(rows: Rows, model, carried: set[str]) -> tuple[list[str], list[tuple]]:
    """Column names and tuples for COPY; columns the file does not carry get defaults."""
    cols = writable_columns(model)
    names = [c for c, _ in cols]
    geoms = _ewkb_hex(rows.geoms)
    footprints = [None] * len(rows)
    points = geoms
    if model is Attraction:
        polys = [i for i, g in enumerate(rows.geoms) if g.geom_type == "MultiPolygon"]
        footprints = [None] * len(rows)
        if polys:
            fp_hex = _ewkb_hex([rows.geoms[i] for i in polys])
            surface = _ewkb_hex(list(shapely.point_on_surface(
                np.asarray([rows.geoms[i] for i in polys], dtype=object))))
            points = list(geoms)
            for k, i in enumerate(polys):
                footprints[i], points[i] = fp_hex[k], surface[k]
    out = []
    for i in range(len(rows)):
        values = rows.values[i]
        record = []
        for col, f in cols:
            if col == "location":
                record.append(points[i])
            elif col == "footprint":
                record.append(footprints[i])
            elif col == "geom":
                record.append(geoms[i])
            elif col in ("name", "description"):
                chain = [values.get(f"{col}_{code}") for code in fallback_chain("en")]
                record.append(next((v for v in chain if v), ""))
            elif col in values:
                record.append(values[col])
            elif f.null:
                record.append(None)
            else:
                record.append("" if f.get_internal_type() in ("CharField", "TextField") else None)
        out.append((rows.source_ids[i], *record, json.dumps(rows.properties[i], ensure_ascii=False,
                                                            default=str)))
    return ["source_id", *names, "properties"], out


def _carried_columns(model, carried_fields: set[str]) -> list[str]:
    """Columns an update may overwrite: geometry, and what the file maps."""
    cols = []
    for col, _f in writable_columns(model):
        base = col
        if col in ("location", "footprint", "geom"):
            cols.append(col)
        elif col in ("name", "description"):
            if any(f"{col}_{code}" in carried_fields for code in LANGUAGE_CODES):
                cols.append(col)
        elif base in carried_fields:
            cols.append(col)
    return cols


def write(*, rows: Rows, layer_id: int, run_id: int, carried_fields: set[str],
          sync: bool) -> dict[str, int]:
    """Upsert ``rows`` into the layer; returns created / updated / unchanged / retired."""
    model = MODELS[rows.kind]
    table = model._meta.db_table
    mname = MODEL_NAMES[model]
    staging_cols, records = _staging_rows(rows, model, carried_fields)
    update_cols = _carried_columns(model, carried_fields)
    geo_cols = geometry_columns(model)

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS import_staging")
        cur.execute(
            f"CREATE TEMP TABLE import_staging ON COMMIT DROP AS "
            f"SELECT {', '.join(_q(c) for c in staging_cols)} FROM {table} WITH NO DATA")
        with cur.cursor.copy(
                f"COPY import_staging ({', '.join(_q(c) for c in staging_cols)}) FROM STDIN"
        ) as copy:
            for record in records:
                copy.write_row(record)
        cur.execute("ANALYZE import_staging")

        def differs(new: str) -> str:
            """SQL: row t differs from the incoming row ``new`` in what the file carries."""
            incoming = ", ".join(f"{new}.{_q(c)}" for c in update_cols)
            current = ", ".join(f"t.{_q(c)}" for c in update_cols)
            return (f"(({current}), t.properties || {new}.properties, t.retired_at IS NOT NULL)"
                    f" IS DISTINCT FROM (({incoming}), t.properties, false)")

        before = "to_jsonb(t)" + "".join(
            f" || jsonb_build_object('{c}', encode(ST_AsEWKB(t.{_q(c)}), 'hex'))"
            for c in geo_cols)
        params = {"layer": layer_id, "run": run_id, "model": mname}

        cur.execute(f"""
            INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
            SELECT %(run)s, %(model)s, t.id, 'updated', {before}
            FROM {table} t JOIN import_staging s ON s.source_id = t.source_id
            WHERE t.layer_id = %(layer)s AND {differs('s')}
        """, params)

        insert_cols = [c for c in staging_cols if c != "source_id"]
        set_clause = ", ".join(
            [f"{_q(c)} = EXCLUDED.{_q(c)}" for c in update_cols]
            + ["properties = t.properties || EXCLUDED.properties", "retired_at = NULL",
               "updated_at = now()"])
        cur.execute(f"""
            WITH up AS (
                INSERT INTO {table} AS t (uid, layer_id, source_id,
                    {', '.join(_q(c) for c in insert_cols)}, created_at, updated_at)
                SELECT gen_random_uuid(), %(layer)s, s.source_id,
                    {', '.join(f's.{_q(c)}' for c in insert_cols)}, now(), now()
                FROM import_staging s
                ON CONFLICT (layer_id, source_id) WHERE source_id <> ''
                DO UPDATE SET {set_clause}
                WHERE {differs('EXCLUDED')}
                RETURNING t.id, (xmax = 0) AS created
            ), logged AS (
                INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
                SELECT %(run)s, %(model)s, id, 'created', NULL FROM up WHERE created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up
        """, params)
        created, updated = cur.fetchone()

        retired = 0
        if sync:
            # Features made on the platform (no source id) were never in any file.
            cur.execute(f"""
                WITH gone AS (
                    SELECT t.id, {before} AS before FROM {table} t
                    WHERE t.layer_id = %(layer)s AND t.retired_at IS NULL AND t.source_id <> ''
                      AND NOT EXISTS (SELECT 1 FROM import_staging s
                                      WHERE s.source_id = t.source_id)
                ), logged AS (
                    INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
                    SELECT %(run)s, %(model)s, id, 'retired', before FROM gone
                )
                UPDATE {table} t SET retired_at = now(), updated_at = now()
                FROM gone WHERE t.id = gone.id
            """, params)
            retired = cur.rowcount
        cur.execute("DROP TABLE import_staging")
    return {"created": created, "updated": updated,
            "unchanged": len(records) - created - updated, "retired": retired}


def undo(*, run_id: int, kind: str) -> None:
    """Restore the layer's rows as they were before ``run_id``."""
    model = MODELS[kind]
    table = model._meta.db_table
    mname = MODEL_NAMES[model]
    restore = [c for c, _ in writable_columns(model)] + [
        "source_id", "properties", "retired_at", "created_at", "updated_at", "uid"]
    cols = ", ".join(_q(c) for c in restore)
    with connection.cursor() as cur:
        cur.execute(f"""
            DELETE FROM {table} WHERE id IN (
                SELECT feature_id FROM importers_runchange
                WHERE run_id = %s AND model = %s AND action = 'created')
        """, [run_id, mname])
        cur.execute(f"""
            UPDATE {table} t SET ({cols}) = ({', '.join(f'r.{_q(c)}' for c in restore)})
            FROM (
                SELECT (jsonb_populate_record(NULL::{table}, before)).*
                FROM importers_runchange
                WHERE run_id = %s AND model = %s AND action IN ('updated', 'retired')
            ) r
            WHERE t.id = r.id
        """, [run_id, mname])
