"""OGC API – Tiles at /ogc/: tile matrix sets, tilesets, tiles — the same tiles as /tiles/,
read by hand and by GDAL's OGCAPI driver."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pyogrio
import pytest
import shapely
from pyproj import Transformer

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db
Z = 12
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
REL_TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"


def _tile_of(lon: float, lat: float, z: int = Z) -> tuple[int, int]:
    n = 2**z
    col = int((lon + 180) / 360 * n)
    row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return col, row


def make_tiles_world() -> None:
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    make_attraction(make_layer(sz, slug="sz-sites"), 25.6264, 42.4271, name_en="Forum",
                    category="archaeological_site")
    make_attraction(make_layer(sz, slug="sz-sites"), 25.6109, 42.4246, name_en="Dwellings",
                    category="museum")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.61, 42.42, 200.0), (25.63, 42.43, 260.0)], name_en="To the spring",
               activity="walking")


@pytest.fixture
def world():
    make_tiles_world()


def _link(doc: dict, rel: str, media: str | None = None) -> str:
    return next(x["href"] for x in doc["links"]
                if x["rel"] == rel and (media is None or x.get("type") == media))


def test_landing_page_and_conformance_announce_the_tiles(client, world):
    landing = client.get("/ogc/").json()
    assert _link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes").endswith(
        "/ogc/tileMatrixSets")
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    for cls in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt"):
        assert TILES + cls in conforms


def test_web_mercator_quad_is_the_ogc_definition(client):
    listed = client.get("/ogc/tileMatrixSets").json()["tileMatrixSets"]
    assert [t["id"] for t in listed] == ["WebMercatorQuad", "WorldCRS84Quad",
                                         "EuropeanETRS89_LAEAQuad"]
    tms = client.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert tms["uri"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    first, last = tms["tileMatrices"][0], tms["tileMatrices"][-1]
    # OGC 17-083r4 annex D.1's figures.
    assert first["scaleDenominator"] == pytest.approx(559082264.028717)
    assert first["cellSize"] == pytest.approx(156543.033928041)
    assert first["pointOfOrigin"] == pytest.approx([-20037508.3427892, 20037508.3427892])
    assert (last["id"], last["matrixWidth"]) == ("24", 2**24)


def test_each_collection_links_its_tilesets_and_their_metadata(client, world):
    collection = client.get("/ogc/collections/sz-sites").json()
    tilesets = client.get(_link(collection, REL_TILESETS, "application/json")).json()
    summary, crs84, _laea = tilesets["tilesets"]
    assert summary["dataType"] == crs84["dataType"] == "vector"
    assert crs84["tileMatrixSetURI"].endswith("/WorldCRS84Quad")
    assert summary["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    tileset = client.get(_link(summary, "self")).json()
    assert _link(tileset, REL_SCHEME).endswith("/ogc/tileMatrixSets/WebMercatorQuad")
    template = _link(tileset, "item", "application/vnd.mapbox-vector-tile")
    assert template.endswith(
        "/ogc/collections/sz-sites/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    [layer] = tileset["layers"]
    assert (layer["id"], layer["minTileMatrix"], layer["maxTileMatrix"]) == (
        "attractions", "0", "20")
    assert {"name", "category"} <= set(layer["propertiesSchema"]["properties"])
    # The limits hold the tiles of the data, at every zoom served.
    limits = {x["tileMatrix"]: x for x in tileset["tileMatrixSetLimits"]}
    assert sorted(limits, key=int) == [str(z) for z in range(21)]
    col, row = _tile_of(25.62, 42.426)
    at = limits[str(Z)]
    assert at["minTileCol"] <= col <= at["maxTileCol"]
    assert at["minTileRow"] <= row <= at["maxTileRow"]
    assert tileset["boundingBox"]["lowerLeft"] == pytest.approx([25.6109, 42.4246])


def test_an_ogc_tile_is_the_tile_of_the_tiles_endpoint(client, world):
    col, row = _tile_of(25.62, 42.426)
    ogc = client.get(f"/ogc/collections/regional-layer/tiles/WebMercatorQuad/{Z}/{row}/{col}",
                     {"lang": "en"})
    plain = client.get(f"/tiles/regional-layer/{Z}/{col}/{row}.mvt", {"lang": "en"})
    assert ogc.status_code == 200
    assert ogc["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert ogc.content == plain.content and b"Forum" in ogc.content
    assert ogc["ETag"] == plain["ETag"]
    again = client.get(f"/ogc/collections/regional-layer/tiles/WebMercatorQuad/{Z}/{row}/{col}",
                       {"lang": "en"}, HTTP_IF_NONE_MATCH=ogc["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(("path", "status", "parameter"), [
    ("WebMercatorQuad/25/0/0", 400, "tileMatrix"),
    ("WebMercatorQuad/-1/0/0", 400, "tileMatrix"),
    ("WebMercatorQuad/x/0/0", 400, "tileMatrix"),
    ("WebMercatorQuad/2/4/0", 400, "tileRow"),
    ("WebMercatorQuad/2/0/4", 400, "tileCol"),
    ("WebMercatorQuad/21/0/0", 404, "21"),
    ("WorldCRS84Quad/2/0/8", 400, "tileCol"),
    ("WorldCRS84Quad/20/0/0", 404, "20"),
    ("EuropeanETRS89_LAEAQuad/16/0/0", 400, "tileMatrix"),
    ("EuropeanWGS84Quad/2/0/0", 404, "EuropeanWGS84Quad"),
    ("EuropeanWGS84Quad", 404, "EuropeanWGS84Quad"),
])
def test_a_tile_outside_the_set_is_an_ogc_error_naming_it(client, world, path, status,
                                                         parameter):
    response = client.get(f"/ogc/collections/regional-layer/tiles/{path}")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == ("InvalidParameterValue" if status == 400 else "NotFound")
    assert parameter in body["description"]


def test_an_unknown_tile_matrix_set_or_collection_is_a_404(client, world):
    assert client.get("/ogc/tileMatrixSets/GNOSISGlobalGrid").json()["code"] == "NotFound"
    assert client.get("/ogc/collections/nope/tiles").status_code == 404
    assert client.get("/ogc/collections/nope/tiles/WebMercatorQuad/0/0/0").status_code == 404


def test_tilejson_gives_a_centre_and_each_layers_zooms(client, world):
    doc = client.get("/tiles/sz-sites.json").json()
    lon, lat, zoom = doc["center"]
    assert (lon, lat) == pytest.approx((25.61865, 42.42585))
    assert 10 <= zoom <= 14
    assert doc["vector_layers"] == [{"id": "attractions", "fields": doc["vector_layers"][0][
        "fields"], "minzoom": 0, "maxzoom": 20}]


READ_WITH_GDAL = """
import json, sys
import pyogrio, shapely
url, layer = sys.argv[1:3]
layers = [name for name, _type in pyogrio.list_layers(url)]
_meta, _fids, geometry, fields = pyogrio.raw.read(
    url, layer=layer, columns=["name"], bbox=(25.60, 42.41, 25.64, 42.44))
