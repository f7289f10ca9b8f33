"""Bad query parameters are the client's 400, naming the parameter, on every endpoint."""

from __future__ import annotations

import pytest

from layers.vocabulary import LayerKind, Visibility
from tests.factories import make_attraction, make_layer, make_partner

pytestmark = pytest.mark.django_db

LISTS = ["/api/attractions/", "/api/trails/", "/api/regional-layer/", "/api/routes/",
         "/api/regional-layer/export/"]
# Routes have no layer and no updated_since: /api/routes/ refuses them as parameters it
# does not take (test_unknown_parameters), which these tests check on the feature lists.
FEATURE_LISTS = [url for url in LISTS if url != "/api/routes/"]


@pytest.fixture
def world():
    sz = make_partner("stara-zagora")
    make_attraction(make_layer(sz), 25.6264, 42.4271, name_en="Antique Forum")
    make_layer(sz, kind=LayerKind.TRAILS, visibility=Visibility.PRIVATE,
               slug="stara-zagora-drafts")
    return sz


def _bad(client, url: str, query: str, param: str) -> dict:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400, (url, query, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["parameter"] == param, body
    assert body["error"].startswith(f"{param}: ")
    return body


@pytest.mark.parametrize("url", FEATURE_LISTS)
@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "2026-01-01T25:00"])
def test_impossible_dates_are_a_400_naming_updated_since(client, world, url, value):
    body = _bad(client, url, f"updated_since={value}", "updated_since")
    assert value in body["error"]


@pytest.mark.parametrize("url", FEATURE_LISTS)
def test_an_unencoded_plus_in_the_offset_gets_a_hint(client, world, url):
    # "+02:00" unencoded in a URL arrives as " 02:00".
    body = _bad(client, url, "updated_since=2026-01-01T10:00:00+02:00", "updated_since")
    assert "%2B" in body["error"]
    ok = client.get(f"{url}?updated_since=2026-01-01T10:00:00%2B02:00")
    assert ok.status_code == 200


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("param", ["q", "partner", "layer", "bbox", "lang", "format",
                                   "updated_since", "kind", "limit"])
def test_a_nul_character_is_a_400_naming_the_parameter(client, world, url, param):
    body = _bad(client, url, f"{param}=a%00b", param)
    assert "NUL" in body["error"]


@pytest.mark.parametrize("url", ["/api/coverage/", "/api/layers/", "/api/partners/",
                                 "/api/routes/preview/", "/tiles/regional-layer.json",
                                 "/tiles/regional-layer/0/0/0.mvt",
                                 "/api/layers/stara-zagora-attractions/export/"])
def test_nul_is_refused_on_the_other_endpoints_too(client, world, url):
    _bad(client, url, "partner=%00&lang=en", "partner")


@pytest.mark.parametrize("url", ["/ogc/collections/regional-layer/items",
                                 "/ogc/collections/stara-zagora-attractions/items",
                                 "/ogc/collections"])
def test_ogc_refuses_nul_with_an_ogc_exception(client, world, url):
    response = client.get(f"{url}?datetime=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"
    assert response.json()["description"].startswith("datetime: ")


@pytest.mark.parametrize("url", ["/api/attractions/", "/api/regional-layer/",
                                 "/api/regional-layer/export/"])
@pytest.mark.parametrize(("query", "param", "unknown"), [
    ("partner=nope", "partner", "'nope'"),
    ("partner=stara-zagora,nope", "partner", "'nope'"),
    ("layer=nope", "layer", "'nope'"),
    # A private layer is as unknown as a misspelt one: its name says nothing more.
    ("layer=stara-zagora-drafts", "layer", "'stara-zagora-drafts'"),
])
def test_unknown_partner_or_layer_is_a_400_naming_it(client, world, url, query, param,
                                                     unknown):
    body = _bad(client, url, query, param)
    assert unknown in body["error"]


def test_known_partner_and_layer_still_filter(client, world):
    body = client.get("/api/attractions/?partner=stara-zagora"
                      "&layer=stara-zagora-attractions").json()
    assert body["numberMatched"] == 1


def test_unknown_partner_in_ogc_items_is_a_400(client, world):
    for query in ("partner=nope", "layer=nope", "partner=stara-zagora,nope"):
        response = client.get(f"/ogc/collections/all-attractions/items?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"] == "InvalidParameterValue"
        assert "'nope'" in response.json()["description"]


@pytest.mark.parametrize("url", [*LISTS, "/ogc/collections/regional-layer/items"])
def test_a_repeated_single_valued_parameter_is_a_400(client, world, url):
    response = client.get(f"{url}?bbox=25,42,26,43&bbox=0,0,1,1")
    assert response.status_code == 400
    body = response.json()
    assert (body.get("parameter") == "bbox" or body["description"].startswith("bbox: "))


@pytest.mark.parametrize("query", ["partner=nope", "partner=stara-zagora,nope"])
def test_an_unknown_partner_of_the_route_list_is_a_400_naming_it(client, world, query):
    body = _bad(client, "/api/routes/", query, "partner")
    assert "'nope'" in body["error"]
