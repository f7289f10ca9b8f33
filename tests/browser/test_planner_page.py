"""The coverage planner at /planner/ and its report, in a real Chromium."""

from __future__ import annotations

import re

import pytest

from planner.params import CoverageQuery
from planner.selectors import analyse
from tests.browser.conftest import BASEMAP_HOSTS, shared
from tests.factories import make_attraction, make_layer, make_partner
from tests.planner.world import make_sub_areas, make_world

pytestmark = [pytest.mark.browser]


@shared
def world():
    """The constructed territory of the coverage tests (tests/planner/world.py)."""
    return make_world()


@pytest.fixture
def sub_areas(world):
    return make_sub_areas(world)


@pytest.fixture
def neighbour(world):
    """A second partner, far away, with a castle: something Testland lacks."""
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.8, 45.3), country="FR",
                         languages=["fr", "en"], name_fr="Drôme", name_en="")
    make_attraction(make_layer(drome), 4.9556, 44.5441, category="castle",
                    name_fr="Château de Grignan", name_en="")
    return drome


def _open(page, live_server, query: str) -> None:
    page.goto(f"{live_server.url}{query}")
    page.wait_for_selector(".folium-map[data-state=ready]", timeout=20_000)


def _cell(page, table: str, row: str, column: int = 1) -> str:
    return page.locator(f"#{table} tr[data-measure={row}] td").nth(column - 1).inner_text()


def _percent(share: float) -> str:
    from django.utils import translation

    from maps.templatetags.planner_tags import percent

    with translation.override("en"):
        return percent(share)


@pytest.mark.django_db(transaction=True)
def test_the_map_shows_the_areas_and_the_gaps_and_the_tables_the_numbers(
        page, live_server, world, sub_areas, neighbour):
    _open(page, live_server, "/planner/?partner=testland&radius_km=4&lang=en")
    expected = analyse(CoverageQuery(partners=("testland",), radius_km=4), "en")
    testland = expected.partners[0]
    # Two sub-areas carry the colours, the partner is their outline; one shape per gap.
    assert page.locator("path.planner-area").count() == 2
    assert page.locator("path.planner-gap").count() == len(expected.gaps) >= 3
    assert page.get_attribute(".folium-map", "data-areas") == "3"
    legend = page.locator(".planner-legend")
    assert "Attractions per 100 km²" in legend.inner_text()
    assert legend.locator("li").count() == 7  # five classes, the reach, the gaps
    # Every partner side by side, the chosen one marked; what it lacks, highlighted.
    assert page.locator("#comparison thead th").all_inner_texts() == [
        "Measure", "Drôme", "Testland"]
    assert page.locator("#comparison thead th.focus").inner_text() == "Testland"
    assert _cell(page, "comparison", "attractions", 2) == "3"
    assert _cell(page, "comparison", "reach", 2) == _percent(testland.covered_share)
    castle = page.locator("#categories tr[data-category=castle] td")
    assert castle.nth(0).inner_text() == "1"
    assert "missing" in castle.nth(1).get_attribute("class")
    assert page.locator("#sub-areas tbody tr").count() == 2
    assert page.locator("#gaps tbody tr").count() == len(expected.gaps)
    assert page.console_errors == []
    page.screenshot(path="test-results/planner.png", full_page=True)


def test_a_new_radius_redraws_the_gaps_and_rewrites_the_tables(page, live_server, world):
    _open(page, live_server, "/planner/?radius_km=4&lang=en")
    before = page.locator("path.planner-gap").count()
    page.fill("#planner-radius", "9")
    page.locator("#planner-radius").dispatch_event("change")
    page.wait_for_function("() => /radius_km=9/.test(document.querySelector('.folium-map')"
                           ".getAttribute('data-query')) && document.querySelector("
                           "'.folium-map').getAttribute('data-state') === 'ready'",
                           timeout=20_000)
    wider = analyse(CoverageQuery(radius_km=9), "en").partners[0]
    assert page.locator("path.planner-gap").count() == wider.gaps < before
    assert _cell(page, "comparison", "reach") == _percent(wider.covered_share)
    assert "within 9 km" in page.locator(".planner-question").inner_text()
    # The view is in the address: it can be shared, and the report follows it.
    assert re.search(r"radius_km=9", page.url)
    assert "radius_km=9" in page.get_attribute("#planner-report-link", "href")


