"""Vector tiles from ST_AsMVT: GDAL reads them, and an edit is never hidden by a cache."""

from __future__ import annotations

import math

import pyogrio
import pytest

from layers.models import Attraction
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db
Z = 12


def _tile_of(lon: float, lat: float, z: int = Z) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    forum = make_attraction(make_layer(sz), 25.6264, 42.4271, name_bg="Античен форум",
                            name_en="Antique Forum", category="archaeological_site")
    make_attraction(make_layer(sz), 25.6109, 42.4246, name_bg="Неолитни жилища",
                    category="museum")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.61, 42.42, 200.0), (25.63, 42.43, 260.0)], name_bg="Към Аязмото",
               activity="walking")
    return forum


def _read_tile(content: bytes, tmp_path, x: int, y: int) -> dict[str, list]:
    path = tmp_path / str(Z) / str(x) / f"{y}.pbf"  # GDAL georeferences z/x/y paths
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    out = {}
    for name, _geom in pyogrio.list_layers(path):
        _meta, _fids, _g, fields = pyogrio.raw.read(path, layer=name, columns=["name"])
        out[name] = fields[0].tolist()
    return out


def test_gdal_reads_the_tile_with_names_in_the_language_asked(client, world, tmp_path):
    x, y = _tile_of(25.62, 42.425)
    response = client.get(f"/tiles/regional-layer/{Z}/{x}/{y}.mvt", {"lang": "bg"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = _read_tile(response.content, tmp_path, x, y)
    assert sorted(layers["attractions"]) == ["Античен форум", "Неолитни жилища"]
    assert layers["trails"] == ["Към Аязмото"]


def test_an_edit_changes_the_etag_and_the_tile(client, world, tmp_path):
    x, y = _tile_of(25.62, 42.425)
    url = f"/tiles/all-attractions/{Z}/{x}/{y}.mvt"
    first = client.get(url, {"lang": "en"})
    etag = first["ETag"]
    assert client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Attraction.objects.filter(pk=world.pk).update(name_en="Forum of Augusta Traiana")
    world.refresh_from_db()
    world.save()  # bumps updated_at, as the admin and importers do
    second = client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    assert "Forum of Augusta Traiana" in _read_tile(second.content, tmp_path, x, y)[
        "attractions"]


def test_tilejson_describes_the_tiles(client, world):
    doc = client.get("/tiles/regional-layer.json", {"lang": "el"}).json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["tiles"][0].endswith(".mvt?lang=el&v=" + doc["tiles"][0].split("v=")[1])
    assert "{z}/{x}/{y}.mvt" in doc["tiles"][0]
    assert [v["id"] for v in doc["vector_layers"]] == ["attractions", "trails", "routes",
                                                      "services", "practices"]
    assert doc["bounds"] == pytest.approx([25.61, 42.42, 25.63, 42.43])  # the trail sets it


def test_tiles_outside_the_grid_are_404(client, world):
    assert client.get("/tiles/regional-layer/3/9/1.mvt").status_code == 404
    assert client.get("/tiles/nope/3/1/1.mvt").status_code == 404


@pytest.mark.parametrize(("z", "x", "y"), [(0, 0, 0), (1, 1, 0), (2, 2, 1), (3, 4, 2)])
def test_a_tile_of_the_first_or_last_column_holds_its_features(client, world, tmp_path,
                                                                 z, x, y):
    # Interfaces D2: the tile and its margin, transformed to lon/lat, wrapped round the
    # antimeridian in the first and last columns: 0/0/0 and 1/1/0 were empty. (2/2/1 and
    # 3/4/2 hold Stara Zagora too, away from the world's edges.)
    response = client.get(f"/tiles/regional-layer/{z}/{x}/{y}.mvt", {"lang": "bg"})
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(response.content)
    assert response.content, "an empty tile"
    names = {name: pyogrio.raw.read(path, layer=name, columns=["name"])[3][0].tolist()
             for name, _geom in pyogrio.list_layers(path)}
    # (The 2 km trail is less than a pixel at these zooms: thinned away, as it should.)
    assert sorted(names["attractions"]) == ["Античен форум", "Неолитни жилища"]


def test_a_tile_of_every_kind_is_one_round_trip_with_its_collection_and_version(
        client, world, tmp_path):
    """A tile's cost is its round trips as much as its SQL (issue 20, item 7): the regional
    layer's tile of every kind reads the features, its collection and its data version in
    one round trip, whatever the kinds (it was two); a layer's too, once the process has
    seen its kind. A revalidation reads the version alone first. A layer's unknown slug
    is still a 404, an unpublished one too, seen or not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def round_trips(url: str, **headers) -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"lang": "bg"}, **headers)
        return response, [q["sql"] for q in queries.captured_queries
                          if "ST_AsMVT" in q["sql"] or "atlas_data_version" in q["sql"]
                          or "layers_layer" in q["sql"]]

    x, y = _tile_of(25.62, 42.425)
    response, reads = round_trips(f"/tiles/regional-layer/{Z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert set(_read_tile(response.content, tmp_path, x, y)) == {"attractions", "trails"}
    assert len(reads) == 1, reads
    again, reads = round_trips(f"/tiles/regional-layer/{Z}/{x}/{y}.mvt",
                               HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and len(reads) == 1 and "ST_AsMVT" not in reads[0]
    layer = world.layer
    url = f"/tiles/{layer.slug}/{Z}/{x}/{y}.mvt"
    first, _reads = round_trips(url)
    second, reads = round_trips(url)
    assert first.status_code == second.status_code == 200 and len(reads) == 1
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert client.get(f"/tiles/no-such-layer/{Z}/{x}/{y}.mvt").status_code == 404
    layer.visibility = "private"
    layer.save()
    assert client.get(url).status_code == 404
    layer.visibility = "public"
    layer.save()
    assert client.get(url).status_code == 200


def test_a_filtered_tilejson_is_bounded_by_the_features_it_keeps(client, world):
    """A filtered layer's TileJSON said the whole layer's bounds and centre (a map fitted
    to them showed mostly nothing); now those of the features its tiles draw, and the
    layer's when the filter keeps none."""
    doc = client.get("/tiles/all-attractions.json", {"filter": "category='museum'"}).json()
    assert doc["bounds"] == pytest.approx([25.6109, 42.4246, 25.6109, 42.4246])
    assert doc["center"][:2] == pytest.approx([25.6109, 42.4246])
    everything = client.get("/tiles/all-attractions.json").json()["bounds"]
    assert everything == pytest.approx([25.6109, 42.4246, 25.6264, 42.4271])
    none = client.get("/tiles/all-attractions.json", {"filter": "category='spa'"}).json()
    assert none["bounds"] == pytest.approx(everything)


def test_the_tiles_find_a_fixed_collections_kinds_as_the_catalogue_has_them():
    from layers.ogc.catalogue import fixed_collections, fixed_kinds

    assert {cid: fixed_kinds(cid) for cid in fixed_collections()} == {
        cid: c.kinds for cid, c in fixed_collections().items()}
    assert fixed_kinds("a-layer-slug") is None


def test_a_layer_made_again_as_another_kind_gets_tiles_of_its_new_kind(client, tmp_path):
    """The tiles remember a layer's kind to make its tile in one round trip; a slug that
    now names a layer of another kind gets that kind's tile."""
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    x, y = _tile_of(25.62, 42.425)
    layer = make_layer(sz, slug="sz-things")
    make_attraction(layer, 25.6264, 42.4271, name_bg="Античен форум")
    url = f"/tiles/sz-things/{Z}/{x}/{y}.mvt"
    assert set(_read_tile(client.get(url).content, tmp_path / "a", x, y)) == {"attractions"}
    layer.delete()
    trails = make_layer(sz, slug="sz-things", kind=LayerKind.TRAILS)
    make_trail(trails, [(25.61, 42.42, 200.0), (25.63, 42.43, 260.0)], name_bg="Към Аязмото")
    assert set(_read_tile(client.get(url).content, tmp_path / "b", x, y)) == {"trails"}
