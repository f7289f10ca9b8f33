"""Elevation for legs that follow ways without any: the partners' trails where they run.

OpenStreetMap's ways carry no elevation, and the platform has no elevation model: the
only heights it knows are those the partners' trails carry (their GPS or survey Z). A
leg routed along paths and roads therefore takes, at each point, the elevation of a
public trail of the route's partners that runs within ``MATCH_M`` of it, and has none
(NaN) where no such trail runs: the profile then says where it has no elevation, and
the climb is counted on the known stretches only (``routes.metrics``), never on
heights made up between two far-apart known points.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.db import connection

from geo.crs import WGS84
from layers.vocabulary import Visibility

MATCH_M = 20.0
"""A way within this distance of a trail is taken to be the same path: a partner's GPS
track and OSM's line of one path lie 5–15 m apart; a parallel road or a path on the
other side of a stream lies farther, and may be metres higher or lower."""
STEP_M = 25.0
"""Where a trail runs beside the way, its elevation is sampled every this many metres
(the profile's own step, ``routes.metrics.STEP_M``): a way's vertices can be hundreds
of metres apart on a straight climb."""


def has_some(coords: np.ndarray) -> bool:
    return coords.shape[1] >= 3 and bool(np.isfinite(coords[:, 2]).any())


def has_all(coords: np.ndarray) -> bool:
    return coords.shape[1] >= 3 and bool(np.isfinite(coords[:, 2]).all())


def with_unknown(coords: np.ndarray) -> np.ndarray:
    """(lon, lat, z) rows: ``coords`` with NaN for the elevation it does not have."""
    coords = np.asarray(coords, dtype=float)
    if coords.shape[1] >= 3:
        return coords[:, :3]
    return np.column_stack([coords[:, :2], np.full(len(coords), np.nan)])


def from_trails(coords: np.ndarray, partner_ids: list[int]) -> np.ndarray:
    """``coords`` (lon, lat[, z]) with the elevation of the partners' public trails that
    run within ``MATCH_M`` of it, NaN elsewhere; an elevation it already has is kept.

    Where a trail runs beside it, the line gains a vertex every ``STEP_M`` (on the same
    line: its length and shape do not change), so that the profile follows the trail's
    ups and downs; elsewhere it is returned as it was."""
    out = with_unknown(coords)
    if len(out) < 2 or not partner_ids or has_all(out):
        return out
    line = shapely.to_wkb(shapely.linestrings(out[:, :2]))
    # One query: nothing is densified when no trail with elevation comes near the line
    # (most car legs), and then the answer is the line as it was.
    sql = f"""
        WITH line AS (SELECT ST_GeomFromWKB(%(line)s, {WGS84}) AS g),
        near AS MATERIALIZED (
            SELECT (ST_Dump(t.geom)).geom AS g
            FROM layers_trail t JOIN layers_layer l ON l.id = t.layer_id, line
            WHERE l.partner_id = ANY(%(partners)s) AND l.visibility = '{Visibility.PUBLIC}'
              AND t.retired_at IS NULL AND ST_NDims(t.geom) = 3
              AND t.geom && ST_Expand(line.g, %(deg)s)
              AND ST_DWithin(t.geom::geography, line.g::geography, %(within)s)),
        points AS (
            SELECT (d).path[1] AS n, (d).geom AS p
            -- In degrees (about STEP_M at the partners' latitudes): the line's own
            -- vertices stay exactly as they are, which the geography's would not.
            FROM (SELECT ST_DumpPoints(ST_Segmentize(line.g, %(step)s)) AS d FROM line) dumped
            WHERE EXISTS (SELECT 1 FROM near))
        SELECT ST_X(points.p), ST_Y(points.p), best.z FROM points LEFT JOIN LATERAL (
            -- ST_LineInterpolatePoint interpolates Z along the trail's own vertices.
            SELECT ST_Z(ST_LineInterpolatePoint(near.g, ST_LineLocatePoint(near.g, points.p)))
                   AS z
            FROM near WHERE ST_DWithin(near.g::geography, points.p::geography, %(within)s)
            ORDER BY near.g::geography <-> points.p::geography LIMIT 1) best ON true
        ORDER BY points.n"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"line": line, "partners": partner_ids, "within": MATCH_M,
                             "step": STEP_M / 111_320, "deg": MATCH_M / 50_000})
        rows = cursor.fetchall()
    if not rows:
        return out
    sampled = np.array([(x, y, np.nan if z is None else z) for x, y, z in rows], dtype=float)
    # The elevations the line had (a trail's, on a leg that reaches it along roads) stay.
    own = {(round(x, 9), round(y, 9)): z for x, y, z in out if np.isfinite(z)}
    for row in sampled:
        z = own.get((round(row[0], 9), round(row[1], 9)))
        if z is not None:
            row[2] = z
    return _thin_unknown(sampled, out)


def _thin_unknown(sampled: np.ndarray, original: np.ndarray) -> np.ndarray:
    """The densified line without the vertices it gained where it has no elevation:
    they would only add bytes (the line's own vertices, and the ends of each stretch
    without elevation, stay)."""
    keep = np.isfinite(sampled[:, 2])
    own = {(round(x, 9), round(y, 9)) for x, y in original[:, :2]}
    for i, (x, y, _z) in enumerate(sampled):
        if (round(x, 9), round(y, 9)) in own:
            keep[i] = True
    known = np.isfinite(sampled[:, 2])
    edges = np.flatnonzero(np.diff(known.astype(int)) != 0)
    keep[edges] = keep[edges + 1] = True
    keep[0] = keep[-1] = True
    return sampled[keep]

