"""The coverage analysis, in PostGIS: what lies within reach, where the gaps are, how
partners compare.

Areas, buffers and gaps are computed in EPSG:3035 (LAEA Europe, equal-area); trail
lengths on the WGS 84 spheroid. An *area* is a partner's territory or one of its
sub-areas (the polygons of its sub-area layer, see ``coverage.models``), clipped to the
territory.

Reach, the fast way. A point of the territory is covered when some *site* (an
attraction, a trailhead) lies within R of it, or a published route passes within R.
The naive way buffers every site and unions the buffers: with thousands of heavily
overlapping discs the union dominates everything. Here each territory's sites are cut
into Voronoi cells instead (one GEOS call, O(n log n)): every point of a cell is nearest
to the cell's own site, so the cell is uncovered exactly where it lies farther than R
from that one site. Cells that fit inside their site's disc (most of them, where sites
are dense) are dropped unopened; each remaining cell loses one disc; the remainders,
unioned and clipped to the territory, are the gaps. Routes are lines, few and long:
their buffers are subtracted from the gaps at the end.

Discs are polygons drawn *around* the circle of radius R (circumscribed), so a
reported gap is always a real one; the polygon overshoots the circle by at most
R·(1/cos(π/4q) − 1), 1.2 m for R = 5 km with q = QUAD_SEGS.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from django.db import connection

from coverage.params import CoverageQuery
from geo.crs import LAEA_EUROPE, WGS84
from layers.selectors import translated
from layers.vocabulary import Visibility
from routes.vocabulary import RouteStatus

QUAD_SEGS = 16
"""Segments per quarter circle of a disc polygon."""
DISC_FACTOR = 1 / math.cos(math.pi / (4 * QUAD_SEGS))
"""Radius of the polygon's corners over R: its edges then touch the circle of radius R."""
SLIVER_SHARE = 0.02


def smallest_gap_m2(radius_m: float) -> float:
    """Smallest gap (m²) worth a planner's attention: (R/50)², 1 ha for R = 5 km.

    Smaller parts are slivers where two circles, or a circle and the territory's edge,
    nearly meet: not places. They are left out of the gaps and their areas.
    """
    return (radius_m * SLIVER_SHARE) ** 2


OUTLINE_DECIMALS = 6  # about 0.1 m, as the rest of the API


def _lonlat(sql: str, within: str) -> str:
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


def _geojson(sql: str) -> str:
    """SQL: GeoJSON of the lon/lat polygon(s) ``sql``, right-hand rule (RFC 7946)."""
    return f"ST_AsGeoJSON(ST_ForcePolygonCCW({sql}), {OUTLINE_DECIMALS})::json"


@dataclass
class AreaStats:
    """One row of the analysis: a partner's territory, or one of its sub-areas."""

    level: str  # "partner" or "sub_area"
    key: str  # the partner's slug, or the sub-area's public id
    partner: str
    name: str
    area_km2: float
    by_category: dict[str, int]
    trails: int
    trail_km: float
    routes: int
    gap_km2: float = 0.0
    gaps: int = 0
    missing_categories: list[str] = field(default_factory=list)
    geometry: dict | None = None

    @property
    def attractions(self) -> int:
        return sum(self.by_category.values())

    @property
    def attractions_per_100km2(self) -> float:
        return _per_100(self.attractions, self.area_km2)

    @property
    def trail_km_per_100km2(self) -> float:
        return _per_100(self.trail_km, self.area_km2)

    @property
    def covered_km2(self) -> float:
        return max(0.0, self.area_km2 - self.gap_km2)

    @property
    def covered_share(self) -> float:
        """Share of the area (0–1) within reach of something to do."""
        return self.covered_km2 / self.area_km2 if self.area_km2 else 0.0


@dataclass
class Gap:
    """A connected part of a territory beyond reach, with the sub-areas it touches."""

    partner: str
    rank: int  # 1 = the partner's largest gap
    area_km2: float
    centre: tuple[float, float]  # a point inside the gap, lon/lat
    touches: list[dict[str, str]]  # sub-areas: [{"key": public id, "name": name}]
    geometry: dict | None = None


