"""Writing normalised rows: COPY into a staging table, then upsert in SQL.

Python hands PostgreSQL columns as they are; PostgreSQL builds the rows: the
``properties`` JSON from the unmapped columns, the base ``name``/``description``
from the translations, a point on the surface of each footprint. Updated and
retired rows are logged in importers_runchange with what the run changed of them as
it was before (their before-image: the columns the file carries, and those the run
sets), created ones in the run's ``created_ids``, so undo restores the layer exactly.
Fields the file does not carry are not touched on update: what editors changed
on the platform survives.

Rows are matched to the layer's features by source id; rows the pipeline matched by
the platform's public id (``Rows.targets``, see public_ids.py) carry the feature's
primary key, and then every row is matched by key (``fid``), the others' looked up by
source id first. Only a file with public ids of the layer pays for that lookup.

- ``staging``: the temporary table the rows are copied into, and the SQL that reads it
  as model rows;
- ``cut_texts``: texts a DBF cut short, put back as the layer stores them;
- ``write`` upserts and logs what it changes; ``undo`` puts it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import connection

from importers.pipeline.normalise import Rows
from importers.pipeline.writer.cut_texts import restore_cut_texts
from importers.pipeline.writer.staging import (
    FeatureModel,
    Staging,
    geometry_columns,
    quote_name,
    writable_columns,
)
from layers.display import footprints_display_refresh, trails_display_refresh
from layers.models import Attraction, Trail
from layers.vocabulary import LayerKind

__all__ = ["MODELS", "MODEL_NAMES", "Outcome", "Staging", "geometry_columns",
           "restore_cut_texts", "undo", "upsert", "writable_columns", "write"]

MODELS: dict[str, FeatureModel] = {LayerKind.ATTRACTIONS: Attraction, LayerKind.TRAILS: Trail}
MODEL_NAMES: dict[FeatureModel, str] = {Attraction: "attraction", Trail: "trail"}


STALE_ROWS = 1000
"""A layer's rows past which its statistics are refreshed when the planner's estimate
of them is off (see refresh_statistics)."""

PLANNING_COLUMNS = ("id", "layer_id", "source_id")
"""The columns the upsert's joins plan on: only these are counted again."""


def refresh_statistics(cur: Any, table: str, layer_id: int) -> bool:
    """Count again the statistics of ``table``'s planning columns when the planner's
    estimate of the layer's rows is less than half or more than twice what it has, and
    it has over STALE_ROWS; whether it did.

    Autovacuum would, a minute later; a re-import right after a large first import plans
    its joins at once, and on statistics that said the layer was empty it chose nested
    loops: 158 s instead of 2.8 s for 40,000 rows (Trust D5). Asking the planner, rather
    than the server's count of rows changed since the last ANALYZE, needs no wait for
    that count to be published, and does not count a layer again that a first import
    has just counted. Through ``atlas_analyze`` (importers migration 0005): the site's
    role owns no table, and only an owner may ANALYZE. Only the planning columns: the
    geometries' statistics cost the most and the upsert never reads them; a partial
    ANALYZE leaves autovacuum's count of changes as it was, so it still counts them all.
    """
    cur.execute(f"SELECT count(*) FROM {quote_name(table)} WHERE layer_id = %s", [layer_id])
    rows = cur.fetchone()[0]
    if rows <= STALE_ROWS:
        return False
    cur.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {quote_name(table)} WHERE layer_id = %s",
                [layer_id])
    plan = cur.fetchone()[0]
    estimate = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
    if rows / 2 <= estimate <= rows * 2:
        return False
    cur.execute("SELECT atlas_analyze(%s::regclass, %s)", [table, list(PLANNING_COLUMNS)])
    return True


def before_image(model: FeatureModel, columns: list[str], alias: str) -> str:
    """SQL of the jsonb before-image of row ``alias``: ``columns``, geometries as hex EWKB
    (which jsonb_populate_record reads back as they were, SRID and Z included)."""
    geo = set(geometry_columns(model))
    pairs = [(f"'{c}'", f"encode(ST_AsEWKB({alias}.{quote_name(c)}), 'hex')" if c in geo
              else f"{alias}.{quote_name(c)}") for c in columns]
    # jsonb_build_object takes at most 100 arguments.
    return " || ".join("jsonb_build_object(" + ", ".join(f"{k}, {v}" for k, v in
                                                         pairs[i:i + 50]) + ")"
                       for i in range(0, len(pairs), 50))


@dataclass
class Outcome:
    counts: dict[str, int]  # created, updated, unchanged, retired
    kept_cut_texts: int = 0  # incoming texts that were the stored text cut (see restore_cut_texts)
    # Features (with a source id) the layer had when no incoming id matched any: else 0.
    unmatched_existing: int = 0


