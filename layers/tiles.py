"""Mapbox vector tiles built by PostGIS (ST_AsMVT), and their TileJSON.

/tiles/{collection}/{z}/{x}/{y}.mvt has a layer per kind ("attractions",
"trails") with properties in the requested language. Tiles are never stale:
their ETag is the version of the data (a counter every write bumps, in the
writing transaction), so a client revalidates and gets the new tile right after
an import or an edit.

A tile is bounded whatever the data (Trust D8: a z5 tile of a heavy region was 16.5 MB):
below ``EXACT_ZOOM`` lines are drawn from their display geometry thinned to half a pixel;
each layer holds at most ATLAS_TILE_MAX_FEATURES features (the longest lines, points
spread over the tile) and the tile at most ATLAS_TILE_MAX_BYTES; a tile that left
features out says so in its ``X-Tile-Capped`` header. Tile servers on PostGIS cap a
tile the same way (pg_tileserv's MaxFeaturesPerTile, ldproxy's features per tile).
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from geo.crs import WGS84
from geo.http import read_only
from geo.params import parse_lang, refuse_unknown
from layers import registry, tile_grids
from layers.ogc.catalogue import find_collection, fixed_kinds, layer_kinds
from layers.ogc.filter import CQL_PARAMS, filter_tag, parse_filter
from layers.params import FeatureFilters
from layers.selectors import conditions, extent, translated
from layers.tile_grids import BUFFER, EXTENT, TileGrid
from layers.versions import data_version, version_digest
from layers.vocabulary import Visibility

MVT = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 20
COMMON_TILE_FIELDS = {"id": "String", "partner": "String", "layer": "String",
                      "name": "String"}


def tile_fields(name: str) -> dict[str, str]:
    """The fields (TileJSON vector_layers) of kind ``name``'s layer of a tile."""
    kind = registry.kind(name)
    common = {k: v for k, v in COMMON_TILE_FIELDS.items() if k != "layer" or kind.layered}
    return {**common, **{key: mvt for key, _sql, mvt in kind.tile_properties}}


EXACT_ZOOM = 13
"""From this zoom on, lines are drawn from every vertex (clipped to the tile); below it
from their display geometry, thinned to half a pixel of the tile (Trust D8)."""
SPREAD_CELLS = 32
"""Points past the feature cap are left out evenly: a tile is cut into this many cells a
side, and each cell gives its first point, then its second, … (see ``_kind_tile``)."""