@dataclass
class Coverage:
    query: CoverageQuery
    areas: list[AreaStats]  # partners first (by slug), then their sub-areas (by name)
    gaps: list[Gap]  # by partner, largest first
    categories: list[str]  # every category some analysed area has, most common first

    @property
    def partners(self) -> list[AreaStats]:
        return [a for a in self.areas if a.level == "partner"]

    @property
    def sub_areas(self) -> list[AreaStats]:
        return [a for a in self.areas if a.level == "sub_area"]


def _per_100(value: float, area_km2: float) -> float:
    return value / area_km2 * 100 if area_km2 else 0.0


# The building blocks below are SQL text; every value from a request travels as a
# query parameter, column and table names only come from this module.

def _public_layers() -> str:
    """SQL: ids of the public layers whose features count (sub-area layers do not)."""
    return f"""(SELECT l.id FROM layers_layer l WHERE l.visibility = '{Visibility.PUBLIC}'
                AND NOT EXISTS (SELECT 1 FROM coverage_arealayer al WHERE al.layer_id = l.id))"""


def _attraction_filter(alias: str, query: CoverageQuery, params: list) -> str:
    sql = f"{alias}.retired_at IS NULL AND {alias}.layer_id IN {_public_layers()}"
    if query.categories:
        sql += f" AND {alias}.category = ANY(%s)"
        params.append(list(query.categories))
    return sql


def _trail_filter(alias: str) -> str:
    return f"{alias}.retired_at IS NULL AND {alias}.layer_id IN {_public_layers()}"


def _partners_filter(query: CoverageQuery, params: list, alias: str = "p") -> str:
    if not query.partners:
        return "TRUE"
    params.append(list(query.partners))
    return f"{alias}.slug = ANY(%s)"


def _area_cte(query: CoverageQuery, lang: str, params: list) -> str:
    """SQL: ``area_laea`` (level, key, partner_id, partner, name, g in lon/lat, g_laea)."""
    partners = _partners_filter(query, params)
    partners_again = _partners_filter(query, params)
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
               ST_Multi(ST_CollectionExtract(ST_Intersection(a.footprint, p.boundary), 3)),
               ST_Multi(ST_CollectionExtract(ST_Intersection(
                   ST_Transform(a.footprint, {LAEA_EUROPE}),
                   ST_Transform(p.boundary, {LAEA_EUROPE})), 3))
        FROM coverage_arealayer al
        JOIN layers_layer l ON l.id = al.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        JOIN layers_attraction a ON a.layer_id = l.id
        WHERE a.footprint IS NOT NULL AND a.retired_at IS NULL
          AND a.footprint && p.boundary AND {partners_again}
    ),
    area_laea AS MATERIALIZED (
        SELECT * FROM area WHERE NOT ST_IsEmpty(g) AND NOT ST_IsEmpty(g_laea)
    )"""


def area_statistics(query: CoverageQuery, lang: str, *,
                    geometry: bool = False) -> list[AreaStats]:
    """Counts, lengths and sizes of each area; gaps are added by ``analyse``."""
    params: list = []
    area = _area_cte(query, lang, params)
    attractions = _attraction_filter("x", query, params)
    trails = _trail_filter("t")
    shape = _geojson("a.g") if geometry else "NULL::json"
    sql = f"""
    WITH {area},
    counted AS (
        SELECT a.key, x.category, count(*) AS n
        FROM area_laea a
        JOIN layers_attraction x ON x.location && a.g AND ST_Covers(a.g, x.location)
        WHERE {attractions}
        GROUP BY a.key, x.category
    ),
    walked AS (
        SELECT a.key, count(*) AS n,
               -- A trail inside the area needs no clipping: its stored length will do.
               sum(CASE WHEN ST_CoveredBy(t.geom, a.g) THEN t.length_m
                        ELSE ST_Length(geography(ST_CollectionExtract(
                                 ST_Intersection(ST_Force2D(t.geom), a.g), 2))) END) AS m
        FROM area_laea a
        JOIN layers_trail t ON t.geom && a.g AND ST_Intersects(t.geom, a.g)
        WHERE {trails}
        GROUP BY a.key
    ),
    routed AS (
        -- A partner's published routes are the routes it takes part in; a sub-area's,
        -- those passing through it.
        SELECT a.key, count(*) AS n
        FROM area_laea a
        JOIN routes_pilotroute r ON r.status = '{RouteStatus.PUBLISHED}' AND CASE
            WHEN a.level = 'partner' THEN EXISTS (
                SELECT 1 FROM routes_pilotroute_partners rp
                WHERE rp.pilotroute_id = r.id AND rp.partner_id = a.partner_id)
            ELSE r.geom && a.g AND ST_Intersects(r.geom, a.g) END
        GROUP BY a.key
    )
    SELECT a.level, a.key, a.partner, COALESCE(a.name, a.key), ST_Area(a.g_laea) / 1e6,
           COALESCE((SELECT json_object_agg(c.category, c.n) FROM counted c
                     WHERE c.key = a.key), '{{}}'),
           COALESCE(w.n, 0), COALESCE(w.m, 0) / 1000, COALESCE(r.n, 0), {shape}
    FROM area_laea a
    LEFT JOIN walked w ON w.key = a.key
    LEFT JOIN routed r ON r.key = a.key
    ORDER BY a.partner, a.level, COALESCE(a.name, a.key), a.key
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [AreaStats(level=level, key=key, partner=partner, name=name, area_km2=area_km2,
                      by_category=_json(counts), trails=n_trails, trail_km=km, routes=n_routes,
                      geometry=_json(shape) if shape is not None else None)
            for level, key, partner, name, area_km2, counts, n_trails, km, n_routes, shape
            in rows]


