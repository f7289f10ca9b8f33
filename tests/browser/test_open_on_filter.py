"""The explorer's "open on" filter for listings, in a real Chromium: a day chosen shows
only the listings open that day (hours with the country's public holidays, event dates),
or on a day of a period, and a listing's popup says its hours that day."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.explorer import OVERVIEW, open_explorer
from tests.browser.test_service_pages import SERVICE_MARKERS, listings_region  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_open_on_shows_the_listings_open_that_day(page, live_server, listings_region):  # noqa: F811
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator(SERVICE_MARKERS).count() == 4
    # 1 May 2027: Labour Day in Bulgaria (the guesthouse says "PH off"), the festival's
    # first day, and the tavern opens every day.
    page.fill("#atlas-open-on", "2027-05-01")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 2")
    titles = sorted(m.get_attribute("title") for m in page.locator(SERVICE_MARKERS).all())
    assert titles == ["Wine festival", "Zagore tavern"]
    assert "open_on=2027-05-01" in page.url
    # A popup says how the listing is open on the day chosen.
    page.locator(f"{SERVICE_MARKERS}[title='Zagore tavern']").click()
    page.wait_for_selector(".atlas-popup[data-hours=ready]", timeout=10_000)
    assert page.locator(".atlas-popup-on").inner_text() == "Open on Saturday 1 May: 11:00–23:00"
    # Until the Tuesday: the guesthouse opens again on the 4th; the guide (no hours) stays
    # off the map, not known to be open.
    page.fill("#atlas-open-until", "2027-05-04")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 3")
    assert "open_on=2027-05-01%2F2027-05-04" in page.url
    screenshot(page, "test-explorer-open-on-a-period")
    page.fill("#atlas-open-on", "")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 4")
    assert page.console_errors == []
