"""Writing normalised rows: COPY into a staging table, then upsert in SQL.

Python hands PostgreSQL columns as they are; PostgreSQL builds the rows: the
``properties`` JSON from the unmapped columns, the base ``name``/``description``
from the translations, a point on the surface of each footprint. Updated and
retired rows are logged in importers_runchange with the row as it was before,
created ones in the run's ``created_ids``, so undo restores the layer exactly.
Fields the file does not carry are not touched on update: what editors changed
on the platform survives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import shapely
from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import GeneratedField

from geo.crs import WGS84
from importers.formats.base import object_array
from importers.pipeline.normalise import Rows
from layers.i18n import LANGUAGE_CODES, fallback_chain
from layers.models import Attraction, Trail
from layers.search import SEARCH_COLUMNS, fold_rows
from layers.vocabulary import LayerKind

MODELS = {LayerKind.ATTRACTIONS: Attraction, LayerKind.TRAILS: Trail}
MODEL_NAMES = {Attraction: "attraction", Trail: "trail"}
NEVER_COPIED = {"id", "uid", "layer", "source_id", "created_at", "updated_at", "retired_at",
                "properties"}
JSONB_ARGS = 50  # pairs per jsonb_build_object call (PostgreSQL takes at most 100 arguments)


def writable_columns(model) -> list[tuple[str, object]]:
    """(column, field) of every column an import may fill, in a fixed order."""
    return [(f.column, f) for f in model._meta.concrete_fields
            if f.name not in NEVER_COPIED and not isinstance(f, GeneratedField)]


def geometry_columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, GeometryField)]


def _q(col: str) -> str:
    return connection.ops.quote_name(col)


def _ewkb_hex(geoms: np.ndarray) -> np.ndarray:
    out = np.full(len(geoms), None, dtype=object)
    present = ~shapely.is_missing(geoms)
    if present.any():
        arr = shapely.set_srid(geoms[present].astype(object), WGS84)
        out[present] = shapely.to_wkb(arr, hex=True, include_srid=True)
    return out


def _lon_lat(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of 2-D points (None where there is no point) for COPY as numbers.

    PostgreSQL makes the points (ST_MakePoint) from them: cheaper at both ends than
    hex EWKB text, and Python's float text reads back as the same double.
    """
    lon = np.full(len(points), None, dtype=object)
    lat = np.full(len(points), None, dtype=object)
    present = ~shapely.is_missing(points)
    xy = shapely.get_coordinates(points[present].astype(object))
    lon[present], lat[present] = xy[:, 0].tolist(), xy[:, 1].tolist()
    return lon, lat


def _sql_type(values: np.ndarray) -> tuple[str, np.ndarray]:
    """A PostgreSQL type for a property column, and its values ready for COPY."""
    if values.dtype.kind in "iu":
        return "bigint", values
    if values.dtype.kind == "f":
        return "double precision", np.where(np.isfinite(values), values, None)
    if values.dtype.kind == "b":
        return "boolean", values
    kinds = {type(v) for v in values.tolist() if v is not None}
    if kinds <= {str}:
        return "text", values
    if kinds <= {bool}:
        return "boolean", values
    if kinds <= {int}:
        return "bigint", values
    if kinds <= {int, float}:
        return "double precision", values
    dumped = np.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                       for v in values.tolist()], dtype=object)
    return "jsonb", dumped


def _jsonb_object(pairs: list[tuple[str, str]]) -> str:
    """SQL building a jsonb object from (key literal placeholder, column) pairs."""
    if not pairs:
        return "'{}'::jsonb"
    chunks = [pairs[i:i + JSONB_ARGS] for i in range(0, len(pairs), JSONB_ARGS)]
    return " || ".join(
        "jsonb_build_object(" + ", ".join(f"{k}, s.{_q(c)}" for k, c in chunk) + ")"
        for chunk in chunks)


