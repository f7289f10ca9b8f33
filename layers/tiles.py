"""Mapbox vector tiles built by PostGIS (ST_AsMVT), and their TileJSON.

/tiles/{collection}/{z}/{x}/{y}.mvt has a layer per kind ("attractions",
"trails") with properties in the requested language. Tiles are never stale:
their ETag is the version of the data (a counter every write bumps, in the
writing transaction), so a client revalidates and gets the new tile right after
an import or an edit.
"""

from __future__ import annotations

import hashlib

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from geo.crs import WEB_MERCATOR, WGS84
from geo.params import parse_lang
from layers import registry
from layers.ogc.catalogue import find_collection
from layers.params import FeatureFilters
from layers.selectors import conditions, extent, translated

MVT = "application/vnd.mapbox-vector-tile"
EXTENT, BUFFER, MAX_ZOOM = 4096, 64, 20
COMMON_TILE_FIELDS = {"id": "String", "partner": "String", "layer": "String",
                      "name": "String"}


def tile_fields(name: str) -> dict[str, str]:
    """The fields (TileJSON vector_layers) of kind ``name``'s layer of a tile."""
    kind = registry.kind(name)
    common = {k: v for k, v in COMMON_TILE_FIELDS.items() if k != "layer" or kind.layered}
    return {**common, **{key: mvt for key, _sql, mvt in kind.tile_properties}}


def _kind_tile(kind_name: str, layer: str | None, lang: str, z: int, x: int,
               y: int) -> tuple[str, list] | None:
    """The SQL (and its parameters) of one kind's layer of the tile."""
    kind = registry.kind(kind_name)
    params: list = []
    found = conditions(kind, FeatureFilters(layer=[layer] if layer else []), params)
    if found is None:
        return None
    where, _ = found
    extra = ", ".join(f"{sql} AS {key}" for key, sql, _mvt in kind.tile_properties)
    layer_column = ", l.slug AS layer" if kind.layered else ""
    return f"""
        SELECT ST_AsMVT(t.*, '{kind_name}s', {EXTENT}, 'geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(ST_Force2D(x.{kind.geom}), {WEB_MERCATOR}),
                                ST_TileEnvelope({z}, {x}, {y}), {EXTENT}, {BUFFER}, true) AS geom,
                   x.uid::text AS id, {kind.partner_sql} AS partner{layer_column},
                   {translated('x', kind.name_field, lang)} AS name, {extra}
            FROM {kind.table} x {kind.joins()}
            WHERE x.{kind.geom} && ST_Transform(ST_TileEnvelope({z}, {x}, {y},
                                                margin => {BUFFER / EXTENT}), {WGS84})
              AND {where}
        ) AS t WHERE t.geom IS NOT NULL
    """, params


def data_version(kinds: tuple[str, ...]) -> str:
    """Changes whenever a feature of these kinds, or any layer, is written (migration 0006)."""
    tables = [registry.kind(k).table for k in kinds] + ["layers_layer"]
    with connection.cursor() as cur:
        cur.execute("SELECT string_agg(name || ':' || version, ',' ORDER BY name) "
                    "FROM atlas_data_version WHERE name = ANY(%s)", [tables])
        return hashlib.sha1(cur.fetchone()[0].encode()).hexdigest()[:16]


@require_GET
def tile(request: HttpRequest, cid: str, z: int, x: int, y: int) -> HttpResponse:
    lang = parse_lang(request.GET)
    if z > MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise Http404(f"no tile {z}/{x}/{y}: zoom 0 to {MAX_ZOOM}, x and y 0 to 2^zoom - 1")
    c = find_collection(cid, lang)
    etag = f'"{data_version(c.kinds)}-{lang}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = b""
        with connection.cursor() as cur:
            for k in c.kinds:
                found = _kind_tile(k, c.layer, lang, z, x, y)
                if found is None:
                    continue
                # A tile's layers are protobuf messages: concatenated, they make one tile.
                cur.execute(*found)
                chunk = cur.fetchone()[0]
                body += bytes(chunk) if chunk else b""
        response = HttpResponse(body, content_type=MVT)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # keep it, but ask whether it changed
    response["Vary"] = "Accept-Language"
    return response


@require_GET
def tilejson(request: HttpRequest, cid: str) -> HttpResponse:
    lang = parse_lang(request.GET)
    c = find_collection(cid, lang)
    version = data_version(c.kinds)
    template = request.build_absolute_uri(
        reverse("tile", args=[cid, 0, 0, 0])).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    return JsonResponse({
        "tilejson": "3.0.0", "name": c.title, "description": c.description,
        "tiles": [f"{template}?lang={lang}&v={version}"], "minzoom": 0, "maxzoom": MAX_ZOOM,
        "bounds": extent(kinds=list(c.kinds), layer=c.layer) or [-180, -85, 180, 85],
        "attribution": "Regional Tourism Atlas partners",
        "vector_layers": [{"id": f"{k}s", "fields": tile_fields(k)} for k in c.kinds],
    })
