"""SQL building blocks of the coverage queries.

Every value from a request travels as a query parameter; only table and column names,
and constants of this package, are written into the SQL text.
"""

from __future__ import annotations

import json
from typing import Any

from geo.crs import LAEA_EUROPE, WGS84
from layers.selectors import translated
from layers.vocabulary import Visibility
from planner.params import CoverageQuery

OUTLINE_DECIMALS = 6  # about 0.1 m, as the rest of the API


def public_layers() -> str:
    """SQL: the array of the public layers whose features count: not reference layers,
    which sub-area layers are (``planner.signals``).

    An array, worked out once per query: a subquery would be probed for every feature.
    """
    return f"""ARRAY(SELECT l.id FROM layers_layer l WHERE l.visibility = '{Visibility.PUBLIC}'
                AND NOT l.reference)"""


def attraction_filter(alias: str, query: CoverageQuery, params: list) -> str:
    sql = f"{alias}.retired_at IS NULL AND {alias}.layer_id = ANY({public_layers()})"
    if query.categories:
        sql += f" AND {alias}.category = ANY(%s)"
        params.append(list(query.categories))
    return sql


def trail_filter(alias: str) -> str:
    return f"{alias}.retired_at IS NULL AND {alias}.layer_id = ANY({public_layers()})"


def trailheads(alias: str) -> str:
    """SQL: ``CROSS JOIN LATERAL`` rows ``e(p)``, the trailheads of trail ``alias``: where
    it starts or ends, the first point of its first part and the last point of its last
    part (with their Z, if any)."""
    return f"""CROSS JOIN LATERAL (VALUES (ST_StartPoint(ST_GeometryN({alias}.geom, 1))),
                (ST_EndPoint(ST_GeometryN({alias}.geom, ST_NumGeometries({alias}.geom)))))
                AS e(p)"""


def partners_filter(query: CoverageQuery, params: list, alias: str = "p") -> str:
    """SQL: the partners asked for (all when none), never a training sandbox, whose
    territory and figures are not the public's (docs/users/training.md)."""
    if not query.partners:
        return f"NOT {alias}.sandbox"
    params.append(list(query.partners))
    return f"NOT {alias}.sandbox AND {alias}.slug = ANY(%s)"


def area_cte(query: CoverageQuery, lang: str, params: list, *, lonlat: bool = True,
             clip: bool = True) -> str:
    """SQL: ``area_laea`` (level, key, partner_id, partner, name, g in lon/lat, g_laea).

    The partners' territories, and the sub-areas of those with a sub-area layer
    (``coverage.models``) that lie in the territory, clipped to it. Without ``lonlat`` a
    sub-area's ``g`` is NULL: the gaps are drawn in EPSG:3035 only, and clipping is dear. Without
    ``clip`` its ``g_laea`` is the whole polygon, for what lies inside the territory
    anyway (the gaps): it meets that as the clipped one would.
    """
    partners = partners_filter(query, params)
    partners_again = partners_filter(query, params)
    sub_area_g = ("ST_Multi(ST_CollectionExtract(ST_Intersection(a.footprint, p.boundary), 3))"
                  if lonlat else "NULL::geometry")
    sub_area_laea = (f"""ST_Multi(ST_CollectionExtract(ST_Intersection(
                   ST_Transform(a.footprint, {LAEA_EUROPE}),
                   ST_Transform(p.boundary, {LAEA_EUROPE})), 3))""" if clip
                     else f"ST_Transform(a.footprint, {LAEA_EUROPE})")
    return f"""
    area AS MATERIALIZED (
        SELECT 'partner' AS level, p.slug AS key, p.id AS partner_id, p.slug AS partner,
               {translated('p', 'name', lang)} AS name, p.boundary AS g,
               ST_Transform(p.boundary, {LAEA_EUROPE}) AS g_laea
        FROM layers_partner p WHERE {partners}
        UNION ALL
        -- Clipped in both CRSs: lon/lat to find what lies inside, EPSG:3035 for areas,
        -- where the territory's and the gaps' edges are drawn.
        SELECT 'sub_area', a.uid::text, p.id, p.slug, {translated('a', 'name', lang)},
               {sub_area_g},
               {sub_area_laea}
        FROM coverage_arealayer al
        JOIN layers_layer l ON l.id = al.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        JOIN layers_attraction a ON a.layer_id = l.id
        WHERE a.footprint IS NOT NULL AND a.retired_at IS NULL
          AND a.footprint && p.boundary AND {partners_again}
          -- The partner's own: a national file of municipalities holds its neighbours too,
          -- and a generalised border cuts slivers off them. A sub-area is the partner's
          -- when a point inside it lies in the territory.
          AND ST_Intersects(ST_PointOnSurface(a.footprint), p.boundary)
    ),
    area_laea AS MATERIALIZED (
        SELECT * FROM area WHERE NOT ST_IsEmpty(g_laea){" AND NOT ST_IsEmpty(g)" if lonlat else ""}
    )"""


def lonlat(sql: str, within: str) -> str:
    """SQL: the EPSG:3035 polygon(s) ``sql`` in lon/lat, inside the lon/lat polygon
    ``within``, valid, rounded to OUTLINE_DECIMALS.

    An edge straight in EPSG:3035 bows by metres in lon/lat over tens of km: clipped
    again, a gap stays inside the territory as a client draws it. A polygon valid in
    EPSG:3035 may also pinch into a self-intersection once transformed (where a gap
    touches the territory's edge at a point): it is repaired, then rounded by GEOS so
    that the rounding leaves it valid.
    """
    return (f"ST_ReducePrecision(ST_CollectionExtract(ST_Intersection(ST_MakeValid("
            f"ST_Transform({sql}, {WGS84})), {within}), 3), 1e-{OUTLINE_DECIMALS})")


def geojson(sql: str) -> str:
    """SQL: GeoJSON of the lon/lat polygon(s) ``sql``, right-hand rule (RFC 7946)."""
    return f"ST_AsGeoJSON(ST_ForcePolygonCCW({sql}), {OUTLINE_DECIMALS})::json"


def loads(value: object) -> Any:
    """A JSON column's value: text parsed, a value psycopg already parsed as it is."""
    return json.loads(value) if isinstance(value, str) else value


def named(sql: str, params: list[Any]) -> tuple[str, dict[str, Any]]:
    """``sql`` with its positional %s turned into %(pN)s, and the parameters by name.

    The reach query uses R in many places: it travels once, by name, with the rest.
    """
    parts = sql.split("%s")
    if len(parts) != len(params) + 1:
        raise ValueError("placeholders and parameters differ in number")
    text = parts[0] + "".join(f"%(p{i})s{rest}" for i, rest in enumerate(parts[1:]))
    return text, {f"p{i}": v for i, v in enumerate(params)}