def write(*, rows: Rows, layer_id: int, run_id: int, sync: bool,
          text_limit: tuple[int, str] | None = None) -> Outcome:
    """Upsert ``rows`` into the layer; the run records the created ids.

    ``text_limit``: (bytes, encoding) of a format that cuts long text (DBF).
    """
    model = MODELS[rows.kind]
    kept_cut = restore_cut_texts(rows, model, layer_id, *text_limit) if text_limit else 0
    staging = Staging(rows, model)
    with connection.cursor() as cur:
        staging.create_and_copy(cur)
    return upsert(model=model, exprs=staging.expressions(), update_cols=staging.carried(),
                  properties_sql=staging.properties_sql, by_key=staging.by_key,
                  count=len(rows), layer_id=layer_id, run_id=run_id, sync=sync,
                  kept_cut=kept_cut)


def upsert(*, model: FeatureModel, exprs: dict[str, str], update_cols: list[str],
           properties_sql: str, by_key: bool, count: int, layer_id: int, run_id: int,
           sync: bool, kept_cut: int = 0) -> Outcome:
    """Upsert the ``count`` rows staged in ``import_staging`` into the layer (and drop the
    table); the run records the created ids.

    ``exprs``, ``update_cols``, ``properties_sql``, ``by_key``: the staging's model columns
    as SQL, the columns an update overwrites, the properties' SQL, whether rows carry the
    feature's key (``Staging`` gives them; a file read in batches, run/stream.py, too).
    """
    table = model._meta.db_table
    params: dict[str, int | str] = {"layer": layer_id, "run": run_id,
                                    "model": MODEL_NAMES[model]}

    # How a staged row (r, or s) finds its feature (t, or o) of the layer.
    match = "{t}.id = {r}.fid" if by_key else "{t}.source_id = {r}.source_id"

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP VIEW import_ready AS SELECT s.rn, s.source_id, "
            + ("s.fid, " if by_key else "")
            + ", ".join(f"{e} AS {quote_name(c)}" for c, e in exprs.items())
            + f", {properties_sql} AS properties, s.search FROM import_staging s")

        incoming = ", ".join(f"r.{quote_name(c)}" for c in update_cols)
        # An empty translation and a missing one (NULL) are the same: no change.
        nullable_text = {c for c, f in writable_columns(model) if f.null
                         and f.get_internal_type() in ("CharField", "TextField")}
        types = {c: f.db_type(connection) for c, f in writable_columns(model)}
        current = ", ".join(f"NULLIF(o.{quote_name(c)}, '')::{types[c]}" if c in nullable_text
                            else f"o.{quote_name(c)}" for c in update_cols)
        differs = (f"(({current}), o.properties || r.properties, o.retired_at IS NOT NULL) "
                   f"IS DISTINCT FROM (({incoming}), o.properties, false)")
        # What an update writes, as it was; with a trail's thinned line, which the
        # display refresh after the update rewrites from the new one.
        derived = (["display_geom"] if model is Trail and "geom" in update_cols else
                   ["display_footprint"] if model is Attraction and "footprint" in update_cols
                   else [])
        updated_before = before_image(
            model, [*update_cols, *derived, "properties", "retired_at", "updated_at"], "o")

        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE layer_id = %(layer)s)",
                    params)
        layer_has_rows = cur.fetchone()[0]
        unmatched = 0
        if layer_has_rows:
            refresh_statistics(cur, table, layer_id)
            # The joins below need its statistics: those of the columns they join on.
            cur.execute("ANALYZE import_staging (source_id"
                        + (", fid)" if by_key else ")"))
            if by_key:  # the rows without a public id of the layer: by source id
                cur.execute(f"""
                    UPDATE import_staging s SET fid = t.id FROM {table} t
                    WHERE s.fid IS NULL AND t.layer_id = %(layer)s AND t.source_id = s.source_id
                """, params)
            # A file none of whose ids the layer knows (another --id-field than last
            # time?) would duplicate the whole layer: say so.
            cur.execute(f"""
                SELECT CASE WHEN EXISTS (SELECT 1 FROM {table} t JOIN import_staging s
                                         ON {match.format(t="t", r="s")}
                                         WHERE t.layer_id = %(layer)s)
                            THEN 0
                            ELSE (SELECT count(*) FROM {table} t WHERE t.layer_id = %(layer)s
                                  AND t.retired_at IS NULL AND t.source_id <> '') END
            """, params)
            unmatched = cur.fetchone()[0]
        updated = 0
        if layer_has_rows:
            # One statement updates the rows that differ and logs them as they were: o is
            # the row as the statement found it, t the row it writes. (Logging first and
            # then updating what was logged read every changed row twice and joined the
            # log: 13 s of a 40,000-row re-import where the first import took 3 s.)
            set_clause = ", ".join(
                [f"{quote_name(c)} = r.{quote_name(c)}" for c in update_cols]
                + ["properties = o.properties || r.properties", "retired_at = NULL",
                   "updated_at = now()"])
            cur.execute(f"""
                WITH changed AS (
                    UPDATE {table} t SET {set_clause}
                    FROM import_ready r, {table} o
                    WHERE o.layer_id = %(layer)s AND {match.format(t="o", r="r")}
                      AND t.id = o.id AND t.layer_id = %(layer)s AND {differs}
                    RETURNING t.id, {updated_before} AS before
                )
                INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
                SELECT %(run)s, %(model)s, id, 'updated', before FROM changed
            """, params)
            updated = cur.rowcount
        cols = list(exprs)
        new_only = ("WHERE r.fid IS NULL" if by_key else
                    f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.layer_id = %(layer)s "
                    "AND t.source_id = r.source_id)" if layer_has_rows else "")
        # Written in the order of their place (PostGIS sorts geometries along a Hilbert
        # curve): a page or a tile of a window then reads ~7x fewer heap pages than from
        # rows in the file's order (issue 20, item 7; docs/benchmarks.md).
        geom = geometry_columns(model)[0]
        spatial = f"ORDER BY r.{quote_name(geom)}" if geom in cols else ""
        # The created ids go straight into the run (undo deletes them), not through Python.
        cur.execute(f"""
            WITH ins AS (
                INSERT INTO {table} (uid, layer_id, source_id,
                                     {', '.join(quote_name(c) for c in cols)}, properties, search,
                                     created_at, updated_at)
                SELECT gen_random_uuid(), %(layer)s, r.source_id,
                       {', '.join(f'r.{quote_name(c)}' for c in cols)}, r.properties, r.search,
                       now(), now()
                FROM import_ready r {new_only} {spatial}
                RETURNING id
            )
            UPDATE importers_importrun
            SET created_ids = COALESCE((SELECT array_agg(id ORDER BY id) FROM ins), '{{}}')
            WHERE id = %(run)s
            RETURNING cardinality(created_ids)
        """, params)
        created = cur.fetchone()[0]
        if created > STALE_ROWS:  # for the pages that read the layer, and its next import
            refresh_statistics(cur, table, layer_id)

        retired = 0
        if sync and layer_has_rows:
            # Features made on the platform (no source id) were never in any file.
            cur.execute(f"""
                WITH gone AS (
                    SELECT t.id, {before_image(model, ["retired_at", "updated_at"], "t")}
                           AS before
                    FROM {table} t
                    WHERE t.layer_id = %(layer)s AND t.retired_at IS NULL AND t.source_id <> ''
                      AND NOT EXISTS (SELECT 1 FROM import_staging s
                                      WHERE {match.format(t="t", r="s")})
                ), logged AS (
                    INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
                    SELECT %(run)s, %(model)s, id, 'retired', before FROM gone
                )
                UPDATE {table} t SET retired_at = now(), updated_at = now()
                FROM gone WHERE t.id = gone.id
            """, params)
            retired = cur.rowcount
        cur.execute("DROP VIEW import_ready")
        cur.execute("DROP TABLE import_staging")
    if model is Trail and created + updated:
        # Trails beyond the display's vertex cap get their thinned line (Trust D8); an
        # undo puts back the one each had, with its line.
        trails_display_refresh(layer_id=layer_id)
    elif model is Attraction and created + updated:
        footprints_display_refresh(layer_id=layer_id)
    return Outcome(counts={"created": created, "updated": updated,
                           "unchanged": count - created - updated, "retired": retired},
                   kept_cut_texts=kept_cut, unmatched_existing=unmatched)


