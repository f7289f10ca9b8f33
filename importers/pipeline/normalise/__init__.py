"""From what a file holds to rows the platform stores: CRS, geometry, attributes, ids.

Everything works on whole columns: geometry with shapely/pyproj over arrays,
attribute values through a table of the column's distinct values (a layer of
100,000 rows has a few hundred distinct categories). Nothing walks the rows in
Python but the hash of a geometry where there is no id column.

- ``rows``: the normalised rows, column by column, and the issues found on the way;
- ``geometry``: the geometry types each kind of layer takes; points, footprints and lines;
- ``attributes``: columns to model fields, the controlled values and what is not understood;
- ``normalise`` puts them together and gives every feature its id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from geo.crs import to_wgs84
from importers import mapping as m
from importers.formats.base import SourceData, drop_m, object_array
from importers.messages import Message
from importers.pipeline.normalise.attributes import map_fields, text_values, unfold_properties
from importers.pipeline.normalise.geometry import (
    ACCEPTED_TYPES,
    attraction_geometries,
    trail_geometries,
)
from importers.pipeline.normalise.rows import Issue, Rows
from layers.vocabulary import LayerKind

__all__ = ["Issue", "Rows", "choose_id_field", "normalise", "select"]

ID_CANDIDATES = ("source_id", "id", "fid", "gid", "objectid", "object_id", "uid", "uuid",
                 "code", "ref", "identifier")


def _hash_ids(geoms: np.ndarray, kind: str) -> np.ndarray:
    wkb = shapely.to_wkb(shapely.set_precision(geoms, 1e-7), output_dimension=2)
    salt = kind.encode()
    return object_array("h" + hashlib.sha1(w + salt).hexdigest()[:16] for w in wkb)


def choose_id_field(columns: dict[str, np.ndarray], explicit: str | None) -> str | None:
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


def normalise(source: SourceData, *, kind: LayerKind, field_map: dict[str, str],
              id_field: str | None, issues: list[Issue], notes: list[Message],
              dedupe: bool = True) -> Rows:
    """``source``'s rows as the platform stores them; ``dedupe``: find the ids given twice
    here (a file read in batches finds them across batches, in SQL: run/stream.py)."""
    label, layer = source.label, source.layer
    first = source.first_row
    assert source.crs is not None, "the pipeline resolves the CRS (or refuses) first"

    def issue(row: int, fld: str, reason: Message, severity: str = "error") -> None:
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
        issue(first + int(i), "geometry", Message(_("no geometry (null or empty)")))

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
        take, part_no, out_geoms = attraction_geometries(projected, type_ids, idx, first, issue)
    else:
        take, part_no, out_geoms = trail_geometries(projected, idx, first, issue)

    rows = Rows(kind=kind, label=label, rows=first + take, geoms=out_geoms,
                left_out=int(wrong_kind.sum()), source_no=np.zeros(len(take), dtype=np.int64),
                sources=[(label, layer)])
    if source.public_ids is not None:
        # A multipoint split into several attractions is several features: none of them
        # is the one feature its public id names.
        public_ids = source.public_ids[take].astype(object)
        public_ids[part_no > 0] = None
        rows.public_ids = public_ids
    columns = {col: vals if isinstance(vals, np.ndarray) else object_array(vals)
               for col, vals in source.columns.items()}
    mapped = set(field_map.values()) | ({id_field} if id_field else set())
    rows.props = {col: vals[take] for col, vals in columns.items() if col not in mapped}
    unfold_properties(rows)
    map_fields(rows, columns, take, field_map, kind, label, layer, issues)

    # Identity: the id column, else a stable hash of the geometry; multipoints split
    # into one feature per point get a suffix.
    if id_field:
        ids = text_values(columns[id_field][take])
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
    uniq, counts = (np.unique(ids[keep].astype(str), return_counts=True) if dedupe else
                    (np.empty(0, dtype=str), np.empty(0, dtype=np.int64)))
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
    return select(rows, keep)


def select(rows: Rows, keep: np.ndarray) -> Rows:
    if keep.all():
        return rows
    rows.rows, rows.source_ids, rows.geoms = rows.rows[keep], rows.source_ids[keep], \
        rows.geoms[keep]
    rows.source_no = rows.source_no[keep]
    if rows.public_ids is not None:
        rows.public_ids = rows.public_ids[keep]
    if rows.targets is not None:
        rows.targets = rows.targets[keep]
    rows.fields = {k: v[keep] for k, v in rows.fields.items()}
    rows.props = {k: v[keep] for k, v in rows.props.items()}
    rows.unknown = {k: v[keep] for k, v in rows.unknown.items()}
    return rows
