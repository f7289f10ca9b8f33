"""Listings in a real Chromium: the explorer's services layer and its type filter, a
listing's popup and page (open now for a fixed clock), in two languages."""

from __future__ import annotations

import pytest

from tests.browser import explorer
from tests.browser.conftest import screenshot, shared
from tests.browser.explorer import OVERVIEW, open_explorer
from tests.factories import make_listing

pytestmark = [pytest.mark.browser]


def listings_region():
    """The explorer's region with a guesthouse and a festival in Sliven, a tavern in
    Stara Zagora."""
    explorer.region()
    make_listing(26.55, 42.85, type="accommodation", name_bg="Къща „Сините камъни“",
                 name_en="Blue Stones guesthouse", opening_hours="Mo-Su 08:00-22:00; PH off")
    make_listing(26.05, 42.52, type="event", name_en="Wine festival", name_bg="Празник на виното",
                 starts_on="2027-05-01", ends_on="2027-05-03")
    make_listing(25.35, 42.25, type="food_drink", name_en="Zagore tavern",
                 name_bg="Механа „Загоре“", opening_hours="Mo-Su 11:00-23:00")


listings_region = shared(listings_region)
SERVICE_MARKERS = ".leaflet-marker-pane .atlas-family-listing"


def test_the_services_layer_and_its_type_filter(page, live_server, listings_region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator(SERVICE_MARKERS).count() == 3
    page.select_option("#atlas-service-type", "event")
    assert page.locator(SERVICE_MARKERS).count() == 1
    assert page.locator(SERVICE_MARKERS).get_attribute("title") == "Wine festival"
    assert "type=event" in page.url
    page.uncheck("#atlas-kind-service")
    assert page.locator(SERVICE_MARKERS).count() == 0
    assert page.console_errors == []


def test_a_listings_popup_leads_to_its_page_in_bulgarian(page, live_server, listings_region,
                                                        settings):
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    page.locator(f"{SERVICE_MARKERS}[title='Къща „Сините камъни“']").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-kind").inner_text() == "Настаняване"
    popup.locator("a", has_text="Подробности").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Къща „Сините камъни“"
    assert page.locator(".open-state").inner_text() in ("Отворено сега", "Затворено сега")
    assert page.locator("table.week tr").count() == 7
    screenshot(page, "test-service-page-bg")
    assert page.console_errors == []
