"""/api/services/: the published listings as GeoJSON, with the regional API's parameters
and errors plus ``type`` and ``open_on``; listings on the regional layer and its tiles."""

from __future__ import annotations

import pytest

from tests.factories import make_listing

pytestmark = pytest.mark.django_db

# 2027: Orthodox Easter Monday is 3 May (a public holiday in Bulgaria, not in France).
EASTER_MONDAY = "2027-05-03"
TUESDAY = "2027-05-04"


@pytest.fixture
def listings(territories):
    return {
        "inn": make_listing(26.32, 42.68, name_bg="Хан Сливен", name_en="Sliven inn",
                            opening_hours="24/7"),
        "museum_shop": make_listing(26.31, 42.67, type="local_product", name_en="Wine cellar",
                                    opening_hours="Mo-Su 10:00-18:00; PH off"),
        "cafe": make_listing(5.05, 44.75, type="food_drink", name_fr="Café du Vercors",
                             opening_hours="Mo-Su 08:00-20:00; PH off"),
        "festival": make_listing(26.33, 42.69, type="event", name_en="Wine festival",
                                 starts_on="2027-05-01", ends_on="2027-05-03"),
        "summer": make_listing(5.06, 44.76, type="rental_transport", name_en="Bike rental",
                               opening_hours="Mo-Su 09:00-18:00", season_months=[6, 7, 8]),
        "draft": make_listing(26.30, 42.66, name_en="Not yet", status="draft"),
    }


def names(answer) -> set[str]:
    assert answer.status_code == 200, answer.content
    return {f["properties"]["name"] for f in answer.json()["features"]}


def test_the_published_listings_are_served(client, listings):
    answer = client.get("/api/services/?lang=en")
    assert names(answer) == {"Sliven inn", "Wine cellar", "Café du Vercors", "Wine festival",
                             "Bike rental"}
    inn = next(f for f in answer.json()["features"] if f["properties"]["name"] == "Sliven inn")
    assert inn["properties"]["kind"] == "service"
    assert inn["properties"]["type"] == "accommodation"
    assert inn["properties"]["partner"] == "sliven"
    assert inn["properties"]["opening_hours"] == "24/7"
    assert inn["geometry"]["coordinates"] == pytest.approx([26.32, 42.68])


def test_type_filters_and_an_unknown_type_is_a_400_naming_it(client, listings):
    assert names(client.get("/api/services/?type=event,food_drink&lang=en")) == {
        "Wine festival", "Café du Vercors"}
    answer = client.get("/api/services/?type=castle")
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "type"
    assert "accommodation" in answer.json()["error"]


def test_open_on_counts_each_countrys_public_holidays(client, listings):
    on_holiday = names(client.get(f"/api/services/?open_on={EASTER_MONDAY}&lang=en"))
    # The Bulgarian cellar closes on Orthodox Easter Monday; the French café does not;
    # the festival's last day is that day; the bike rental opens in June.
    assert on_holiday == {"Sliven inn", "Café du Vercors", "Wine festival"}
    next_day = names(client.get(f"/api/services/?open_on={TUESDAY}&lang=en"))
    assert next_day == {"Sliven inn", "Café du Vercors", "Wine cellar"}
    june = names(client.get("/api/services/?open_on=2027-06-15&lang=en"))
    assert "Bike rental" in june


@pytest.mark.parametrize("value", ["tomorrow", "2027-13-01", "03/05/2027", "9999-12-31"])
def test_a_bad_open_on_is_a_400_naming_it(client, listings, value):
    answer = client.get(f"/api/services/?open_on={value}")
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "open_on"


def test_the_shared_parameters_and_their_errors(client, listings):
    assert names(client.get("/api/services/?partner=drome&lang=en")) == {
        "Café du Vercors", "Bike rental"}
    assert names(client.get("/api/services/?bbox=26,42.5,27,43&lang=en")) == {
        "Sliven inn", "Wine cellar", "Wine festival"}
    assert names(client.get("/api/services/?q=han&lang=bg")) == {"Хан Сливен"}
    assert client.get("/api/services/?bbox=1,2").json()["parameter"] == "bbox"
    assert client.get("/api/services/?partner=atlantis").json()["parameter"] == "partner"
    answer = client.get("/api/services/?limit=2")
    assert len(answer.json()["features"]) == 2 and answer.json()["numberMatched"] == 5


def test_one_listing_and_a_draft_is_not_found(client, listings):
    answer = client.get(f"/api/services/{listings['inn'].uid}/?lang=bg")
    assert answer.status_code == 200
    assert answer.json()["properties"]["name"] == "Хан Сливен"
    assert client.get(f"/api/services/{listings['draft'].uid}/").status_code == 404


def test_listings_are_on_the_regional_layer_and_type_leaves_other_kinds_out(client, listings):
    every = client.get("/api/regional-layer/?kind=service&lang=en")
    assert names(every) == {"Sliven inn", "Wine cellar", "Café du Vercors", "Wine festival",
                            "Bike rental"}
    events = client.get("/api/regional-layer/?type=event&lang=en")
    assert names(events) == {"Wine festival"}


def test_the_openapi_schema_has_the_services_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    params = {p["name"] for p in schema["paths"]["/api/services/"]["get"]["parameters"]}
    assert {"type", "open_on", "bbox", "partner", "q"} <= params


def test_open_on_a_period_finds_the_events_on_in_it(client, listings):
    # An event on 1–3 May 2027 is on in a period that overlaps those days, not in one after.
    events = names(client.get("/api/services/?type=event&open_on=2027-04-25/2027-05-01"))
    assert events == names(client.get("/api/services/?type=event&open_on=2027-05-02"))
    assert events
    assert names(client.get("/api/services/?type=event&open_on=2027-05-04/2027-05-20")) == set()


@pytest.mark.parametrize("value", ["2027-05-04/2027-05-01", "2027-05-01/", "2027-01-01/2027-12-31",
                                   "2027-05-01/soon"])
def test_a_bad_open_on_period_is_a_400_naming_it(client, listings, value):
    answer = client.get(f"/api/services/?open_on={value}&lang=fr")
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "open_on"
