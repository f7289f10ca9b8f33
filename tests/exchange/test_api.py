"""/api/practices/ and the practice on the regional layer (API, tiles, OGC, exports)."""

from __future__ import annotations

import json

from exchange.models import GoodPractice
from tests.exchange.conftest import publish, write_practice


def test_the_list_shows_published_practices_as_geojson_with_their_fields(world, client):
    published = publish(world, write_practice(world))
    write_practice(world, title="Still a draft")
    body = client.get("/api/practices/?lang=bg").json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 1
    feature = body["features"][0]
    assert feature["id"] == str(published.uid)
    assert feature["geometry"]["type"] == "MultiPoint"
    assert feature["geometry"]["coordinates"][0] == [26.32, 42.68]
    p = feature["properties"]
    assert p["title"] == "Нощ в музея" and p["partner"] == "sliven"
    assert p["themes"] == ["cultural_heritage"] and p["status"] == "published"


def test_the_list_as_plain_json(world, client):
    publish(world, write_practice(world))
    body = client.get("/api/practices/?f=json&lang=en").json()
    assert body["count"] == 1 and body["results"][0]["title"] == "Night at the museum"


def test_q_finds_a_practice_across_scripts(world, client):
    publish(world, write_practice(world))
    # "Нощ в музея" folded to Latin: "nosht v muzeya".
    for q, count in (("muzeya", 1), ("музея", 1), ("museum", 1), ("winery", 0)):
        body = client.get("/api/practices/", {"q": q}).json()
        assert body["numberMatched"] == count, q


def test_filters(world, client):
    publish(world, write_practice(world))
    for query, count in (({"theme": "cultural_heritage"}, 1), ({"theme": "events"}, 0),
                         ({"partner": "drome"}, 0), ({"partner": "sliven"}, 1),
                         ({"kind": "lesson"}, 0), ({"category": "museum"}, 1),
                         ({"origin": "external"}, 0)):
        assert client.get("/api/practices/", query).json()["numberMatched"] == count, query


def test_bad_parameters_are_named(world, client):
    for query, name in (({"theme": "wine"}, "theme"), ({"kind": "x"}, "kind"),
                        ({"origin": "mars"}, "origin"), ({"f": "xml"}, "f"),
                        ({"limit": "0"}, "limit"), ({"bbox": "1,2"}, "bbox"),
                        ({"status": "lost"}, "status")):
        response = client.get("/api/practices/", query)
        assert response.status_code == 400, query
        assert response.json()["parameter"] == name


def test_a_practice_has_its_places_whole_and_contact_only_when_signed_in(world, client):
    practice = publish(world, write_practice(world))
    url = f"/api/practices/{practice.uid}/"
    body = client.get(url).json()
    assert body["geometry"]["type"] == "GeometryCollection"
    assert [g["type"] for g in body["geometry"]["geometries"]] == ["Point", "MultiLineString"]
    places = body["properties"]["places"]
    assert [p["name"] for p in places] == ["Sliven Museum", "Blue Stones"]
    assert body["properties"]["contact"] is None and body["properties"]["history"] is None
    client.force_login(world.outsider)
    assert client.get(url).json()["properties"]["contact"]["email"] == "ivana@example.org"


def test_an_unpublished_practice_is_a_404_to_visitors(world, client):
    practice = write_practice(world)
    assert client.get(f"/api/practices/{practice.uid}/").status_code == 404


def test_writing_by_the_api(world, client):
    client.force_login(world.sl_member)
    response = client.post("/api/practices/", json.dumps({
        "partner": "sliven", "title_fr": "Vendanges ouvertes", "summary_fr": "Les visiteurs",
        "themes": ["wine_gastronomy"], "status_fr": "original",
        "places": [{"attraction": str(world.karandila.uid)},
                   {"geometry": {"type": "Point", "coordinates": [26.4, 42.7]}}],
        "indicators": [{"name": "Visitors", "unit": "people", "value_before": 100,
                        "value_after": "250", "date_after": "2024-09-30"}]}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    uid = response.json()["id"]
    practice = GoodPractice.objects.get(uid=uid)
    assert practice.title_fr == "Vendanges ouvertes" and practice.geom.num_geom == 2
    assert practice.indicators.get().value_after == 250
    submit = client.post(f"/api/practices/{uid}/submit/", "{}",
                         content_type="application/json")
    assert submit.status_code == 200 and submit.json()["status"] == "submitted"


def test_bad_fields_are_named(world, client):
    client.force_login(world.sl_member)
    response = client.post("/api/practices/", json.dumps({
        "partner": "sliven", "title_en": "x" * 101, "themes": ["nope"],
        "places": [{"attraction": "00000000-0000-0000-0000-000000000000"}]}),
        content_type="application/json")
    assert response.status_code == 400
    assert {"title_en", "themes"} <= set(response.json()["fields"])
    assert not GoodPractice.objects.exists()


def test_practices_are_a_kind_of_the_regional_layer(world, client):
    practice = publish(world, write_practice(world))
    write_practice(world, title="Draft stays out")
    body = client.get("/api/regional-layer/", {"kind": "practice"}).json()
    assert [f["id"] for f in body["features"]] == [str(practice.uid)]
    assert body["features"][0]["properties"]["practice_kind"] == "practice"
    found = client.get("/api/regional-layer/", {"q": "muzeya", "kind": "practice"}).json()
    assert found["numberMatched"] == 1
    items = client.get("/ogc/collections/all-practices/items").json()
    assert [f["id"] for f in items["features"]] == [str(practice.uid)]
    tile = client.get("/tiles/all-practices/10/586/377.mvt")
    assert tile.status_code == 200 and b"practices" in tile.content


def test_the_openapi_schema_documents_the_practices(world, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/practices/" in schema and "/api/practices/{uid}/{action}/" in schema
