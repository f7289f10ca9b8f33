"""A partner's strategy: what the others do about its gaps (computed from a small world,
not the demo), the planner's links to those practices, the strategy pages, and what bad
input to its indicators gets."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone, translation

from exchange import services
from exchange.places import PlaceSpec
from exchange.strategy import large_gap_km2, strategy
from planner.models import EnteredIndicator, IndicatorSnapshot
from tests.exchange.conftest import publish
from tests.factories import make_attraction, make_layer

pytestmark = pytest.mark.django_db

POINT_IN_DROME_GAP = {"type": "Point", "coordinates": [5.6, 44.45]}
POINT_IN_TUSCANY = {"type": "Point", "coordinates": [11.3, 43.5]}  # an EU example


def drome_practice(world, title: str, *, publish_it: bool = True, places=None,
                   categories=("winery",)):
    practice = services.practice_create(
        user=world.dr_member, partner=world.drome,
        values={"title_en": title, "summary_en": "What Drôme did.",
                "categories": list(categories)},
        places=places if places is not None else [
            PlaceSpec(geometry=json.dumps(POINT_IN_DROME_GAP), label="Saoû")])
    if publish_it:
        services.practice_submit(user=world.dr_member, practice=practice)
        practice = services.practice_review(user=world.sl_moderator, practice=practice,
                                            decision="publish")
    return practice


@pytest.fixture
def answers(world):
    """Drôme has a winery, Sliven none: Sliven lacks the category. Drôme published two
    practices on wineries (one at a point in its own wide gap, one found in Tuscany) and
    left a third one a draft; Sliven published one of its own."""
    make_attraction(make_layer(world.drome, slug="drome-wine"), 4.95, 44.80,
                    name_en="Cave de Tain", category="winery")
    return {
        "in_gap": drome_practice(world, "Wine trail in the hills"),
        "far": drome_practice(world, "A wine label", places=[PlaceSpec(
            geometry=json.dumps(POINT_IN_TUSCANY), label="Chianti")]),
        "draft": drome_practice(world, "Cellar door draft", publish_it=False),
        "own": publish(world, _own(world)),
    }


def _own(world):
    from tests.exchange.conftest import write_practice
    return write_practice(world, categories=["winery"])


def test_a_missing_category_lists_the_other_partners_published_practices_on_it(world,
                                                                               answers):
    s = strategy(world.sliven, lang="en", user=AnonymousUser())
    (winery,) = [c for c in s.categories if c.category == "winery"]
    assert winery.by_partner == [{"partner": "drome", "name": "Drôme", "count": 2,
                                  "url": "/practices/?category=winery&partner=drome"}]
    assert sorted(p["title"] for p in winery.practices) == ["A wine label",
                                                            "Wine trail in the hills"]


def test_a_large_gap_lists_the_practices_in_a_comparable_setting(world, answers):
    s = strategy(world.sliven, lang="en", user=AnonymousUser())
    assert s.large_gaps >= 1
    largest = s.gaps[0]
    assert largest.gap.rank == 1 and largest.gap.area_km2 >= large_gap_km2(5.0)
    # The point lies in Drôme's own wide gap; the practice found in Tuscany, the draft
    # and Sliven's own practice are no answer.
    assert [p["title"] for p in largest.practices] == ["Wine trail in the hills"]
    drome_gap = largest.practices[0]["setting_km2"]
    assert largest.gap.area_km2 / 10 <= drome_gap <= largest.gap.area_km2 * 10


def test_a_gap_of_a_very_different_size_is_no_comparable_setting(world, answers,
                                                                 monkeypatch):
    monkeypatch.setattr("exchange.strategy.SIZE_FACTOR", 1.01)
    s = strategy(world.sliven, lang="en", user=AnonymousUser())
    assert s.gaps[0].practices == []


def test_the_strategy_keeps_its_own_practices_apart(world, answers):
    s = strategy(world.sliven, lang="en", user=AnonymousUser())
    assert [p["title"] for p in s.own] == ["Night at the museum"]
    assert s.transfers == {"in": [], "out": []}


def test_the_strategy_lists_the_transfers_out_and_in(world, answers, client):
    # Drôme takes over Sliven's own practice: out for Sliven, in for Drôme.
    from exchange.transfers import transfer_open

    transfer_open(user=world.dr_member, practice=answers["own"], partner=None)
    out = strategy(world.sliven, lang="en", user=AnonymousUser()).transfers
    taken = strategy(world.drome, lang="en", user=AnonymousUser()).transfers
    assert out is not None and taken is not None
    assert [(t["practice"]["title"], t["to"]) for t in out["out"]] == [
        ("Night at the museum", "Drôme")] and out["in"] == []
    assert [(t["practice"]["title"], t["from"]) for t in taken["in"]] == [
        ("Night at the museum", "Sliven")]
    page = client.get("/strategy/sliven/?lang=en").content.decode()
    assert "Its practices others take" in page and "Night at the museum" in page


def test_the_planner_api_and_csv_link_a_missing_category_to_the_practices(world, answers):
    client = Client()
    body = client.get("/api/coverage/").json()
    sliven = next(p for p in body["partners"] if p["key"] == "sliven")
    assert sliven["practices_for_missing"]["winery"] == [
        {"partner": "drome", "count": 2, "url": "/practices/?category=winery&partner=drome"}]
    csv = client.get("/api/coverage/?format=csv&table=partners").content.decode()
    line = next(r for r in csv.splitlines() if r.startswith("sliven,"))
    assert "winery: drome 2" in line


def test_the_planner_page_says_who_has_practices_on_a_missing_category(world, answers):
    page = Client().get("/planner/?partner=sliven&lang=en").content.decode()
    assert "Drôme has 2 practices on “Winery”" in page
    assert 'href="/practices/?category=winery&amp;partner=drome&amp;lang=en"' in page
    assert 'href="/strategy/sliven/?lang=en"' in page


def test_the_strategy_page_in_bulgarian_links_the_answers_and_prints(world, answers):
    EnteredIndicator.objects.create(partner=world.sliven, indicator="nights", value=230400,
                                    unit="nights", date=timezone.localdate() - timedelta(
                                        days=40), source="НСИ")
    page = Client().get("/strategy/sliven/?lang=bg").content.decode()
    assert "Стратегия на Сливен" in page
    assert f'href="/practices/{answers["in_gap"].uid}/?lang=bg"' in page
    assert "/static/strategy/strategy.css" in page
    assert "Нощувки" in page and "230400" in page
    # Measured by today's analysis, which the page asked for.
    assert IndicatorSnapshot.objects.filter(partner=world.sliven).exists()


def test_the_strategy_list_names_every_partner(world):
    page = Client().get("/strategy/?lang=en").content.decode()
    assert 'href="/strategy/sliven/?lang=en"' in page
    assert 'href="/strategy/drome/?lang=en"' in page


def test_an_unknown_partner_has_no_strategy_page(world):
    assert Client().get("/strategy/atlantis/").status_code == 404


# -- Bad input ---------------------------------------------------------------------------

GOOD = {"partner": "sliven", "indicator": "arrivals", "value": 1200, "unit": "people",
        "date": "2025-06-30", "source": "Municipal count"}


@pytest.fixture
def member(world):
    client = Client()
    client.force_login(world.sl_member)
    return client


@pytest.mark.parametrize(("field", "value", "lang", "message"), [
    ("value", "many", "en", "Enter a number."),
    ("value", "many", "bg", "Въведете число."),
    ("value", "many", "fr", "Saisissez un nombre."),
    ("date", "2999-01-01", "en", "The date is in the future"),
    ("date", "2999-01-01", "el", "Η ημερομηνία είναι στο μέλλον"),
    ("unit", "furlongs", "en", "Select a valid choice."),
    ("unit", "furlongs", "fr", "Sélectionnez un choix valide."),
    ("indicator", "happiness", "bg", "Направете валиден избор."),
])
def test_bad_input_to_the_api_is_a_400_naming_the_field_in_the_readers_language(
        world, member, field, value, lang, message):
    response = member.post(f"/api/coverage/indicators/?lang={lang}",
                           json.dumps({**GOOD, field: value}),
                           content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert list(fields) == [field]
    assert message in fields[field][0]
    assert not EnteredIndicator.objects.exists()


def test_an_other_indicator_needs_its_name(world, member):
    response = member.post("/api/coverage/indicators/", json.dumps(
        {**GOOD, "indicator": "other"}), content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["label"]


def test_a_change_with_a_bad_value_names_the_field_and_changes_nothing(world, member):
    row = EnteredIndicator.objects.create(partner=world.sliven, indicator="arrivals",
                                          value=10, unit="people",
                                          date=timezone.localdate(), source="count")
    response = member.patch(f"/api/coverage/indicators/{row.pk}/?lang=fr",
                            json.dumps({"date": "2999-12-31"}),
                            content_type="application/json")
    assert response.status_code == 400
    assert "futur" in response.json()["fields"]["date"][0]
    row.refresh_from_db()
    assert row.date == timezone.localdate()


def test_the_page_form_shows_a_bad_value_beside_its_field_in_bulgarian(world, member):
    response = member.post("/strategy/sliven/indicators/?lang=bg",
                           {**GOOD, "value": "много", "date": "2999-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_value-error"' in page and "Въведете число." in page
    assert 'id="id_date-error"' in page
    assert not EnteredIndicator.objects.exists()


def test_a_good_value_entered_on_the_page_is_on_the_page(world, member):
    response = member.post("/strategy/sliven/indicators/?lang=en", {**GOOD})
    assert response.status_code == 302
    page = member.get(response["Location"]).content.decode()
    assert "Municipal count" in page and "1,200" in page


def test_the_transfers_in_and_out_are_listed_once_the_exchange_has_them(world, answers):
    """Shows nothing until the transfers (issue 16, built apart) are merged; then lists
    Sliven's transfer of Drôme's practice as Sliven's in and Drôme's out."""
    from exchange import models

    if not hasattr(models, "Transfer"):
        assert strategy(world.sliven, lang="en", user=AnonymousUser()).transfers is None
        page = Client().get("/strategy/sliven/?lang=en").content.decode()
        assert 'id="transfers"' not in page
        return
    models.Transfer.objects.create(practice=answers["in_gap"], partner=world.sliven)
    sliven = strategy(world.sliven, lang="en", user=AnonymousUser()).transfers
    drome = strategy(world.drome, lang="en", user=AnonymousUser()).transfers
    assert sliven is not None and drome is not None
    assert [t["practice"]["title"] for t in sliven["in"]] == ["Wine trail in the hills"]
    assert sliven["out"] == [] and drome["in"] == []
    assert [t["to"] for t in drome["out"]] == ["Sliven"]


def test_a_charts_highest_point_stays_clear_of_its_top_value_label():
    """The chart writes its largest value at its top left (10 px text, baseline at 14):
    a series that is flat at its largest value drew its line through that label."""
    from datetime import date

    from maps.pages.strategy import chart

    drawn = chart([(date(2025, 12, 6), 4.11), (date(2026, 12, 6), 4.11)])
    assert min(float(y) for _, y in drawn["dots"]) >= 20
    assert max(float(y) for _, y in drawn["dots"]) <= drawn["height"] - 8


def test_a_count_s_chart_writes_its_top_value_as_a_whole_number():
    """Sliven's published routes chart said "2,00" above a table that says 2."""
    from datetime import date

    from maps.pages.strategy import _measured
    from planner.models import IndicatorSnapshot

    snapshots = [IndicatorSnapshot(taken_on=date(2026, 12, d), attractions_per_100km2=0.37,
                                   covered_share=0.25, trail_km=4.1, published_routes=2,
                                   gap_km2=2779.6) for d in (5, 6)]
    with translation.override("bg"):
        tops = {m["key"]: m["chart"]["top"] for m in _measured(snapshots)}
    assert tops["published_routes"] == "2"
    assert tops["attractions_per_100km2"] == "0,37"
