"""Read queries of pilot routes: lists, detail, attractions along the way, their legs (the
profile: ``routes.profile``).

What the public reads of a route never shows a feature that is not public (Trust D3, D13):
a stop whose attraction's layer is not public is left out, and so is a leg that reaches
such a stop or follows such a trail (its line would draw the stop's place or the trail).
Writes refuse such features already (routes/admin.py, routes/api.py), but a layer may be
made partners-only or private after its features went into a route: the filter is here,
at read time, on the current visibility. See docs/users/routes.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from layers import registry
from layers.search_query import (
    TextQuery,
    known_words,
    parse_text_query,
    text_conditions,
    text_score,
)
from layers.selectors import (
    COORD_DECIMALS,
    METRES_PER_DEGREE,
    all_translations,
    bbox_overlaps,
    near_conditions,
    translated,
)
from layers.selectors.cql import to_sql
from layers.vocabulary import Visibility
from media.selectors import first_photo_sql
from routes.difficulty import difficulty_reason
from routes.feature_kind import in_sandbox, partner_condition
from routes.params import RouteFilters
from routes.vocabulary import PUBLIC_STATUSES, RouteStatus

ALONG_DEFAULT_M = 500.0
ALONG_MAX_M = 5000.0
PUBLIC = f"'{Visibility.PUBLIC}'"


def leg_shown_sql(g: str) -> str:
    """SQL true when leg ``g`` shows nothing unpublished: the attractions of the stops it
    joins and the trail it follows (if any) are in public layers."""
    return f"""(NOT EXISTS (
        SELECT 1 FROM routes_routestop hs JOIN layers_attraction ha ON ha.id = hs.attraction_id
        JOIN layers_layer hl ON hl.id = ha.layer_id
        WHERE hs.route_id = {g}.route_id AND hs."order" IN ({g}."order", {g}."order" + 1)
          AND hl.visibility <> {PUBLIC})
      AND NOT EXISTS (
        SELECT 1 FROM layers_trail ht JOIN layers_layer htl ON htl.id = ht.layer_id
        WHERE ht.id = {g}.trail_id AND htl.visibility <> {PUBLIC}))"""


def route_geom_sql(r: str) -> str:
    """SQL of route ``r``'s line as the public may see it: its stored line, or, when one of
    its legs shows something unpublished, the other legs (in 2D, as a leg may have no Z).
    The stored line leaves those legs out too when it is recomputed; this holds between."""
    return f"""CASE WHEN EXISTS (SELECT 1 FROM routes_routeleg hg WHERE hg.route_id = {r}.id
                             AND NOT {leg_shown_sql('hg')})
        THEN (SELECT ST_Multi(ST_Collect(ST_Force2D(sg.geom) ORDER BY sg."order"))
              FROM routes_routeleg sg WHERE sg.route_id = {r}.id AND sg.geom IS NOT NULL
              AND {leg_shown_sql('sg')})
        ELSE {r}.geom END"""


def hidden_stops(route_id: int) -> set[int]:
    """The orders of the route's stops whose attraction is not public."""
    with connection.cursor() as cursor:
        cursor.execute(f"""SELECT s."order" FROM routes_routestop s
            JOIN layers_attraction a ON a.id = s.attraction_id
            JOIN layers_layer l ON l.id = a.layer_id
            WHERE s.route_id = %s AND l.visibility <> {PUBLIC}""", [route_id])
        return {row[0] for row in cursor.fetchall()}