def _sites_cte(query: CoverageQuery, params: list) -> str:
    """SQL: ``site`` (partner_id, g): per territory, the points that cover what is near
    them, as one MultiPoint in EPSG:3035 (transformed in one call, not point by point)."""
    parts = []
    if "attractions" in query.kinds:
        parts.append(f"""
            SELECT x.location AS p FROM layers_attraction x
            WHERE x.location && t.reach AND {_attraction_filter("x", query, params)}""")
    if "trails" in query.kinds:
        # A trailhead is where a trail starts or ends: the first point of its first part
        # and the last point of its last part.
        parts.append(f"""
            SELECT ST_Force2D(e.p) AS p FROM layers_trail tr
            CROSS JOIN LATERAL (VALUES (ST_StartPoint(ST_GeometryN(tr.geom, 1))),
                (ST_EndPoint(ST_GeometryN(tr.geom, ST_NumGeometries(tr.geom))))) AS e(p)
            WHERE tr.geom && t.reach AND {_trail_filter("tr")}""")
    if not parts:
        return "site AS (SELECT NULL::bigint AS partner_id, NULL::geometry AS g WHERE FALSE)"
    return f"""
    site AS MATERIALIZED (
        SELECT t.partner_id, ST_Transform(u.g, {LAEA_EUROPE}) AS g
        FROM territory t CROSS JOIN LATERAL (
            SELECT ST_Collect(p) AS g FROM ({" UNION ALL ".join(parts)}) s) u
        WHERE u.g IS NOT NULL
    )"""


def _routes_cte(query: CoverageQuery) -> str:
    """SQL: ``route_reach`` (partner_id, g): what lies within R of a published route."""
    if "routes" not in query.kinds:
        return ("route_reach AS (SELECT NULL::bigint AS partner_id, NULL::geometry AS g "
                "WHERE FALSE)")
    # Simplified by R/1000 first: the buffer moves by no more, and costs far less.
    return f"""
    route_reach AS MATERIALIZED (
        SELECT t.partner_id, ST_Union(ST_Buffer(ST_Simplify(
                   ST_Transform(ST_Force2D(r.geom), {LAEA_EUROPE}), %(r)s / 1000), %(r)s,
                   'quad_segs={QUAD_SEGS}')) AS g
        FROM territory t
        JOIN routes_pilotroute r ON r.geom && t.reach AND r.status = '{RouteStatus.PUBLISHED}'
        GROUP BY t.partner_id
    )"""


@dataclass
class Gaps:
    gaps: list[Gap]  # by partner, largest first
    gap_km2: dict[str, float]  # by area key
    reach: dict[str, dict]  # by partner: the territory within reach (GeoJSON), if asked


