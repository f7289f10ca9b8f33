"""Tile benchmark (issue: API): our /tiles/ endpoint vs the same ST_AsMVT SQL run directly.

Target: at least 0.8× the throughput of the SQL alone, over the tiles of a zoom level
covering 50,000 attractions.

And (Trust D8) the z5 tile of that layer with a trail of a million vertices: its size and
time with the caps and thinning, vs the tile as it was made before them (every feature,
every vertex).
"""

from __future__ import annotations

import math
import time
import urllib.request

from django.db import connection

from geo.crs import WEB_MERCATOR, WGS84
from layers import services
from layers.display import trails_display_refresh
from layers.models import Layer
from layers.tiles import BUFFER, EXTENT, _kind_tile, tile_body
from tests.bench.api import SLUG, _make_layer, gunicorn

ZOOM = 10
ROUNDS = 3


def _tiles() -> list[tuple[int, int, int]]:
    def tile(lon, lat):
        n = 2**ZOOM
        return (int((lon + 180) / 360 * n),
                int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))

    (x0, y1), (x1, y0) = tile(21.8, 39.3), tile(22.8, 40.0)
    return [(ZOOM, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def run() -> None:
    _make_layer()
    tiles = _tiles()
    sqls = [_kind_tile("attraction", SLUG, "en", z, x, y) for z, x, y in tiles]
    direct = ours = 0.0
    with gunicorn() as base, connection.cursor() as cur:
        urls = [f"{base}/tiles/{SLUG}/{z}/{x}/{y}.mvt?lang=en" for z, x, y in tiles]
        for url in urls[:3]:
            urllib.request.urlopen(url).read()
        # In turns, a round each: whatever else the machine does weighs on both alike.
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            for sql, params in sqls:
                cur.execute(sql, params)
                cur.fetchone()
            t1 = time.perf_counter()
            for url in urls:
                urllib.request.urlopen(url).read()
            direct += t1 - t0
            ours += time.perf_counter() - t1
    n = len(tiles) * ROUNDS
    print(f"\nTiles: {len(tiles)} tiles at zoom {ZOOM} over 50,000 attractions, {ROUNDS} rounds "
          "of each in turns")
    print(f"  our /tiles/ (gunicorn, HTTP)   {n / ours:8.1f} tiles/s")
    print(f"  the ST_AsMVT SQL directly      {n / direct:8.1f} tiles/s   ratio "
          f"{direct / ours:4.2f} (target ≥ 0.80)")
    _heavy_z5()
    Layer.objects.filter(slug=SLUG).delete()


TRAILS = "bench-heavy-trails"
VERTICES = 1_000_000


def _uncapped(table: str, geom: str, z: int, x: int, y: int) -> str:
    """The tile's SQL as it was before the caps: every feature, every vertex."""
    return f"""
        SELECT ST_AsMVT(t.*, '{table}', {EXTENT}, 'geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(ST_Force2D(x.{geom}), {WEB_MERCATOR}),
                                ST_TileEnvelope({z}, {x}, {y}), {EXTENT}, {BUFFER}, true) AS geom,
                   x.uid::text AS id, x.name_en AS name
            FROM {table} x JOIN layers_layer l ON l.id = x.layer_id
            WHERE x.{geom} && ST_Transform(ST_TileEnvelope({z}, {x}, {y},
                                           margin => {BUFFER / EXTENT}), {WGS84})
              AND l.slug IN ('{SLUG}', '{TRAILS}')) t WHERE t.geom IS NOT NULL"""


def _heavy_z5() -> None:
    z, x, y = 5, 17, 12  # all of the layer: Larissa, 21.8-22.8 E, 39.3-40.0 N
    layer = services.layer_upsert(slug=TRAILS, partner=Layer.objects.get(slug=SLUG).partner,
                                  defaults={"kind": "trails", "visibility": "public"})
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO layers_trail (uid, layer_id, source_id, name, name_en, description,
                activity, difficulty, geom, properties, search, created_at, updated_at)
            SELECT gen_random_uuid(), %s, 'walk', '', 'A GPS log', '', 'hiking', '',
                   ST_SetSRID(ST_Multi(ST_MakeLine(array_agg(ST_MakePoint(
                       21.8 + i * 1e-6, 39.6 + 0.1 * sin(i / 50000.0) + 1e-5 * sin(i / 3.0),
                       300) ORDER BY i))), %s), '{}'::jsonb, '', now(), now()
            FROM generate_series(1, %s) i RETURNING id""", [layer.pk, WGS84, VERTICES])
        trails_display_refresh(trail_id=cur.fetchone()[0])
        before, ours = [], []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            old = b""
            for table, geom in (("layers_attraction", "location"), ("layers_trail", "geom")):
                cur.execute(_uncapped(table, geom, z, x, y))
                old += bytes(cur.fetchone()[0] or b"")
            t1 = time.perf_counter()
            new, capped = tile_body(("attraction", "trail"), None, "en", z, x, y)
            before.append(t1 - t0)
            ours.append(time.perf_counter() - t1)
    print(f"\nTile z{z}/{x}/{y}: 50,000 attractions and a trail of {VERTICES:,} vertices, "
          f"{ROUNDS} rounds in turns (medians)")
    print(f"  before the caps (every feature, every vertex) {len(old) / 1e6:7.2f} MB "
          f"{sorted(before)[ROUNDS // 2] * 1000:7.0f} ms")
    print(f"  with the caps and thinning                    {len(new) / 1e6:7.2f} MB "
          f"{sorted(ours)[ROUNDS // 2] * 1000:7.0f} ms   "
          + "; ".join(f"{name}: {kept:,} of {matched:,} kept" for name, kept, matched in capped))
    Layer.objects.filter(slug=TRAILS).delete()
