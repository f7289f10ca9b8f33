"""One feature with every field; the layers, the partners, and extents."""

from __future__ import annotations

import json

from django.db import connection

from layers import registry
from layers.models import BORDER_SLACK_DEG
from layers.params import FeatureFilters
from layers.selectors.kinds import conditions
from layers.selectors.sql import COORD_DECIMALS, all_translations, translated
from layers.vocabulary import Visibility


def feature_detail(*, kind: str, uid: str, lang: str, display: bool = False,
                   unpublished_layers: list[int] | None = None) -> str | None:
    """One public feature with every field, as a GeoJSON Feature text: its whole
    geometry, or (``display``, for its page) the one maps draw (``FeatureKind.drawn``).
    ``unpublished_layers``: ids of layers not yet public whose features the reader sees
    too (layers.permissions.unpublished_layers_seen)."""
    k = registry.kind(kind)
    geometry = k.drawn() if display else f"x.{k.geom}"
    # A page draws a footprint past the vertex cap thinned (layers.display).
    footprint = "COALESCE(x.display_footprint, x.footprint)" if display else "x.footprint"
    # An attraction's practical fields beyond those its kind lists (hours, wheelchair,
    # fee, price: extra_arguments).
    extra = ("'address', x.address, 'website', NULLIF(x.website, ''), "
             "'phone', NULLIF(x.phone, ''), 'email', NULLIF(x.email, ''), "
             "'booking_url', NULLIF(x.booking_url, ''), "
             "'hours_as_given', NULLIF(x.hours_as_given, ''), "
             "'season_months', x.season_months, 'languages', x.languages, "
             f"'accessibility', {translated('x', 'accessibility', lang)}, "
             f"'accessibilities', {all_translations('x', 'accessibility')}, "
             f"'footprint', ST_AsGeoJSON(ST_ForcePolygonCCW({footprint}), 6)::json, "
             if kind == "attraction" else "'min_elevation_m', x.min_elevation_m, "
             "'max_elevation_m', x.max_elevation_m, ")
    sql = f"""
        SELECT json_build_object(
            'type', 'Feature', 'id', x.uid,
            'geometry', ST_AsGeoJSON({geometry}, {COORD_DECIMALS})::json,
            'properties', json_build_object(
                'kind', '{k.name}', 'partner', p.slug, 'layer', l.slug,
                'name', {translated('x', 'name', lang)},
                'description', {translated('x', 'description', lang)},
                'names', {all_translations('x', 'name')},
                'descriptions', {all_translations('x', 'description')},
                {k.extra_arguments()}, {extra}
                'source_id', NULLIF(x.source_id, ''), 'properties', x.properties,
                'created_at', date_trunc('milliseconds', x.created_at),
                'updated_at', date_trunc('milliseconds', x.updated_at),
                'licence', l.licence, 'source', l.source))::text
        FROM {k.table} x
        JOIN layers_layer l ON l.id = x.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        WHERE x.uid = %s AND x.retired_at IS NULL
          AND (l.visibility = '{Visibility.PUBLIC}' OR l.id = ANY(%s))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [uid, unpublished_layers or []])
        row = cursor.fetchone()
    return row[0] if row else None


def layers_list(*, lang: str) -> list[dict]:
    """Public layers with their feature count and extent (lon/lat)."""
    sql = f"""
        SELECT json_build_object(
            'slug', l.slug, 'kind', l.kind, 'partner', p.slug, 'reference', l.reference,
            'title', {translated('l', 'title', lang)},
            'description', {translated('l', 'description', lang)},
            'licence', l.licence, 'source', l.source,
            'updated_at', date_trunc('milliseconds', l.updated_at),
            'feature_count', COALESCE(a.n, 0) + COALESCE(t.n, 0),
            'extent', (SELECT CASE WHEN e IS NULL THEN NULL ELSE json_build_array(
                           round(ST_XMin(e)::numeric, 6), round(ST_YMin(e)::numeric, 6),
                           round(ST_XMax(e)::numeric, 6), round(ST_YMax(e)::numeric, 6))
                       END FROM (SELECT ST_Extent(g) AS e FROM (
                           SELECT location AS g FROM layers_attraction
                           WHERE layer_id = l.id AND retired_at IS NULL
                           UNION ALL SELECT geom FROM layers_trail
                           WHERE layer_id = l.id AND retired_at IS NULL) u) ext))
        FROM layers_layer l
        JOIN layers_partner p ON p.id = l.partner_id
        LEFT JOIN (SELECT layer_id, count(*) n FROM layers_attraction
                   WHERE retired_at IS NULL GROUP BY layer_id) a ON a.layer_id = l.id
        LEFT JOIN (SELECT layer_id, count(*) n FROM layers_trail
                   WHERE retired_at IS NULL GROUP BY layer_id) t ON t.layer_id = l.id
        WHERE l.visibility = '{Visibility.PUBLIC}'
        ORDER BY p.slug, l.slug
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in cursor.fetchall()]