class Staging:
    """The temporary table of one import and the SQL that reads it as model rows."""

    def __init__(self, rows: Rows, model) -> None:
        self.rows, self.model = rows, model
        self.columns: list[tuple[str, str, np.ndarray]] = []  # (name, type, values)
        self._add("rn", "integer", rows.rows)
        self._add("source_id", "text", rows.source_ids)
        geom_cols = geometry_columns(model)
        if model is Attraction:
            polygon = shapely.get_type_id(rows.geoms) == shapely.GeometryType.MULTIPOLYGON
            lon, lat = _lon_lat(np.where(polygon, None, rows.geoms))
            self._add("lon", "double precision", lon)
            self._add("lat", "double precision", lat)
            self._add("footprint", "geometry", _ewkb_hex(np.where(polygon, rows.geoms, None)))
        else:
            self._add(geom_cols[0], "geometry", _ewkb_hex(rows.geoms))
        for fld, values in rows.fields.items():
            self._add(fld, "boolean" if fld == "fee" else "text", values)
        self._add("search", "text", _search_text(rows, model))
        keys: list[tuple[str, str]] = []
        for i, (col, values) in enumerate(rows.props.items()):
            sql_type, ready = _sql_type(values)
            self._add(f"p{i}", sql_type, ready)
            keys.append((self._param(col), f"p{i}"))
        unknown: list[tuple[str, str]] = []
        for i, (col, values) in enumerate(rows.unknown.items()):
            self._add(f"u{i}", "text", _to_text(values))
            unknown.append((self._param(col), f"u{i}"))
        # Attributes without a value are not kept: GeoJSON features that lack a
        # property and shapefile rows with an empty field mean the same.
        self.properties_sql = f"jsonb_strip_nulls({_jsonb_object(keys)})"
        if unknown:
            self.properties_sql += f" || jsonb_strip_nulls({_jsonb_object(unknown)})"

    def _add(self, name: str, sql_type: str, values: np.ndarray) -> None:
        self.columns.append((name, sql_type, values))

    @staticmethod
    def _param(key: str) -> str:
        """A SQL string literal for a JSON key (standard_conforming_strings is on)."""
        return "'" + key.replace("'", "''") + "'"

    def create_and_copy(self, cur) -> None:
        cur.execute("DROP TABLE IF EXISTS import_staging")
        cur.execute("CREATE TEMP TABLE import_staging ("
                    + ", ".join(f"{_q(n)} {t}" for n, t, _ in self.columns)
                    + ") ON COMMIT DROP")
        names = ", ".join(_q(n) for n, _, _ in self.columns)
        lists = [v.tolist() if isinstance(v, np.ndarray) else list(v)
                 for _, _, v in self.columns]
        with cur.cursor.copy(f"COPY import_staging ({names}) FROM STDIN") as copy:
            for record in zip(*lists, strict=True):
                copy.write_row(record)

    def expressions(self) -> dict[str, str]:
        """Model column -> SQL over staging alias ``s`` for every writable column."""
        have = {n for n, _, _ in self.columns}
        out: dict[str, str] = {}
        for col, f in writable_columns(self.model):
            if col == "location" and self.model is Attraction:
                out[col] = (f"COALESCE(ST_SetSRID(ST_MakePoint(s.lon, s.lat), {WGS84}), "
                            "ST_PointOnSurface(s.footprint))")
            elif col in ("name", "description"):
                present = [f"{col}_{c}" for c in fallback_chain("en") if f"{col}_{c}" in have]
                out[col] = ("COALESCE(" + ", ".join(f"NULLIF(s.{_q(p)}, '')" for p in present)
                            + ", '')") if present else "''"
            elif col in have and f.null and f.get_internal_type() in ("CharField", "TextField"):
                # Translations left empty are NULL, as the platform stores them.
                out[col] = f"NULLIF(s.{_q(col)}, '')"
            elif col in have:
                out[col] = f"s.{_q(col)}"
            elif f.null:
                out[col] = "NULL"
            else:
                out[col] = "''"
        # Typed as the table's columns, so rows compare with IS DISTINCT FROM.
        types = {col: f.db_type(connection) for col, f in writable_columns(self.model)}
        return {col: f"({e})::{types[col]}" for col, e in out.items()}

    def carried(self) -> list[str]:
        """Columns an update may overwrite: geometry, and what the file maps."""
        fields = set(self.rows.fields)
        cols = []
        for col, _f in writable_columns(self.model):
            if col in ("location", "footprint", "geom") or col in fields or (
                    col in ("name", "description")
                    and any(f"{col}_{c}" in fields for c in LANGUAGE_CODES)):
                cols.append(col)
        return cols


def _search_text(rows: Rows, model) -> np.ndarray:
    """The ``search`` column of new rows, folded in Python as PostgreSQL would fold it.

    From the translations as they will be stored: names cut to their column's
    length, as the cast in ``Staging.expressions`` cuts them.
    """
    columns = {}
    for col in SEARCH_COLUMNS:
        if col in rows.fields:
            limit = model._meta.get_field(col).max_length
            values = rows.fields[col].tolist()
            columns[col] = [v[:limit] if v else v for v in values] if limit else values
    return object_array(fold_rows(columns, len(rows)))