def tile_bounds_lonlat(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The lon/lat box (degrees) of tile z/x/y and its margin (``BUFFER`` of ``EXTENT``),
    which the features it draws must overlap (layers/tile_grids.py)."""
    return tile_grids.WEB_MERCATOR.bounds_lonlat(z, x, y)


def tile_limits() -> tuple[int, int]:
    """(features per layer, bytes per tile) a tile holds at most (the settings)."""
    return int(settings.ATLAS_TILE_MAX_FEATURES), int(settings.ATLAS_TILE_MAX_BYTES)


def _layer_parts(kind_name: str, layer: str | None, lang: str, z: int, x: int, y: int,
                 cql: Any, kinds: tuple[str, ...], grid: TileGrid,
                 ) -> tuple[str, list, str, str, str, str] | None:
    """What both ways of making a kind's layer share: (WHERE over ``x``, its parameters,
    the columns of a feature of the layer, the FROM with its joins, the lon/lat box the
    features must overlap, the capped order), or None when the filters rule the kind out."""
    kind = registry.kind(kind_name)
    params: list = []
    found = conditions(kind, FeatureFilters(layer=[layer] if layer else [], cql=cql,
                                            cql_kinds=kinds), params)
    if found is None:
        return None
    where, _ = found
    extra = ", ".join(f"{sql} AS {key}" for key, sql, _mvt in kind.tile_properties)
    layer_column = ", l.slug AS layer" if kind.layered else ""
    envelope = grid.envelope(z, x, y)
    west, south, east, north = grid.bounds_lonlat(z, x, y)
    near = f"ST_MakeEnvelope({west!r}, {south!r}, {east!r}, {north!r}, {WGS84})"
    if not kind.lines:
        geometry = f"ST_Transform(ST_Force2D(x.{kind.geom}), {grid.srid})"
        cell = grid.width_degrees(z) / SPREAD_CELLS
        order = (f"row_number() OVER (PARTITION BY floor(ST_XMin(x.{kind.geom}) / {cell}), "
                 f"floor(ST_YMin(x.{kind.geom}) / {cell}) ORDER BY x.id), x.id")
    elif grid.web_zoom(z) >= EXACT_ZOOM:
        # Clipped in lon/lat first (the tile is a lon/lat box too): a long line's
        # vertices far from the tile are not projected.
        geometry = (f"ST_Transform(ST_Force2D(ST_ClipByBox2D(x.{kind.geom}, {near})), "
                    f"{grid.srid})")
        order = kind.tile_order
    else:
        geometry = (f"ST_Simplify(ST_Transform(ST_Force2D({kind.drawn()}), {grid.srid}), "
                    f"{grid.half_pixel(z)}, true)")
        order = kind.tile_order
    columns = (f"ST_AsMVTGeom({geometry}, {envelope}, {EXTENT}, {BUFFER}, true) AS geom, "
               f"x.uid::text AS id, {kind.partner_sql} AS partner{layer_column}, "
               f"{translated('x', kind.name_field, lang)} AS name, {extra}")
    where = f"x.{kind.geom} && {near} AND {where}"
    return where, params, columns, f"{kind.table} x {kind.joins()}", near, order


def _kind_tile(kind_name: str, layer: str | None, lang: str, z: int, x: int,
               y: int, limit: int | None = None, cql: Any = None,
               kinds: tuple[str, ...] = (),
               grid: TileGrid = tile_grids.WEB_MERCATOR) -> tuple[str, list] | None:
    """The SQL (and its parameters) of one kind's layer of a capped tile, or None when
    the collection's filters rule the kind out. Its one row: the layer's MVT bytes, the
    number of features in or near the tile, and the number the layer was made of.

    At most ``limit`` features (the setting when None), the most useful first: the
    longest lines (``FeatureKind.tile_order``), points spread over the tile, each
    cell's in id order, so a capped tile still shows every place that has data. Only
    a tile with more features than that is made so (``tile_body``): numbering them and
    reading the kept ones again by id cost twice what the layer itself does.
    """
    parts = _layer_parts(kind_name, layer, lang, z, x, y, cql, kinds, grid)
    if parts is None:
        return None
    where, params, columns, source, _near, order = parts
    kind = registry.kind(kind_name)
    if limit is None:
        limit = tile_limits()[0]
    return f"""
        WITH kept AS MATERIALIZED (
            SELECT x.id, count(*) OVER () AS matched
            FROM {kind.table} x
            WHERE {where}
            ORDER BY {order} LIMIT {int(limit)}
        )
        SELECT (SELECT ST_AsMVT(t.*, '{kind_name}s', {EXTENT}, 'geom') FROM (
                    SELECT {columns}
                    FROM {source}
                    WHERE x.id IN (SELECT id FROM kept)
                ) AS t WHERE t.geom IS NOT NULL),
               COALESCE((SELECT max(matched) FROM kept), 0), (SELECT count(*) FROM kept)
    """, params


def _tile_sql(kinds: tuple[str, ...], layer: str | None, lang: str, z: int, x: int, y: int,
              limit: int, cql: Any, grid: TileGrid) -> tuple[str, list, list[str]]:
    """One statement for every layer of the tile, read in one pass each: per kind the
    filters rule in (the third item, in order), its MVT bytes and the number of features
    in or near the tile — or no bytes when they are more than ``limit``, up to
    ``limit + 1`` counted (that layer is made again by ``_kind_tile``, capped)."""
    selects, params, names = [], [], []
    for i, name in enumerate(kinds):
        parts = _layer_parts(name, layer, lang, z, x, y, cql, kinds, grid)
        if parts is None:
            continue
        where, own, columns, source, _near, order = parts
        kind = registry.kind(name)
        # Lines keep their drawing order (the longest below); points need none.
        ordered = f"ORDER BY {order}" if kind.lines else ""
        selects.append(f"""(SELECT CASE WHEN count(*) <= {int(limit)} THEN
                ST_AsMVT(t.*, '{name}s', {EXTENT}, 'geom') FILTER (WHERE t.geom IS NOT NULL)
                END AS mvt{i}, count(*) AS n{i}
            FROM (SELECT {columns} FROM {source} WHERE {where} {ordered}
                  LIMIT {int(limit) + 1}) t) k{i}""")
        params += own
        names.append(name)
    return "SELECT * FROM " + " CROSS JOIN ".join(selects), params, names


CAPPED_HEADER = "X-Tile-Capped"
"""Says which layers of a tile left features out, as a structured list (RFC 8941):
``attractions;kept=4000;matched=12873``. Clients that need them all ask a higher zoom or
the API's bbox lists."""


