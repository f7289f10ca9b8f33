"""From what a file holds to rows the platform stores: CRS, geometry, attributes, ids.

Geometry work is vectorised with shapely/pyproj over the whole layer; only
attribute mapping walks the rows, because every row's values differ.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from geo.crs import to_wgs84
from importers import mapping as m
from importers.formats.base import SourceData, drop_m
from layers.i18n import LANGUAGE_CODES
from layers.vocabulary import Activity, Category, LayerKind

POINT, LINESTRING, LINEARRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON = range(7)
ACCEPTED_TYPES = {
    LayerKind.ATTRACTIONS: {POINT, POLYGON, MULTIPOINT, MULTIPOLYGON},
    LayerKind.TRAILS: {LINESTRING, LINEARRING, MULTILINESTRING},
}
ID_CANDIDATES = ("source_id", "id", "fid", "gid", "objectid", "object_id", "uid", "uuid",
                 "code", "ref", "identifier")


@dataclass
class Issue:
    file: str
    layer: str
    row: int
    field: str
    reason: str
    severity: str = "error"  # error (row rejected) | repaired | warning

    def __post_init__(self) -> None:
        self.row = int(self.row)  # numpy indices must not reach JSON

    def as_dict(self) -> dict:
        return self.__dict__.copy()

    def __str__(self) -> str:
        return f"{self.file}, layer {self.layer}, row {self.row}, {self.field}: {self.reason}"


@dataclass
class Rows:
    """Normalised rows of one kind, ready to write (columns of equal length)."""

    kind: str
    source_ids: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # source row numbers
    labels: list[str] = field(default_factory=list)  # source label per row
    geoms: list = field(default_factory=list)  # EPSG:4326 shapely geometries
    values: list[dict[str, Any]] = field(default_factory=list)  # field -> value
    properties: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.source_ids)


def _hash_id(geom, extra: str) -> str:
    wkb = shapely.to_wkb(shapely.set_precision(geom, 1e-7), output_dimension=2)
    return "h" + hashlib.sha1(wkb + extra.encode()).hexdigest()[:16]


def choose_id_field(columns: dict[str, list], explicit: str | None) -> str | None:
    """The column whose values identify features across imports."""
    if explicit:
        return explicit
    for col in columns:
        if m.fold(col) in ID_CANDIDATES:
            values = [v for v in columns[col] if v not in (None, "")]
            if len(values) == len(columns[col]) and len(set(map(str, values))) == len(values):
                return col
    return None


def normalise(source: SourceData, *, kind: str, field_map: dict[str, str],
              id_field: str | None, issues: list[Issue], notes: list[str]) -> Rows:
    label, layer = source.label, source.layer
    n = len(source)
    geoms, with_m = drop_m(source.geometries)
    if with_m:
        notes.append(f"{label}: M (measure) values dropped from {with_m} geometries")
    present = np.array([g is not None for g in geoms], dtype=bool)
    empty = ~present
    empty[present] = shapely.is_empty(geoms[present].astype(object))
    type_ids = np.full(n, -1)
    type_ids[~empty] = shapely.get_type_id(geoms[~empty].astype(object))

    first = source.first_row
    for i in np.flatnonzero(empty):
        issues.append(Issue(label, layer, first + i, "geometry", "no geometry (null or empty)"))

    accepted = ACCEPTED_TYPES[kind]
    wrong_kind = (~empty) & ~np.isin(type_ids, list(accepted))
    if wrong_kind.any():
        kinds = sorted({geoms[i].geom_type for i in np.flatnonzero(wrong_kind)})
        other = "trails" if kind == LayerKind.ATTRACTIONS else "attractions"
        notes.append(f"{label}: {int(wrong_kind.sum())} feature(s) of type {', '.join(kinds)} "
                     f"are not {kind} and were left out (import the file into a layer of "
                     f"kind {other} to get them)")
    keep = (~empty) & ~wrong_kind
    idx = np.flatnonzero(keep)
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
        where = ("coordinates are not numbers (NaN or infinite)" if not finite[i] else
                 f"coordinates out of range after conversion to WGS 84 "
                 f"(lon {bounds[i, 0]:.4g}..{bounds[i, 2]:.4g}, lat {bounds[i, 1]:.4g}.."
                 f"{bounds[i, 3]:.4g}): is the CRS right?")
        issues.append(Issue(label, layer, first + i, "geometry", where))
    idx = idx[in_range[idx]]

    out = Rows(kind=kind)
    columns = source.columns
    mapped_cols = set(field_map.values()) | ({id_field} if id_field else set())
    seen_ids: dict[str, int] = {}
    for i in idx:
        row = first + int(i)
        geom = projected[i]
        parts = [geom]
        if kind == LayerKind.ATTRACTIONS:
            geom, parts, ok = _attraction_geometry(geom, type_ids[i], label, layer, row, issues)
            if not ok:
                continue
        else:
            geom = _trail_geometry(geom, label, layer, row, issues)
            if geom is None:
                continue
            parts = [geom]
        values, props = _attributes(columns, int(i), field_map, mapped_cols, kind, label, layer,
                                    row, issues)
        if id_field:
            base_id = m.text_value(columns[id_field][i]) if id_field in columns else ""
            if not base_id:
                issues.append(Issue(label, layer, row, id_field, "no id value"))
                continue
        else:
            base_id = _hash_id(geom, kind)
        for n_part, part in enumerate(parts, 1):
            sid = base_id if len(parts) == 1 else f"{base_id}-{n_part}"
            if sid in seen_ids:
                if id_field:
                    issues.append(Issue(label, layer, row, id_field,
                                        f"id {sid!r} is also on row {seen_ids[sid]}"))
                    continue
                k = 2
                while f"{sid}~{k}" in seen_ids:
                    k += 1
                sid = f"{sid}~{k}"
            seen_ids[sid] = row
            out.source_ids.append(sid)
            out.rows.append(row)
            out.labels.append(label)
            out.geoms.append(part if kind == LayerKind.ATTRACTIONS else geom)
            out.values.append(values)
            out.properties.append(props)
    return out


def _attraction_geometry(geom, type_id, label, layer, row, issues):
    """(geometry, parts, ok): a point or a valid (multi)polygon footprint; multipoints split."""
    if type_id in (POINT, MULTIPOINT):
        parts = list(shapely.get_parts(shapely.force_2d(geom)))
        return geom, parts, True
    geom = shapely.force_2d(geom)
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        repaired = shapely.make_valid(geom)
        polys = [p for p in shapely.get_parts(repaired) if p.geom_type in ("Polygon",
                                                                           "MultiPolygon")]
        if not polys:
            issues.append(Issue(label, layer, row, "geometry",
                                f"invalid polygon ({reason}) that cannot be repaired"))
            return geom, [], False
        geom = shapely.MultiPolygon([q for p in polys for q in shapely.get_parts(p)])
        issues.append(Issue(label, layer, row, "geometry",
                            f"invalid polygon ({reason}) repaired with make_valid",
                            severity="repaired"))
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    return geom, [geom], True


def _trail_geometry(geom, label, layer, row, issues):
    if geom.geom_type in ("LineString", "LinearRing"):
        geom = shapely.MultiLineString([geom.coords])
    parts = [p for p in shapely.get_parts(geom) if len(p.coords) >= 2 and p.length > 0]
    if not parts:
        issues.append(Issue(label, layer, row, "geometry", "a line of zero length"))
        return None
    if len(parts) < len(shapely.get_parts(geom)):
        issues.append(Issue(label, layer, row, "geometry",
                            "zero-length parts left out", severity="repaired"))
        geom = shapely.MultiLineString(parts)
    return geom


CONVERTERS = {
    "category": (m.category_value, "attraction"),
    "activity": (m.activity_value, Activity.HIKING.value),
    "difficulty": (m.difficulty_value, ""),
    "wheelchair": (m.wheelchair_value, ""),
}


def _attributes(columns, i, field_map, mapped_cols, kind, label, layer, row, issues):
    values: dict[str, Any] = {}
    props: dict[str, Any] = {col: vals[i] for col, vals in columns.items()
                             if col not in mapped_cols}
    for fld, col in field_map.items():
        raw = columns[col][i]
        if fld in CONVERTERS:
            convert, default = CONVERTERS[fld]
            value = convert(raw)
            if value is None:
                if raw not in (None, ""):
                    issues.append(Issue(label, layer, row, col,
                                        f"{raw!r} is not a known {fld}; stored as "
                                        f"{default or 'empty'}, original kept in properties",
                                        severity="warning"))
                    props[col] = raw
                value = default
            values[fld] = value
        elif fld == "fee":
            try:
                values[fld] = m.fee_value(raw)
            except ValueError as exc:
                issues.append(Issue(label, layer, row, col, f"{exc}; left empty",
                                    severity="warning"))
                props[col] = raw
                values[fld] = None
        elif fld == "website":
            if raw in (None, ""):
                values[fld] = ""
                continue
            try:
                values[fld] = m.website_value(raw)
            except ValueError as exc:
                issues.append(Issue(label, layer, row, col, f"{exc}; kept in properties",
                                    severity="warning"))
                props[col] = raw
                values[fld] = ""
        else:
            values[fld] = m.text_value(raw)
    if kind == LayerKind.ATTRACTIONS:
        values.setdefault("category", Category.ATTRACTION.value)
    else:
        values.setdefault("activity", Activity.HIKING.value)
    if not any(values.get(f"name_{code}") for code in LANGUAGE_CODES):
        issues.append(Issue(label, layer, row, "name", "no name in any language",
                            severity="warning"))
    return values, props

