"""Counts, lengths and sizes of each area, and which categories each partner lacks."""

from __future__ import annotations

from django.db import connection

from planner.params import CoverageQuery
from planner.selectors.results import AreaStats
from planner.selectors.sql import (
    area_cte,
    attraction_filter,
    geojson,
    loads,
    trail_filter,
)
from routes.feature_kind import in_sandbox
from routes.vocabulary import RouteStatus


def area_statistics(query: CoverageQuery, lang: str, *,
                    geometry: bool = False) -> list[AreaStats]:
    """Counts, lengths and sizes of each area; gaps are added by ``analyse``."""
    params: list = []
    area = area_cte(query, lang, params)
    attractions = attraction_filter("x", query, params)
    trails = trail_filter("t")
    shape = geojson("a.g") if geometry else "NULL::json"
    sql = f"""
    WITH {area},
    -- An area's own features are its partner's: another partner's features inside it
    -- are counted apart (``own``), so that nobody's import changes another's figures.
    counted AS (
        SELECT a.key, x.category, l.partner_id = a.partner_id AS own, count(*) AS n
        FROM area_laea a
        JOIN layers_attraction x ON x.location && a.g AND ST_Covers(a.g, x.location)
        JOIN layers_layer l ON l.id = x.layer_id
        WHERE {attractions}
        GROUP BY a.key, x.category, own
    ),
    walked AS (
        SELECT w.key, count(*) FILTER (WHERE w.own) AS n, sum(w.m) FILTER (WHERE w.own) AS m,
               count(*) FILTER (WHERE NOT w.own) AS others,
               sum(w.m) FILTER (WHERE NOT w.own) AS others_m
        FROM (
            SELECT a.key, l.partner_id = a.partner_id AS own,
                   -- A trail inside the area needs no clipping: its stored length will do.
                   CASE WHEN ST_CoveredBy(t.geom, a.g) THEN t.length_m
                        ELSE ST_Length(geography(ST_CollectionExtract(
                                 ST_Intersection(ST_Force2D(t.geom), a.g), 2))) END AS m
            FROM area_laea a
            JOIN layers_trail t ON t.geom && a.g AND ST_Intersects(t.geom, a.g)
            JOIN layers_layer l ON l.id = t.layer_id
            WHERE {trails}
        ) w
        GROUP BY w.key
    ),
    routed AS (
        -- A partner's published routes are the routes it takes part in; a sub-area's,
        -- those passing through it.
        SELECT a.key, count(*) AS n
        FROM area_laea a
        JOIN routes_pilotroute r ON r.status = '{RouteStatus.PUBLISHED}'
            AND NOT {in_sandbox('r')} AND CASE
            WHEN a.level = 'partner' THEN EXISTS (
                SELECT 1 FROM routes_pilotroute_partners rp
                WHERE rp.pilotroute_id = r.id AND rp.partner_id = a.partner_id)
            ELSE r.geom && a.g AND ST_Intersects(r.geom, a.g) END
        GROUP BY a.key
    )
    SELECT a.level, a.key, a.partner, COALESCE(a.name, a.key), ST_Area(a.g_laea) / 1e6,
           COALESCE((SELECT json_object_agg(c.category, c.n) FROM counted c
                     WHERE c.key = a.key AND c.own), '{{}}'),
           COALESCE(w.n, 0), COALESCE(w.m, 0) / 1000, COALESCE(r.n, 0), {shape},
           COALESCE((SELECT sum(c.n) FROM counted c WHERE c.key = a.key AND NOT c.own), 0),
           COALESCE(w.others, 0), COALESCE(w.others_m, 0) / 1000
    FROM area_laea a
    LEFT JOIN walked w ON w.key = a.key
    LEFT JOIN routed r ON r.key = a.key
    ORDER BY a.partner, a.level, COALESCE(a.name, a.key), a.key
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [AreaStats(level=level, key=key, partner=partner, name=name, area_km2=area_km2,
                      by_category=loads(counts), trails=n_trails, trail_km=km, routes=n_routes,
                      geometry=loads(shape) if shape is not None else None,
                      others_attractions=int(others), others_trails=others_trails,
                      others_trail_km=others_km)
            for (level, key, partner, name, area_km2, counts, n_trails, km, n_routes, shape,
                 others, others_trails, others_km) in rows]


def category_counts(query: CoverageQuery) -> dict[str, dict[str, int]]:
    """A partner's own attractions in its territory by category, for every partner."""
    params: list = []
    sql = f"""
    SELECT p.slug, x.category, count(*)
    FROM layers_partner p
    JOIN layers_layer l ON l.partner_id = p.id
    JOIN layers_attraction x ON x.layer_id = l.id
         AND x.location && p.boundary AND ST_Covers(p.boundary, x.location)
    WHERE {attraction_filter("x", query, params)}
    GROUP BY p.slug, x.category
    """
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for slug, category, n in cursor.fetchall():
            counts.setdefault(slug, {})[category] = n
    return counts


def missing_categories(counts: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """For each partner, the categories it has none of while another partner has some."""
    present = {slug: {c for c, n in by.items() if n} for slug, by in counts.items()}
    everyone = set(counts)
    return {slug: sorted(set().union(*(present.get(o, set()) for o in everyone - {slug}))
                         - present.get(slug, set()))
            for slug in everyone}