def hidden_legs(route_id: int) -> set[int]:
    """The orders of the route's legs that the public may not see (``leg_shown_sql``)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT g."order" FROM routes_routeleg g WHERE g.route_id = %s '
                       f"AND NOT {leg_shown_sql('g')}", [route_id])
        return {row[0] for row in cursor.fetchall()}


def _where(f: RouteFilters, params: list,
           text: list[TextQuery] | None = None) -> tuple[str, str]:
    """(WHERE clause over routes ``r``, distance SQL) of the filters; ``text`` receives
    the query ``?q=`` became (for its rank)."""
    start = len(params)
    where = ["r.status = ANY(%s)", f"NOT {in_sandbox('r')}"]
    params.append(f.status or [str(s) for s in PUBLIC_STATUSES])
    if f.bbox:
        overlaps, values = bbox_overlaps("r.geom", f.bbox)
        where.append(overlaps)
        params.extend(values)
    distance = "NULL::float8"
    if f.near:
        near, distance = near_conditions("r.geom", f.near, f.radius_m, params)
        where.extend(near)
    if f.partner:
        where.append(partner_condition("r"))
        params.append(f.partner)
    for name, column in (("theme", "r.themes"), ("mode", "r.transport_modes")):
        if getattr(f, name):
            where.append(f"{column} && %s::varchar[]")
            params.append(getattr(f, name))
    if f.months:
        # An empty season means all year.
        where.append("(r.months = '{}' OR r.months && %s::smallint[])")
        params.append(f.months)
    if f.days:
        where.append("r.duration_days = ANY(%s)")
        params.append(f.days)
    if f.max_hours is not None:
        where.append("r.duration_min <= %s")
        params.append(f.max_hours * 60)
    if f.difficulty:
        where.append("r.difficulty = ANY(%s)")
        params.append(f.difficulty)
    if f.cql is not None:
        # The registry's route kind reads the filter over its table as ``x``.
        cql = to_sql(f.cql, registry.kind("route"), ["route"], params)
        where.append(f"r.id IN (SELECT x.id FROM routes_pilotroute x WHERE {cql})")
    if f.q:
        query = known_words(parse_text_query(f.q), source="routes_pilotroute r",
                            where=" AND ".join(where), where_params=params[start:],
                            search="r.search", category="")
        where.append(text_conditions(query, search="r.search", category="", geom="r.geom",
                                     params=params))
        if text is not None:
            text.append(query)
    return " AND ".join(where), distance


def _properties_sql(lang: str) -> str:
    return f"""json_build_object(
        'kind', 'route', 'slug', r.slug, 'status', r.status,
        'name', {translated('r', 'title', lang)},
        'summary', {translated('r', 'summary', lang)},
        'names', {all_translations('r', 'title')},
        'themes', r.themes, 'months', r.months, 'duration_days', r.duration_days,
        'transport_modes', r.transport_modes,
        'partners', (SELECT json_agg(p.slug ORDER BY p.slug) FROM routes_pilotroute_partners rp
                     JOIN layers_partner p ON p.id = rp.partner_id
                     WHERE rp.pilotroute_id = r.id),
        'length_m', round(r.length_m::numeric), 'ascent_m', round(r.ascent_m::numeric),
        'descent_m', round(r.descent_m::numeric),
        'min_elevation_m', round(r.min_elevation_m::numeric),
        'max_elevation_m', round(r.max_elevation_m::numeric),
        'steepest_grade_pct', round(r.steepest_grade_pct::numeric, 1),
        'moving_min', r.moving_min, 'stops_min', r.stops_min, 'duration_min', r.duration_min,
        'duration_by_mode', r.duration_by_mode,
        'difficulty', NULLIF(r.difficulty, ''), 'difficulty_basis', r.difficulty_basis,
        'stop_count', (SELECT count(*) FROM routes_routestop s
                       JOIN layers_attraction a ON a.id = s.attraction_id
                       JOIN layers_layer l ON l.id = a.layer_id
                       WHERE s.route_id = r.id AND l.visibility = {PUBLIC}),
        -- The card's picture: the first public stop's first photo.
        'photo', (SELECT {first_photo_sql("a.id", "layers", "attraction", "480")}
                  FROM routes_routestop s JOIN layers_attraction a ON a.id = s.attraction_id
                  JOIN layers_layer l ON l.id = a.layer_id
                  WHERE s.route_id = r.id AND l.visibility = {PUBLIC}
                    AND {first_photo_sql("a.id", "layers", "attraction", "480")} IS NOT NULL
                  ORDER BY s.order LIMIT 1),
        'updated_at', date_trunc('milliseconds', r.updated_at))"""


def _decorate(props: dict[str, Any], lang: str,
              request: HttpRequest | None = None) -> dict[str, Any]:
    props["difficulty_reason"] = difficulty_reason(props.pop("difficulty_basis", {}), lang)
    slug = props["slug"]
    links = {"self": reverse("route-detail", args=[slug]),
             "profile": reverse("route-profile", args=[slug]),
             "gpx": reverse("route-export", args=[slug]) + "?format=gpx",
             "kml": reverse("route-export", args=[slug]) + "?format=kml",
             "geojson": reverse("route-export", args=[slug]) + "?format=geojson"}
    if request is not None:
        links = {k: request.build_absolute_uri(v) for k, v in links.items()}
    props["links"] = links
    return props


def routes_page(*, filters: RouteFilters, lang: str, limit: int, offset: int,
                request: HttpRequest | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of public routes as GeoJSON Feature dicts, and the number matched."""
    params: list = []
    asked: list[TextQuery] = []
    where, distance = _where(filters, params, asked)
    ranked: list = []  # the rank's parameters, before the WHERE's
    # With ?q=, the closer matches first (layers/search_query.py).
    rank = (text_score(asked[0], search="r.search", category="", params=ranked) if asked
            else "0")
    order = "score, " + ("distance, r.slug" if filters.near else "r.slug")
    near = (" || jsonb_build_object('distance_m', round(m.distance::numeric, 1))"
            if filters.near else "")
    sql = f"""
        WITH m AS (SELECT r.id, {distance} AS distance, {rank} AS score,
                          count(*) OVER () AS total
                   FROM routes_pilotroute r WHERE {where}
                   ORDER BY {order} LIMIT %s OFFSET %s)
        SELECT json_build_object(
            'type', 'Feature', 'id', r.uid,
            'geometry', ST_AsGeoJSON(ST_Force2D({route_geom_sql('r')}), {COORD_DECIMALS})::json,
            'properties', {_properties_sql(lang)}::jsonb{near})::text, m.total
        FROM m JOIN routes_pilotroute r ON r.id = m.id
        ORDER BY m.score, {"m.distance, r.slug" if filters.near else "r.slug"}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ranked, *params, limit, offset])
        rows = cursor.fetchall()
        if rows:
            total = rows[0][1]
        else:
            cursor.execute(f"SELECT count(*) FROM routes_pilotroute r WHERE {where}", params)
            total = cursor.fetchone()[0]
    features = []
    for text, _total in rows:
        feature = json.loads(text)
        _decorate(feature["properties"], lang, request)
        features.append(feature)
    return features, total


def route_detail(*, slug: str, lang: str, along_m: float | None = ALONG_DEFAULT_M,
                 request: HttpRequest | None = None,
                 drafts: bool = False) -> dict[str, Any] | None:
    """A public route with its stops, legs, metrics and the attractions along the way;
    with ``drafts``, a draft too (for its partners' editors: what they work on)."""
    statuses = [str(s) for s in (RouteStatus if drafts else PUBLIC_STATUSES)]
    sql = f"""
        SELECT r.id, json_build_object(
            'type', 'Feature', 'id', r.uid,
            'geometry', ST_AsGeoJSON({route_geom_sql('r')}, {COORD_DECIMALS})::json,
            'properties', {_properties_sql(lang)}::jsonb || jsonb_build_object(
                'description', {translated('r', 'description', lang)},
                'summaries', {all_translations('r', 'summary')},
                'descriptions', {all_translations('r', 'description')}))::text
        FROM routes_pilotroute r WHERE r.slug = %s AND r.status = ANY(%s)
            AND NOT {in_sandbox('r')}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, statuses])
        row = cursor.fetchone()
        if row is None:
            return None
        route_id, text = row
        feature = json.loads(text)
        props = _decorate(feature["properties"], lang, request)
        cursor.execute(f"""
            SELECT json_agg(json_build_object(
                'order', s.order, 'id', a.uid, 'kind', 'attraction',
                'name', {translated('a', 'name', lang)}, 'category', a.category,
                'partner', p.slug,
                'location', json_build_array(round(ST_X(a.location)::numeric, 6),
                                             round(ST_Y(a.location)::numeric, 6)),
                'suggested_min', s.suggested_min,
                'photo', {first_photo_sql("a.id", "layers", "attraction", "480")},
                'note', {translated('s', 'note', lang)}) ORDER BY s.order)::text
            FROM routes_routestop s JOIN layers_attraction a ON a.id = s.attraction_id
            JOIN layers_layer l ON l.id = a.layer_id JOIN layers_partner p ON p.id = l.partner_id
            WHERE s.route_id = %s AND l.visibility = {PUBLIC}""", [route_id])
        props["stops"] = json.loads(cursor.fetchone()[0] or "[]")
        cursor.execute(f"""
            SELECT json_agg(json_build_object(
                'order', g.order, 'mode', g.mode, 'source', g.source,
                'straight_reason', NULLIF(g.straight_reason, ''),
                'transit_line', NULLIF(g.transit_line, ''),
                'from_stop', g.order, 'to_stop', g.order + 1,
                'trail', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object(
                    'id', t.uid, 'name', {translated('t', 'name', lang)}) END,
                'length_m', round(g.length_m::numeric), 'duration_min', round(g.duration_min),
                'ascent_m', round(g.ascent_m::numeric), 'descent_m', round(g.descent_m::numeric),
                'has_elevation', ST_NDims(g.geom) = 3 OR g.elevations IS NOT NULL,
                'elevation', CASE WHEN ST_NDims(g.geom) = 3 THEN 'all'
                                  WHEN g.elevations IS NOT NULL THEN 'part' ELSE 'none' END
                ) ORDER BY g.order)::text
            FROM routes_routeleg g LEFT JOIN layers_trail t ON t.id = g.trail_id
            WHERE g.route_id = %s AND {leg_shown_sql('g')}""", [route_id])
        props["legs"] = json.loads(cursor.fetchone()[0] or "[]")
    if along_m is not None:  # None: not wanted (downloads)
        props["along_the_way"] = along_the_way(route_id=route_id, within_m=along_m,
                                               lang=lang)
        props["along_within_m"] = along_m
    return feature


def along_the_way(*, route_id: int, within_m: float, lang: str) -> list[dict]:
    """Public attractions within ``within_m`` metres of the route line, in the order one
    meets them along it, each with its distance from the line and its detour (there and
    back). The route's own stops are included and flagged."""
    sql = f"""
        WITH legs AS (
            SELECT g.order, ST_Force2D(g.geom) AS g2, g.length_m,
                   COALESCE(sum(g.length_m) OVER (ORDER BY g.order ROWS BETWEEN UNBOUNDED
                            PRECEDING AND 1 PRECEDING), 0) AS offset_m
            FROM routes_routeleg g WHERE g.route_id = %s AND g.geom IS NOT NULL
              AND {leg_shown_sql('g')}),
        route AS (SELECT ST_Collect(g2) AS g FROM legs)
        SELECT a.uid, {translated('a', 'name', lang)}, a.category, p.slug,
               ST_X(a.location), ST_Y(a.location), best.dist, best.pos,
               EXISTS (SELECT 1 FROM routes_routestop s WHERE s.route_id = %s
                       AND s.attraction_id = a.id)
        FROM route, layers_attraction a
        JOIN layers_layer l ON l.id = a.layer_id JOIN layers_partner p ON p.id = l.partner_id
        CROSS JOIN LATERAL (
            SELECT ST_Distance(geography(legs.g2), geography(a.location)) AS dist,
                   legs.offset_m + ST_LineLocatePoint(legs.g2, a.location) * legs.length_m
                   AS pos
            FROM legs ORDER BY ST_Distance(geography(legs.g2), geography(a.location))
            LIMIT 1) best
        WHERE l.visibility = '{Visibility.PUBLIC}' AND NOT l.reference
          AND a.retired_at IS NULL AND a.location && ST_Expand(route.g, %s)
          AND ST_DWithin(geography(route.g), geography(a.location), %s)
        ORDER BY best.pos, best.dist
    """
    # Degrees to cover within_m anywhere in the partners' latitudes (< 46°N): generous.
    reach = within_m / METRES_PER_DEGREE / math.cos(math.radians(60))
    with connection.cursor() as cursor:
        cursor.execute(sql, [route_id, route_id, reach, within_m])
        rows = cursor.fetchall()
    return [{"id": str(uid), "name": name, "category": category, "partner": partner,
             "location": [round(x, 6), round(y, 6)], "distance_m": round(dist, 1),
             "detour_m": round(2 * dist, 1), "position_m": round(pos, 1), "is_stop": is_stop}
            for uid, name, category, partner, x, y, dist, pos, is_stop in rows]


def leg_coordinates(wkb: bytes, ndims: int, elevations: list[float | None] | None
                    ) -> np.ndarray:
    """A stored leg's (lon, lat[, z]) rows: Z from its line, or from its ``elevations``
    (NaN where it has none) when only part of it has elevation."""
    coords = shapely.get_coordinates(shapely.from_wkb(bytes(wkb)), include_z=ndims == 3)
    if ndims != 3 and elevations and len(elevations) == len(coords):
        z = np.array([np.nan if v is None else v for v in elevations], dtype=float)
        coords = np.column_stack([coords, z])
    return coords


@dataclass
class StoredLeg:
    order: int
    mode: str
    source: str
    coords: np.ndarray  # (lon, lat[, z]); z NaN where the leg has no elevation


def route_legs(route_id: int) -> list[StoredLeg]:
    """The legs the public may see (downloads, profile), in order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT g.\"order\", g.mode, g.source, ST_AsBinary(g.geom), "
                       "ST_NDims(g.geom), g.elevations "
                       "FROM routes_routeleg g WHERE g.route_id = %s AND g.geom IS NOT NULL "
                       f"AND {leg_shown_sql('g')} ORDER BY g.\"order\"", [route_id])
        return [StoredLeg(order, mode, source, leg_coordinates(wkb, ndims, elevations))
                for order, mode, source, wkb, ndims, elevations in cursor.fetchall()]


def route_legs_coords(route_id: int) -> list[tuple[str, np.ndarray]]:
    """Each leg's (mode, coordinates (lon, lat[, z])), in order: the legs the public may
    see (downloads, profile)."""
    return [(leg.mode, leg.coords) for leg in route_legs(route_id)]
