"""The regional explorer at / in a real Chromium: what it draws, its popups, languages
and controls, and the view kept in the URL (search, loading and layout: the other
test_explorer_* files)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from layers.models import Partner
from tests.browser.conftest import BASEMAP_HOSTS, PLATFORM_HOSTS, screenshot
from tests.browser.explorer import MARKERS, OVERVIEW, find_marker, open_explorer

pytestmark = [pytest.mark.browser]

def test_markers_trails_and_boundaries_appear(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator(MARKERS).count() == 3
    assert page.locator("path.atlas-trail").count() == 2
    assert page.locator("path.atlas-boundary").count() == 2
    assert find_marker(page, "Blue Rocks").count() == 1
    assert page.get_attribute(".folium-map", "data-features-loaded") == "5"
    assert page.console_errors == []
    screenshot(page, "test-explorer-desktop")


def test_each_category_has_its_icon_with_its_name_as_alt_text(page, live_server, region):
    open_explorer(page, live_server, f"lang=fr&{OVERVIEW}")
    icon = find_marker(page, "Forum d’Augusta Traiana").locator("img")
    assert icon.get_attribute("alt") == "Site archéologique"
    assert icon.get_attribute("src").endswith("/vendor/maki/historic.svg")
    assert find_marker(page, "Blue Rocks").locator("img").get_attribute("alt") == \
        "Formation rocheuse"
    missing = page.eval_on_selector_all("img", "els => els.filter(e => !e.hasAttribute('alt'))"
                                               ".map(e => e.src)")
    assert missing == []


def test_clicking_a_marker_opens_a_popup_in_bulgarian_with_a_link_to_the_details(
        page, live_server, region):
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    find_marker(page, "Античен форум „Августа Траяна“").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Античен форум „Августа Траяна“"
    assert popup.locator(".atlas-popup-kind").inner_text() == "Археологически обект"
    assert popup.locator(".atlas-popup-description").inner_text() == \
        "Руини на римския форум в центъра на града."
    assert popup.locator(".atlas-popup-partner").inner_text() == "Стара Загора"
    screenshot(page, "test-explorer-popup-bg")
    popup.locator("a", has_text="Подробности").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Античен форум „Августа Траяна“"
    assert page.locator("html").get_attribute("lang") == "bg"


def test_popup_falls_back_to_english_when_the_language_has_no_name(page, live_server,
                                                                    region):
    open_explorer(page, live_server, f"lang=el&{OVERVIEW}")
    find_marker(page, "Blue Rocks").click()
    popup = page.locator(".atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Blue Rocks"
    assert popup.locator(".atlas-popup-kind").inner_text() == "Βραχώδης σχηματισμός"


def test_the_interface_speaks_the_chosen_language(page, live_server, region):
    open_explorer(page, live_server, f"lang=el&{OVERVIEW}")
    assert page.locator("html").get_attribute("lang") == "el"
    assert page.locator("header .brand").inner_text() == "Περιφερειακός Τουριστικός Άτλαντας"
    assert page.locator(".atlas-layers .atlas-panel-toggle").inner_text().startswith("Επίπεδα")
    assert page.locator("label[for=atlas-kind-trail]").inner_text() == "Μονοπάτια"
    assert page.locator("label[for=atlas-partner-stara-zagora]").inner_text() == \
        "Στάρα Ζαγκόρα"


def test_layer_toggles_hide_and_show_kinds_and_partners(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.uncheck("#atlas-kind-trail")
    assert page.locator("path.atlas-trail").count() == 0
    assert "kinds=boundary%2Cattraction%2Croute" in page.url
    page.check("#atlas-kind-trail")
    assert page.locator("path.atlas-trail").count() == 2

    page.uncheck("#atlas-partner-sliven")
    assert page.locator(MARKERS).count() == 2
    assert find_marker(page, "Blue Rocks").count() == 0
    assert page.locator("path.atlas-trail").count() == 1
    assert page.locator("path.atlas-boundary-sliven").count() == 0
    assert parse_qs(urlsplit(page.url).query)["partners"] == ["stara-zagora"]
    page.check("#atlas-partner-sliven")
    assert find_marker(page, "Blue Rocks").count() == 1

    page.uncheck("#atlas-kind-attraction")
    assert page.locator(MARKERS).count() == 0
    page.uncheck("#atlas-kind-boundary")
    assert page.locator("path.atlas-boundary").count() == 0


def test_trails_are_coloured_by_activity_or_difficulty_as_the_legend_says(page, live_server,
                                                                          region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")

    def colours():
        return sorted(page.eval_on_selector_all("path.atlas-trail",
                                                "els => els.map(e => e.getAttribute('stroke'))"))

    def legend(name):
        return page.eval_on_selector(
            f".atlas-legend-lines li[data-value={name}] .atlas-legend-line",
            "e => getComputedStyle(e).backgroundColor")

    by_activity = colours()
    assert len(set(by_activity)) == 2
    assert legend("hiking") == "rgb(160, 64, 0)"  # #a04000
    assert "#a04000" in by_activity
    page.select_option("#atlas-colour-by", "difficulty")
    assert sorted(colours()) == sorted(["#cb4335", "#27ae60"])  # hard, easy
    assert legend("hard") == "rgb(203, 67, 53)"
    assert "colour=difficulty" in page.url


@pytest.mark.django_db(transaction=True)  # it changes a partner's colour
def test_each_partner_has_its_colour_from_the_data_in_its_swatch_and_boundary(
        page, live_server, region):
    def colours(slug):
        swatch = page.eval_on_selector(f"label[for=atlas-partner-{slug}] .atlas-swatch",
                                       "e => getComputedStyle(e).borderTopColor")
        return swatch, page.get_attribute(f"path.atlas-boundary-{slug}", "stroke")

    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert colours("sliven") == ("rgb(85, 85, 85)", "#555555")  # the neutral default
    Partner.objects.filter(slug="sliven").update(colour="#ff8800")
    page.reload()
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert colours("sliven") == ("rgb(255, 136, 0)", "#ff8800")
    assert colours("stara-zagora") == ("rgb(85, 85, 85)", "#555555")


def test_the_view_is_kept_in_the_url_and_a_shared_link_shows_it(page, new_page, live_server,
                                                                 region):
    open_explorer(page, live_server, f"lang=fr&{OVERVIEW}")
    page.evaluate("() => window.atlasMap.setView([42.6, 26.3], 11, {animate: false})")
    page.uncheck("#atlas-kind-trail")
    page.select_option("#atlas-colour-by", "difficulty")
    shared = page.url
    query = parse_qs(urlsplit(shared).query)
    assert query["map"] == ["11/42.6000/26.3000"]
    assert query["lang"] == ["fr"]

    other = new_page()
    other.goto(shared)
    other.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert other.evaluate("() => window.atlasMap.getZoom()") == 11
    centre = other.evaluate("() => window.atlasMap.getCenter()")
    assert abs(centre["lat"] - 42.6) < 1e-3 and abs(centre["lng"] - 26.3) < 1e-3
    assert not other.is_checked("#atlas-kind-trail")
    assert other.input_value("#atlas-colour-by") == "difficulty"
    assert other.locator("html").get_attribute("lang") == "fr"


def test_the_language_switcher_keeps_the_view(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.evaluate("() => window.atlasMap.setView([42.43, 25.63], 12, {animate: false})")
    page.click("nav.languages a[hreflang=bg]")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert page.locator("html").get_attribute("lang") == "bg"
    assert parse_qs(urlsplit(page.url).query)["map"] == ["12/42.4300/25.6300"]
    assert page.locator("nav.languages a[aria-current]").inner_text() == "Български"


def test_routes_from_the_regional_layer_are_drawn_as_lines(page, live_server, region):
    """Routes arrive in the regional layer as kind "route" (the routes app adds them)."""
    route = {"type": "Feature", "id": "4e1c2b9a-0000-4000-8000-000000000001",
             "geometry": {"type": "MultiLineString",
                          "coordinates": [[[25.55, 42.45], [25.7, 42.5], [25.9, 42.55]]]},
             "properties": {"kind": "route", "name": "Thracian kings", "slug": "thracian-kings",
                            "url": "/routes/thracian-kings/", "partner": "stara-zagora"}}

    def add_route(r):
        response = r.fetch()
        body = response.json()
        bbox = parse_qs(urlsplit(r.request.url).query).get("bbox", [""])[0]
        if bbox:
            w, s, e, n = map(float, bbox.split(","))
            if w < 25.9 and e > 25.55 and s < 42.55 and n > 42.45:
                body["features"].append(route)
                body["numberMatched"] += 1
                body["numberReturned"] += 1
        r.fulfill(response=response, body=json.dumps(body))

    page.route(re.compile(r".*/api/regional-layer/\?.*"), add_route)
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}", ready="path.atlas-route")
    assert page.locator("path.atlas-route").count() == 1
    assert page.locator("path.atlas-route").get_attribute("stroke-dasharray") == "10 6"
    page.uncheck("#atlas-kind-route")
    assert page.locator("path.atlas-route").count() == 0
    page.check("#atlas-kind-route")
    page.evaluate("""() => window.atlasExplorer.registry.get(
        "4e1c2b9a-0000-4000-8000-000000000001").layer.openPopup()""")
    popup = page.locator(".atlas-popup")
    assert popup.locator(".atlas-popup-name").inner_text() == "Thracian kings"
    assert popup.locator(".atlas-popup-kind").inner_text() == "Route"
    assert popup.locator("a").get_attribute("href") == "/routes/thracian-kings/"


def test_locate_me_shows_where_you_are(new_page, live_server, region):
    page = new_page(geolocation={"latitude": 42.43, "longitude": 25.63},
                    permissions=["geolocation"])
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.click(".atlas-locate-button")
    page.wait_for_selector("path.atlas-here", timeout=10_000)
    centre = page.evaluate("() => window.atlasMap.getCenter()")
    assert abs(centre["lat"] - 42.43) < 0.01 and abs(centre["lng"] - 25.63) < 0.01


def test_the_page_uses_no_host_but_the_platform_and_the_basemap(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.fill("#atlas-search-input", "Stara")
    page.wait_for_selector(".atlas-result", timeout=5_000)
    find_marker(page, "Blue Rocks").click()
    page.locator(".atlas-popup-link").click()
    page.wait_for_selector("h1")
    page.wait_for_load_state("networkidle")
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS
    assert page.requested_hosts & PLATFORM_HOSTS
    assert page.requested_hosts & BASEMAP_HOSTS, "the basemap is drawn"
