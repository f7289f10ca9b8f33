"""Reach and gaps, the fast way.

A point of a territory is within reach when a *site* (an attraction, a trailhead) lies
within R of it, or a published route passes within R of it. The naive way buffers every
site, unions the buffers and takes them from the territory: with thousands of
overlapping discs, the union is nearly all the work.

Here the sites are cut into Voronoi cells first (one GEOS call, n log n, one diagram for
all the territories analysed, each site in it once): every point of a cell is nearest to
the cell's own site, so in that cell what its site does not reach, no site reaches. A
cell no wider than R lies inside its site's disc wherever the site is: where sites are
dense, most cells are done with at once. Only the other, *open*, cells can hold a gap,
and there only the discs of their own sites count: the gaps are the open cells less the
discs of the sites inside them, a few hundred discs instead of every one, clipped to the
territory. Routes are few, long lines: their buffers are taken away at the end.

Discs are polygons drawn *around* the circle of radius R (their edges touch it), so a
reported gap is always a real one; a disc overshoots its circle by at most
R·(1/cos(π/4q) − 1) with q = QUAD_SEGS: 24 m for R = 5 km, as much as PostGIS's own
buffers fall short of it. Gaps under (R/50)² are slivers and left out
(``smallest_gap_m2``).
"""

from __future__ import annotations

import math

from django.db import connection

from geo.crs import LAEA_EUROPE, WGS84
from planner import services
from planner.params import CoverageQuery
from planner.selectors.results import Gap, Gaps
from planner.selectors.sql import (
    OUTLINE_DECIMALS,
    area_cte,
    attraction_filter,
    geojson,
    loads,
    lonlat,
    named,
    trail_filter,
    trailheads,
)
from routes.feature_kind import in_sandbox
from routes.vocabulary import RouteStatus

QUAD_SEGS = 8
"""Segments per quarter circle of a disc polygon (PostGIS's default)."""
DISC_FACTOR = 1 / math.cos(math.pi / (4 * QUAD_SEGS))
"""Radius of a disc polygon's corners over R: its edges then touch the circle of radius R."""
ROUTE_QUAD_SEGS = 32
"""Segments per quarter circle of a route band's rounded bends and ends."""
SLIVER_SHARE = 0.02


def route_band_m(radius_m: float) -> float:
    """Half the width (m) of the band drawn along a route's line, simplified by R/1000:
    wide enough to hold every point within R of the line as it is, and at most
    R/1000 + 0.03 % R wider (6.5 m for R = 5 km)."""
    return radius_m * 1.001 / math.cos(math.pi / (4 * ROUTE_QUAD_SEGS))


def smallest_gap_m2(radius_m: float) -> float:
    """Smallest gap (m²) worth a planner's attention: (R/50)², 1 ha for R = 5 km.

    Smaller parts are slivers where two circles, or a circle and the territory's edge,
    nearly meet: not places. They are left out of the gaps and their areas.
    """
    return (radius_m * SLIVER_SHARE) ** 2


def _sites_cte(query: CoverageQuery, params: list) -> str:
    """SQL: ``site`` (g): the points that cover what is near them, every one within reach
    of an analysed territory and each once, as one MultiPoint in EPSG:3035 (transformed in
    one call, not point by point); NULL when there are none."""
    parts = []
    # A site near two territories (neighbours share a border) is read in both boxes: it
    # goes into the diagram once.
    if "attractions" in query.kinds:
        parts.append(f"""
            SELECT DISTINCT ON (x.id) x.location AS p
            FROM territory t JOIN layers_attraction x ON x.location && t.reach
            WHERE {attraction_filter("x", query, params)}""")
    if "trails" in query.kinds:
        parts.append(f"""
            SELECT ST_Force2D(e.p) AS p FROM (
                SELECT DISTINCT ON (tr.id) tr.geom
                FROM territory t JOIN layers_trail tr ON tr.geom && t.reach
                WHERE {trail_filter("tr")}) tr
            {trailheads("tr")}""")
    if not parts:
        return "site AS (SELECT NULL::geometry AS g)"
    return f"""
    site AS MATERIALIZED (
        SELECT ST_Transform(ST_Collect(p), {LAEA_EUROPE}) AS g
        FROM ({" UNION ALL ".join(parts)}) s
    )"""