def tile_body(kinds: tuple[str, ...], layer: str | None, lang: str, z: int, x: int,
              y: int, cql: Any = None, grid: TileGrid = tile_grids.WEB_MERCATOR,
              ahead: tuple[str, list, list] | None = None,
              ) -> tuple[bytes, list[tuple[str, int, int]]]:
    """The tile's bytes, and its capped layers: (layer name, features kept, matched).

    ``ahead``: (SQL, parameters, a list) of a statement sent before the tile's in the same
    round trip; its rows are put in the list.

    Each kind's layer holds at most the settings' features. When the layers are more
    bytes than a tile may hold, the small ones are kept and the rest of the bytes shared
    equally among the others, each made again with proportionally fewer features (the
    same order, so the first ones stay).
    """
    max_features, max_bytes = tile_limits()
    made: dict[str, tuple[bytes, int, int]] = {}  # kind -> (bytes, matched, kept)
    with connection.cursor() as cur:

        def make(kind: str, limit: int) -> tuple[bytes, int, int]:
            sql, params = _kind_tile(kind, layer, lang, z, x, y, limit=limit, cql=cql,
                                     kinds=kinds, grid=grid) or ("", [])
            cur.execute(sql, params)
            chunk, matched, kept = cur.fetchone()
            return (bytes(chunk) if chunk else b""), matched, kept

        sql, params, names = _tile_sql(kinds, layer, lang, z, x, y, max_features, cql, grid)
        row: tuple = ()
        if ahead is not None:
            # Two statements in one execute (client-side binding): one round trip.
            cur.execute(f"{ahead[0]};\n{sql}" if names else ahead[0],
                        [*ahead[1], *params] if names else ahead[1])
            ahead[2].extend(cur.fetchall())
            if names:
                cur.nextset()
                row = cur.fetchone()
        elif names:
            cur.execute(sql, params)
            row = cur.fetchone()
        for i, k in enumerate(names):
            chunk, matched = row[2 * i], row[2 * i + 1]
            made[k] = ((bytes(chunk) if chunk else b"", matched, matched)
                       if matched <= max_features else make(k, max_features))
        left, over = max_bytes, sorted(made, key=lambda k: len(made[k][0]))
        while over and len(made[over[0]][0]) <= left / len(over):
            left -= len(made[over.pop(0)][0])
        for k in over:
            share = left / len(over)
            for _attempt in range(4):
                data, _matched, kept = made[k]
                if len(data) <= share or kept <= 1:
                    break
                made[k] = make(k, max(1, int(kept * share / len(data) * 0.9)))
    # A tile's layers are protobuf messages: concatenated, they make one tile.
    body = b"".join(made[k][0] for k in kinds if k in made)
    capped = [(f"{k}s", kept, matched) for k in kinds if k in made
              for _data, matched, kept in [made[k]] if matched > kept]
    return body, capped


@read_only
def tile(request: HttpRequest, cid: str, z: int, x: int, y: int) -> HttpResponse:
    return tile_response(request, cid, z, x, y)


def tile_response(request: HttpRequest, cid: str, z: int, x: int, y: int,
                  grid: TileGrid = tile_grids.WEB_MERCATOR) -> HttpResponse:
    """Tile z/x/y of collection ``cid`` cut in ``grid`` (the OGC API's tiles answer
    through here too)."""
    # ``v``: the data version TileJSON puts in the tiles' URL, so that a new version is a
    # new URL for caches that ignore the ETag.
    refuse_unknown(request.GET, {"lang", "v"} | CQL_PARAMS)
    lang = parse_lang(request.GET)
    columns, rows = grid.size(z)
    if z > MAX_ZOOM or not (0 <= x < columns and 0 <= y < rows):
        raise Http404(f"no tile {z}/{x}/{y}: zoom 0 to {MAX_ZOOM}, x and y 0 to 2^zoom - 1")
    made = None
    seen = fixed_kinds(cid) or _kinds_seen.get(cid)
    if seen is not None and "If-None-Match" not in request.headers:
        # Nothing to revalidate: the collection's version is read with the tile, in one
        # round trip (a tile was two: ~0.3 ms of CPU and, under load, a wait for the
        # database as long as the tile's own), made for the kinds this process last saw.
        cql = parse_filter(request.GET, list(seen))
        versions: list = []
        made = tile_body(seen, None if fixed_kinds(cid) else cid, lang, z, x, y, cql=cql,
                         grid=grid, ahead=(*_version_statement(cid), versions))
        kinds, layer, version = _collection_of(cid, versions)
        if kinds != seen:
            made = None
    if made is None:
        kinds, layer, version = _collection_version(cid)
        cql = parse_filter(request.GET, list(kinds))
    # A filtered tile is another tile: its ETag names the filter too.
    etag = (f'"{version}-{lang}-{"-".join(map(str, tile_limits()))}'
            f'{filter_tag(cql)}"')
    if made is None and request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body, capped = made or tile_body(kinds, layer, lang, z, x, y, cql=cql, grid=grid)
        response = HttpResponse(body, content_type=MVT)
        if capped:
            response[CAPPED_HEADER] = ", ".join(
                f"{name};kept={kept};matched={matched}" for name, kept, matched in capped)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # keep it, but ask whether it changed
    response["Vary"] = "Accept-Language"
    return response


