"""From what a file holds to rows the platform stores: CRS, geometry, attributes, ids.

Everything works on whole columns: geometry with shapely/pyproj over arrays,
attribute values through a table of the column's distinct values (a layer of
100,000 rows has a few hundred distinct categories). Nothing walks the rows in
Python but the hash of a geometry where there is no id column.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from geo.crs import to_wgs84
from importers import mapping as m
from importers.formats.base import SourceData, drop_m, object_array
from importers.messages import Message, severity_label, word
from layers.i18n import LANGUAGE_CODES
from layers.vocabulary import Activity, Category, LayerKind

POINT, LINESTRING, LINEARRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON = range(7)
ACCEPTED_TYPES = {
    LayerKind.ATTRACTIONS: {POINT, POLYGON, MULTIPOINT, MULTIPOLYGON},
    LayerKind.TRAILS: {LINESTRING, LINEARRING, MULTILINESTRING},
}
ID_CANDIDATES = ("source_id", "id", "fid", "gid", "objectid", "object_id", "uid", "uuid",
                 "code", "ref", "identifier")
SHOWN_ROWS = 20  # rows named in one aggregated warning


@dataclass
class Issue:
    file: str
    layer: str
    row: int | str  # a row number, or a short list of them for aggregated warnings
    field: str
    reason: Message
    severity: str = "error"  # error (row rejected) | repaired | warning

    def __post_init__(self) -> None:
        if not isinstance(self.row, str):
            self.row = int(self.row)  # numpy indices must not reach JSON

    def as_dict(self) -> dict:
        """As import runs keep it: the reason in English, and as a message to translate."""
        return {"file": self.file, "layer": self.layer, "row": self.row, "field": self.field,
                "reason": self.reason.english, "severity": self.severity,
                "message": self.reason.as_json()}

    def shown(self) -> dict:
        """For a reader (the API): the reason in the active language."""
        return {"file": self.file, "layer": self.layer, "row": self.row, "field": self.field,
                "reason": str(self.reason), "severity": self.severity}

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)

    @property
    def message(self) -> Message:
        """Where and what: file, layer, row (or rows), field and reason."""
        where = {"file": self.file, "layer": self.layer, "row": self.row,
                 "field": self.field, "reason": self.reason}
        if isinstance(self.row, str):
            return Message(_("%(file)s, layer %(layer)s, rows %(row)s, %(field)s: %(reason)s"),
                           **where)
        return Message(_("%(file)s, layer %(layer)s, row %(row)s, %(field)s: %(reason)s"),
                       **where)

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class Rows:
    """Normalised rows of one kind, column by column, ready to write."""

    kind: str
    label: str = ""
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    source_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    geoms: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    fields: dict[str, np.ndarray] = field(default_factory=dict)  # model field -> values
    props: dict[str, np.ndarray] = field(default_factory=dict)  # unmapped column -> values
    # Original values of mapped columns that were not understood (None elsewhere):
    # they join the properties of their rows.
    unknown: dict[str, np.ndarray] = field(default_factory=dict)
    left_out: int = 0  # features read but of the other kind (points for trails…)

    def __len__(self) -> int:
        return len(self.source_ids)

    def values(self, i: int) -> dict[str, Any]:
        return {f: v[i] for f, v in self.fields.items()}

    def properties(self, i: int) -> dict[str, Any]:
        out = {c: v[i] for c, v in self.props.items()}
        out.update({c: v[i] for c, v in self.unknown.items() if v[i] is not None})
        return out


def map_distinct(values: np.ndarray, fn: Callable[[Any], Any]) -> np.ndarray:
    """``fn`` over ``values``, computed once per distinct value."""
    table: dict = {}
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values.tolist()):
        try:
            out[i] = table[v]
        except KeyError:
            out[i] = table[v] = fn(v)
        except TypeError:  # unhashable (JSON lists, dicts)
            out[i] = fn(v)
    return out


def _texts(values: np.ndarray) -> np.ndarray:
    """Text values of a column: mostly distinct strings (names), so no table of them."""
    text_value = m.text_value
    return object_array(v.strip() if v.__class__ is str else text_value(v)
                         for v in values.tolist())


def _rows_text(rows: np.ndarray) -> str:
    # No words: the same text in every language ("1, 2, … 20 … (+5)").
    shown = ", ".join(str(int(r)) for r in rows[:SHOWN_ROWS])
    return shown + (f" … (+{len(rows) - SHOWN_ROWS})" if len(rows) > SHOWN_ROWS else "")


def _hash_ids(geoms: np.ndarray, kind: str) -> np.ndarray:
    wkb = shapely.to_wkb(shapely.set_precision(geoms, 1e-7), output_dimension=2)
    salt = kind.encode()
    return object_array("h" + hashlib.sha1(w + salt).hexdigest()[:16] for w in wkb)


def choose_id_field(columns: dict[str, list], explicit: str | None) -> str | None:
    """The column whose values identify features across imports."""
    if explicit:
        return explicit
    # In the candidates' order of preference: our own exports carry source_id.
    ranked = sorted((c for c in columns if m.fold(c) in ID_CANDIDATES),
                    key=lambda c: ID_CANDIDATES.index(m.fold(c)))
    for col in ranked:
        values = np.asarray(columns[col])
        if values.dtype.kind in "iu":
            if len(np.unique(values)) == len(values):
                return col
            continue
        texts = {str(v) for v in values.tolist() if v not in (None, "")}
        if len(texts) == len(values):
            return col
    return None


def normalise(source: SourceData, *, kind: str, field_map: dict[str, str],
              id_field: str | None, issues: list[Issue], notes: list[str]) -> Rows:
    label, layer = source.label, source.layer
    first = source.first_row

    def issue(row, fld, reason, severity="error"):
        issues.append(Issue(label, layer, row, fld, reason, severity))

    geoms, with_m = drop_m(source.geometries)
    if with_m:
        notes.append(Message(_("%(file)s: M (measure) values dropped from %(count)s "
                               "geometries"), file=label, count=with_m))
    n = len(geoms)
    present = np.array([g is not None for g in geoms], dtype=bool)
    empty = ~present
    empty[present] = shapely.is_empty(geoms[present].astype(object))
    type_ids = np.full(n, -1)
    type_ids[~empty] = shapely.get_type_id(geoms[~empty].astype(object))
    for i in np.flatnonzero(empty):
        issue(first + i, "geometry", Message(_("no geometry (null or empty)")))

    wrong_kind = (~empty) & ~np.isin(type_ids, list(ACCEPTED_TYPES[kind]))
    if wrong_kind.any():
        kinds = sorted({geoms[i].geom_type for i in np.flatnonzero(wrong_kind)})
        template = (_("%(file)s: %(count)s feature(s) of type %(types)s are not attractions "
                      "and were left out (import the file into a layer of kind trails to get "
                      "them)") if kind == LayerKind.ATTRACTIONS else
                    _("%(file)s: %(count)s feature(s) of type %(types)s are not trails and "
                      "were left out (import the file into a layer of kind attractions to get "
                      "them)"))
        notes.append(Message(template, file=label, count=int(wrong_kind.sum()),
                             types=", ".join(kinds)))
    idx = np.flatnonzero((~empty) & ~wrong_kind)
    projected = np.empty(n, dtype=object)
    projected[idx] = to_wgs84(geoms[idx].astype(object), source.crs.crs)

    bounds = np.full((n, 4), np.nan)
    if len(idx):
        bounds[idx] = shapely.bounds(projected[idx].astype(object))
    finite = np.isfinite(bounds).all(axis=1)
    # A hair of tolerance: datum shifts move ±180° edges by a few nanodegrees.
    in_range = finite & (np.abs(bounds[:, [1, 3]]) <= 90 + 1e-6).all(axis=1) & (
        np.abs(bounds[:, [0, 2]]) <= 180 + 1e-6).all(axis=1)
    for i in idx[~in_range[idx]]:
        issue(first + i, "geometry",
              Message(_("coordinates are not numbers (NaN or infinite)")) if not finite[i] else
              Message(_("coordinates out of range after conversion to WGS 84 (lon %(lon)s, "
                        "lat %(lat)s): is the CRS right?"),
                      lon=f"{bounds[i, 0]:.4g}..{bounds[i, 2]:.4g}",
                      lat=f"{bounds[i, 1]:.4g}..{bounds[i, 3]:.4g}"))
    idx = idx[in_range[idx]]

    if kind == LayerKind.ATTRACTIONS:
        take, part_no, out_geoms = _attraction_geometries(projected, type_ids, idx, first, issue)
    else:
        take, part_no, out_geoms = _trail_geometries(projected, idx, first, issue)

    rows = Rows(kind=kind, label=label, rows=first + take, geoms=out_geoms,
                left_out=int(wrong_kind.sum()))
    columns = {col: vals if isinstance(vals, np.ndarray) else object_array(vals)
               for col, vals in source.columns.items()}
    mapped = set(field_map.values()) | ({id_field} if id_field else set())
    rows.props = {col: vals[take] for col, vals in columns.items() if col not in mapped}
    _unfold_properties(rows)
    _map_fields(rows, columns, take, field_map, kind, label, layer, issues)

    # Identity: the id column, else a stable hash of the geometry; multipoints split
    # into one feature per point get a suffix.
    if id_field:
        ids = _texts(columns[id_field][take])
        missing = ids == ""
        for r in rows.rows[missing]:
            issue(r, id_field, Message(_("no id value")))
    else:
        ids = _hash_ids(out_geoms, kind)
        missing = np.zeros(len(take), dtype=bool)
    multi = part_no > 0
    if multi.any():
        ids[multi] = [f"{s}-{p}" for s, p in zip(ids[multi], part_no[multi], strict=True)]
    keep = ~missing
    uniq, counts = np.unique(ids[keep].astype(str), return_counts=True)
    if (counts > 1).any():
        flat = np.flatnonzero(keep)  # positions in ids of the kept rows
        positions = defaultdict(list)
        for pos, sid in enumerate(ids[flat]):
            positions[sid].append(flat[pos])
        for sid in uniq[counts > 1].tolist():
            where = positions[sid]
            if id_field:
                for at in where[1:]:
                    issue(rows.rows[at], id_field,
                          Message(_("id %(id)s is also on row %(row)s"), id=repr(sid),
                                  row=str(rows.rows[where[0]])))
                    keep[at] = False
            else:  # identical geometries without ids: number them in file order
                for k, at in enumerate(where[1:], 2):
                    ids[at] = f"{sid}~{k}"
    rows.source_ids = ids
    return _select(rows, keep)


def _unfold_properties(rows: Rows) -> None:
    """A ``properties`` column of objects (our GeoJSON exports) becomes its own columns."""
    nested = rows.props.get("properties")
    if nested is None or not all(v is None or isinstance(v, dict) for v in nested.tolist()):
        return
    del rows.props["properties"]
    keys = dict.fromkeys(k for v in nested.tolist() if v for k in v)
    for key in keys:
        if key not in rows.props:
            rows.props[key] = object_array((v or {}).get(key) for v in nested.tolist())


def _select(rows: Rows, keep: np.ndarray) -> Rows:
    if keep.all():
        return rows
    rows.rows, rows.source_ids, rows.geoms = rows.rows[keep], rows.source_ids[keep], \
        rows.geoms[keep]
    rows.fields = {k: v[keep] for k, v in rows.fields.items()}
    rows.props = {k: v[keep] for k, v in rows.props.items()}
    rows.unknown = {k: v[keep] for k, v in rows.unknown.items()}
    return rows


def _attraction_geometries(projected, type_ids, idx, first, issue):
    """(source index per output row, part number or 0, geometries): points and footprints."""
    types = type_ids[idx]
    points = idx[types == POINT]
    multipoints = idx[types == MULTIPOINT]
    polygons = idx[(types == POLYGON) | (types == MULTIPOLYGON)]
    take = [points]
    parts_no = [np.zeros(len(points), dtype=np.int64)]
    point_geoms = projected[points].astype(object)
    geoms = [shapely.force_2d(point_geoms) if shapely.has_z(point_geoms).any() else point_geoms]
    if len(multipoints):
        parts, owner = shapely.get_parts(projected[multipoints].astype(object),
                                         return_index=True)
        take.append(multipoints[owner])
        _values, start = np.unique(owner, return_index=True)
        numbers = np.arange(len(owner)) - np.repeat(start, np.diff(np.append(start,
                                                                             len(owner))))
        single = np.bincount(owner)[owner] == 1
        parts_no.append(np.where(single, 0, numbers + 1))
        geoms.append(shapely.force_2d(parts))
    if len(polygons):
        polys = shapely.force_2d(projected[polygons].astype(object))
        valid = shapely.is_valid(polys)
        ok = np.ones(len(polys), dtype=bool)
        for k in np.flatnonzero(~valid):
            reason = shapely.is_valid_reason(polys[k])
            pieces = [p for p in shapely.get_parts(shapely.make_valid(polys[k]))
                      if p.geom_type in ("Polygon", "MultiPolygon")]
            if not pieces:
                issue(first + polygons[k], "geometry",
                      Message(_("invalid polygon (%(problem)s) that cannot be repaired"),
                              problem=reason))
                ok[k] = False
                continue
            polys[k] = shapely.MultiPolygon([q for p in pieces for q in shapely.get_parts(p)])
            issue(first + polygons[k], "geometry",
                  Message(_("invalid polygon (%(problem)s) repaired with make_valid"),
                          problem=reason), "repaired")
        single = shapely.get_type_id(polys) == POLYGON
        polys[single] = shapely.multipolygons(polys[single], indices=np.arange(single.sum()))
        take.append(polygons[ok])
        parts_no.append(np.zeros(int(ok.sum()), dtype=np.int64))
        geoms.append(polys[ok])
    take_all = np.concatenate(take)
    order = np.argsort(take_all, kind="stable")  # back to file order
    return (take_all[order], np.concatenate(parts_no)[order],
            np.concatenate(geoms).astype(object)[order])


def _trail_geometries(projected, idx, first, issue):
    lines = projected[idx].astype(object)
    single = shapely.get_type_id(lines) != MULTILINESTRING
    lines[single] = shapely.multilinestrings(lines[single], indices=np.arange(single.sum()))
    ok = np.ones(len(lines), dtype=bool)
    zero = shapely.length(lines) == 0
    for k in np.flatnonzero(zero):
        issue(first + idx[k], "geometry", Message(_("a line of zero length")))
        ok[k] = False
    parts_n = shapely.get_num_geometries(lines)
    for k in np.flatnonzero(ok & (parts_n > 1)):
        parts = [p for p in shapely.get_parts(lines[k]) if p.length > 0]
        if len(parts) < parts_n[k]:
            lines[k] = shapely.MultiLineString(parts)
            issue(first + idx[k], "geometry", Message(_("zero-length parts left out")),
                  "repaired")
    return idx[ok], np.zeros(int(ok.sum()), dtype=np.int64), lines[ok]


CONTROLLED = {
    "category": (m.category_value, Category.ATTRACTION.value),
    "activity": (m.activity_value, Activity.HIKING.value),
    "difficulty": (m.difficulty_value, ""),
    "wheelchair": (m.wheelchair_value, ""),
    "fee": (m.fee_value, None),
    "website": (m.website_value, ""),
}


def _understood(fn):
    def convert(value):
        if value is None or value == "":
            return None, True
        try:
            result = fn(value)
        except ValueError:
            return None, False
        return result, result is not None
    return convert


def _map_fields(rows: Rows, columns, take, field_map, kind, label, layer, issues) -> None:
    for fld, col in field_map.items():
        raw = columns[col][take]
        if fld not in CONTROLLED:
            rows.fields[fld] = _texts(raw)
            continue
        fn, default = CONTROLLED[fld]
        pairs = map_distinct(raw, _understood(fn))
        values = object_array(default if v is None else v for v, _ok in pairs)
        bad = np.array([not ok for _v, ok in pairs], dtype=bool)
        rows.fields[fld] = values
        if bad.any():
            rows.unknown[col] = object_array(np.where(bad, raw, None))
            for value in dict.fromkeys(raw[bad].tolist()):
                where = rows.rows[bad & (raw == value)]
                stored = (Message(_("%(value)s is not a known %(field)s; stored as %(default)s, "
                                    "the original kept in properties"), value=repr(value),
                                  field=word(fld), default=default)
                          if default else
                          Message(_("%(value)s is not a known %(field)s; left empty, the "
                                    "original kept in properties"), value=repr(value),
                                  field=word(fld)))
                issues.append(Issue(label, layer, _rows_text(where), col, stored, "warning"))
    default_field = "category" if kind == LayerKind.ATTRACTIONS else "activity"
    if default_field not in rows.fields:
        rows.fields[default_field] = np.full(len(take), CONTROLLED[default_field][1],
                                             dtype=object)
    names = [rows.fields[f"name_{c}"] for c in LANGUAGE_CODES if f"name_{c}" in rows.fields]
    unnamed = np.ones(len(take), dtype=bool)
    for values in names:
        unnamed &= values == ""
    if unnamed.any():
        issues.append(Issue(label, layer, _rows_text(rows.rows[unnamed]), "name",
                            Message(_("no name in any language")), "warning"))
