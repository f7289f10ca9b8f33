"""/api/transit/...: what a visitor asks, and the 400s that name the parameter."""

from __future__ import annotations

import pytest

from tests.factories import make_attraction, make_layer
from tests.transit.conftest import next_weekday
from transit.services import feed_import

KARANDILA = "26.3565,42.6586"


def get(client, url, **params):
    return client.get(url, params)


def test_feeds_list_their_dates_and_licence(client, sliven_feed):
    body = client.get("/api/transit/feeds/").json()
    assert body["feeds"] == [{
        "partner": "sliven", "name": "city-buses", "id": "sliven/city-buses",
        "valid_from": "2026-01-01", "valid_to": "2099-12-31", "licence": "CC BY 4.0",
        "attribution": "Obshtina Sliven", "publisher": "", "expired": False,
        "ends_soon": False}]


def test_departures_on_a_weekday_include_the_one_after_midnight(client, sliven_feed):
    monday = next_weekday(0)
    body = get(client, "/api/transit/departures/", feed="sliven/city-buses", stop="S1",
               date=monday.isoformat()).json()
    assert [(d["time"], d["next_day"], d["short_name"], d["headsign"])
            for d in body["departures"]] == [("08:00:00", False, "12", "Karandila"),
                                             ("24:30:00", True, "12", "Karandila")]
    assert body["stop"]["name"] == "Centre"
    later = get(client, "/api/transit/departures/", feed="sliven/city-buses", stop="S1",
                date=monday.isoformat(), after="09:00").json()
    assert [d["time"] for d in later["departures"]] == ["24:30:00"]


def test_no_departures_on_a_day_without_service(client, sliven_feed):
    body = get(client, "/api/transit/departures/", feed="sliven/city-buses", stop="S1",
               date=next_weekday(5).isoformat()).json()
    assert body["departures"] == []


@pytest.mark.parametrize("params, parameter", [
    ({"stop": "S1"}, "feed"),
    ({"feed": "sliven/nope", "stop": "S1"}, "feed"),
    ({"feed": "sliven/city-buses"}, "stop"),
    ({"feed": "sliven/city-buses", "stop": "S9"}, "stop"),
    ({"feed": "sliven/city-buses", "stop": "S1", "date": "2026-13-01"}, "date"),
    ({"feed": "sliven/city-buses", "stop": "S1", "date": "2025-06-02"}, "date"),
    ({"feed": "sliven/city-buses", "stop": "S1", "after": "8h"}, "after"),
])
def test_bad_parameters_are_named(client, sliven_feed, params, parameter):
    response = client.get("/api/transit/departures/", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_a_date_before_the_feed_is_refused_in_the_readers_language(client, sliven_feed):
    response = client.get("/api/transit/departures/", {
        "feed": "sliven/city-buses", "stop": "S1", "date": "2025-06-02"},
        HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "date: les horaires city-buses couvrent la période du 2026-01-01 au 2099-12-31")


def test_an_expired_feed_is_refused(client, cairns_partner, gtfs_dir):
    feed_import(partner=cairns_partner, path=gtfs_dir / "gtfs-kit" / "cairns_gtfs.zip",
                name="cairns", licence="CC BY 4.0")
    response = client.get("/api/transit/departures/", {
        "feed": "cairns-test/cairns", "stop": "750047", "date": "2014-06-10"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "feed"
    assert "ended on 2014-12-28" in response.json()["error"]
    # Its stops are not offered either.
    assert client.get("/api/transit/stops/", {"near": "145.7777,-16.9233",
                                              "radius": 3000}).json()["stops"] == []
    assert client.get("/api/transit/feeds/").json()["feeds"][0]["expired"] is True


def test_stops_near_a_point_with_their_lines(client, sliven_feed):
    body = get(client, "/api/transit/stops/", near=KARANDILA, radius=500).json()
    assert [(s["stop_id"], s["name"], s["distance_m"], s["walk_min"], s["feed"])
            for s in body["stops"]] == [("S2", "Karandila", 0, 0, "sliven/city-buses")]
    assert [line["short_name"] for line in body["stops"][0]["lines"]] == ["12"]


def test_how_to_get_there_says_whether_a_same_day_return_fits(client, sliven_feed):
    monday = next_weekday(0).isoformat()
    body = get(client, "/api/transit/access/", near=KARANDILA, date=monday, stay=120).json()
    assert body["first_arrival"]["time"] == "08:25:00"
    assert body["last_departure"]["time"] == "17:00:00"
    assert body["same_day_return"] is True
    assert body["stops"][0]["departures"][0]["time"] == "17:00:00"
    assert body["feeds"][0]["licence"] == "CC BY 4.0"
    long_stay = get(client, "/api/transit/access/", near=KARANDILA, date=monday,
                    stay=600).json()
    assert long_stay["same_day_return"] is False


def test_how_to_get_there_to_an_attraction(client, sliven_feed):
    layer = make_layer(sliven_feed.partner)
    attraction = make_attraction(layer, 26.3570, 42.6590, name_en="Karandila viewpoint")
    body = get(client, "/api/transit/access/", attraction=str(attraction.uid),
               date=next_weekday(0).isoformat()).json()
    assert body["stops"][0]["stop_id"] == "S2" and 0 < body["stops"][0]["distance_m"] < 100
    assert body["stay_min"] == 120


@pytest.mark.parametrize("params, parameter", [
    ({}, "near"),
    ({"near": KARANDILA, "route": "x"}, "near"),
    ({"near": "26.3"}, "near"),
    ({"route": "no-such-route"}, "route"),
    ({"trail": "not-a-uuid"}, "trail"),
    ({"attraction": "8d3a8f6e-1b7c-4f41-9c55-2d0c2f1f4a11"}, "attraction"),
    ({"near": KARANDILA, "radius": "99999"}, "radius"),
    ({"near": KARANDILA, "stay": "-5"}, "stay"),
])
def test_how_to_get_there_names_bad_parameters(client, sliven_feed, params, parameter):
    response = client.get("/api/transit/access/", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_openapi_schema_documents_the_transit_api(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("feeds", "stops", "departures", "access"):
        assert f"/api/transit/{path}/" in schema["paths"]
    names = [p["name"] for p in schema["paths"]["/api/transit/departures/"]["get"]["parameters"]]
    assert {"feed", "stop", "date", "after"} <= set(names)
