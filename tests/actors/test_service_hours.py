"""``/api/services/<uid>/hours/``: whether a listing is open now and when that changes,
its week and a chosen day, in the reader's language, at a fixed clock (what the
explorer's popup shows)."""

from __future__ import annotations

import pytest

from tests.factories import make_listing

pytestmark = pytest.mark.django_db

# Sliven is at UTC+3 in May. Orthodox Easter Monday 2027 is 3 May, a public holiday.
HOLIDAY_10AM = "2027-05-03T07:00:00+00:00"
TUESDAY_10AM = "2027-05-04T07:00:00+00:00"
TUESDAY_7PM = "2027-05-04T16:00:00+00:00"
CELLAR_HOURS = "Mo-Su 10:00-18:00; PH off"


@pytest.fixture
def cellar(territories):
    return make_listing(26.31, 42.67, type="local_product", name_en="Sliven wine cellar",
                        opening_hours=CELLAR_HOURS)


def hours(client, listing, query: str = "lang=en") -> dict:
    answer = client.get(f"/api/services/{listing.uid}/hours/?{query}")
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_closed_on_the_holiday_and_opening_the_next_morning(client, cellar, settings):
    settings.ATLAS_NOW = HOLIDAY_10AM
    found = hours(client, cellar)
    assert found["state"] == "closed"
    assert found["summary"] == "Closed now · opens tomorrow at 10:00"
    assert found["changes"] == {"to": "open", "at": "2027-05-04T10:00:00+03:00"}
    assert [(d["name"], d["hours"]) for d in found["week"][:2]] == [
        ("Monday 3 May", "Closed"), ("Tuesday 4 May", "10:00–18:00")]
    assert found["opening_hours"] == CELLAR_HOURS


def test_open_in_the_morning_closing_at_six(client, cellar, settings):
    settings.ATLAS_NOW = TUESDAY_10AM
    found = hours(client, cellar)
    assert (found["state"], found["summary"]) == ("open", "Open now · closes at 18:00")


def test_closed_in_the_evening_opening_the_next_day(client, cellar, settings):
    settings.ATLAS_NOW = TUESDAY_7PM
    assert hours(client, cellar)["summary"] == "Closed now · opens tomorrow at 10:00"


@pytest.mark.parametrize(("lang", "open_now", "closed_now", "monday"), [
    ("bg", "Отворено сега · затваря в 18:00", "Затворено сега · отваря утре в 10:00",
     "понеделник 3 май"),
    ("el", "Ανοιχτό τώρα · κλείνει στις 18:00", "Κλειστό τώρα · ανοίγει αύριο στις 10:00",
     "Δευτέρα 3 Μαΐου"),
    ("fr", "Ouvert maintenant · ferme à 18:00", "Fermé maintenant · ouvre demain à 10:00",
     "lundi 3 mai"),
])
def test_in_the_readers_language(client, cellar, settings, lang, open_now, closed_now, monday):
    settings.ATLAS_NOW = TUESDAY_10AM
    assert hours(client, cellar, f"lang={lang}")["summary"] == open_now
    settings.ATLAS_NOW = HOLIDAY_10AM
    found = hours(client, cellar, f"lang={lang}")
    assert found["summary"] == closed_now
    assert found["week"][0]["name"] == monday


def test_out_of_season_it_opens_on_the_seasons_first_day(client, territories, settings):
    hut = make_listing(26.3, 42.7, name_en="Mountain hut", opening_hours="Mo-Su 09:00-18:00",
                       season_months=[6, 7, 8, 9])
    settings.ATLAS_NOW = TUESDAY_10AM
    found = hours(client, hut)
    assert found["summary"] == "Closed now · opens Tue 1 June at 09:00"
    # The week does not promise hours the season does not keep.
    assert {d["hours"] for d in found["week"]} == {"Closed"}


def test_a_day_chosen_says_whether_it_is_open_that_day(client, cellar, settings):
    settings.ATLAS_NOW = TUESDAY_10AM
    on = hours(client, cellar, "lang=en&on=2027-05-03")["on"]
    assert on == {"date": "2027-05-03", "state": "closed", "summary": "Closed on Monday 3 May"}
    on = hours(client, cellar, "lang=bg&on=2027-05-07")["on"]
    assert on["summary"] == "Отворено на петък 7 май: 10:00–18:00"


def test_a_listing_without_hours_says_nothing_false(client, territories, settings):
    settings.ATLAS_NOW = TUESDAY_10AM
    guide = make_listing(26.3, 42.7, type="guide", name_en="A guide")
    found = hours(client, guide, "lang=en&on=2027-05-04")
    assert (found["state"], found["summary"], found["week"]) == ("unknown", "", [])
    assert found["opening_hours"] is None and found["on"]["summary"] == ""


def test_an_event_without_hours_is_on_during_its_dates(client, territories, settings):
    fest = make_listing(26.33, 42.69, type="event", name_en="Wine festival",
                        starts_on="2027-05-01", ends_on="2027-05-03")
    settings.ATLAS_NOW = HOLIDAY_10AM
    assert hours(client, fest)["summary"] == "Open now"
    settings.ATLAS_NOW = TUESDAY_10AM
    assert hours(client, fest)["summary"] == "Closed now"


def test_it_is_not_kept_by_caches(client, cellar):
    answer = client.get(f"/api/services/{cellar.uid}/hours/")
    assert answer["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(("query", "parameter"), [
    ("on=tomorrow", "on"), ("on=2027-02-30", "on"), ("when=now", "when"), ("lang=xx", "lang"),
    ("on=2027-05-04&on=2027-05-05", "on"), ("on=9999-12-31", "on"), ("on=0001-01-01", "on")])
def test_bad_parameters_are_refused_by_name(client, cellar, query, parameter):
    answer = client.get(f"/api/services/{cellar.uid}/hours/?{query}")
    assert answer.status_code == 400
    assert answer.json()["parameter"] == parameter


def test_the_bad_date_is_said_in_the_readers_language(client, cellar):
    answer = client.get(f"/api/services/{cellar.uid}/hours/?lang=bg&on=tomorrow")
    assert answer.json()["error"] == "on: очаква се дата във формат ГГГГ-ММ-ДД"


def test_an_unpublished_listing_is_not_found(client, territories):
    draft = make_listing(26.3, 42.7, status="draft")
    assert client.get(f"/api/services/{draft.uid}/hours/").status_code == 404
