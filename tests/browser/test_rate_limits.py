"""Browsing under the production rate limits (Trust D7): a person moving about the
explorer in a real Chromium is never throttled, while every request is counted."""

from __future__ import annotations

import pytest

from accounts.models import RateCount
from config import settings as project
from tests.browser.explorer import OVERVIEW, open_explorer, settle

# It writes: the live server counts the requests in the database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moving_about_the_explorer_stays_under_the_production_limits(page, live_server,
                                                                     region, settings):
    settings.ATLAS_THROTTLE_RATES = dict(project.ATLAS_THROTTLE_RATES)
    answers: list[tuple[int, str]] = []
    page.on("response", lambda r: answers.append((r.status, r.url)))
    open_explorer(page, live_server, OVERVIEW)
    settle(page)
    for dx, dy in [(900, 0), (0, 600), (-900, 0), (0, -600)] * 2:
        page.evaluate(f"() => window.atlasMap.panBy([{dx}, {dy}], {{animate: false}})")
        settle(page)
    for zoom in (10, 11, 12, 8, 7):
        page.evaluate(f"() => window.atlasMap.setZoom({zoom}, {{animate: false}})")
        settle(page)
    api = [url for status, url in answers if "/api/" in url]
    assert len(api) > 10, "the explorer asked the API for its data"
    assert [a for a in answers if a[0] == 429] == []
    counted = RateCount.objects.get(key="anon:ip-127.0.0.1").hits
    assert counted >= len(api) + 1, "every page and API request was counted"