_kinds_seen: dict[str, tuple[str, ...]] = {}
"""The kinds of each public layer this process has served tiles of (a layer's kind is
read again with every tile, and a tile made for other kinds is made again)."""


def _version_statement(cid: str) -> tuple[str, list]:
    fixed = fixed_kinds(cid)
    return ("SELECT (SELECT kind FROM layers_layer WHERE slug = %s AND visibility = %s), "
            "name, version FROM atlas_data_version",
            [None if fixed else cid, Visibility.PUBLIC])


def _collection_of(cid: str, rows: list) -> tuple[tuple[str, ...], str | None, str]:
    fixed = fixed_kinds(cid)
    if fixed is not None:
        kinds, layer = fixed, None
    elif rows and rows[0][0] is not None:
        kinds, layer = layer_kinds(rows[0][0]), cid
        _kinds_seen[cid] = kinds
    else:
        _kinds_seen.pop(cid, None)
        raise Http404(f"no collection {cid!r}")
    return kinds, layer, version_digest({name: v for _kind, name, v in rows}, kinds)


def _collection_version(cid: str) -> tuple[tuple[str, ...], str | None, str]:
    """(kinds, layer, data version) of collection ``cid``, in one statement: a tile asks
    on every request, and its SQL is now as cheap as three round trips were."""
    with connection.cursor() as cur:
        cur.execute(*_version_statement(cid))
        rows = cur.fetchall()
    return _collection_of(cid, rows)


@read_only
def tilejson(request: HttpRequest, cid: str) -> HttpResponse:
    refuse_unknown(request.GET, {"lang"} | CQL_PARAMS)
    lang = parse_lang(request.GET)
    c = find_collection(cid, lang)
    cql = parse_filter(request.GET, list(c.kinds))
    version = data_version(c.kinds)
    # A filtered layer's tiles carry its filter, as CQL2 JSON in CRS84 (what it became).
    filtered = "" if cql is None else "&" + urlencode(
        {"filter": json.dumps(cql, separators=(",", ":")), "filter-lang": "cql2-json"})
    template = request.build_absolute_uri(
        reverse("tile", args=[cid, 0, 0, 0])).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    bounds = ((cql is not None and filtered_extent(c.kinds, c.layer, cql))
              or extent(kinds=list(c.kinds), layer=c.layer) or [-180, -85, 180, 85])
    return JsonResponse({
        "tilejson": "3.0.0", "name": c.title, "description": c.description,
        "tiles": [f"{template}?lang={lang}&v={version}{filtered}"], "minzoom": 0,
        "maxzoom": MAX_ZOOM, "bounds": bounds, "center": center(bounds),
        "attribution": "Regional Tourism Atlas partners",
        "vector_layers": [{"id": f"{k}s", "fields": tile_fields(k), "minzoom": 0,
                           "maxzoom": MAX_ZOOM} for k in c.kinds],
    })


def filtered_extent(kinds: tuple[str, ...], layer: str | None, cql: Any) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the features a filtered layer's tiles draw (the
    tiles' own conditions), or None when the filter keeps none: a filtered TileJSON's
    ``bounds`` and ``center`` are then the layer's."""
    parts: list[str] = []
    params: list = []
    for k in kinds:
        kind = registry.kind(k)
        found = conditions(kind, FeatureFilters(layer=[layer] if layer else [], cql=cql,
                                                cql_kinds=kinds), params)
        if found is not None:
            parts.append(f"SELECT ST_Force2D(x.{kind.geom}) AS g FROM {kind.table} x "
                         f"WHERE {found[0]}")
    if not parts:
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                    f"(SELECT ST_Extent(g) AS e FROM ({' UNION ALL '.join(parts)}) u) x",
                    params)
        row = cur.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def center(bounds: list[float]) -> list[float]:
    """TileJSON's ``center``: the middle of ``bounds`` (lon/lat) and the zoom at which
    they fill about a 512-pixel view."""
    west, south, east, north = bounds
    span = max(east - west, (north - south) * 1.5, 1e-6)
    zoom = max(0, min(MAX_ZOOM - 6, math.floor(math.log2(360 * 2 / span))))
    return [round((west + east) / 2, 6), round((south + north) / 2, 6), zoom]
