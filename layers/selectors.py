"""Read queries. Large GeoJSON is built by PostgreSQL itself (json_agg), not in Python."""

from __future__ import annotations

from django.db import connection

from geo.crs import WGS84
from layers.i18n import fallback_chain
from layers.params import BBox
from layers.vocabulary import Visibility

COORD_DECIMALS = 6  # about 0.1 m: finer than any partner's source data


def translated(alias: str, field: str, lang: str) -> str:
    """SQL for ``field`` of table ``alias`` in ``lang`` with the fallback chain.

    Column names come from the fixed language list, never from user input.
    """
    cols = ", ".join(f"NULLIF({alias}.{field}_{code}, '')" for code in fallback_chain(lang))
    return f"COALESCE({cols})"


def _feature_collection(sql_features: str, params: list) -> str:
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features', "
        f"COALESCE(json_agg(f.feature), '[]'::json))::text FROM ({sql_features}) AS f"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def regional_layer_geojson(*, lang: str, bbox: BBox | None = None) -> str:
    """All public attractions and trails of all partners as an RFC 7946 FeatureCollection."""
    env = f"ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})"
    params: list = []
    a_where = t_where = ""
    if bbox:
        a_where, t_where = f"AND a.location && {env}", f"AND t.geom && {env}"
        params = [*bbox, *bbox]
    features = f"""
        SELECT json_build_object(
            'type', 'Feature', 'id', a.uid,
            'geometry', ST_AsGeoJSON(a.location, {COORD_DECIMALS})::json,
            'properties', json_build_object(
                'kind', 'attraction', 'partner', p.slug, 'layer', l.slug,
                'name', {translated('a', 'name', lang)}, 'category', a.category)
        ) AS feature, 0 AS kind_order, a.id AS row_id
        FROM layers_attraction a
        JOIN layers_layer l ON l.id = a.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        WHERE l.visibility = '{Visibility.PUBLIC}' AND a.retired_at IS NULL {a_where}
        UNION ALL
        SELECT json_build_object(
            'type', 'Feature', 'id', t.uid,
            'geometry', ST_AsGeoJSON(t.geom, {COORD_DECIMALS})::json,
            'properties', json_build_object(
                'kind', 'trail', 'partner', p.slug, 'layer', l.slug,
                'name', {translated('t', 'name', lang)}, 'activity', t.activity,
                'difficulty', NULLIF(t.difficulty, ''),
                'length_m', round(t.length_m::numeric, 1),
                'ascent_m', round(t.ascent_m::numeric, 1),
                'duration_min', t.duration_min)
        ), 1, t.id
        FROM layers_trail t
        JOIN layers_layer l ON l.id = t.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        WHERE l.visibility = '{Visibility.PUBLIC}' AND t.retired_at IS NULL {t_where}
        ORDER BY kind_order, row_id
    """
    return _feature_collection(features, params)


def partners_geojson(*, lang: str) -> str:
    """The partners and their boundaries as an RFC 7946 FeatureCollection."""
    features = f"""
        SELECT json_build_object(
            'type', 'Feature', 'id', p.slug,
            'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(p.boundary), 5)::json,
            'properties', json_build_object(
                'slug', p.slug, 'name', {translated('p', 'name', lang)},
                'country', p.country, 'languages', p.languages)
        ) AS feature
        FROM layers_partner p ORDER BY p.slug
    """
    return _feature_collection(features, [])
