"""The device's reader of the platform's vector tiles (maps/static/offline/mvt.js), run by
node on a tile the platform makes: the same layers, features and places as PostGIS."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from offline.corridor import tile_bytes
from tests.offline.conftest import STOPS
from tests.offline.test_pack import tile_of

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
const fs = require("fs");
const M = require(process.argv[1]);
const layers = M.decode(new Uint8Array(fs.readFileSync(process.argv[2])));
console.log(JSON.stringify(layers.map(l => ({name: l.name, extent: l.extent,
  features: l.features.map(f => ({type: f.type, geometry: f.geometry}))}))));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def test_the_device_reads_the_platform_tiles_layers_and_points(walk, tmp_path):
    z = 15
    x, y = tile_of(STOPS[1][1], STOPS[1][2], z)
    path = tmp_path / "tile.mvt"
    path.write_bytes(tile_bytes(z, x, y, "en"))
    done = subprocess.run(["node", "-e", SCRIPT, str(ROOT / "maps/static/offline/mvt.js"),
                           str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    layers = {layer["name"]: layer for layer in json.loads(done.stdout)}
    assert {"attractions", "routes"} <= set(layers)
    assert layers["routes"]["features"][0]["type"] == 2  # a line
    points = [f["geometry"][0][0] for f in layers["attractions"]["features"]]
    extent = layers["attractions"]["extent"]
    # The stone bridge where the slippy-map formula puts it inside the tile, to a pixel.
    n = 2 ** z
    fx = ((STOPS[1][1] + 180) / 360 * n - x) * extent
    lat = math.radians(STOPS[1][2])
    fy = ((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * n - y) * extent
    assert min(math.dist(p, (fx, fy)) for p in points) < extent / 256