def _routes_cte(query: CoverageQuery) -> str:
    """SQL: ``route_reach`` (partner_id, g): what lies within R of a published route."""
    if "routes" not in query.kinds:
        return ("route_reach AS (SELECT NULL::bigint AS partner_id, NULL::geometry AS g "
                "WHERE FALSE)")
    # Simplified by R/1000 first: it costs far less, and the line moves by no more, so a
    # band R/1000 wider still holds the true one. Its bends are rounded by polygons drawn
    # around the circle, as the discs are, so that no gap is made up next to a route
    # either; finer ones than the discs', as they would widen the whole band, not a bend.
    return f"""
    route_reach AS MATERIALIZED (
        SELECT t.partner_id, ST_Union(ST_Buffer(ST_Simplify(
                   ST_Transform(ST_Force2D(r.geom), {LAEA_EUROPE}), %(r)s / 1000),
                   %(band)s, 'quad_segs={ROUTE_QUAD_SEGS}')) AS g
        FROM territory t
        JOIN routes_pilotroute r ON r.geom && t.reach AND r.status = '{RouteStatus.PUBLISHED}'
            AND NOT {in_sandbox('r')}
        GROUP BY t.partner_id
    )"""


DISC = f"""(SELECT ST_Buffer(ST_SetSRID(ST_MakePoint(0, 0), {LAEA_EUROPE}), %(disc)s,
                              'quad_segs={QUAD_SEGS}') AS g) disc"""
"""SQL: the disc around the origin. Every disc is this polygon moved to its site, a tenth
of the cost of drawing it again."""

KEPT_BEYOND = f"""
    open_cell AS MATERIALIZED (
        -- The cells of the kept diagram that reach farther than R from their site, and
        -- into the territory. Every point of a cell is nearest to the cell's site: the
        -- other cells lie in their site's disc.
        SELECT t.partner_id, c.site,
               -- Cut to the territory's box: the cells at the edge of the diagram reach
               -- to the end of the map, and the smaller pieces merge faster.
               ST_ClipByBox2D(c.cell, ST_Expand(ST_Envelope(t.g), 1)) AS cell
        FROM territory t
        JOIN (SELECT cell, site FROM coverage_sitecell WHERE reach_m > %(r)s OFFSET 0) c
          ON c.cell && t.g AND ST_Intersects(c.cell, t.g)
    ),
    beyond AS MATERIALIZED (
        -- In an open cell, what its own site does not reach, no site reaches; what
        -- another open site reaches is reached. The open cells less their sites' discs:
        -- cells share their edges exactly, and a zero buffer merges them faster than an
        -- overlay union. (Each cell less its own disc, the pieces merged, was as fast at
        -- R = 5 km, and 17 times slower at 0.3 km, where thousands of cells are open.)
        SELECT o.partner_id,
               ST_Difference(ST_Buffer(ST_Collect(o.cell), 0), ST_Union(
                   ST_Translate(disc.g, ST_X(o.site), ST_Y(o.site)))) AS g
        FROM open_cell o CROSS JOIN {DISC}
        GROUP BY o.partner_id
    )"""
"""SQL: ``beyond`` (partner_id, g): what no site reaches, in the cells of the kept
diagram that meet each territory."""


def uses_kept_diagram(query: CoverageQuery) -> bool:
    """Whether the kept diagram holds exactly the query's sites: every category, and both
    attractions and trailheads."""
    return not query.categories and {"attractions", "trails"} <= set(query.kinds)


def _drawn_beyond_sql(query: CoverageQuery, params: list) -> str:
    """SQL: ``beyond`` (partner_id, g), what no site reaches in the open cells that meet
    each territory, from a diagram drawn for this query's sites: some categories, or
    attractions or trailheads alone.

    GEOS 3.11 does not say which cell is whose: a cell is taken as open when it is wider
    than R (every cell reaching farther than R from its site is, and some others), and the
    sites of the open cells are the sites inside their merged region.
    """
    return f"""{_sites_cte(query, params)},
    diagram AS MATERIALIZED (
        -- One diagram for every analysed territory: a site's cell is the same whichever
        -- territory it reaches into, and neighbours share the sites along their border.
        SELECT s.g AS sites, CASE
            WHEN s.g IS NULL THEN NULL
            -- GEOS draws no cell around a lone site: its cell is everything.
            WHEN ST_XMin(s.g) = ST_XMax(s.g) AND ST_YMin(s.g) = ST_YMax(s.g)
                THEN ST_Envelope(ST_Collect(s.g, (SELECT ST_Collect(g) FROM territory)))
            ELSE ST_VoronoiPolygons(s.g, 0, (SELECT ST_Collect(g) FROM territory)) END
            AS cells
        FROM site s
    ),
    wide_cell AS MATERIALIZED (
        -- The tests go from the cheapest (the bounding box) to the dearest.
        SELECT c.geom FROM diagram d CROSS JOIN LATERAL ST_Dump(d.cells) c
        WHERE ST_Length(ST_BoundingDiagonal(c.geom)) > %(r)s
          AND ST_MaxDistance(c.geom, c.geom) > %(r)s
    ),
    open_region AS MATERIALIZED (
        SELECT t.partner_id, ST_Buffer(ST_Collect(c.geom), 0) AS g
        FROM territory t JOIN wide_cell c ON ST_Intersects(c.geom, t.g)
        GROUP BY t.partner_id
    ),
    open_reach AS MATERIALIZED (
        -- Found in the merged region, as GEOS would merge the loose cells again. In its
        -- own cell a site is the nearest: there, what no open site reaches, no site
        -- reaches.
        SELECT o.partner_id, ST_Union(ST_Translate(disc.g, ST_X(p.geom), ST_Y(p.geom))) AS g
        FROM open_region o CROSS JOIN diagram d
        CROSS JOIN LATERAL ST_Dump(ST_Intersection(d.sites, o.g)) p
        CROSS JOIN {DISC}
        GROUP BY o.partner_id
    ),
    beyond AS MATERIALIZED (
        SELECT o.partner_id, CASE WHEN r.g IS NULL THEN o.g ELSE ST_Difference(o.g, r.g) END
                   AS g
        FROM open_region o LEFT JOIN open_reach r USING (partner_id)
    )"""


