"""The OGC items' ``filter`` on the REST lists, the exports and the vector tiles: the same
CQL2, the same queryables, the same 400s; a filtered export or tile is never the
unfiltered one kept under the same key."""

from __future__ import annotations

import json

import pytest

from tests.layers.test_ogc_items_options import make_two_trails_world
from tests.layers.test_tiles import _read_tile, _tile_of

Z = 9  # one tile holds the whole world of these tests


@pytest.fixture
def world(db):
    make_two_trails_world()


def _ids(body, keep=lambda p: True):
    return sorted(f["id"] for f in body["features"] if keep(f["properties"]))


def _get(client, url, **params):
    response = client.get(url, {"limit": 1000, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.parametrize(("url", "text", "keep"), [
    ("/api/attractions/", "category = 'museum' AND name_en LIKE 'Site 1%'",
     lambda p: p["category"] == "museum" and p["names"]["en"].startswith("Site 1")),
    ("/api/trails/", "length_m > 10000", lambda p: p["length_m"] > 10000),
    ("/api/regional-layer/", "partner = 'larissa' OR length_m < 3000",
     lambda p: p["partner"] == "larissa" or (p.get("length_m") or 10**9) < 3000),
    # Site 1 is 822 m from Site 0 on the spheroid, Site 2 1,644 m.
    ("/api/regional-layer/", "S_DWITHIN(geometry, POINT(25.6 42.42), 1500) AND "
     "kind = 'attraction'",
     lambda p: p["kind"] == "attraction" and p["names"]["en"] in ("Site 0", "Site 1")),
])
def test_the_rest_lists_take_the_filter(client, world, url, text, keep):
    everything = _get(client, url)
    filtered = _get(client, url, filter=text)
    assert _ids(filtered) == _ids(everything, keep)
    assert filtered["numberMatched"] == len(_ids(everything, keep))
    # The same filter on the same kinds' OGC collection gives the same features.
    ogc = {"/api/attractions/": "all-attractions", "/api/trails/": "all-trails",
           "/api/regional-layer/": "regional-layer"}[url]
    assert _ids(_get(client, f"/ogc/collections/{ogc}/items", filter=text)) == _ids(filtered)


def test_a_rest_list_takes_cql2_json_and_another_crs(client, world):
    tree = {"op": "s_intersects", "args": [{"property": "geometry"},
                                           {"bbox": [39.2, 22.0, 40.1, 23.0]}]}
    body = _get(client, "/api/regional-layer/", filter=json.dumps(tree),
                **{"filter-lang": "cql2-json",
                   "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"})
    assert [f["properties"]["partner"] for f in body["features"]] == ["larissa"]


@pytest.mark.parametrize(("url", "text", "said"), [
    ("/api/attractions/", "length_m > 10", "not a queryable"),  # a trail's, not an attraction's
    ("/api/trails/", "partner = ", "not valid cql2-text"),
    ("/api/regional-layer/export/", "kind = 3", "cannot compare"),
    ("/api/layers/stara-zagora-trails/export/", "category = 'museum'", "not a queryable"),
    ("/tiles/regional-layer/0/0/0.mvt", "T_AFTER(name, DATE('2026-01-01'))", "dates and times"),
    ("/tiles/all-trails.json", "colour = 'red'", "not a queryable"),
])
def test_a_bad_filter_is_a_400_naming_filter_everywhere(client, world, url, text, said):
    response = client.get(url, {"filter": text}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["parameter"] == "filter" and said in body["error"], body


def _export(client, url, **params):
    response = client.get(url, {"format": "geojson", **params})
    assert response.status_code == 200, response.content[:300]
    return json.loads(b"".join(response.streaming_content))


def test_the_exports_take_the_filter_and_keep_it_apart(client, world):
    """Exports are kept on disk by what was asked: the filtered one is another file, made
    after the unfiltered one and not taken for it (nor it for the filtered one)."""
    url = "/api/regional-layer/export/"
    whole = _export(client, url)
    long_ones = _export(client, url, filter="length_m > 10000")
    assert len(long_ones["features"]) == 1 < len(whole["features"])
    assert long_ones["features"][0]["properties"]["name_bg"] == "Дълга"
    assert len(_export(client, url)["features"]) == len(whole["features"])
    museums = _export(client, "/api/layers/stara-zagora-attractions/export/",
                      filter="category = 'museum'")
    assert {f["properties"]["category"] for f in museums["features"]} == {"museum"}
    assert len(museums["features"]) == 6


def test_a_filtered_tile_layer(client, world, tmp_path):
    x, y = _tile_of(25.62, 42.425, Z)
    url = f"/tiles/regional-layer/{Z}/{x}/{y}.mvt"
    assert _tile_of(25.5, 42.5, Z) == _tile_of(25.71, 42.4, Z) == (x, y)
    whole = client.get(url, {"lang": "en"})
    museums = client.get(url, {"lang": "en", "filter": "category = 'museum' OR "
                                                       "length_m > 10000"})
    assert museums.status_code == 200
    # Not the unfiltered tile under its key: another ETag, and a client that holds the
    # unfiltered tile is not told it still has the filtered one.
    assert museums["ETag"] != whole["ETag"]
    again = client.get(url, {"lang": "en", "filter": "category = 'museum' OR "
                                                     "length_m > 10000"},
                       HTTP_IF_NONE_MATCH=whole["ETag"])
    assert again.status_code == 200
    assert client.get(url, {"lang": "en", "filter": "category='museum' OR length_m>10000"},
                      HTTP_IF_NONE_MATCH=museums["ETag"]).status_code == 304
    layers = _read_tile(museums.content, tmp_path / "f", x, y)
    assert sorted(layers["attractions"]) == sorted(f"Site {i}" for i in range(1, 12, 2))
    assert len(layers["trails"]) == 1
    unfiltered = _read_tile(whole.content, tmp_path / "u", x, y)
    assert len(unfiltered["attractions"]) > 5 and len(unfiltered["trails"]) == 3


def test_tilejson_of_a_filtered_layer_points_at_filtered_tiles(client, world, tmp_path):
    body = client.get("/tiles/regional-layer.json",
                      {"filter": "partner = 'stara-zagora' AND kind = 'trail'"}).json()
    template = body["tiles"][0]
    assert "filter=" in template and "filter-lang=cql2-json" in template
    x, y = _tile_of(25.62, 42.425, Z)
    tile_url = template.replace("http://testserver", "").replace(
        "{z}", str(Z)).replace("{x}", str(x)).replace("{y}", str(y))
    response = client.get(tile_url)
    assert response.status_code == 200
    layers = _read_tile(response.content, tmp_path, x, y)
    assert "attractions" not in layers and len(layers["trails"]) == 3
