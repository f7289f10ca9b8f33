"""The tiles of a route's corridor: the platform's vector tiles (layers/tiles.py) that a
band around the route's line touches, zoom 10 to 16, counted and capped (decision 0012)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from geo.crs import WEB_MERCATOR
from layers.ogc.catalogue import REGIONAL_LAYER, find_collection
from layers.tiles import tile_body
from layers.versions import data_version

MIN_ZOOM, MAX_ZOOM = 10, 16
"""Zoom 10 shows a valley; 16, a path's bends and every attraction's point. Below 10 the
route is a few pixels long, above 16 the tiles hold nothing zoom 16 does not."""

HALF_WIDTH_M = 1000.0
"""The corridor reaches this far either side of the line (metres, on the spheroid): a
walker who strays to a spring 800 m off the path still finds it on the saved map."""

COLLECTION = REGIONAL_LAYER
"""Every kind of the registry, in one tile: what the platform's own map layers hold."""

HALF_WORLD_M = 20037508.342789244
"""Half the width of the Web Mercator world (metres): where tile column 0 starts."""

SAMPLE_TILES = 12
"""Tiles made to estimate the corridor's size before a device saves it."""


@dataclass(frozen=True)
class Corridor:
    tiles: list[tuple[int, int, int]]  # (z, x, y), by zoom then x then y
    max_zoom: int  # the highest zoom kept under the cap
    capped: bool  # zooms above max_zoom were left out to stay under the cap
    bounds: tuple[float, float, float, float]  # the band's lon/lat box
    version: str  # the data version the tiles' URLs carry


def max_tiles() -> int:
    return int(getattr(settings, "ATLAS_OFFLINE_MAX_TILES", 3000))


def corridor(geometry: dict[str, Any] | None, *, min_zoom: int = MIN_ZOOM,
             max_zoom: int = MAX_ZOOM, half_width_m: float = HALF_WIDTH_M) -> Corridor:
    """The tiles a band of ``half_width_m`` around ``geometry`` (GeoJSON, WGS 84) touches.

    When they are more than ATLAS_OFFLINE_MAX_TILES, the highest zooms are left out (each
    holds about four times the one below), never a part of the route. A route without a
    line yet (fewer than two stops) has no corridor."""
    kinds = find_collection(COLLECTION, "en").kinds
    if not geometry:
        return Corridor(tiles=[], max_zoom=max_zoom, capped=False, bounds=(0, 0, 0, 0),
                        version=data_version(kinds))
    with connection.cursor() as cur:
        cur.execute(f"""
            WITH band AS (
              SELECT ST_Buffer(ST_GeomFromGeoJSON(%(g)s)::geography, %(w)s)::geometry AS ll),
            c AS (SELECT ST_Transform(ll, {WEB_MERCATOR}) AS g, ll FROM band),
            span AS (
              SELECT z, 2 * {HALF_WORLD_M} / 2 ^ z AS size FROM generate_series(%(z0)s, %(z1)s) z),
            ranges AS (
              SELECT z, floor((ST_XMin(c.g) + {HALF_WORLD_M}) / size)::int AS x0,
                        floor((ST_XMax(c.g) + {HALF_WORLD_M}) / size)::int AS x1,
                        floor(({HALF_WORLD_M} - ST_YMax(c.g)) / size)::int AS y0,
                        floor(({HALF_WORLD_M} - ST_YMin(c.g)) / size)::int AS y1
              FROM span, c)
            SELECT r.z, x, y FROM ranges r, c,
                   generate_series(greatest(r.x0, 0), least(r.x1, 2 ^ r.z - 1)::int) x,
                   generate_series(greatest(r.y0, 0), least(r.y1, 2 ^ r.z - 1)::int) y
            WHERE ST_Intersects(ST_TileEnvelope(r.z, x, y), c.g)
            ORDER BY 1, 2, 3""", {"g": json.dumps(geometry), "w": half_width_m,
                                  "z0": min_zoom, "z1": max_zoom})
        tiles = [(z, x, y) for z, x, y in cur.fetchall()]
        cur.execute("""SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (
            SELECT ST_Buffer(ST_GeomFromGeoJSON(%s)::geography, %s)::geometry AS b) t""",
                    [json.dumps(geometry), half_width_m])
        bounds = tuple(round(v, 6) for v in cur.fetchone())
    kept_zoom, cap = max_zoom, max_tiles()
    while kept_zoom > min_zoom and len(tiles) > cap:
        tiles = [t for t in tiles if t[0] < kept_zoom]
        kept_zoom -= 1
    return Corridor(tiles=tiles, max_zoom=kept_zoom, capped=kept_zoom < max_zoom,
                    bounds=bounds, version=data_version(kinds))


def tile_bytes(z: int, x: int, y: int, lang: str) -> bytes:
    """The tile as /tiles/ answers it (the same layers and caps)."""
    c = find_collection(COLLECTION, lang)
    return tile_body(c.kinds, c.layer, lang, z, x, y)[0]


def estimated_bytes(found: Corridor, lang: str) -> int:
    """The corridor's size, from a few of its tiles made now, spread over the zooms."""
    if not found.tiles:
        return 0
    step = max(1, len(found.tiles) // SAMPLE_TILES)
    sample = found.tiles[::step][:SAMPLE_TILES]
    made = [len(tile_bytes(z, x, y, lang)) for z, x, y in sample]
    return int(sum(made) / len(made) * len(found.tiles))
