"""The GeoJSON API: filters, pages, languages and scripts, details, layers, docs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layers.models import Attraction
from layers.vocabulary import LayerKind, Visibility
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    sz_poi = make_layer(sz)
    lar_poi = make_layer(lar)
    zoo = make_attraction(sz_poi, 25.6124, 42.4381, name_en="Stara Zagora Zoo", category="zoo")
    forum = make_attraction(sz_poi, 25.6264, 42.4271, name_bg="Античен форум",
                            name_en="Antique Forum", category="archaeological_site")
    museum = make_attraction(sz_poi, 25.6109, 42.4246, name_bg="Музей „Неолитни жилища“",
                             name_en="", category="museum")
    theatre = make_attraction(lar_poi, 22.4153, 39.6403, name_el="Αρχαίο Θέατρο Λάρισας",
                              name_en="", category="archaeological_site")
    trail = make_trail(make_layer(sz, kind=LayerKind.TRAILS),
                       [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0)], name_en="To Ayazmoto",
                       activity="walking", difficulty="easy")
    make_attraction(make_layer(sz, visibility=Visibility.PRIVATE, slug="sz-draft"), 25.62, 42.42,
                    name_en="Draft")
    return {"zoo": zoo, "forum": forum, "museum": museum, "theatre": theatre, "trail": trail}


def _names(response):
    assert response.status_code == 200, response.content
    return [f["properties"]["name"] for f in response.json()["features"]]


def test_pages_have_totals_and_links(client, world):
    first = client.get("/api/attractions/", {"limit": 2, "lang": "en"}).json()
    assert first["numberMatched"] == 4 and first["numberReturned"] == 2
    assert first["prev"] is None and "offset=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["numberReturned"] == 2 and second["next"] is None
    assert "offset=0" in second["prev"]
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert len(set(ids)) == 4  # stable order, no feature twice


@pytest.mark.parametrize(("params", "param"), [
    ({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"), ({"near": "25.6"}, "near"), ({"near": "25,42", "radius": 0},
                                                             "radius"),
    ({"radius": 100}, "radius"), ({"category": "castle,spaceport"}, "category"),
    ({"activity": "flying"}, "activity"), ({"updated_since": "yesterday"}, "updated_since"),
    ({"lang": "de"}, "lang"), ({"bbox": "1,2"}, "bbox"), ({"kind": "castle"}, "kind"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, world, params, param):
    response = client.get("/api/regional-layer/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == param and body["error"].startswith(f"{param}: ")


def test_near_orders_by_distance_and_says_it(client, world):
    response = client.get("/api/attractions/", {"near": "25.6264,42.4271", "radius": 3000,
                                                "lang": "en"})
    features = response.json()["features"]
    assert features[0]["properties"]["name"] == "Antique Forum"
    distances = [f["properties"]["distance_m"] for f in features]
    assert distances == sorted(distances) and distances[0] == 0
    assert all(d <= 3000 for d in distances)
    assert "Αρχαίο Θέατρο Λάρισας" not in [f["properties"]["name"] for f in features]


def test_filters_by_partner_layer_category_and_activity(client, world):
    assert _names(client.get("/api/regional-layer/", {"partner": "larissa"})) == [
        "Αρχαίο Θέατρο Λάρισας"]
    assert len(_names(client.get("/api/regional-layer/",
                                 {"layer": "stara-zagora-attractions"}))) == 3
    assert sorted(_names(client.get("/api/regional-layer/", {
        "category": "archaeological_site", "lang": "en"}))) == [
        "Antique Forum", "Αρχαίο Θέατρο Λάρισας"]
    # Attractions have no activity: the filter leaves only trails.
    assert _names(client.get("/api/regional-layer/", {"activity": "walking"})) == [
        "To Ayazmoto"]


def test_the_regional_layer_filters_by_kind_and_counts_only_those(client, world):
    trails = client.get("/api/regional-layer/", {"kind": "trail", "limit": 1}).json()
    assert trails["numberMatched"] == 1
    assert trails["features"][0]["properties"]["name"] == "To Ayazmoto"
    sz = client.get("/api/regional-layer/", {"kind": "attraction,route", "limit": 1,
                                             "partner": "stara-zagora"}).json()
    assert sz["numberMatched"] == 3  # zoo, forum, museum: no trail, no Larissa
    assert client.get("/api/regional-layer/", {"limit": 1}).json()["numberMatched"] == 5


def test_updated_since(client, world):
    Attraction.objects.filter(pk=world["zoo"].pk).update(
        updated_at=timezone.now() - dt.timedelta(days=30))
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    names = _names(client.get("/api/attractions/", {"updated_since": since, "lang": "en"}))
    assert "Stara Zagora Zoo" not in names and len(names) == 3


@pytest.mark.parametrize(("q", "expected"), [
    ("Стара", "Stara Zagora Zoo"),  # Cyrillic finds a Latin name
    ("stara zagora", "Stara Zagora Zoo"),
    ("Larisa", "Αρχαίο Θέατρο Λάρισας"),  # Latin finds Greek
    ("Larissa", "Αρχαίο Θέατρο Λάρισας"),
    ("neolitni", "Музей „Неолитни жилища“"),  # Latin finds Cyrillic
    ("ΘΕΑΤΡΟ", "Αρχαίο Θέατρο Λάρισας"),
    ("forum antique", "Antique Forum"),  # every word, any order
])
def test_q_searches_across_scripts(client, world, q, expected):
    names = _names(client.get("/api/regional-layer/", {"q": q, "lang": "en"}))
    assert expected in names
    assert len(names) < 5


def test_names_in_every_language_and_a_fallback(client, world):
    feature = next(f for f in client.get("/api/attractions/", {"lang": "fr"}).json()["features"]
                   if f["id"] == str(world["forum"].uid))
    assert feature["properties"]["names"] == {"bg": "Античен форум", "el": None, "fr": None,
                                              "en": "Antique Forum"}
    assert feature["properties"]["name"] == "Antique Forum"  # fr → en


def test_feature_detail_and_privacy(client, world):
    response = client.get(f"/api/trails/{world['trail'].uid}/", {"lang": "en"})
    trail = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert trail["properties"]["activity"] == "walking"
    assert trail["properties"]["max_elevation_m"] == 260
    assert client.get(f"/api/attractions/{world['trail'].uid}/").status_code == 404
    draft = Attraction.objects.get(name_en="Draft")
    assert client.get(f"/api/attractions/{draft.uid}/").status_code == 404


def test_layers_list_counts_and_extent(client, world):
    layers = {layer["slug"]: layer for layer in client.get("/api/layers/").json()}
    assert "sz-draft" not in layers
    poi = layers["stara-zagora-attractions"]
    assert poi["kind"] == "attractions" and poi["partner"] == "stara-zagora"
    assert poi["feature_count"] == 3
    assert poi["extent"] == pytest.approx([25.6109, 42.4246, 25.6264, 42.4381])


def test_openapi_schema_and_local_docs(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/regional-layer/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/attractions/"]["get"]["parameters"]}
    assert {"bbox", "near", "radius", "q", "lang", "limit", "category"} <= params
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "/static/drf_spectacular_sidecar/" in docs
    assert "cdn.jsdelivr" not in docs and "unpkg" not in docs


def test_a_database_error_never_reaches_the_client(client, world, monkeypatch):
    from django.db import connection

    from layers import selectors

    def broken(**_kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")  # a real error, raised by PostgreSQL

    monkeypatch.setattr(selectors, "features_page", broken)
    response = client.get("/api/regional-layer/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "division by zero" not in body and "SELECT" not in body
    assert response.json() == {"error": "internal error; it has been logged"}


def test_updated_since_with_an_offset_postgresql_would_refuse(client, world):
    # Python accepts offsets up to ±23:59, PostgreSQL only ±15:59: found by schemathesis.
    response = client.get("/api/attractions/", {"updated_since": "2020-05-06T09:08:25+20:49"})
    assert response.status_code == 200 and len(response.json()["features"]) == 4
    response = client.get("/api/attractions/", {"updated_since": "0001-01-01T00:00:00+20:49"})
    assert response.status_code == 400 and response.json()["parameter"] == "updated_since"


def test_a_page_and_a_feature_page_say_the_same(client, world):
    """A list and a feature's own page agree on every property both show, whatever the
    text holds (quotes, backslashes, control characters, other scripts) and the kind."""
    forum = world["forum"]
    forum.description_en = 'The "forum" of Augusta Traiana \\ 2nd c.\n\tRoman'
    forum.name_fr = ""
    forum.save()
    trail = world["trail"]
    for kind, feature in (("attractions", forum), ("trails", trail)):
        listed = next(f for f in client.get(f"/api/{kind}/", {"lang": "fr"}).json()["features"]
                      if f["id"] == str(feature.uid))
        detail = client.get(f"/api/{kind}/{feature.uid}/", {"lang": "fr"}).json()
        assert listed["geometry"] == detail["geometry"]
        shared = listed["properties"].keys() & detail["properties"].keys()
        assert {"name", "description", "names", "updated_at", "partner", "layer"} <= shared
        assert {k: listed["properties"][k] for k in shared} == {
            k: detail["properties"][k] for k in shared}
    assert listed["properties"]["length_m"] > 0 and listed["properties"]["is_loop"] is False