def test_unticking_a_kind_and_recolouring_by_reach(page, live_server, world):
    _open(page, live_server, "/planner/?radius_km=4&lang=en")
    page.locator("input[name=kinds][value=trails]").uncheck()
    page.wait_for_function("() => /kinds=attractions%2Croutes/.test(document.querySelector("
                           "'.folium-map').getAttribute('data-query')) && document."
                           "querySelector('.folium-map').getAttribute('data-state') === "
                           "'ready'", timeout=20_000)
    fewer = analyse(CoverageQuery(radius_km=4, kinds=("attractions", "routes")), "en")
    assert _cell(page, "comparison", "reach") == _percent(fewer.partners[0].covered_share)
    page.select_option("#planner-measure", "reach")
    assert page.get_attribute(".folium-map", "data-measure") == "reach"
    assert "Share within reach" in page.locator(".planner-legend").inner_text()
    assert "measure=reach" in page.url


def test_the_planner_speaks_the_chosen_language(page, live_server, world):
    _open(page, live_server, "/planner/?lang=bg")
    assert page.get_attribute("html", "lang") == "bg"
    assert page.locator("#comparison thead th").nth(1).inner_text() == "Тестово"
    assert page.locator("#planner-partner option[value=testland]").inner_text() == "Тестово"


def test_the_report_prints_the_map_and_the_tables(page, live_server, world):
    _open(page, live_server, "/planner/report/?radius_km=4&lang=en")
    assert page.locator("path.planner-gap").count() >= 3
    assert page.locator("#comparison").is_visible()
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden()
    assert page.locator(".report .no-print").first.is_hidden()
    pdf = page.pdf(path="test-results/planner-report.pdf", format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_planner_uses_no_host_but_the_platform_and_the_basemap(page, live_server, world):
    _open(page, live_server, "/planner/")
    assert page.requested_hosts <= {"127.0.0.1", "localhost", *BASEMAP_HOSTS}


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_planner_fits_and_its_map_areas_are_named(page, live_server, world,
                                                                  sub_areas):
    """At 390×844 the page does not scroll sideways (the map's layer control once widened
    it to 442 px), and every area and gap the keyboard reaches on the map says what it is."""
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, live_server, "/planner/?partner=testland&lang=en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Chromium lets the keyboard reach a path Leaflet listens to for focus (its tooltip
    # opens then): every interactive one.
    names = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.planner-map .leaflet-overlay-pane path.leaflet-interactive'))
        .map(p => p.getAttribute('aria-label'))""")
    assert names and all(names), names
    assert any(n.startswith("Gap 1 · Testland, ") and "km²" in n for n in names), names
    assert any("Attractions per 100 km²" in n for n in names), names


def test_a_reach_out_of_range_is_named_in_the_page_language(page, live_server, world):
    """The API names its parameter (radius_km) in English; the planner names the field
    it sees, in its own words and numbers, and says the results shown are the old ones."""
    _open(page, live_server, "/planner/?radius_km=4&lang=bg")
    query = page.get_attribute(".folium-map", "data-query")
    page.fill("#planner-radius", "0")
    page.locator("#planner-radius").dispatch_event("change")
    page.wait_for_selector(".folium-map[data-state=failed]", timeout=10_000)
    status = page.locator("#planner-status").inner_text()
    assert "„Обхват (km)“" in status and "0,1" in status and "50" in status, status
    assert "предишния анализ" in status and "radius_km" not in status, status
    assert page.get_attribute("#planner-tables", "data-stale") == "true"
    assert page.get_attribute(".folium-map", "data-query") == query  # nothing asked
    page.fill("#planner-radius", "6")
    page.locator("#planner-radius").dispatch_event("change")
    page.wait_for_selector(".folium-map[data-state=ready]", timeout=20_000)
    assert page.get_attribute("#planner-tables", "data-stale") is None
    assert page.locator("#planner-status").inner_text() == ""


def test_the_category_count_says_all_again_when_none_is_ticked(page, live_server, world):
    _open(page, live_server, "/planner/?lang=en")
    count = page.locator("#planner-category-count")
    assert count.inner_text() == "(all)"
    page.locator("details.categories summary").click()
    museum = page.locator("input[name=categories][value=museum]")
    museum.check()
    assert count.inner_text() == "(1)"
    museum.uncheck()
    assert count.inner_text() == "(all)"


def test_on_a_phone_showing_a_gap_brings_the_map_into_view(page, live_server, world):
    """On a phone the tables come below the map: "Show on the map" scrolls back to it."""
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, live_server, "/planner/?partner=testland&radius_km=4&lang=en")
    button = page.locator("#gaps button.show-gap").first
    button.scroll_into_view_if_needed()
    assert page.locator(".planner-map .folium-map").bounding_box()["y"] < 0
    button.click()
    page.wait_for_timeout(300)
    box = page.locator(".planner-map .folium-map").bounding_box()
    assert box["y"] >= -1 and box["y"] + box["height"] <= 844 + 1, box