def partners_geojson(*, lang: str) -> str:
    """The partners and their boundaries as an RFC 7946 FeatureCollection.

    Each partner's ``colour`` ("#rrggbb") is the one maps draw it in.
    """
    sql = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features',
                                 COALESCE(json_agg(f.feature ORDER BY f.slug), '[]'::json))::text
        FROM (SELECT p.slug, json_build_object(
            'type', 'Feature', 'id', p.slug,
            'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(p.boundary), 5)::json,
            'properties', json_build_object(
                'slug', p.slug, 'name', {translated('p', 'name', lang)},
                'names', {all_translations('p', 'name')},
                'country', p.country, 'languages', p.languages, 'colour', p.colour,
                'territory', NULLIF(p.territory, ''))
        ) AS feature FROM layers_partner p WHERE NOT p.sandbox) AS f
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def extent(*, kinds: list[str], layer: str | None = None) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the public features of these kinds (and layer)."""
    parts, params = [], []
    for k in kinds:
        kind = registry.kind(k)
        if not kind.layered:
            if not layer:
                parts.append(f"SELECT ST_Force2D(x.{kind.geom}) AS g FROM {kind.table} x "
                             f"WHERE {kind.public_sql()}")
            continue
        cond = "AND l.slug = %s" if layer else ""
        parts.append(f"""SELECT ST_Force2D(x.{kind.geom}) AS g FROM {kind.table} x
            JOIN layers_layer l ON l.id = x.layer_id
            WHERE l.visibility = '{Visibility.PUBLIC}' AND x.retired_at IS NULL {cond}""")
        if layer:
            params.append(layer)
    if not parts:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                       f"(SELECT ST_Extent(g) AS e FROM ({' UNION ALL '.join(parts)}) u) x",
                       params)
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def in_uninviting_territories(layer_id: int) -> dict[str, int]:
    """How many of a layer's current features lie in each other partner's territory
    (more than BORDER_SLACK_DEG inside it, and beyond the layer's partner's own) whose partner has
    not welcomed the layer's partner's public features there (``Partner.welcomes``)."""
    parts = []
    for kind in registry.kinds():
        if kind.layered:
            parts.append(f"""SELECT ST_PointOnSurface(x.{kind.geom}) AS g
                             FROM {kind.table} x
                             WHERE x.layer_id = %(layer)s AND x.retired_at IS NULL""")
    sql = f"""
    WITH me AS MATERIALIZED (
        SELECT p.id, p.boundary FROM layers_layer l
        JOIN layers_partner p ON p.id = l.partner_id WHERE l.id = %(layer)s),
    other AS MATERIALIZED (
        -- Worked out once: the inner part of each territory that has not welcomed them.
        SELECT o.slug, COALESCE(NULLIF(o.name, ''), o.slug) AS name,
               ST_Buffer(o.boundary, -{BORDER_SLACK_DEG}) AS inner_part
        FROM layers_partner o, me
        WHERE o.id <> me.id AND NOT EXISTS (
            SELECT 1 FROM layers_partner_welcomes w
            WHERE w.from_partner_id = o.id AND w.to_partner_id = me.id)),
    f AS ({" UNION ALL ".join(parts)})
    SELECT other.name, count(*)
    FROM other CROSS JOIN me
    JOIN f ON NOT ST_DWithin(me.boundary, f.g, {BORDER_SLACK_DEG})
    WHERE ST_Intersects(other.inner_part, f.g)
    GROUP BY other.slug, other.name ORDER BY other.slug
    """
    with connection.cursor() as cur:
        cur.execute(sql, {"layer": layer_id})
        return dict(cur.fetchall())


def categories_present(*, partner: str | None = None, layer: str | None = None) -> list[str]:
    """The categories of the public features a map shows (``partner``, ``layer``: those
    of an embed or a layer's page), for its category filter and legend.

    Each value of each kind's vocabulary (``FeatureKind.category_values``) is looked up
    by its index until a first public row: some 35 short probes, not a scan of the
    attractions.
    """
    filters = FeatureFilters(partner=partner.split(",") if partner else [],
                             layer=[layer] if layer else [])
    found: list[str] = []
    for kind in registry.kinds():
        if not kind.category_sql or not kind.category_values:
            continue
        params: list = []
        where = conditions(kind, filters, params)
        if where is None:
            continue
        sql = (f"SELECT c FROM unnest(%s::text[]) WITH ORDINALITY v(c, n) WHERE EXISTS "
               f"(SELECT 1 FROM {kind.table} x WHERE {kind.category_sql} = v.c "
               f"AND {where[0]}) ORDER BY n")
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(kind.category_values), *params])
            found.extend(c for (c,) in cursor.fetchall() if c not in found)
    return found