points = {n: shapely.from_wkb(g).coords[0] for n, g in zip(fields[0].tolist(), geometry)}
print(json.dumps({"layers": layers, "points": points}))
"""


@pytest.mark.django_db(transaction=True)
def test_gdal_reads_a_collection_through_its_tiles(live_server):
    # pyogrio's own GDAL (3.12), in a process of its own: in this one it would hold the
    # interpreter while waiting for the live server's thread. Debian 12's GDAL 3.6.2 is
    # built without the OGCAPI driver's vector tiles (its CMake asks for the GML driver
    # before defining it).
    make_tiles_world()
    url = f"OGCAPI:{live_server.url}/ogc/collections/regional-layer"
    done = subprocess.run([sys.executable, "-c", READ_WITH_GDAL, url, "Zoom level 14"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    # It takes the lon/lat tiles (WorldCRS84Quad), a layer per tile matrix.
    assert read["layers"] == [f"Zoom level {z}" for z in range(20)]
    assert {"Forum", "Dwellings", "To the spring"} <= set(read["points"])
    # Drawn in a 4096-unit tile 180 / 2^14 degrees wide: within 3e-6 degrees.
    assert read["points"]["Forum"] == pytest.approx([25.6264, 42.4271], abs=3e-6)


def test_tiles_are_cut_in_the_laea_grid_too(client, world, tmp_path):
    tms = client.get("/ogc/tileMatrixSets/EuropeanETRS89_LAEAQuad").json()
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3035"
    assert tms["orderedAxes"] == ["Y", "X"]  # EPSG:3035 is northing first
    first = tms["tileMatrices"][0]
    assert first["pointOfOrigin"] == [5_500_000, 2_000_000]
    assert first["cellSize"] == pytest.approx(17578.125)
    assert len(tms["tileMatrices"]) == 16
    # The tile of level 8 holding the forum, from its EPSG:3035 coordinates.
    x, y = Transformer.from_crs(4326, 3035, always_xy=True).transform(25.6264, 42.4271)
    size = 4_500_000 / 2**8
    col, row = int((x - 2_000_000) / size), int((5_500_000 - y) / size)
    tileset = client.get("/ogc/collections/sz-sites/tiles/EuropeanETRS89_LAEAQuad").json()
    limits = {x["tileMatrix"]: x for x in tileset["tileMatrixSetLimits"]}
    assert (limits["8"]["minTileCol"], limits["8"]["minTileRow"]) == (col, row)
    response = client.get(
        f"/ogc/collections/sz-sites/tiles/EuropeanETRS89_LAEAQuad/8/{row}/{col}")
    assert response.status_code == 200
    path = tmp_path / "tile.mvt"  # not a z/x/y path: GDAL gives the tile's own units
    path.write_bytes(response.content)
    _meta, _fids, geometry, fields = pyogrio.raw.read(path, layer="attractions",
                                                      columns=["name"])
    points = {n: shapely.from_wkb(g).coords[0]
              for n, g in zip(fields[0], geometry, strict=True)}
    # 4096 units a tile side; GDAL counts y up from the tile's bottom.
    expected = ((x - 2_000_000 - col * size) / size * 4096,
                4096 - (5_500_000 - y - row * size) / size * 4096)
    assert points["Forum"] == pytest.approx(expected, abs=1)
