"""Attractions' practical fields (the listings' own: e-mail, price range, season,
accessibility in four languages, booking link, languages spoken): their checks, the API's
detail, ``/api/attractions/<uid>/hours/`` at a fixed clock (public holidays, season), the
attraction's page and its schema.org JSON-LD."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from layers.vocabulary import Visibility
from tests.factories import make_attraction, make_layer, make_partner, make_person

pytestmark = pytest.mark.django_db

# Sliven is at UTC+3 in May. Orthodox Easter Monday 2027 is 3 May, a public holiday in
# Bulgaria and Greece; in France, Easter Monday 2027 was 29 March.
HOLIDAY_10AM = "2027-05-03T07:00:00+00:00"
TUESDAY_10AM = "2027-05-04T07:00:00+00:00"
MUSEUM_HOURS = "Tu-Su 10:00-18:00; Mo 10:00-13:00; PH off"


@pytest.fixture
def sliven(db):
    return make_partner("sliven", bbox=(25.8, 42.4, 26.8, 43.0), name_en="Sliven")


@pytest.fixture
def museum(sliven):
    return make_attraction(
        make_layer(sliven), 26.32, 42.68, name_en="History museum", name_bg="Исторически музей",
        opening_hours=MUSEUM_HOURS, fee=True, price_from=Decimal("4"), price_to=Decimal("8"),
        currency="EUR", wheelchair="limited", accessibility_en="Ramp at the side door",
        accessibility_bg="Рампа при страничния вход", email="museum@example.bg",
        booking_url="https://tickets.example.bg/museum", languages=["bg", "en"],
        address="ul. Tsar Osvoboditel 18", phone="+359 44 622 495")


def hours(client, attraction, query: str = "lang=en") -> dict:
    answer = client.get(f"/api/attractions/{attraction.uid}/hours/?{query}")
    assert answer.status_code == 200, answer.content
    assert answer["Cache-Control"] == "no-cache"
    return answer.json()


def test_the_listing_checks_apply_to_an_attraction(sliven):
    museum = make_attraction(make_layer(sliven), 26.3, 42.7, name_en="Museum")
    museum.price_from, museum.price_to = Decimal("8"), Decimal("4")
    museum.languages = ["BG", "english"]
    museum.season_months = [0, 13]
    with pytest.raises(ValidationError) as refused:
        museum.full_clean()
    assert set(refused.value.message_dict) >= {"price_to", "languages", "season_months"}


def test_hours_set_empty_the_hours_as_given(sliven):
    museum = make_attraction(make_layer(sliven), 26.3, 42.7, name_en="Museum",
                             hours_as_given="вторник-неделя 10-18")
    museum.opening_hours = "Tu-Su 10:00-18:00"
    museum.full_clean()
    assert museum.hours_as_given == ""


def test_the_api_detail_carries_the_practical_fields(client, museum):
    props = client.get(f"/api/attractions/{museum.uid}/?lang=bg").json()["properties"]
    assert {k: props[k] for k in ("email", "booking_url", "price_from", "price_to", "currency",
                                  "season_months", "languages", "accessibility",
                                  "opening_hours", "wheelchair", "fee")} == {
        "email": "museum@example.bg", "booking_url": "https://tickets.example.bg/museum",
        "price_from": 4, "price_to": 8, "currency": "EUR", "season_months": [],
        "languages": ["bg", "en"], "accessibility": "Рампа при страничния вход",
        "opening_hours": MUSEUM_HOURS, "wheelchair": "limited", "fee": True}
    assert props["accessibilities"]["en"] == "Ramp at the side door"
    # A list shows what a visitor filters on; OGC's queryables name them.
    listed = client.get("/api/attractions/?lang=en").json()["features"][0]["properties"]
    assert (listed["opening_hours"], listed["price_from"], listed["currency"]) == (
        MUSEUM_HOURS, 4, "EUR")
    queryables = client.get("/ogc/collections/all-attractions/queryables").json()
    assert {"opening_hours", "wheelchair", "fee", "price_from"} <= set(queryables["properties"])
    found = client.get("/ogc/collections/all-attractions/items",
                       {"filter": "price_from < 5 AND fee = true"}).json()
    assert [f["id"] for f in found["features"]] == [str(museum.uid)]


def test_closed_on_orthodox_easter_monday_and_open_the_next_day(client, museum, settings):
    settings.ATLAS_NOW = HOLIDAY_10AM
    found = hours(client, museum)
    assert (found["state"], found["summary"]) == ("closed",
                                                  "Closed now · opens tomorrow at 10:00")
    assert [(d["name"], d["hours"]) for d in found["week"][:2]] == [
        ("Monday 3 May", "Closed"), ("Tuesday 4 May", "10:00–18:00")]
    settings.ATLAS_NOW = TUESDAY_10AM
    found = hours(client, museum, "lang=bg&on=2027-05-10")
    assert (found["state"], found["summary"]) == ("open", "Отворено сега · затваря в 18:00")
    assert found["on"]["summary"] == "Отворено на понеделник 10 май: 10:00–13:00"


def test_out_of_season_an_attraction_opens_on_the_seasons_first_day(client, sliven, settings):
    hut = make_attraction(make_layer(sliven), 26.3, 42.7, name_en="Karandila hut museum",
                          opening_hours="Mo-Su 09:00-18:00", season_months=[6, 7, 8, 9])
    settings.ATLAS_NOW = TUESDAY_10AM
    found = hours(client, hut)
    assert found["summary"] == "Closed now · opens Tue 1 June at 09:00"
    assert {d["hours"] for d in found["week"]} == {"Closed"}


def test_hours_of_an_unpublished_or_unknown_attraction_are_not_found(client, sliven):
    hidden = make_attraction(make_layer(sliven, visibility=Visibility.PARTNERS, slug="draft"),
                             26.3, 42.7, name_en="Not yet", opening_hours="Mo-Su 09:00-18:00")
    assert client.get(f"/api/attractions/{hidden.uid}/hours/").status_code == 404
    answer = client.get(f"/api/attractions/{hidden.uid}/hours/?on=2027-13-01")
    assert answer.status_code == 400 and answer.json()["parameter"] == "on"
    assert client.get(f"/api/attractions/{hidden.uid}/hours/?at=1").status_code == 400


def test_the_page_leads_with_the_visit_and_says_it_in_json_ld(client, museum, settings):
    settings.ATLAS_NOW = TUESDAY_10AM
    page = client.get(f"/attractions/{museum.uid}/?lang=en").content.decode()
    assert "Open now · closes at 18:00" in page
    visit = page.split('class="card visit"', 1)[1].split("</section>", 1)[0]
    for shown in ("4–8 EUR", "Limited — Ramp at the side door", "museum@example.bg",
                  "https://tickets.example.bg/museum", "Bulgarian, English"):
        assert shown in visit
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page,
                                re.S)[1])
    assert data["@type"] == "TouristAttraction"
    assert data["url"] == f"http://testserver/attractions/{museum.uid}/"  # no ?lang=
    assert data["priceRange"] == "4–8 EUR" and data["isAccessibleForFree"] is False
    assert (data["email"], data["availableLanguage"]) == ("museum@example.bg", ["bg", "en"])
    assert data["potentialAction"]["target"] == "https://tickets.example.bg/museum"
    assert data["amenityFeature"]["description"] == "Ramp at the side door"
    tuesday = data["openingHoursSpecification"][0]
    assert (tuesday["dayOfWeek"], tuesday["opens"], tuesday["closes"], tuesday["validFrom"]) == (
        "https://schema.org/Tuesday", "10:00", "18:00", "2027-05-04")


def test_hours_as_given_show_as_text_on_the_page(client, sliven):
    mill = make_attraction(make_layer(sliven), 26.3, 42.7, name_en="Old mill",
                           hours_as_given="every day but Monday, 9 to 5")
    page = client.get(f"/attractions/{mill.uid}/?lang=en").content.decode()
    assert "every day but Monday, 9 to 5" in page
    assert "data-hours-as-given" in page


def test_the_admin_lists_the_attractions_whose_hours_wait_to_be_rewritten(client, sliven):
    layer = make_layer(sliven)
    make_attraction(layer, 26.3, 42.7, name_en="Old mill", hours_as_given="9 to 5")
    make_attraction(layer, 26.31, 42.71, name_en="New museum", opening_hours="Mo-Su 09:00-17:00")
    client.force_login(make_person(sliven, "editors"))
    page = client.get("/admin/layers/attraction/?hours=to-check").content.decode()
    assert "Old mill" in page and "New museum" not in page


@pytest.mark.parametrize(("lang", "tuesday"), [("bg", "вторник"), ("el", "Τρίτη")])
def test_the_page_writes_the_week_in_the_readers_language_as_a_listings_page(
        client, museum, settings, lang, tuesday):
    # The UX review saw only the OpenStreetMap text ("Tu-Su 10:00-18:00; PH off").
    settings.ATLAS_NOW = TUESDAY_10AM
    page = client.get(f"/attractions/{museum.uid}/?lang={lang}").content.decode()
    week = page.split('<table class="week">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', week)
    assert len(rows) == 7
    assert rows[0][0].lower().startswith(tuesday.lower()) and rows[0][1] == "10:00–18:00"