def coverage_gaps(query: CoverageQuery, lang: str, *, geometry: bool = False,
                  reach: bool = False) -> Gaps:
    """The gaps of each analysed territory, largest first, and the gap km² of each area.

    ``geometry`` adds the gaps' outlines, ``reach`` each territory's part within reach
    (both GeoJSON, lon/lat, polygons counter-clockwise).
    """
    params: list = []
    area = _area_cte(query, lang, params)
    sites = _sites_cte(query, params)
    shape = _geojson("g.outline") if geometry else "NULL::json"
    # The reach is the partner's boundary less the gaps as published: the two share the
    # territory exactly, in the coordinates a client gets.
    reach_shape = _geojson(
        "ST_ReducePrecision(ST_CollectionExtract(COALESCE(ST_Difference(p.boundary, ("
        "SELECT ST_Union(g.outline) FROM gap g WHERE g.partner_id = p.id)), p.boundary), 3),"
        f" 1e-{OUTLINE_DECIMALS})")
    within = f"""
    UNION ALL
    SELECT 'reach', p.slug, NULL, NULL, NULL, NULL, {reach_shape}
    FROM layers_partner p JOIN territory t ON t.partner_id = p.id""" if reach else ""
    sql = f"""
    WITH {area},
    territory AS MATERIALIZED (
        SELECT a.partner_id, a.key AS partner, a.g_laea AS g, a.g AS boundary,
               -- Everything within R of the territory, as a lon/lat box for the indexes.
               ST_Transform(ST_Segmentize(ST_Expand(ST_Envelope(a.g_laea), %(r)s), %(r)s),
                            {WGS84}) AS reach
        FROM area_laea a WHERE a.level = 'partner'
    ),
    {sites},
    diagram AS MATERIALIZED (
        SELECT s.partner_id, s.g AS sites, CASE
            -- GEOS draws no cell around a lone site: its cell is everything.
            WHEN ST_XMin(s.g) = ST_XMax(s.g) AND ST_YMin(s.g) = ST_YMax(s.g)
                THEN ST_Envelope(ST_Collect(t.g, s.g))
            ELSE ST_VoronoiPolygons(s.g, 0, t.g) END AS cells
        FROM site s JOIN territory t USING (partner_id)
    ),
    open_region AS MATERIALIZED (
        -- A cell no wider than R lies in its site's disc wherever the site is in it:
        -- only the other, open, cells can hold a gap.
        SELECT d.partner_id, ST_UnaryUnion(ST_Collect(c.geom)) AS g
        FROM diagram d JOIN territory t USING (partner_id)
        CROSS JOIN LATERAL (SELECT geom, box2d(geom) AS b FROM ST_Dump(d.cells)) c
        WHERE (ST_XMax(c.b) - ST_XMin(c.b)) ^ 2 + (ST_YMax(c.b) - ST_YMin(c.b)) ^ 2
              > (%(r)s) ^ 2 AND c.geom && t.g
        GROUP BY d.partner_id
    ),
    open_reach AS MATERIALIZED (
        -- The sites of the open cells are the sites inside them. In its own cell a site
        -- is the nearest: there, what no open site reaches, no site reaches.
        SELECT o.partner_id, ST_Union(ST_Buffer(p.geom, %(disc)s,
                                                'quad_segs={QUAD_SEGS}')) AS g
        FROM open_region o JOIN diagram d USING (partner_id)
        CROSS JOIN LATERAL ST_Dump(ST_Intersection(d.sites, o.g)) p
        GROUP BY o.partner_id
    ),
    {_routes_cte(query)},
    gap_region AS MATERIALIZED (
        SELECT t.partner_id, t.partner, t.boundary, CASE
            WHEN NOT EXISTS (SELECT 1 FROM site s WHERE s.partner_id = t.partner_id) THEN t.g
            WHEN o.g IS NULL THEN NULL
            ELSE ST_Intersection(t.g, ST_Difference(o.g, r.g)) END AS g
        FROM territory t
        LEFT JOIN open_region o USING (partner_id)
        LEFT JOIN open_reach r USING (partner_id)
    ),
    gap AS MATERIALIZED (
        SELECT r.partner_id, r.partner, d.geom AS g, ST_Area(d.geom) AS area,
               {_lonlat("d.geom", "r.boundary") if geometry or reach else "NULL::geometry"}
                   AS outline,
               row_number() OVER (PARTITION BY r.partner ORDER BY ST_Area(d.geom) DESC,
                                  ST_XMin(d.geom), ST_YMin(d.geom)) AS rank
        FROM gap_region r
        LEFT JOIN route_reach rr ON rr.partner_id = r.partner_id
        CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(
            CASE WHEN rr.g IS NULL THEN r.g ELSE ST_Difference(r.g, rr.g) END, 3)) d
        WHERE ST_Area(d.geom) >= %(sliver)s
    )
    SELECT 'gap', g.partner, g.rank, g.area / 1e6,
           ST_AsGeoJSON(ST_Transform(ST_PointOnSurface(g.g), {WGS84}), 6)::json,
           COALESCE((SELECT json_agg(json_build_object('key', s.key, 'name', s.name)
                                     ORDER BY s.name, s.key)
                     FROM area_laea s WHERE s.level = 'sub_area'
                     AND s.partner_id = g.partner_id AND ST_Intersects(s.g_laea, g.g)),
                    '[]'), {shape}
    FROM gap g
    UNION ALL
    SELECT 'area', a.key, NULL, (
        SELECT COALESCE(sum(CASE WHEN a.level = 'partner' THEN g.area
                                 ELSE ST_Area(ST_Intersection(g.g, a.g_laea)) END), 0) / 1e6
        FROM gap g WHERE g.partner_id = a.partner_id AND g.g && a.g_laea), NULL, NULL, NULL
    FROM area_laea a{within}
    ORDER BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(_named(sql, params), {
            **_positional(params), "r": query.radius_m, "disc": query.radius_m * DISC_FACTOR,
            "sliver": smallest_gap_m2(query.radius_m)})
        rows = cursor.fetchall()
    result = Gaps(gaps=[], gap_km2={}, reach={})
    for kind, key, rank, km2, centre, touches, outline in rows:
        if kind == "area":
            result.gap_km2[key] = km2
        elif kind == "reach":
            result.reach[key] = _json(outline)
        else:
            point = _json(centre)["coordinates"]
            result.gaps.append(Gap(
                partner=key, rank=rank, area_km2=km2, centre=(point[0], point[1]),
                touches=_json(touches), geometry=_json(outline) if outline else None))
    return result


def category_counts(query: CoverageQuery) -> dict[str, dict[str, int]]:
    """Attractions by category in each partner's territory, for every partner."""
    params: list = []
    sql = f"""
    SELECT p.slug, x.category, count(*)
    FROM layers_partner p
    JOIN layers_attraction x ON x.location && p.boundary AND ST_Covers(p.boundary, x.location)
    WHERE {_attraction_filter("x", query, params)}
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


def analyse(query: CoverageQuery, lang: str, *, geometry: bool = False) -> Coverage:
    """The whole analysis: statistics per area, the gaps, and the partners compared."""
    areas = area_statistics(query, lang, geometry=geometry)
    found = coverage_gaps(query, lang)
    gaps, gap_km2 = found.gaps, found.gap_km2
    all_partners = category_counts(query)
    for slug in {a.partner for a in areas}:
        all_partners.setdefault(slug, {})
    missing = missing_categories(all_partners)
    gap_count: dict[str, int] = {}
    for g in gaps:
        gap_count[g.partner] = gap_count.get(g.partner, 0) + 1
        for s in g.touches:
            gap_count[s["key"]] = gap_count.get(s["key"], 0) + 1
    for a in areas:
        a.gap_km2 = min(a.area_km2, gap_km2.get(a.key, 0.0))
        a.gaps = gap_count.get(a.key, 0)
        if a.level == "partner":
            a.missing_categories = missing.get(a.key, [])
    totals: dict[str, int] = {}
    for a in areas:
        if a.level == "partner":
            for c, n in a.by_category.items():
                totals[c] = totals.get(c, 0) + n
    categories = sorted(totals, key=lambda c: (-totals[c], c))
    return Coverage(query=query, areas=areas, gaps=gaps, categories=categories)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _positional(params: list) -> dict[str, object]:
    return {f"p{i}": v for i, v in enumerate(params)}


def _named(sql: str, params: list) -> str:
    """``sql`` with its positional %s turned into the %(pN)s of ``_positional``.

    The coverage SQL uses R in many places: it travels once, by name.
    """
    parts = sql.split("%s")
    if len(parts) != len(params) + 1:
        raise ValueError("placeholders and parameters differ in number")
    out = [parts[0]]
    for i, rest in enumerate(parts[1:]):
        out.append(f"%(p{i})s{rest}")
    return "".join(out)
