"""One rule for parameters an endpoint does not take (a 400 naming them), and for a
``limit`` above the maximum (capped, with next links that page on) — Interfaces D4, D5."""

from __future__ import annotations

import pytest

from layers.params import MAX_LIMIT
from tests.layers.test_ogc import make_ogc_world


@pytest.fixture
def world(db):
    make_ogc_world()


ENDPOINTS = [
    ("/ogc/collections/regional-layer/items", "q=forum", "q"),
    ("/ogc/collections/regional-layer/items", "sortbee=name", "sortbee"),
    ("/ogc/collections/regional-layer", "bbox=1,2,3,4", "bbox"),
    ("/ogc/collections", "limit=3", "limit"),
    ("/ogc/", "foo=1", "foo"),
    ("/ogc/api", "foo=1", "foo"),
    ("/ogc/collections/regional-layer/schema", "foo=1", "foo"),
    ("/api/regional-layer/", "cql=partner%3D%27drome%27", "cql"),
    ("/api/attractions/", "partners=drome", "partners"),
    ("/api/trails/", "sort=name", "sort"),
    ("/api/layers/", "partner=drome", "partner"),
    ("/api/partners/", "q=x", "q"),
    # An export takes crs= now (tests/layers/test_export_crs.py), not the items' bbox-crs.
    ("/api/regional-layer/export/", "bbox-crs=EPSG:2100", "bbox-crs"),
    ("/tiles/regional-layer.json", "bbox=1,2,3,4", "bbox"),
    ("/tiles/regional-layer/0/0/0.mvt", "layer=x&zz=1", "layer"),
    ("/api/services/", "opening=2027-05-03", "opening"),
    ("/api/practices/", "themes=events", "themes"),
    # Routes and transport ignored them (Trust): ``/api/routes/?category=castle`` gave
    # every route, as if filtered.
    ("/api/routes/", "category=castle", "category"),
    ("/api/routes/", "seasons=summer", "seasons"),
    ("/api/routes/nope/", "alongg=500", "alongg"),
    ("/api/routes/nope/profile/", "lang=en", "lang"),
    ("/api/routes/nope/export/", "bbox-crs=EPSG:2100", "bbox-crs"),
    ("/api/transit/feeds/", "partners=sliven", "partners"),
    ("/api/transit/stops/", "near=26.3,42.7&radious=500", "radious"),
    ("/api/transit/departures/", "feed=sliven/x&stop=1&day=2026-12-05", "day"),
    ("/api/transit/access/", "near=26.3,42.7&when=2026-12-05", "when"),
]


@pytest.mark.parametrize(("url", "query", "param"), ENDPOINTS)
def test_an_unknown_parameter_is_a_400_naming_it(client, world, url, query, param):
    # Before, each was ignored: filter=partner='drome' got all 14 features.
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400, (url, response.content[:200])
    body = response.json()
    if url.startswith("/ogc/"):
        assert body["code"] == "InvalidParameterValue"
        assert body["description"].startswith(f"{param}: ")
    else:
        assert body["parameter"] == param
    text = body.get("description") or body["error"]
    assert "not a parameter of this endpoint" in text


def test_the_refusal_is_in_the_readers_language(client, world):
    body = client.get("/api/regional-layer/?cql=x", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["parameter"] == "cql" and "n’est pas un paramètre" in body["error"]


def test_the_parameters_each_endpoint_documents_are_taken(client, world):
    ok = {
        "/ogc/collections/regional-layer/items": "bbox=20,30,30,50&bbox-crs=http://www.opengis"
        ".net/def/crs/OGC/1.3/CRS84&datetime=../..&limit=5&offset=0&lang=fr&f=json&partner="
        "stara-zagora&category=museum&crs=http://www.opengis.net/def/crs/EPSG/0/3035",
        "/api/regional-layer/": "bbox=20,30,30,50&partner=stara-zagora&kind=attraction&q=obekt"
        "&updated_since=2020-01-01&limit=5&offset=0&lang=bg&category=museum"
        "&filter=kind%3D%27attraction%27&filter-lang=cql2-text&filter-crs=http://www.opengis"
        ".net/def/crs/OGC/1.3/CRS84",
        "/api/regional-layer/export/": "format=csv&partner=stara-zagora&kind=attraction"
        "&filter=kind%3D%27attraction%27",
        "/tiles/regional-layer/0/0/0.mvt": "lang=bg&v=3&filter=kind%3D%27attraction%27",
        "/api/services/": "type=accommodation&open_on=2027-05-03&partner=stara-zagora&q=x"
        "&limit=5&offset=0&lang=bg&sortby=name",
        "/api/practices/": "theme=events&kind=practice&origin=own&partner=stara-zagora&q=x"
        "&limit=5&offset=0&lang=bg&f=json",
    }
    for url, query in ok.items():
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, response.content[:300])


@pytest.mark.parametrize("url", ["/ogc/collections/regional-layer/items",
                                 "/api/regional-layer/"])
def test_a_limit_above_the_maximum_is_capped(client, world, url, settings):
    # Interfaces D5: GDAL's PAGE_SIZE=20000 got a 400, and so nothing.
    response = client.get(url, {"limit": MAX_LIMIT * 2})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["numberReturned"] == 14


@pytest.mark.parametrize("url", ["/ogc/collections/regional-layer/items",
                                 "/api/regional-layer/"])
def test_a_capped_page_links_to_the_next_at_the_capped_limit(client, world, url, monkeypatch):
    # A maximum of 5 for the test: 14 features are three pages of 5, 5 and 4.
    monkeypatch.setattr("layers.ogc.params.MAX_LIMIT", 5)
    monkeypatch.setattr("layers.api.MAX_LIMIT", 5)
    page = client.get(url, {"limit": 1000}).json()
    seen = []
    while True:
        assert page["numberReturned"] == min(5, 14 - len(seen))
        seen += [f["id"] for f in page["features"]]
        nxt = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        if nxt is None:
            break
        assert "limit=5" in nxt
        page = client.get(nxt).json()
    assert len(seen) == len(set(seen)) == 14
