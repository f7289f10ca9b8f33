"""Read queries. GeoJSON is built by PostgreSQL itself (json_agg), not in Python."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.db import connection
from psycopg.adapt import Loader

from geo.crs import WGS84
from layers.i18n import LANGUAGE_CODES, fallback_chain
from layers.params import BBox, FeatureFilters
from layers.search import q_condition
from layers.vocabulary import Visibility

COORD_DECIMALS = 6  # about 0.1 m: finer than any partner's source data
METRES_PER_DEGREE = 111_320.0


def translated(alias: str, field: str, lang: str) -> str:
    """SQL for ``field`` of table ``alias`` in ``lang`` with the fallback chain.

    Column names come from the fixed language list, never from user input.
    """
    cols = ", ".join(f"NULLIF({alias}.{field}_{code}, '')" for code in fallback_chain(lang))
    return f"COALESCE({cols})"


def _all_translations(alias: str, field: str) -> str:
    return "json_build_object(" + ", ".join(
        f"'{code}', NULLIF({alias}.{field}_{code}, '')" for code in LANGUAGE_CODES) + ")"


def json_members(pairs) -> str:
    """SQL text of JSON object members ``"key":value`` from (key, SQL value) pairs.

    Features are built as text: json_build_object makes a json value of every
    nested object and re-reads ST_AsGeoJSON's text as json, which doubled the
    cost of a page of 1,000 features. ``to_json`` renders each value exactly
    as json_build_object does. A value given as ``(sql, True)`` is JSON text already.
    """
    out = []
    for key, value in pairs:
        expr, is_json = value if isinstance(value, tuple) else (value, False)
        rendered = expr if is_json else f"to_json({expr})::text"
        out.append(f"'{json.dumps(key)}:' || COALESCE({rendered}, 'null')")
    return " || ',' || ".join(out)


def json_object_text(pairs) -> str:
    return f"'{{' || {json_members(pairs)} || '}}'" if pairs else "'{}'"


@dataclass(frozen=True)
class Kind:
    name: str  # "attraction" / "trail"
    table: str
    geom: str
    order: int
    own_filters: tuple[str, ...]  # filters only this kind has
    extra_properties: tuple[tuple[str, str], ...]  # kind-specific (key, SQL value over x)
    # Attractions and trails belong to a layer (``l``) of a partner (``p``); pilot
    # routes belong to no layer and to one or more partners.
    layered: bool = True
    name_field: str = "name"
    description_field: str = "description"

    def joins(self) -> str:
        if not self.layered:
            return ""
        return ("JOIN layers_layer l ON l.id = x.layer_id "
                "JOIN layers_partner p ON p.id = l.partner_id")

    def owners(self) -> str:
        """Columns naming the partner and layer of ``x`` (see ``joins``)."""
        return ", p.slug AS partner_slug, l.slug AS layer_slug" if self.layered else ""

    def extra_arguments(self) -> str:
        """The extra properties as json_build_object arguments."""
        return ", ".join(f"'{key}', {expr}" for key, expr in self.extra_properties)

    def partner_sql(self) -> str:
        return "p.slug" if self.layered else (
            "(SELECT min(p.slug) FROM routes_pilotroute_partners rp JOIN layers_partner p "
            "ON p.id = rp.partner_id WHERE rp.pilotroute_id = x.id)")


KINDS = {
    "attraction": Kind(
        "attraction", "layers_attraction", "location", 0, ("category",),
        (("category", "x.category"),)),
    "trail": Kind(
        "trail", "layers_trail", "geom", 1, ("activity", "difficulty"),
        (("activity", "x.activity"), ("difficulty", "NULLIF(x.difficulty, '')"),
         ("length_m", "round(x.length_m::numeric, 1)"),
         ("ascent_m", "round(x.ascent_m::numeric, 1)"),
         ("descent_m", "round(x.descent_m::numeric, 1)"), ("duration_min", "x.duration_min"),
         ("is_loop", "x.is_loop"))),
    # Published pilot routes (routes/): in the regional layer beside what they visit.
    "route": Kind(
        "route", "routes_pilotroute", "geom", 2, ("difficulty",),
        (("slug", "x.slug"), ("themes", "x.themes"), ("transport_modes", "x.transport_modes"),
         ("difficulty", "NULLIF(x.difficulty, '')"), ("length_m", "round(x.length_m::numeric)"),
         ("ascent_m", "round(x.ascent_m::numeric)"), ("duration_min", "x.duration_min"),
         ("duration_days", "x.duration_days"), ("url", "'/routes/' || x.slug || '/'")),
        layered=False, name_field="title", description_field="summary"),
}
OWN_FILTERS = ("category", "activity", "difficulty")


@dataclass(frozen=True)
class Output:
    """How features are written: CRS of the coordinates, and flat or nested properties.

    OGC API clients (GDAL, QGIS) want one attribute a column: ``flat`` gives
    name_bg … name_en instead of a ``names`` object.
    """

    srid: int = WGS84
    flip: bool = False  # swap to the CRS's own axis order (e.g. lat/lon for EPSG:4326)
    flat: bool = False

    def geometry(self, g: str) -> str:
        expr = g if self.srid == WGS84 else f"ST_Transform({g}, {int(self.srid)})"
        if self.flip:
            expr = f"ST_FlipCoordinates({expr})"
        decimals = COORD_DECIMALS if self.srid == WGS84 else 2  # degrees or metres
        return f"ST_AsGeoJSON({expr}, {decimals})"


RFC7946 = Output()


def near_conditions(g: str, near: tuple[float, float], radius_m: float,
                    params: list) -> tuple[list[str], str]:
    """(WHERE parts, distance SQL) for geometries ``g`` within ``radius_m`` metres of
    ``near`` (lon, lat): a bounding-box test on the GiST index first, then the exact
    distance on the spheroid. The box is generous: a degree of longitude shrinks with
    latitude."""
    lon, lat = near
    point = f"ST_SetSRID(ST_MakePoint({lon!r}, {lat!r}), {WGS84})"
    reach = radius_m / METRES_PER_DEGREE / max(0.1, abs(math.cos(math.radians(lat))))
    params.extend([reach, radius_m])
    return ([f"{g} && ST_Expand({point}, %s)",
             f"ST_DWithin(geography({g}), geography({point}), %s)"],
            f"ST_Distance(geography({g}), geography({point}))")


def route_partner_condition(alias: str) -> str:
    """SQL true when pilot route ``alias`` belongs to one of the partners ``%s`` (slugs)."""
    return ("EXISTS (SELECT 1 FROM routes_pilotroute_partners rp JOIN layers_partner p "
            f"ON p.id = rp.partner_id WHERE rp.pilotroute_id = {alias}.id "
            "AND p.slug = ANY(%s))")


def conditions(kind: Kind, f: FeatureFilters, params: list) -> tuple[str, str] | None:
    """(WHERE clause, distance SQL) over ``x`` (the kind's table).

    None when a filter rules the kind out (``?activity=`` and attractions).
    """
    for name in OWN_FILTERS:
        if getattr(f, name) and name not in kind.own_filters:
            return None
    if kind.layered:
        # The layers are chosen first, once (a handful of rows), so the planner
        # filters the features by an array instead of joining the layers to them.
        chosen = [f"l.visibility = '{Visibility.PUBLIC}'"]
        if not f.layer:
            # A reference layer (sub-areas) is not among the things to visit; asked for by
            # name, it is a layer like any other.
            chosen.append("NOT l.reference")
        for name, column in (("partner", "p.slug"), ("layer", "l.slug")):
            if getattr(f, name):
                chosen.append(f"{column} = ANY(%s)")
                params.append(getattr(f, name))
        where = ["x.layer_id = ANY(ARRAY(SELECT l.id FROM layers_layer l JOIN layers_partner p "
                 f"ON p.id = l.partner_id WHERE {' AND '.join(chosen)}))",
                 "x.retired_at IS NULL"]
    elif f.layer:
        return None  # routes are in no layer
    else:
        where = ["x.status = 'published'"]
    g = f"x.{kind.geom}"
    distance = "NULL::float8"
    if f.bbox:
        where.append(f"{g} && ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})")
        params.extend(f.bbox)
    if f.near:
        near, distance = near_conditions(g, f.near, f.radius_m, params)
        where.extend(near)
    if f.partner and not kind.layered:
        where.append(route_partner_condition("x"))
        params.append(f.partner)
    for name in OWN_FILTERS:
        if getattr(f, name):
            where.append(f"x.{name} = ANY(%s)")
            params.append(getattr(f, name))
    if f.updated_since:
        where.append("x.updated_at >= %s")
        params.append(f.updated_since)
    if f.updated_before:
        where.append("x.updated_at <= %s")
        params.append(f.updated_before)
    if f.uid:
        where.append("x.uid = %s")
        params.append(f.uid)
    if f.q:
        where.append(q_condition("x.search"))
        params.extend([f.q, f.q])
    return " AND ".join(where), distance


def _json_literal(value) -> tuple[str, bool]:
    """A constant as JSON text in SQL (for json_members)."""
    return "'" + json.dumps(value, ensure_ascii=False).replace("'", "''") + "'", True


def _feature_sql(kind: Kind, lang: str, out: Output, near: bool) -> str:
    """SQL text of one GeoJSON Feature over ``x``: a row of the kind's table with
    ``partner_slug`` and ``layer_slug`` (layered kinds) and ``distance``."""
    nf = kind.name_field
    translations = [(code, f"NULLIF(x.{nf}_{code}, '')") for code in LANGUAGE_CODES]
    names = ([(f"name_{code}", expr) for code, expr in translations] if out.flat
             else [("names", (json_object_text(translations), True))])
    properties = [
        ("kind", _json_literal(kind.name)),
        ("partner", "x.partner_slug" if kind.layered else kind.partner_sql()),
        ("layer", "x.layer_slug" if kind.layered else "NULL::text"),
        ("name", translated("x", kind.name_field, lang)),
        ("description", translated("x", kind.description_field, lang)),
        *names, *kind.extra_properties, ("updated_at", "x.updated_at"),
        *([("distance_m", "round(x.distance::numeric, 1)")] if near else []),
    ]
    return ("""'{"type":"Feature","id":"' || x.uid || '","geometry":' || """
            f"COALESCE({out.geometry(f'x.{kind.geom}')}, 'null') || "
            f"""',"properties":' || {json_object_text(properties)} || '}}'""")


def _kind_query(kind: Kind, f: FeatureFilters, params: list) -> str | None:
    """One kind's matching rows (every column, with ``kind_order``, ``kind_rank`` and
    ``distance``), or None if a filter rules the kind out."""
    start = len(params)
    found = conditions(kind, f, params)
    if found is None:
        return None
    where, distance = found
    source = f"{kind.table} x"
    if f.bbox:
        # The box first, on its GiST index: joined to layers straight away, the planner
        # tends to walk the whole layer by its layer_id index instead.
        source = (f"(SELECT * FROM {kind.table} WHERE {kind.geom} && "
                  f"ST_MakeEnvelope(%s, %s, %s, %s, {WGS84}) OFFSET 0) x")
        params[start:start] = list(f.bbox)
    return f"""
        SELECT {kind.order} AS kind_order, x.*, {distance} AS distance,
               row_number() OVER (ORDER BY x.id) AS kind_rank
        FROM {source}
        WHERE {where}
    """


class _Utf8(Loader):
    """Text as PostgreSQL sent it (UTF-8 bytes): a page goes to the client unchanged."""

    def load(self, data) -> bytes:
        return bytes(data)


def features_page(*, kinds: list[str], filters: FeatureFilters, lang: str, limit: int,
                  offset: int, out: Output = RFC7946) -> tuple[bytes, int, int]:
    """One page of features as a JSON array (UTF-8), the number matched and returned.

    Features are built only for the rows of the page, not for every match. The
    array is not decoded into a Python string: a page of 1,000 features is some
    400 kB, which decoding and encoding again cost as much as the rest of the view.
    """
    params: list = []
    found = [(KINDS[k], q) for k in kinds if (q := _kind_query(KINDS[k], filters, params))]
    if not found:
        return b"[]", 0, 0
    near = bool(filters.near)
    if len(found) == 1:
        # One kind: its matching rows are sorted with every column they need, and
        # the page built from them straight away.
        kind, matched = found[0]
        order = "distance, id" if near else "id"
        sql = f"""
            SELECT '[' || COALESCE(string_agg({_feature_sql(kind, lang, out, near)}, ','
                                              ORDER BY x.ord), '') || ']',
                   max(x.total), count(*)
            FROM (SELECT x.*{kind.owners()}
                  FROM (SELECT m.*, count(*) OVER () AS total,
                               row_number() OVER (ORDER BY {order}) AS ord
                        FROM ({matched}) m ORDER BY {order} LIMIT %s OFFSET %s) x
                  {kind.joins()}) x
        """
    else:
        # Kinds interleave (an attraction, a trail, …) so that any page, the first
        # above all, shows every kind's properties: GDAL takes a layer's fields from it.
        order = "distance, kind_order, row_id" if near else "kind_rank, kind_order"
        builds = [f"""
            SELECT pg.ord, {_feature_sql(kind, lang, out, near)} AS feature
            FROM page pg
            JOIN LATERAL (SELECT x.*{kind.owners()}, pg.distance
                          FROM {kind.table} x {kind.joins()} WHERE x.id = pg.row_id) x ON true
            WHERE pg.kind_order = {kind.order}
        """ for kind, _ in found]
        ids = [f"SELECT kind_order, id AS row_id, distance, kind_rank FROM ({matched}) m"
               for _, matched in found]
        sql = f"""
            WITH matched AS ({' UNION ALL '.join(ids)}),
            page AS MATERIALIZED (
                SELECT kind_order, row_id, distance, count(*) OVER () AS total,
                       row_number() OVER (ORDER BY {order}) AS ord
                FROM matched ORDER BY {order} LIMIT %s OFFSET %s),
            features AS ({' UNION ALL '.join(builds)})
            SELECT '[' || COALESCE((SELECT string_agg(feature, ',' ORDER BY ord)
                                    FROM features), '') || ']',
                   (SELECT max(total) FROM page), (SELECT count(*) FROM page)
        """
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("text", _Utf8)
        cursor.execute(sql, [*params, limit, offset])
        features, total, returned = cursor.fetchone()
    if total is None and offset == 0:
        total = 0
    elif total is None:  # past the last page: count what there is
        with connection.cursor() as cursor:
            rows = " UNION ALL ".join(f"SELECT id FROM ({q}) m" for _, q in found)
            cursor.execute(f"SELECT count(*) FROM ({rows}) u", params)
            total = cursor.fetchone()[0]
    return features, total, returned


def feature_detail(*, kind: str, uid: str, lang: str) -> str | None:
    """One public feature with every field, as a GeoJSON Feature text."""
    k = KINDS[kind]
    extra = ("'address', x.address, 'website', NULLIF(x.website, ''), "
             "'phone', NULLIF(x.phone, ''), 'opening_hours', NULLIF(x.opening_hours, ''), "
             "'wheelchair', NULLIF(x.wheelchair, ''), 'fee', x.fee, "
             "'footprint', ST_AsGeoJSON(ST_ForcePolygonCCW(x.footprint), 6)::json, "
             if kind == "attraction" else "'min_elevation_m', x.min_elevation_m, "
             "'max_elevation_m', x.max_elevation_m, ")
    sql = f"""
        SELECT json_build_object(
            'type', 'Feature', 'id', x.uid,
            'geometry', ST_AsGeoJSON(x.{k.geom}, {COORD_DECIMALS})::json,
            'properties', json_build_object(
                'kind', '{k.name}', 'partner', p.slug, 'layer', l.slug,
                'name', {translated('x', 'name', lang)},
                'description', {translated('x', 'description', lang)},
                'names', {_all_translations('x', 'name')},
                'descriptions', {_all_translations('x', 'description')},
                {k.extra_arguments()}, {extra}
                'source_id', NULLIF(x.source_id, ''), 'properties', x.properties,
                'created_at', x.created_at, 'updated_at', x.updated_at,
                'licence', l.licence, 'source', l.source))::text
        FROM {k.table} x
        JOIN layers_layer l ON l.id = x.layer_id
        JOIN layers_partner p ON p.id = l.partner_id
        WHERE x.uid = %s AND l.visibility = '{Visibility.PUBLIC}' AND x.retired_at IS NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [uid])
        row = cursor.fetchone()
    return row[0] if row else None


