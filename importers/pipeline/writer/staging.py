"""The columns an import may fill, the temporary table of one import (filled by COPY),
and the SQL that reads that table as rows of the model."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
from django.contrib.gis.db.models import GeometryField
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, GeneratedField

from geo.crs import WGS84
from geo.i18n import LANGUAGE_CODES, fallback_chain
from importers.formats.base import object_array
from importers.pipeline.normalise import Rows
from layers.models import Attraction, Trail
from layers.search import SEARCH_COLUMNS, fold_rows

# Columns modeltranslation keeps beside their translations (name_bg …): an import writes
# them from the translations, in the fallback order.
TRANSLATED_BASES = ("name", "description", "accessibility")
NEVER_COPIED = {"id", "uid", "layer", "source_id", "created_at", "updated_at", "retired_at",
                "properties"}
JSONB_ARGS = 50  # pairs per jsonb_build_object call (PostgreSQL takes at most 100 arguments)

FeatureModel = type[Attraction] | type[Trail]
"""The models an import writes."""


def writable_columns(model: FeatureModel) -> list[tuple[str, Field[Any, Any]]]:
    """(column, field) of every column an import may fill, in a fixed order."""
    # (A concrete field's column is never None; the test tells the type checker so.)
    return [(f.column, f) for f in model._meta.concrete_fields
            if f.column is not None and f.name not in NEVER_COPIED
            and not isinstance(f, GeneratedField)]


def geometry_columns(model: FeatureModel) -> list[str]:
    return [f.column for f in model._meta.concrete_fields
            if f.column is not None and isinstance(f, GeometryField)]


def quote_name(col: str) -> str:
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
        ready = values.astype(object)
        ready[~np.isfinite(values)] = None
        return "double precision", ready
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
        "jsonb_build_object(" + ", ".join(f"{k}, s.{quote_name(c)}" for k, c in chunk) + ")"
        for chunk in chunks)


class Staging:
    """The temporary table of one import and the SQL that reads it as model rows."""

    def __init__(self, rows: Rows, model: FeatureModel,
                 names: dict[tuple[str, str], str] | None = None) -> None:
        """``names``: the staging column of each property ("p", column) and original value
        not understood ("u", column) so far: a file read in batches stages each batch into
        the same table, where a column keeps its name from one batch to the next."""
        self.rows, self.model = rows, model
        self.names = {} if names is None else names
        self.columns: list[tuple[str, str, np.ndarray]] = []  # (name, type, values)
        self._add("rn", "integer", rows.rows)
        self._add("source_id", "text", rows.source_ids)
        # Rows matched by public id: the feature's key (see the writer's docstring).
        self.by_key = False
        if rows.targets is not None and any(t is not None for t in rows.targets.tolist()):
            self.by_key = True
            self._add("fid", "bigint", rows.targets)
        geom_cols = geometry_columns(model)
        if model is Attraction:
            polygon = shapely.get_type_id(rows.geoms) == shapely.GeometryType.MULTIPOLYGON
            points, footprints = rows.geoms.astype(object), rows.geoms.astype(object)
            points[polygon] = None
            footprints[~polygon] = None
            lon, lat = _lon_lat(points)
            self._add("lon", "double precision", lon)
            self._add("lat", "double precision", lat)
            self._add("footprint", "geometry", _ewkb_hex(footprints))
        else:
            self._add(geom_cols[0], "geometry", _ewkb_hex(rows.geoms))
        for fld, values in rows.fields.items():
            self._add(fld, "boolean" if fld == "fee" else "text", values)
        self._add("search", "text", _search_text(rows, model))
        for col, values in rows.props.items():
            sql_type, ready = _sql_type(values)
            self._add(self._name("p", col), sql_type, ready)
        for col, values in rows.unknown.items():
            self._add(self._name("u", col), "text", _to_text(values))
        self.properties_sql = properties_sql(self.names)

    def _name(self, kind: str, col: str) -> str:
        name = self.names.get((kind, col))
        if name is None:
            name = self.names[(kind, col)] = f"{kind}{sum(k == kind for k, _c in self.names)}"
        return name

    def add(self, name: str, sql_type: str, values: np.ndarray) -> None:
        """One more column (a file read in batches stages what its checks need)."""
        self._add(name, sql_type, values)

    def _add(self, name: str, sql_type: str, values: np.ndarray) -> None:
        self.columns.append((name, sql_type, values))

    @staticmethod
    def _param(key: str) -> str:
        """A SQL string literal for a JSON key (standard_conforming_strings is on)."""
        return "'" + key.replace("'", "''") + "'"

    def create_and_copy(self, cur: CursorWrapper) -> None:
        self.create(cur)
        self.copy(cur)

    def create(self, cur: CursorWrapper) -> None:
        cur.execute("DROP TABLE IF EXISTS import_staging")
        cur.execute("CREATE TEMP TABLE import_staging ("
                    + ", ".join(f"{quote_name(n)} {t}" for n, t, _ in self.columns)
                    + ") ON COMMIT DROP")

    def copy(self, cur: CursorWrapper) -> None:
        """COPY the rows into the table (made by ``create``, or by an earlier batch)."""
        names = ", ".join(quote_name(n) for n, _, _ in self.columns)
        lists = [v.tolist() if isinstance(v, np.ndarray) else list(v)
                 for _, _, v in self.columns]
        with cur.cursor.copy(f"COPY import_staging ({names}) FROM STDIN") as copy:
            for record in zip(*lists, strict=True):
                copy.write_row(record)

    def expressions(self) -> dict[str, str]:
        """Model column -> SQL over staging alias ``s`` for every writable column."""
        return expressions(self.model, {n for n, _, _ in self.columns})

    def carried(self) -> list[str]:
        """Columns an update may overwrite: geometry, and what the file maps."""
        return carried(self.model, set(self.rows.fields))


def properties_sql(names: dict[tuple[str, str], str]) -> str:
    """SQL over staging alias ``s`` of the ``properties`` of a row: its properties
    ("p" columns) and the originals of values not understood ("u" columns)."""
    keys = [(Staging._param(col), name) for (kind, col), name in names.items() if kind == "p"]
    unknown = [(Staging._param(col), name) for (kind, col), name in names.items()
               if kind == "u"]
    # Attributes without a value are not kept: GeoJSON features that lack a
    # property and shapefile rows with an empty field mean the same.
    sql = f"jsonb_strip_nulls({_jsonb_object(keys)})"
    if unknown:
        sql += f" || jsonb_strip_nulls({_jsonb_object(unknown)})"
    return sql


def expressions(model: FeatureModel, have: set[str]) -> dict[str, str]:
    """Model column -> SQL over staging alias ``s`` (whose columns are ``have``) for every
    writable column."""
    out: dict[str, str] = {}
    for col, f in writable_columns(model):
        if col == "location" and model is Attraction:
            out[col] = (f"COALESCE(ST_SetSRID(ST_MakePoint(s.lon, s.lat), {WGS84}), "
                        "ST_PointOnSurface(s.footprint))")
        elif col in TRANSLATED_BASES:
            present = [f"{col}_{c}" for c in fallback_chain("en") if f"{col}_{c}" in have]
            nulls = ", ".join(f"NULLIF(s.{quote_name(p)}, '')" for p in present)
            out[col] = f"COALESCE({nulls}, '')" if present else "''"
        elif col in have and f.null and f.get_internal_type() in ("CharField", "TextField"):
            # Translations left empty are NULL, as the platform stores them.
            out[col] = f"NULLIF(s.{quote_name(col)}, '')"
        elif col in have and isinstance(f, ArrayField):
            # Staged as PostgreSQL's array text ({5,6,7}); nothing given is no element.
            out[col] = f"COALESCE(NULLIF(s.{quote_name(col)}, ''), '{{}}')"
        elif col in have:
            out[col] = f"s.{quote_name(col)}"
        elif f.null:
            out[col] = "NULL"
        elif isinstance(f, ArrayField):
            out[col] = "'{}'"
        elif isinstance(f.get_default(), str) and f.get_default():
            # A default of the model's (an attraction's currency): as Django would write it.
            out[col] = "'" + f.get_default().replace("'", "''") + "'"
        else:
            out[col] = "''"
    # Typed as the table's columns, so rows compare with IS DISTINCT FROM.
    types = {col: f.db_type(connection) for col, f in writable_columns(model)}
    return {col: f"({e})::{types[col]}" for col, e in out.items()}


def carried(model: FeatureModel, fields: set[str]) -> list[str]:
    """Columns an update may overwrite: geometry, and what the file maps (``fields``)."""
    cols = []
    for col, _f in writable_columns(model):
        if col in ("location", "footprint", "geom") or col in fields or (
                col in TRANSLATED_BASES
                and any(f"{col}_{c}" in fields for c in LANGUAGE_CODES)):
            cols.append(col)
    return cols


def _search_text(rows: Rows, model: FeatureModel) -> np.ndarray:
    """The ``search`` column of new rows, folded in Python as PostgreSQL would fold it.

    From the translations as they will be stored: names cut to their column's
    length, as the cast in ``Staging.expressions`` cuts them.
    """
    columns = {}
    for col in SEARCH_COLUMNS:
        if col in rows.fields:
            field = model._meta.get_field(col)
            limit = field.max_length if isinstance(field, Field) else None
            values = rows.fields[col].tolist()
            columns[col] = [v[:limit] if v else v for v in values] if limit else values
    return object_array(fold_rows(columns, len(rows)))


def _to_text(values: np.ndarray) -> np.ndarray:
    return np.array([None if v is None else str(v) for v in values.tolist()], dtype=object)