def undo(*, run_id: int, kind: str) -> None:
    """Restore the layer's rows as they were before ``run_id``.

    A before-image holds the columns the run wrote (runs before the images were cut to
    them kept the whole row: those are restored whole, as they were). The rows are put
    back a set of columns at a time: an update names only what it restores, so the
    triggers of the columns it leaves alone (a trail's metrics) do not run.
    """
    model = MODELS[kind]
    table = model._meta.db_table
    restorable = [c for c, _ in writable_columns(model)] + [
        "source_id", "properties", "retired_at", "created_at", "updated_at", "uid"]
    logged = ("FROM importers_runchange WHERE run_id = %s AND model = %s "
              "AND action IN ('updated', 'retired')")
    keys = "ARRAY(SELECT jsonb_object_keys(before) ORDER BY 1)"
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE id IN (SELECT unnest(created_ids) "
                    "FROM importers_importrun WHERE id = %s)", [run_id])
        cur.execute(f"SELECT DISTINCT {keys} {logged}", [run_id, MODEL_NAMES[model]])
        for (shape,) in cur.fetchall():
            cols = [c for c in restorable if c in shape]
            if not cols:
                continue
            cur.execute(f"""
                UPDATE {table} t
                SET {', '.join(f'{quote_name(c)} = r.{quote_name(c)}' for c in cols)}
                FROM (
                    SELECT (jsonb_populate_record(
                        NULL::{table}, before || jsonb_build_object('id', feature_id))).*
                    {logged} AND {keys} = %s::text[]
                ) r
                WHERE t.id = r.id
            """, [run_id, MODEL_NAMES[model], shape])
