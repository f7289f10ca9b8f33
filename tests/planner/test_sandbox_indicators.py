"""A training partner's indicators (measured and entered) stay out of the planner's API
for everyone but its own accounts: its figures are not the public's
(docs/users/training.md)."""

from __future__ import annotations

from datetime import date

import pytest

from planner.models import EnteredIndicator, IndicatorSnapshot
from tests.factories import make_partner, make_person

pytestmark = pytest.mark.django_db

FIGURES = {"radius_km": 5, "area_km2": 100, "attractions": 3, "attractions_per_100km2": 3,
           "trail_km": 1, "trail_km_per_100km2": 1, "published_routes": 0,
           "covered_share": 0.5, "gap_km2": 50, "gaps": 1}


@pytest.fixture
def partners(db):
    real = make_partner("sliven", bbox=(25.9, 42.4, 26.8, 43.0))
    sandbox = make_partner("sandbox", bbox=(24.0, 41.5, 24.5, 41.9), sandbox=True)
    for p in (real, sandbox):
        IndicatorSnapshot.objects.create(partner=p, taken_on=date(2026, 11, 1), **FIGURES)
        EnteredIndicator.objects.create(partner=p, indicator="arrivals", value=1200,
                                        unit="people", date=date(2026, 10, 31),
                                        source="Regional statistics")
    return {"real": real, "sandbox": sandbox}


@pytest.mark.parametrize("path", ["/api/coverage/snapshots/", "/api/coverage/indicators/"])
def test_only_the_sandbox_s_own_accounts_see_its_indicators(client, partners, path):
    assert {r["partner"] for r in client.get(path).json()["results"]} == {"sliven"}
    client.force_login(make_person(partners["real"], "members"))
    assert {r["partner"] for r in client.get(path).json()["results"]} == {"sliven"}
    client.force_login(make_person(partners["sandbox"], "members", username="trainee"))
    assert {r["partner"] for r in client.get(path).json()["results"]} == {"sliven", "sandbox"}
