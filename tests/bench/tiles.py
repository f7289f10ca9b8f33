"""Tile benchmark (issue: API): our /tiles/ endpoint vs the same ST_AsMVT SQL run directly.

Target: at least 0.8× the throughput of the SQL alone, over the tiles of a zoom level
covering 50,000 attractions.
"""

from __future__ import annotations

import math
import time
import urllib.request

from django.db import connection

from layers.models import Layer
from layers.tiles import _kind_tile
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
    Layer.objects.filter(slug=SLUG).delete()