def layers_list(*, lang: str) -> list[dict]:
    """Public layers with their feature count and extent (lon/lat)."""
    sql = f"""
        SELECT json_build_object(
            'slug', l.slug, 'kind', l.kind, 'partner', p.slug, 'reference', l.reference,
            'title', {translated('l', 'title', lang)},
            'description', {translated('l', 'description', lang)},
            'licence', l.licence, 'source', l.source, 'updated_at', l.updated_at,
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
    """The partners and their boundaries as an RFC 7946 FeatureCollection."""
    sql = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features',
                                 COALESCE(json_agg(f.feature ORDER BY f.slug), '[]'::json))::text
        FROM (SELECT p.slug, json_build_object(
            'type', 'Feature', 'id', p.slug,
            'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(p.boundary), 5)::json,
            'properties', json_build_object(
                'slug', p.slug, 'name', {translated('p', 'name', lang)},
                'names', {_all_translations('p', 'name')},
                'country', p.country, 'languages', p.languages)
        ) AS feature FROM layers_partner p) AS f
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def extent(*, kinds: list[str], layer: str | None = None) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the public features of these kinds (and layer)."""
    parts, params = [], []
    for k in kinds:
        kind = KINDS[k]
        if not kind.layered:
            if not layer:
                parts.append(f"SELECT ST_Force2D(x.{kind.geom}) AS g FROM {kind.table} x "
                             "WHERE x.status = 'published'")
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


def bbox_to_wgs84(bbox: BBox, srid: int, flipped: bool) -> BBox:
    """A bbox given in another CRS (OGC ``bbox-crs``) as lon/lat, by PostGIS."""
    a, b, c, d = bbox
    if flipped:  # the CRS's axis order: (y, x)
        a, b, c, d = b, a, d, c
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT "
                       "ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, %s), %s) AS e) t",
                       [a, b, c, d, srid, WGS84])
        return tuple(cursor.fetchone())
