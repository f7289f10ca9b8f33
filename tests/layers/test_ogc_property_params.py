"""Queryables given as parameters of an items request (OGC API – Features Part 1,
7.15.5), compared with an independent filter of the collection's whole GeoJSON."""

from __future__ import annotations

import pytest

from layers.ogc.params import PROPERTY_FILTERS
from tests.layers.test_ogc_items_options import make_two_trails_world

URL = "/ogc/collections/{}/items"


@pytest.fixture
def world(db):
    make_two_trails_world()


def _features(client, cid, **params):
    response = client.get(URL.format(cid), {"limit": 1000, **params})
    assert response.status_code == 200, response.content[:400]
    return response.json()["features"]


def test_a_property_parameter_filters_as_an_equality(client, world):
    everything = _features(client, "all-trails")
    short = next(f for f in everything if f["properties"]["name_bg"] == "Къса")
    by_name = _features(client, "all-trails", name_bg="Къса")
    assert [f["id"] for f in by_name] == [short["id"]]
    # A number compares as a number, whatever the text's form.
    length = short["properties"]["length_m"]
    assert [f["id"] for f in _features(client, "all-trails", length_m=f"{length:.3f}")] == [
        f["id"] for f in everything if f["properties"]["length_m"] == length]


def test_property_parameters_join_the_filter_with_and(client, world):
    everything = _features(client, "all-trails")
    got = _features(client, "all-trails", activity="walking", filter="length_m > 1000")
    assert sorted(f["id"] for f in got) == sorted(
        f["id"] for f in everything if f["properties"]["activity"] == "walking"
        and f["properties"]["length_m"] > 1000) != []
    nothing = _features(client, "all-trails", name_bg="Къса", filter="length_m > 100000")
    assert nothing == []


def test_every_queryable_but_the_time_is_a_parameter(client, world):
    queryables = client.get("/ogc/collections/all-trails/queryables",
                            HTTP_ACCEPT="application/json").json()["properties"]
    # partner, layer, category… were parameters before, with their lists of values.
    for name in set(queryables) - {"geometry", "updated_at", *PROPERTY_FILTERS}:
        value = "true" if queryables[name]["type"] == "boolean" else "1"
        response = client.get(URL.format("all-trails"), {name: value})
        assert response.status_code == 200, (name, response.content[:300])


@pytest.mark.parametrize(("params", "param"), [
    ({"length_m": "long"}, "length_m"),
    ({"length_m": "nan"}, "length_m"),
    ({"name_bg": ["a", "b"]}, "name_bg"),
    # Not a queryable of this collection: still the unknown parameter it always was.
    ({"colour": "red"}, "colour"),
    # A time is asked for with datetime, not as an equality on updated_at.
    ({"updated_at": "2026-01-01T00:00:00Z"}, "updated_at"),
])
def test_a_bad_property_parameter_is_a_400_naming_it(client, world, params, param):
    response = client.get(URL.format("all-trails"), params)
    assert response.status_code == 400
    assert param in response.json()["description"]


def test_the_400_is_in_the_readers_language(client, world):
    response = client.get(URL.format("all-trails"), {"length_m": "дълъг"},
                          HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 400
    assert "очаква се число" in response.json()["description"]
