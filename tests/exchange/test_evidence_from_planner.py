"""Evidence from the planner: an indicator row of a practice or a transfer that names one
of the planner's measures takes its values from the partner's analysis snapshots at its
dates (the last snapshot on or before each), not from typed numbers, and says so: its
dates are the snapshots' days and its source names the planner's analyses."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from exchange.models import GoodPractice
from exchange.services import IndicatorSpec, practice_update
from exchange.transfers import EvidenceSpec, transfer_evidence_add, transfer_move, transfer_open
from geo.errors import InvalidFields
from tests.exchange.conftest import publish, snapshot, write_practice


@pytest.fixture
def snapshots(world):
    """Drôme's analyses of 1 March 2024 and 1 June 2025, Sliven's of 1 January 2024 and
    1 April 2025."""
    snapshot(world.drome, dt.date(2024, 3, 1), per_100=3.1, share=0.52)
    snapshot(world.drome, dt.date(2025, 6, 1), per_100=3.9, share=0.612)
    snapshot(world.sliven, dt.date(2024, 1, 1), trail_km=40.0)
    snapshot(world.sliven, dt.date(2025, 4, 1), trail_km=58.24)


@pytest.fixture
def transfer(world):
    practice = publish(world, write_practice(world))
    return transfer_open(user=world.dr_member, practice=practice, partner=None)


def test_a_transfer_row_takes_its_values_from_drome_s_snapshots(world, snapshots, transfer):
    row = transfer_evidence_add(user=world.dr_member, transfer=transfer, row=EvidenceSpec(
        name="Share within reach", measure="share_within", value_before=99.0,
        value_after=100.0, date_before=dt.date(2024, 5, 1), date_after=dt.date(2025, 7, 1),
        source="typed"))
    # The typed numbers gave way to the planner's, at the snapshots' own days.
    assert (row.value_before, row.value_after) == (52.0, 61.2)
    assert (row.date_before, row.date_after) == (dt.date(2024, 3, 1), dt.date(2025, 6, 1))
    assert row.unit == "%"
    body = Client().get(f"/api/practices/transfers/{transfer.uid}/?lang=fr").json()
    shown = body["indicators"][0]
    assert shown["source"].startswith("Le planificateur de l’atlas")
    # The snapshots' days, written the reader's way.
    assert "1 mars 2024" in shown["source"] and "1 juin 2025" in shown["source"]
    assert shown["in_territory"] is True
    # Measured in Drôme, it is evidence enough to count the practice as transferred.
    transfer_move(user=world.dr_member, transfer=transfer, to="transferred")


def test_the_date_after_defaults_to_today(world, snapshots, transfer):
    row = transfer_evidence_add(user=world.dr_member, transfer=transfer, row=EvidenceSpec(
        name="Attractions per 100 km²", measure="attractions_per_100km2",
        date_before=dt.date(2024, 3, 1)))
    assert (row.value_before, row.value_after) == (3.1, 3.9)
    assert row.date_after == dt.date(2025, 6, 1)


@pytest.mark.parametrize(("dates", "field", "words"), [
    ((dt.date(2023, 1, 1), dt.date(2025, 7, 1)), "indicators[0].date_before",
     "no analysis of Drôme on or before 2023-01-01"),
    ((dt.date(2024, 4, 1), dt.date(2024, 9, 1)), "indicators[0].date_after",
     "the same one (of 2024-03-01)"),
    ((None, dt.date(2024, 9, 1)), "indicators[0].date_before", "date of the measure before"),
])
def test_a_planner_row_without_two_analyses_is_refused_naming_its_date(
        world, snapshots, transfer, dates, field, words):
    with pytest.raises(InvalidFields) as caught:
        transfer_evidence_add(user=world.dr_member, transfer=transfer, row=EvidenceSpec(
            name="Share", measure="share_within", date_before=dates[0], date_after=dates[1]))
    assert words in str(caught.value.fields[field][0])
    assert transfer.indicators.count() == 0


def test_the_api_answers_400_naming_the_row_s_date(world, snapshots, transfer):
    client = Client()
    client.force_login(world.dr_member)
    response = client.post(f"/api/practices/transfers/{transfer.uid}/evidence/?lang=en",
                           json.dumps({"name": "Share", "measure": "share_within",
                                       "date_before": "2020-01-01"}),
                           content_type="application/json")
    assert response.status_code == 400, response.content
    assert "indicators[0].date_before" in response.content.decode()


def test_a_practice_row_takes_its_partner_s_trail_kilometres(world, snapshots):
    practice = write_practice(world)
    client = Client()
    client.force_login(world.sl_member)
    response = client.patch(
        f"/api/practices/{practice.uid}/?lang=en", json.dumps({"indicators": [
            {"name": "Trail kilometres", "measure": "trail_km", "date_before": "2024-02-01",
             "date_after": "2025-05-01", "value_before": 1, "value_after": 2},
            {"name": "Visitors on the night", "unit": "people", "value_before": 1200,
             "value_after": 5400, "source": "Tickets"}]}),
        content_type="application/json")
    assert response.status_code == 200, response.content
    rows = response.json()["indicators"]
    assert rows[0]["measure"] == "trail_km"
    assert (rows[0]["value_before"], rows[0]["value_after"]) == (40.0, 58.2)
    assert (rows[0]["date_before"], rows[0]["date_after"]) == ("2024-01-01", "2025-04-01")
    assert rows[0]["source"].startswith("The atlas's planner")
    assert rows[1]["source"] == "Tickets" and rows[1]["value_after"] == 5400


def test_an_external_practice_types_its_values(world, snapshots):
    practice = write_practice(world, origin="external", source_organisation="Somewhere")
    with pytest.raises(InvalidFields) as caught:
        practice_update(user=world.sl_member, practice=practice, values={}, indicators=[
            IndicatorSpec(name="Trail km", measure="trail_km",
                          date_before=dt.date(2024, 2, 1))])
    assert "indicators[0].measure" in caught.value.fields
    assert GoodPractice.objects.get().indicators.count() == 0


def test_the_practice_page_shows_the_planner_as_the_source(world, snapshots):
    practice = write_practice(world)
    practice_update(user=world.sl_member, practice=practice, values={}, indicators=[
        IndicatorSpec(name="Trail kilometres", measure="trail_km",
                      date_before=dt.date(2024, 2, 1), date_after=dt.date(2025, 5, 1))])
    client = Client()
    client.force_login(world.sl_member)
    page = client.get(f"/practices/{practice.uid}/?lang=bg").content.decode()
    with translation.override("bg"):
        written = date_format(dt.date(2025, 4, 1))
    assert "58,2" in page and f"<small>{written}</small>" in page
    assert "Планировчикът на атласа" in page
