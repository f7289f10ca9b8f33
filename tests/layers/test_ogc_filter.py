"""CQL2 filters on OGC items (Features Part 3), each compared with an independent filter
of the whole collection's GeoJSON; the queryables from the feature-kind registry."""

from __future__ import annotations

import json

import pytest

from tests.layers.test_ogc_items_options import make_two_trails_world

URL = "/ogc/collections/regional-layer/items"


@pytest.fixture
def world(db):
    make_two_trails_world()


def _everything(client):
    return client.get(URL, {"limit": 1000}).json()["features"]


def _filtered(client, text, **params):
    response = client.get(URL, {"filter": text, "limit": 1000, **params})
    assert response.status_code == 200, response.content[:400]
    return sorted(f["id"] for f in response.json()["features"])


def _ids(features, keep):
    return sorted(f["id"] for f in features if keep(f["properties"], f["geometry"]))


@pytest.mark.parametrize(("text", "keep"), [
    ("partner='larissa'", lambda p, g: p["partner"] == "larissa"),
    ("partner = 'drome'", lambda p, g: False),
    ("length_m > 10000", lambda p, g: (p.get("length_m") or 0) > 10000),
    ("category IN ('museum', 'archaeological_site')",
     lambda p, g: p.get("category") in ("museum", "archaeological_site")),
    ("name_bg LIKE 'Обект 1%'", lambda p, g: (p.get("name_bg") or "").startswith("Обект 1")),
    ("length_m BETWEEN 500 AND 20000", lambda p, g: 500 <= (p.get("length_m") or -1) <= 20000),
    ("difficulty IS NULL AND kind = 'trail'",
     lambda p, g: p["kind"] == "trail" and p.get("difficulty") is None),
    ("NOT (kind = 'attraction') OR partner = 'larissa'",
     lambda p, g: p["kind"] != "attraction" or p["partner"] == "larissa"),
    ("S_INTERSECTS(geometry, POLYGON((22 39, 23 39, 23 40, 22 40, 22 39)))",
     lambda p, g: g["type"] == "Point" and 22 <= g["coordinates"][0] <= 23),
    ("updated_at > TIMESTAMP('2000-01-01T00:00:00Z')", lambda p, g: True),
])
def test_a_filter_gives_what_an_independent_filter_gives(client, world, text, keep):
    assert _filtered(client, text) == _ids(_everything(client), keep)


def test_a_filter_in_cql2_json(client, world):
    everything = _everything(client)
    box = {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [22, 39, 23, 40]}]}
    assert _filtered(client, json.dumps(box), **{"filter-lang": "cql2-json"}) == _ids(
        everything, lambda p, g: p["partner"] == "larissa")
    within = {"op": "and", "args": [
        {"op": "s_within", "args": [{"property": "geometry"},
                                    {"bbox": [25.5, 42.3, 25.655, 42.5]}]},
        {"op": ">=", "args": [{"property": "name_en"}, "Site 3"]}]}
    assert _filtered(client, json.dumps(within), **{"filter-lang": "cql2-json"}) == _ids(
        everything, lambda p, g: g["type"] == "Point" and g["coordinates"][0] < 25.655
        and g["coordinates"][1] < 42.5 and (p.get("name_en") or "") >= "Site 3")


@pytest.mark.parametrize(("text", "said"), [
    ("colour = 'red'", "not a queryable"), ("partner = ", "not valid cql2-text"),
    ("length_m + 1 > 2", "not supported")])
def test_a_bad_filter_is_a_400_naming_filter(client, world, text, said):
    response = client.get(URL, {"filter": text})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith("filter: ") and said in body["description"]


def test_queryables_come_from_the_registry(client, world):
    response = client.get("/ogc/collections/all-trails/queryables")
    assert response["Content-Type"] == "application/schema+json"
    props = response.json()["properties"]
    assert props["length_m"] == {"type": "number"} and props["activity"] == {"type": "string"}
    assert "category" not in props and "geometry" in props
    regional = client.get("/ogc/collections/regional-layer/queryables").json()["properties"]
    assert {"category", "length_m", "partner", "name", "updated_at"} <= set(regional)
    links = client.get("/ogc/collections/all-trails").json()["links"]
    assert any(link["rel"].endswith("/queryables") for link in links)


def test_a_bad_filter_is_told_in_the_readers_language(client, world):
    body = client.get(URL, {"filter": "length_m + 1 > 2"}, HTTP_ACCEPT_LANGUAGE="el").json()
    assert "δεν υποστηρίζεται" in body["description"]


@pytest.mark.parametrize("text", ["name_bg > 5", "length_m = 'long'", "kind IN ('trail', 3)",
                                  "updated_at > 3", "'a' = 1", "length_m BETWEEN 'a' AND 5"])
def test_a_filter_comparing_unlike_things_is_a_400(client, world, text):
    response = client.get(URL, {"filter": text})
    assert response.status_code == 400, (text, response.content[:300])
    assert response.json()["description"].startswith("filter: ")