def coverage_gaps(query: CoverageQuery, lang: str, *, geometry: bool = False,
                  reach: bool = False, kept: bool | None = None) -> Gaps:
    """The gaps of each analysed territory, largest first, and the gap km² of each area.

    ``geometry`` adds the gaps' outlines, ``reach`` each territory's part within reach
    (both GeoJSON, lon/lat, polygons counter-clockwise). ``kept`` chooses the kept
    diagram of the sites (``planner.services``) or one drawn for this query; by default
    the kept one whenever the query counts every site it holds.
    """
    params: list = []
    area = area_cte(query, lang, params, lonlat=False, clip=False)
    if kept is None:
        kept = uses_kept_diagram(query)
    if kept:
        no_sites = "FALSE" if services.site_diagram_update().sites else "TRUE"
        beyond_sql = KEPT_BEYOND
    else:
        no_sites = "(SELECT sites FROM diagram) IS NULL"
        beyond_sql = _drawn_beyond_sql(query, params)
    shape = geojson("g.outline") if geometry else "NULL::json"
    # The reach is the partner's boundary less the gaps as published: the two share the
    # territory exactly, in the coordinates a client gets.
    reach_shape = geojson(
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
    {beyond_sql},
    {_routes_cte(query)},
    gap_region AS MATERIALIZED (
        SELECT t.partner_id, t.partner, t.boundary, CASE
            WHEN {no_sites} THEN t.g
            WHEN b.g IS NULL THEN NULL
            ELSE ST_Intersection(t.g, b.g) END AS g
        FROM territory t LEFT JOIN beyond b USING (partner_id)
    ),
    gap AS MATERIALIZED (
        SELECT r.partner_id, r.partner, d.geom AS g, ST_Area(d.geom) AS area,
               {lonlat("d.geom", "r.boundary") if geometry or reach else "NULL::geometry"}
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
           -- A sub-area the gap overlaps, not one it only touches along a border; one
           -- without a name is named by its key, as in the sub-areas' table.
           COALESCE((SELECT json_agg(json_build_object('key', s.key,
                                                       'name', COALESCE(s.name, s.key))
                                     ORDER BY COALESCE(s.name, s.key), s.key)
                     FROM area_laea s WHERE s.level = 'sub_area'
                     AND s.partner_id = g.partner_id AND s.g_laea && g.g
                     AND ST_Relate(s.g_laea, g.g, 'T********')),
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
    text, values = named(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(text, {**values, "r": query.radius_m,
                              "disc": query.radius_m * DISC_FACTOR,
                              "band": route_band_m(query.radius_m),
                              "sliver": smallest_gap_m2(query.radius_m)})
        rows = cursor.fetchall()
    result = Gaps(gaps=[], gap_km2={}, reach={})
    for kind, key, rank, km2, centre, touches, outline in rows:
        if kind == "area":
            result.gap_km2[key] = km2
        elif kind == "reach":
            result.reach[key] = loads(outline)
        else:
            point = loads(centre)["coordinates"]
            result.gaps.append(Gap(
                partner=key, rank=rank, area_km2=km2, centre=(point[0], point[1]),
                touches=loads(touches), geometry=loads(outline) if outline else None))
    return result