def _to_text(values: np.ndarray) -> np.ndarray:
    return np.array([None if v is None else str(v) for v in values.tolist()], dtype=object)


@dataclass
class Outcome:
    counts: dict[str, int]  # created, updated, unchanged, retired
    kept_cut_texts: int = 0  # incoming texts that were the stored text cut (see restore_cut_texts)
    # Features (with a source id) the layer had when no incoming id matched any: else 0.
    unmatched_existing: int = 0


def _cut(text: str, limit: int, encoding: str) -> str:
    """``text`` as a DBF field of ``limit`` bytes in ``encoding`` holds it, read back."""
    # Writers cut at a byte; a character left incomplete is dropped when read.
    raw = text.encode(encoding, errors="replace")[:limit]
    return raw.decode(encoding, errors="ignore").strip()


def restore_cut_texts(rows: Rows, model, layer_id: int, limit: int, encoding: str) -> int:
    """Put back the stored text where the incoming one is exactly that text cut at ``limit``.

    A layer exported as a shapefile and imported back would otherwise replace every
    description longer than a DBF field with its first 254 bytes. One query for the
    candidate rows (texts about as long as the limit), not one per row.
    """
    text_fields = {f.column for f in model._meta.concrete_fields
                   if f.get_internal_type() in ("CharField", "TextField")}
    columns = {("field", c): v for c, v in rows.fields.items() if c in text_fields}
    columns.update({("prop", c): v for c, v in rows.props.items() if v.dtype == object})
    # A character takes at most 4 bytes: shorter texts cannot fill the field.
    shortest = limit // 4
    candidates: dict[tuple[str, str], list[int]] = {}
    for key, values in columns.items():
        at = [i for i, v in enumerate(values.tolist())
              if v.__class__ is str and len(v) >= shortest
              and limit - 16 < len(v.encode(encoding, errors="replace")) <= limit]
        if at:
            candidates[key] = at
    if not candidates:
        return 0
    keys = list(candidates)
    ids = sorted({rows.source_ids[i] for at in candidates.values() for i in at})
    select = ", ".join(f"t.{_q(c)}" if kind == "field" else "t.properties ->> %s"
                       for kind, c in keys)
    params = [c for kind, c in keys if kind == "prop"]
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT t.source_id, {select} FROM {table} t "
                    "WHERE t.layer_id = %s AND t.source_id = ANY(%s)", [*params, layer_id, ids])
        stored = {r[0]: r[1:] for r in cur.fetchall()}
    kept = 0
    for k, key in enumerate(keys):
        values = columns[key]
        for i in candidates[key]:
            before = stored.get(rows.source_ids[i], (None,) * len(keys))[k]
            incoming = values[i]
            if (isinstance(before, str) and before.strip() != incoming.strip()
                    and _cut(before, limit, encoding) == incoming.strip()):
                values[i] = before
                kept += 1
    return kept


