"""Journeys' search in a real Chromium: a transliteration finds the place, a place name
narrows the search, any result picked opens its popup with its link, and the map's
category filter lists only the categories it has."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import shared
from tests.browser.explorer import MARKERS, OVERVIEW, open_explorer, region, settle
from tests.factories import make_attraction, make_layer

pytestmark = [pytest.mark.browser]


def journeys():
    """The explorer's test region, with a fortress and a monastery in Sliven and a
    monastery in Stara Zagora."""
    sz, sliven = region()
    sliven_sights = make_layer(sliven, slug="sliven-sights")
    make_attraction(sliven_sights, 26.45, 42.80, name_bg="Крепост Туида", name_en=None,
                    category="fort")
    make_attraction(sliven_sights, 26.15, 42.85, name_en="St Nicholas Monastery",
                    name_bg="Манастир „Свети Никола“", category="monastery")
    make_attraction(make_layer(sz, slug="sz-monasteries"), 25.45, 42.25,
                    name_en="St Athanasius Monastery", category="monastery")
    return sz, sliven


journeys = shared(journeys)


def _results(page, text: str) -> list[str]:
    page.fill("#atlas-search-input", "")  # the last search's results go first
    page.wait_for_selector(".atlas-result, .atlas-no-result", state="detached", timeout=5_000)
    page.fill("#atlas-search-input", text)
    page.wait_for_selector(".atlas-result, .atlas-no-result", timeout=5_000)
    return page.locator(".atlas-result-name").all_inner_texts()


def test_tuyda_finds_the_fortress_of_tuida(page, live_server, journeys):
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    assert _results(page, "Tuyda") == ["Крепост Туида"]
    page.locator(".atlas-result", has_text="Туида").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Крепост Туида"
    assert re.fullmatch(r"/attractions/[0-9a-f-]{36}/",
                        popup.locator("a.atlas-popup-link").get_attribute("href"))


def test_monastery_sliven_finds_the_monasteries_of_sliven_only(page, live_server, journeys):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert _results(page, "monastery sliven") == ["St Nicholas Monastery"]
    assert sorted(_results(page, "manastir")) == ["St Athanasius Monastery",
                                                  "St Nicholas Monastery"]


def test_picking_a_trail_opens_its_popup_with_its_link(page, live_server, journeys):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    _results(page, "Cycle way")
    page.locator(".atlas-result", has_text="Cycle way").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Cycle way"
    assert re.fullmatch(r"/trails/[0-9a-f-]{36}/",
                        popup.locator("a.atlas-popup-link").get_attribute("href"))


def test_picking_a_partner_opens_its_popup_with_its_routes(page, live_server, journeys):
    open_explorer(page, live_server, f"lang=fr&{OVERVIEW}")
    page.fill("#atlas-search-input", "Сливен")
    page.locator(".atlas-result", has_text="Sliven").first.click()
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Sliven"
    link = popup.locator("a.atlas-popup-link")
    assert link.inner_text() == "Itinéraires de ce territoire"
    assert link.get_attribute("href") == "/routes/?partner=sliven"


def test_the_category_filter_lists_the_categories_present_and_filters_the_map(
        page, live_server, journeys):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    options = page.locator("#atlas-category option").all_text_contents()
    assert options == ["All categories", "Archaeological site", "Fort", "Monastery",
                       "Museum", "Rock formation"]
    legend = page.locator(".atlas-legend-icons li").all_text_contents()
    assert sorted(legend) == options[1:]
    page.select_option("#atlas-category", "monastery")
    page.wait_for_function(f"""() => {{
        const titles = [...document.querySelectorAll("{MARKERS}")].map(m => m.title).sort();
        return titles.join("|") === "St Athanasius Monastery|St Nicholas Monastery"; }}""",
                           timeout=10_000)
    settle(page)
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 0
    assert "category=monastery" in page.url
    page.reload()  # the link keeps the choice
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert page.locator("#atlas-category").input_value() == "monastery"
    settle(page)
    titles = sorted(m.get_attribute("title") for m in page.locator(MARKERS).all())
    assert titles == ["St Athanasius Monastery", "St Nicholas Monastery"]
    page.select_option("#atlas-category", "")
    page.wait_for_function(f"""() => document.querySelectorAll("{MARKERS}").length === 6""",
                           timeout=10_000)
