"""The partners' measured indicators over time: the analysis keeps a snapshot of each
partner when it answers the standard question on data that changed, and none otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from planner.models import IndicatorSnapshot
from planner.params import CoverageQuery
from planner.selectors import analyse, snapshot_on
from tests.planner.world import partner, place

pytestmark = pytest.mark.django_db


def test_the_standard_analysis_keeps_each_partners_indicators_of_the_day(world):
    result = analyse(CoverageQuery(), "en")
    row = partner(result)
    snap = IndicatorSnapshot.objects.get(partner=world.partner)
    assert snap.taken_on == timezone.localdate()
    assert snap.radius_km == 5.0
    assert snap.attractions == row.attractions == 3
    assert snap.attractions_per_100km2 == pytest.approx(row.attractions_per_100km2)
    assert snap.covered_share == pytest.approx(row.covered_share)
    assert snap.trail_km == pytest.approx(row.trail_km)
    assert snap.published_routes == 1
    assert snap.gaps == row.gaps


def test_analysing_unchanged_data_again_writes_nothing(world):
    analyse(CoverageQuery(), "en")
    first = IndicatorSnapshot.objects.get(partner=world.partner)
    analyse(CoverageQuery(), "en")
    analyse(CoverageQuery(partners=("testland",)), "en")
    again = IndicatorSnapshot.objects.get(partner=world.partner)
    assert again.taken_at == first.taken_at


def test_a_change_of_the_data_is_measured_again_the_same_day_in_one_row(world):
    analyse(CoverageQuery(), "en")
    place(world.places, "New gallery", (20, 10), category="gallery")
    analyse(CoverageQuery(), "en")
    snaps = list(IndicatorSnapshot.objects.filter(partner=world.partner))
    assert len(snaps) == 1
    assert snaps[0].attractions == 4


def test_a_change_on_a_later_day_adds_a_point_to_the_series(world):
    analyse(CoverageQuery(), "en")
    IndicatorSnapshot.objects.update(taken_on=timezone.localdate() - timedelta(days=30))
    place(world.places, "New gallery", (20, 10), category="gallery")
    analyse(CoverageQuery(), "en")
    series = list(IndicatorSnapshot.objects.filter(partner=world.partner)
                  .values_list("attractions", flat=True))
    assert series == [3, 4]


@pytest.mark.parametrize("query", [CoverageQuery(radius_km=2.0),
                                   CoverageQuery(categories=("museum",)),
                                   CoverageQuery(kinds=("attractions",))])
def test_other_questions_are_explorations_and_keep_nothing(world, query):
    analyse(query, "en")
    assert not IndicatorSnapshot.objects.exists()


def test_the_planner_api_takes_the_snapshot_and_lists_it(world):
    client = Client()
    assert client.get("/api/coverage/").status_code == 200
    body = client.get("/api/coverage/snapshots/?partner=testland").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["partner"] == "testland"
    assert row["attractions"] == 3
    assert row["date"] == timezone.localdate().isoformat()


def test_the_snapshots_api_names_a_bad_parameter(world):
    response = Client().get("/api/coverage/snapshots/?partner=atlantis")
    assert response.status_code == 400
    assert response.json()["parameter"] == "partner"


def test_the_indicators_on_a_date_are_the_last_snapshot_on_or_before_it(world):
    analyse(CoverageQuery(), "en")
    today = timezone.localdate()
    IndicatorSnapshot.objects.update(taken_on=today - timedelta(days=30))
    place(world.places, "New gallery", (20, 10), category="gallery")
    analyse(CoverageQuery(), "en")
    assert snapshot_on(partner="testland", day=today - timedelta(days=31)) is None
    assert snapshot_on(partner="testland", day=today - timedelta(days=30)).attractions == 3
    assert snapshot_on(partner="testland", day=today - timedelta(days=1)).attractions == 3
    assert snapshot_on(partner="testland", day=today).attractions == 4