def write(*, rows: Rows, layer_id: int, run_id: int, sync: bool,
          text_limit: tuple[int, str] | None = None) -> Outcome:
    """Upsert ``rows`` into the layer; the run records the created ids.

    ``text_limit``: (bytes, encoding) of a format that cuts long text (DBF).
    """
    model = MODELS[rows.kind]
    table = model._meta.db_table
    kept_cut = restore_cut_texts(rows, model, layer_id, *text_limit) if text_limit else 0
    staging = Staging(rows, model)
    exprs = staging.expressions()
    update_cols = staging.carried()
    geo_cols = geometry_columns(model)
    params = {"layer": layer_id, "run": run_id, "model": MODEL_NAMES[model]}

    with connection.cursor() as cur:
        staging.create_and_copy(cur)
        cur.execute(
            "CREATE TEMP VIEW import_ready AS SELECT s.rn, s.source_id, "
            + ", ".join(f"{e} AS {_q(c)}" for c, e in exprs.items())
            + f", {staging.properties_sql} AS properties, s.search FROM import_staging s")

        incoming = ", ".join(f"r.{_q(c)}" for c in update_cols)
        # An empty translation and a missing one (NULL) are the same: no change.
        nullable_text = {c for c, f in writable_columns(model) if f.null
                         and f.get_internal_type() in ("CharField", "TextField")}
        types = {c: f.db_type(connection) for c, f in writable_columns(model)}
        current = ", ".join(f"NULLIF(t.{_q(c)}, '')::{types[c]}" if c in nullable_text
                            else f"t.{_q(c)}" for c in update_cols)
        differs = (f"(({current}), t.properties || r.properties, t.retired_at IS NOT NULL) "
                   f"IS DISTINCT FROM (({incoming}), t.properties, false)")
        before = "to_jsonb(t)" + "".join(
            f" || jsonb_build_object('{c}', encode(ST_AsEWKB(t.{_q(c)}), 'hex'))"
            for c in geo_cols)

        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE layer_id = %(layer)s)",
                    params)
        layer_has_rows = cur.fetchone()[0]
        unmatched = 0
        if layer_has_rows:
            cur.execute("ANALYZE import_staging")  # the joins below need its statistics
            # A file none of whose ids the layer knows (another --id-field than last
            # time?) would duplicate the whole layer: say so.
            cur.execute(f"""
                SELECT CASE WHEN EXISTS (SELECT 1 FROM {table} t JOIN import_staging s
                                         ON s.source_id = t.source_id
                                         WHERE t.layer_id = %(layer)s)
                            THEN 0
                            ELSE (SELECT count(*) FROM {table} t WHERE t.layer_id = %(layer)s
                                  AND t.retired_at IS NULL AND t.source_id <> '') END
            """, params)
            unmatched = cur.fetchone()[0]
        updated = 0
        if layer_has_rows:
            # Keep the rows that will change, as they are, before changing them.
            cur.execute(f"""
                INSERT INTO importers_runchange (run_id, model, feature_id, action, before)
                SELECT %(run)s, %(model)s, t.id, 'updated', {before}
                FROM {table} t JOIN import_ready r ON r.source_id = t.source_id
                WHERE t.layer_id = %(layer)s AND {differs}
            """, params)
            if cur.rowcount:  # an unchanged file changes nothing, and costs no update
                set_clause = ", ".join(
                    [f"{_q(c)} = r.{_q(c)}" for c in update_cols]
                    + ["properties = t.properties || r.properties", "retired_at = NULL",
                       "updated_at = now()"])
                cur.execute(f"""
                    UPDATE {table} t SET {set_clause}
                    FROM import_ready r, importers_runchange c
                    WHERE c.run_id = %(run)s AND c.action = 'updated' AND t.id = c.feature_id
                      AND t.layer_id = %(layer)s AND t.source_id = r.source_id
                """, params)
                updated = cur.rowcount
        cols = list(exprs)
        new_only = (f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.layer_id = %(layer)s "
                    "AND t.source_id = r.source_id)") if layer_has_rows else ""
        # The created ids go straight into the run (undo deletes them), not through Python.
        cur.execute(f"""
            WITH ins AS (
                INSERT INTO {table} (uid, layer_id, source_id,
                                     {', '.join(_q(c) for c in cols)}, properties, search,
                                     created_at, updated_at)
                SELECT gen_random_uuid(), %(layer)s, r.source_id,
                       {', '.join(f'r.{_q(c)}' for c in cols)}, r.properties, r.search,
                       now(), now()
                FROM import_ready r {new_only}
                RETURNING id
            )
            UPDATE importers_importrun
            SET created_ids = COALESCE((SELECT array_agg(id ORDER BY id) FROM ins), '{{}}')
            WHERE id = %(run)s
            RETURNING cardinality(created_ids)
        """, params)
        created = cur.fetchone()[0]

        retired = 0
        if sync and layer_has_rows:
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
        cur.execute("DROP VIEW import_ready")
        cur.execute("DROP TABLE import_staging")
    return Outcome(counts={"created": created, "updated": updated,
                           "unchanged": len(rows) - created - updated, "retired": retired},
                   kept_cut_texts=kept_cut, unmatched_existing=unmatched)


def undo(*, run_id: int, kind: str) -> None:
    """Restore the layer's rows as they were before ``run_id``."""
    model = MODELS[kind]
    table = model._meta.db_table
    restore = [c for c, _ in writable_columns(model)] + [
        "source_id", "properties", "retired_at", "created_at", "updated_at", "uid"]
    cols = ", ".join(_q(c) for c in restore)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE id IN (SELECT unnest(created_ids) "
                    "FROM importers_importrun WHERE id = %s)", [run_id])
        cur.execute(f"""
            UPDATE {table} t SET ({cols}) = ({', '.join(f'r.{_q(c)}' for c in restore)})
            FROM (
                SELECT (jsonb_populate_record(NULL::{table}, before)).*
                FROM importers_runchange
                WHERE run_id = %s AND model = %s AND action IN ('updated', 'retired')
            ) r
            WHERE t.id = r.id
        """, [run_id, MODEL_NAMES[model]])
