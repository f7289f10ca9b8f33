"""The geometry each kind of layer takes, already in WGS 84: attractions are points (a
multipoint becomes one feature per point) or footprints, repaired with make_valid where
they can be; trails are multilinestrings without zero-length parts."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from importers.messages import Message
from layers.vocabulary import LayerKind

POINT, LINESTRING, LINEARRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON = range(7)
ACCEPTED_TYPES = {
    LayerKind.ATTRACTIONS: {POINT, POLYGON, MULTIPOINT, MULTIPOLYGON},
    LayerKind.TRAILS: {LINESTRING, LINEARRING, MULTILINESTRING},
}


class IssueReport(Protocol):
    """Reports an issue of a row (its number in the file) and field."""

    def __call__(self, row: int, fld: str, reason: Message, severity: str = ...) -> None: ...


def attraction_geometries(projected: np.ndarray, type_ids: np.ndarray, idx: np.ndarray,
                          first: int, issue: IssueReport
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def trail_geometries(projected: np.ndarray, idx: np.ndarray, first: int, issue: IssueReport
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source index per output row, part number: 0, geometries): multilinestrings."""
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
