"""OGC items sorted (``sortby``), with chosen properties (``properties``) and without
geometries (``skipGeometry``), compared with an independent sort of the whole GeoJSON."""

from __future__ import annotations

import pytest

from layers.models import Layer
from layers.vocabulary import LayerKind
from tests.factories import make_trail
from tests.layers.test_ogc import make_ogc_world

URL = "/ogc/collections/{}/items"


@pytest.fixture
def world(db):
    make_two_trails_world()


def make_two_trails_world() -> None:
    """The OGC tests' world and two more trails, a long and a short one."""
    make_ogc_world()
    trails = Layer.objects.get(kind=LayerKind.TRAILS)
    make_trail(trails, [(25.50, 42.40), (25.70, 42.50)], name_bg="Дълга", activity="walking")
    make_trail(trails, [(25.60, 42.40), (25.61, 42.40)], name_bg="Къса", activity="cycling")


def _all(client, cid, **params):
    """Every feature of the collection, page by page (5 a page), in the server's order."""
    page = client.get(URL.format(cid), {"limit": 5, **params})
    assert page.status_code == 200, page.content[:300]
    body = page.json()
    out = body["features"]
    while nxt := next((link["href"] for link in body["links"] if link["rel"] == "next"),
                      None):
        body = client.get(nxt).json()
        out += body["features"]
    return out


def test_sortby_length_descending_as_an_independent_sort_gives(client, world):
    everything = client.get(URL.format("all-trails"), {"limit": 100}).json()["features"]
    expected = sorted(everything, key=lambda f: -f["properties"]["length_m"])
    got = _all(client, "all-trails", sortby="-length_m")
    assert [f["id"] for f in got] == [f["id"] for f in expected]
    assert got[0]["properties"]["name_bg"] == "Дълга"


def test_sortby_name_mixes_the_kinds_and_pages_through_all(client, world):
    everything = client.get(URL.format("regional-layer"),
                            {"limit": 100, "lang": "bg"}).json()["features"]
    assert len(everything) == 16
    expected = sorted(everything, key=lambda f: (f["properties"]["name"], f["id"]))
    got = _all(client, "regional-layer", sortby="name", lang="bg")
    assert [f["properties"]["name"] for f in got] == [
        f["properties"]["name"] for f in expected]
    assert len({f["id"] for f in got}) == 16
    # Attractions have no length: after every trail, whichever way.
    by_length = _all(client, "regional-layer", sortby="-length_m,name")
    assert [f["properties"]["kind"] for f in by_length[:3]] == ["trail"] * 3


def test_properties_and_skip_geometry(client, world):
    page = client.get(URL.format("regional-layer"), {"properties": "name,length_m",
                                                      "skipGeometry": "true"}).json()
    assert page["numberReturned"] == 16
    assert all(f["geometry"] is None for f in page["features"])
    assert all(set(f["properties"]) <= {"name", "length_m"} for f in page["features"])
    assert {"name", "length_m"} <= {k for f in page["features"] for k in f["properties"]}


@pytest.mark.parametrize(("params", "param"), [
    ({"sortby": "colour"}, "sortby"), ({"properties": "name,colour"}, "properties"),
    ({"skipGeometry": "perhaps"}, "skipGeometry")])
def test_bad_options_are_a_400_naming_them(client, world, params, param):
    response = client.get(URL.format("regional-layer"), params)
    assert response.status_code == 400
    assert response.json()["description"].startswith(f"{param}: ")


def test_the_rest_lists_sort_too(client, world):
    everything = client.get("/api/trails/", {"limit": 100}).json()["features"]
    expected = sorted(everything, key=lambda f: -f["properties"]["length_m"])
    got = client.get("/api/trails/", {"sortby": "-length_m"}).json()["features"]
    assert [f["id"] for f in got] == [f["id"] for f in expected]
    bad = client.get("/api/regional-layer/", {"sortby": "colour"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "sortby"
