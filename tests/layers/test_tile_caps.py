"""A tile is bounded whatever the layer (Trust D8): before, a z5 tile of a heavy region
held every feature with every vertex (16.5 MB measured)."""

from __future__ import annotations

import math
import re

import numpy as np
import pyogrio
import pytest
import shapely
from django.db import connection

from layers.tiles import CAPPED_HEADER
from layers.vocabulary import LayerKind
from tests.conftest import once_per_module
from tests.factories import make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db

POINTS = 20_000
WEST, EAST = 25.0, 26.0
MAX_BYTES = 60_000
MERCATOR_M_PER_DEGREE = 20037508.34 / 180


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return (int((lon + 180) / 360 * n),
            int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))


def _heavy():
    """20,000 attractions over Stara Zagora, 300 short trails and one walk of 200,000
    vertices across it all (a GPS log every 0.4 m, with a metre of jitter)."""
    sz = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    sites, trails = make_layer(sz), make_layer(sz, kind=LayerKind.TRAILS)
    with connection.cursor() as cur:
        # Scattered by a fixed pseudo-random sequence: the same tile every run.
        cur.execute("""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_en, description,
                category, location, address, website, phone, opening_hours, wheelchair,
                properties, created_at, updated_at)
            SELECT gen_random_uuid(), %s, g::text, '', 'Site ' || g, '', 'museum',
                   ST_SetSRID(ST_MakePoint(%s + (g * 0.6180339887) %% 1.0,
                                           42.2 + 0.5 * ((g * 0.7548776662) %% 1.0)), 4326),
                   '', '', '', '', '', '{}'::jsonb, now(), now()
            FROM generate_series(1, %s) g""", [sites.pk, WEST, POINTS])
        cur.execute("""
            INSERT INTO layers_trail (uid, layer_id, source_id, name, name_en, description,
                activity, difficulty, geom, properties, search, created_at, updated_at)
            SELECT gen_random_uuid(), %s, 'short' || g, '', 'Short ' || g, '', 'hiking', '',
                   ST_SetSRID(ST_Multi(ST_MakeLine(
                       ST_MakePoint(%s + (g * 0.618) %% 1.0, 42.3, 300),
                       ST_MakePoint(%s + (g * 0.618) %% 1.0 + 0.002, 42.31, 310))), 4326),
                   '{}'::jsonb, '', now(), now()
            FROM generate_series(1, 300) g""", [trails.pk, WEST, WEST])
    i = np.arange(200_000, dtype=float)
    walk = np.column_stack([WEST + i * 5e-6, 42.45 + 1e-5 * np.sin(i / 3), 300 + 0 * i])
    return make_trail(trails, walk.tolist(), name_en="The long walk")


_heavy_once = once_per_module(_heavy)  # made once for the module's tests: seconds each


@pytest.fixture
def heavy(_heavy_once, db, settings):
    settings.ATLAS_TILE_MAX_FEATURES = 1000
    settings.ATLAS_TILE_MAX_BYTES = MAX_BYTES
    return _heavy_once


def _read(content: bytes, tmp_path, z: int, x: int, y: int) -> dict[str, tuple[list, np.ndarray]]:
    """Layer -> (names, geometries in web mercator), as GDAL reads the tile."""
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"  # GDAL georeferences z/x/y paths
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    out = {}
    for name, _geom in pyogrio.list_layers(path):
        # CLIP=NO: the features as the tile has them, with the parts in its buffer.
        _meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=name, columns=["name"],
                                                     CLIP="NO")
        out[name] = (fields[0].tolist(), shapely.from_wkb(wkb))
    return out


def test_a_low_zoom_tile_stays_under_its_caps_and_shows_what_matters(client, heavy, tmp_path):
    z = 5
    x, y = _tile_of(25.5, 42.45, z)
    response = client.get(f"/tiles/regional-layer/{z}/{x}/{y}.mvt", {"lang": "en"})
    assert response.status_code == 200
    assert len(response.content) <= MAX_BYTES
    # The attractions over the byte cap before the feature cap: fewer than 1,000 are kept,
    # and the header says how many of how many.
    kept = re.fullmatch(rf"attractions;kept=(\d+);matched={POINTS}", response[CAPPED_HEADER])
    assert kept and 300 < int(kept[1]) < 1000  # every trail fits: they are not named

    layers = _read(response.content, tmp_path, z, x, y)
    names, points = layers["attractions"]
    assert len(names) == int(kept[1])
    # Spread over the region, not the first thousand ids in a corner: each tenth of the
    # region's width has its share.
    lons = shapely.get_x(points) / MERCATOR_M_PER_DEGREE
    counts, _edges = np.histogram(lons, bins=10, range=(WEST, EAST))
    assert counts.min() >= 0.6 * len(names) / 10
    trail_names, lines = layers["trails"]
    assert "The long walk" in trail_names
    walk = lines[trail_names.index("The long walk")]
    assert shapely.get_num_coordinates(walk) < 100  # a line across the tile: a few vertices


def test_capped_trails_keep_the_longest(client, heavy, settings, tmp_path):
    settings.ATLAS_TILE_MAX_FEATURES = 10
    settings.ATLAS_TILE_MAX_BYTES = 10 * MAX_BYTES
    z = 5
    x, y = _tile_of(25.5, 42.45, z)
    response = client.get(f"/tiles/all-trails/{z}/{x}/{y}.mvt", {"lang": "en"})
    assert "trails;kept=10;matched=301" in response[CAPPED_HEADER]
    names, _lines = _read(response.content, tmp_path, z, x, y)["trails"]
    assert len(names) == 10 and "The long walk" in names


def test_a_high_zoom_tile_draws_every_vertex(client, heavy, tmp_path):
    z = 16
    x, y = _tile_of(25.5, 42.45, z)
    response = client.get(f"/tiles/all-trails/{z}/{x}/{y}.mvt", {"lang": "en"})
    assert CAPPED_HEADER not in response
    names, lines = _read(response.content, tmp_path, z, x, y)["trails"]
    drawn = shapely.get_num_coordinates(lines[names.index("The long walk")])
    with connection.cursor() as cur:
        # Every vertex of the walk, to the tile's grid (ST_AsMVTGeom's own rounding, and
        # the vertices it makes redundant); and what the thinned copy would have given.
        cur.execute("""
            SELECT ST_NPoints(ST_AsMVTGeom(ST_Transform(ST_Force2D(g), 3857),
                                           ST_TileEnvelope(%s, %s, %s), 4096, 64, true))
            FROM layers_trail, LATERAL (VALUES (geom), (display_geom)) v(g)
            WHERE id = %s""", [z, x, y, heavy.pk])
        (exact,), (thinned,) = cur.fetchall()
    assert abs(drawn - exact) <= 2 and exact > 5 * thinned  # (2: where it is cut)
