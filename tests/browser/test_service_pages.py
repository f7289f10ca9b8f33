"""Listings in a real Chromium: the explorer's services layer and its type filter, a
listing's popup and an attraction's (open now for a fixed clock, found by the search) and
a listing's page, in three languages and on a phone."""

from __future__ import annotations

import pytest

from tests.browser import explorer
from tests.browser.conftest import DESKTOP, PHONE, screenshot, shared
from tests.browser.explorer import OVERVIEW, open_explorer
from tests.factories import make_attraction, make_layer, make_listing

pytestmark = [pytest.mark.browser]


def listings_region():
    """The explorer's region with a guesthouse, a festival, a guide (no hours) and a
    museum (an attraction with hours) in Sliven, a tavern in Stara Zagora."""
    _sz, sliven = explorer.region()
    make_listing(26.55, 42.85, type="accommodation", name_bg="Къща „Сините камъни“",
                 name_en="Blue Stones guesthouse", opening_hours="Mo-Su 08:00-22:00; PH off")
    make_listing(26.05, 42.52, type="event", name_en="Wine festival", name_bg="Празник на виното",
                 starts_on="2027-05-01", ends_on="2027-05-03")
    make_listing(25.35, 42.25, type="food_drink", name_en="Zagore tavern",
                 name_bg="Механа „Загоре“", opening_hours="Mo-Su 11:00-23:00")
    make_listing(26.42, 42.78, type="guide", name_en="Balkan guide", name_bg="Балкански водач")
    # An attraction with hours: its popup says whether it is open now, as a listing's does.
    make_attraction(make_layer(sliven), 26.33, 42.69, name_bg="Музей на текстилната индустрия",
                    name_en="Textile Industry Museum", category="museum",
                    opening_hours="Tu-Su 10:00-18:00; PH off")


listings_region = shared(listings_region)
SERVICE_MARKERS = ".leaflet-marker-pane .atlas-family-listing"


def test_the_services_layer_and_its_type_filter(page, live_server, listings_region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator(SERVICE_MARKERS).count() == 4
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
    assert page.locator(".open-state").inner_text().startswith(("Отворено сега",
                                                                 "Затворено сега"))
    assert page.locator("table.week tr").count() == 7
    screenshot(page, "test-service-page-bg")
    assert page.console_errors == []


# Orthodox Easter Monday 2027 (3 May), noon in Sofia: a public holiday in Bulgaria.
EASTER_MONDAY_NOON = "2027-05-03T12:00:00+03:00"
# (what to search, its name in the results) -> what its popup says at that moment.
OPEN_NOW = {
    "bg": [("Сините", "Къща „Сините камъни“", "closed",
            "Затворено сега · отваря утре в 08:00"),
           ("Загоре", "Механа „Загоре“", "open", "Отворено сега · затваря в 23:00"),
           ("празник", "Празник на виното", "open", "Отворено сега"),
           ("текстил", "Музей на текстилната индустрия", "closed",
            "Затворено сега · отваря утре в 10:00")],
    "el": [("Blue Stones", "Blue Stones guesthouse", "closed",
            "Κλειστό τώρα · ανοίγει αύριο στις 08:00"),
           ("Zagore", "Zagore tavern", "open", "Ανοιχτό τώρα · κλείνει στις 23:00"),
           ("festival", "Wine festival", "open", "Ανοιχτό τώρα"),
           ("Textile", "Textile Industry Museum", "closed",
            "Κλειστό τώρα · ανοίγει αύριο στις 10:00")],
}
NO_HOURS = {"bg": "Балкански", "el": "Balkan"}
FIRST_DAY = {"bg": ("понеделник 3 май", "Затворено"), "el": ("Δευτέρα 3 Μαΐου", "Κλειστό")}


def pick(page, text: str, name: str):
    """Search ``text``, choose the result named ``name``: its popup, its hours read."""
    page.fill("#atlas-search-input", text)
    page.locator(".atlas-result", has_text=name).first.click()
    # By its name: the popup before fades out for a moment beside it.
    popup = page.locator(".leaflet-popup-content .atlas-popup[data-hours=ready]").filter(
        has=page.locator(".atlas-popup-name", has_text=name))
    popup.wait_for(timeout=10_000)
    settled(page)
    return popup


def settled(page) -> None:
    """Wait until the map stands still: a popup changed while the map pans for it is made
    again when the move ends (its elements then replaced), so it is read once still."""
    page.wait_for_function(
        "() => !(window.atlasMap._panAnim && window.atlasMap._panAnim._inProgress)")


@pytest.mark.parametrize(("lang", "viewport"), [("bg", DESKTOP), ("el", PHONE)])
def test_a_listings_popup_says_whether_it_is_open_now(new_page, live_server, listings_region,
                                                      settings, lang, viewport):
    settings.ATLAS_NOW = EASTER_MONDAY_NOON
    page = new_page(viewport=viewport)
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    for text, name, state, summary in OPEN_NOW[lang]:
        popup = pick(page, text, name)
        said = popup.locator(".atlas-popup-open")
        assert (said.get_attribute("data-state"), said.inner_text()) == (state, summary)
        if name in ("Къща „Сините камъни“", "Blue Stones guesthouse"):
            # The week, folded: today first, closed for the holiday; then its hours.
            popup.locator(".atlas-popup-week summary").click()
            settled(page)
            rows = popup.locator(".atlas-popup-week tr")
            assert rows.count() == 7
            assert tuple(rows.first.locator("th, td").all_inner_texts()) == FIRST_DAY[lang]
            assert rows.nth(1).locator("td").inner_text() == "08:00–22:00"
            popup.locator(".atlas-popup-link").scroll_into_view_if_needed()
            screenshot(page, f"test-explorer-open-now-{lang}")
    # A guide who gives no hours: the popup says nothing of being open or closed.
    popup = pick(page, NO_HOURS[lang], "Балкански водач" if lang == "bg" else "Balkan guide")
    assert popup.locator(".atlas-popup-hours").inner_text() == ""
    assert popup.locator(".atlas-popup-open, .atlas-popup-week").count() == 0
    assert page.console_errors == []
