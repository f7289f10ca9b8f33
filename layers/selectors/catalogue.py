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


STORED_BY_LAYER = """SELECT layer_id, sum(feature_count)::bigint AS n, min(west) AS w,
                         min(south) AS s, max(east) AS e, max(north) AS nn,
                         min(first_created) AS first, max(last_updated) AS last
                  FROM layers_layerstatistics GROUP BY layer_id"""
"""Each layer's count, extent and dates over its kinds, as the triggers keep them
(``LayerStatistics``): a row or two a layer, whatever the number of features."""


def layers_list(*, lang: str) -> list[dict]:
    """Public layers with their feature count and extent (lon/lat), as kept
    (``LayerStatistics``): the list costs the same at any number of features."""
    sql = f"""
        SELECT json_build_object(
            'slug', l.slug, 'kind', l.kind, 'partner', p.slug, 'reference', l.reference,
            'title', {translated('l', 'title', lang)},
            'description', {translated('l', 'description', lang)},
            'licence', l.licence, 'source', l.source,
            'updated_at', date_trunc('milliseconds', l.updated_at),
            'feature_count', COALESCE(st.n, 0),
            'extent', CASE WHEN st.w IS NULL THEN NULL ELSE json_build_array(
                          round(st.w::numeric, 6), round(st.s::numeric, 6),
                          round(st.e::numeric, 6), round(st.nn::numeric, 6)) END)
        FROM layers_layer l
        JOIN layers_partner p ON p.id = l.partner_id
        LEFT JOIN ({STORED_BY_LAYER}) st ON st.layer_id = l.id
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
    """[minlon, minlat, maxlon, maxlat] of the public features of these kinds (and layer):
    a layered kind's from its layers' kept extents (``LayerStatistics``), the others' (a
    few rows: routes, listings, practices) measured."""
    parts, params = [], []
    for k in kinds:
        kind = registry.kind(k)
        if not kind.layered:
            if not layer:
                parts.append(f"""SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                    FROM (SELECT ST_Extent(x.{kind.geom}) AS e FROM {kind.table} x
                          WHERE {kind.public_sql()}) m""")
            continue
        cond = "AND l.slug = %s" if layer else ""
        parts.append(f"""SELECT s.west, s.south, s.east, s.north
            FROM layers_layerstatistics s JOIN layers_layer l ON l.id = s.layer_id
            WHERE s.kind = %s AND l.visibility = '{Visibility.PUBLIC}' {cond}""")
        params.append(kind.name)
        if layer:
            params.append(layer)
    if not parts:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(w), min(s), max(e), max(n) FROM ("
                       + " UNION ALL ".join(parts) + ") u(w, s, e, n)", params)
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def stored_feature_count(*, kinds: list[str], layer: str | None = None) -> int:
    """How many public features of these kinds (and layer) the lists match without a
    filter: a layered kind's from its layers' kept counts, chosen as the lists choose
    them (``kinds.conditions``: public, no sandbox, a reference layer only by name); the
    others' counted (a few rows)."""
    parts, params = [], []
    for k in kinds:
        kind = registry.kind(k)
        if not kind.layered:
            if not layer:
                parts.append(f"SELECT count(*) FROM {kind.table} x WHERE {kind.public_sql()}")
            continue
        chosen = [f"l.visibility = '{Visibility.PUBLIC}'", "NOT p.sandbox", "s.kind = %s"]
        params.append(kind.name)
        if layer:
            chosen.append("l.slug = %s")
            params.append(layer)
        else:
            chosen.append("NOT l.reference")
        parts.append("SELECT COALESCE(sum(s.feature_count), 0) FROM layers_layerstatistics s "
                     "JOIN layers_layer l ON l.id = s.layer_id "
                     "JOIN layers_partner p ON p.id = l.partner_id WHERE "
                     + " AND ".join(chosen))
    if not parts:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(sum(n), 0)::bigint FROM ("
                       + " UNION ALL ".join(parts) + ") u(n)", params)
        return cursor.fetchone()[0]


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
