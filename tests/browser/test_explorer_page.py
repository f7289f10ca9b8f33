"""The regional explorer at / in a real Chromium."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from tests.browser.conftest import (
    BASEMAP_HOSTS,
    PHONE,
    PLATFORM_HOSTS,
    feature_requests,
    screenshot,
)
from tests.browser.explorer import (
    MARKERS,
    OVERVIEW,
    find_marker,
    open_explorer,
    settle,
)
from tests.factories import (
    make_attraction,
    make_layer,
    make_museum_grid,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@pytest.mark.parametrize("text", ["Стара", "Stara"])
def test_search_finds_stara_zagora_in_either_script(page, live_server, region, text):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.fill("#atlas-search-input", text)
    page.wait_for_selector(".atlas-result", timeout=5_000)
    names = page.locator(".atlas-result-name").all_inner_texts()
    assert "Stara Zagora" in names  # the partner territory
    assert "Stara Zagora Regional History Museum" in names
    assert "Blue Rocks" not in names
    page.locator(".atlas-result", has_text="Regional History Museum").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup-name")
    popup.wait_for(timeout=5_000)
    assert popup.inner_text() == "Stara Zagora Regional History Museum"


def test_search_result_for_a_partner_shows_its_territory(page, live_server, region):
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    page.fill("#atlas-search-input", "Sliven")
    page.locator(".atlas-result", has_text="Сливен").first.click()
    # Waited for, not read once: under load the zoom can report its end before the
    # animated move has finished.
    page.wait_for_function("""() => {
        const m = window.atlasMap, c = m.getCenter();
        return m.getZoom() >= 9 && Math.abs(c.lat - 42.7) < 0.1 && Math.abs(c.lng - 26.3) < 0.1;
    }""", timeout=10_000)


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


def test_panning_fetches_only_what_is_new(page, live_server, region):
    open_explorer(page, live_server, "lang=en&map=12/42.43/25.63", ready="")
    settle(page)
    first = feature_requests(page)
    assert first
    page.evaluate("() => window.atlasMap.panBy([900, 0], {animate: false})")
    settle(page)
    after_pan = feature_requests(page)[len(first):]
    assert after_pan, "panning a screen east asks for the cells that came into view"
    assert not set(after_pan) & set(first), "no cell is asked for twice"
    page.evaluate("() => window.atlasMap.panBy([-900, 0], {animate: false})")
    settle(page)
    assert len(feature_requests(page)) == len(first) + len(after_pan), \
        "panning back asks for nothing"
    # Zooming in asks for nothing either: the coarser cells came complete.
    page.evaluate("() => window.atlasMap.setZoom(14, {animate: false})")
    settle(page)
    assert len(feature_requests(page)) == len(first) + len(after_pan)


def _bubbles(page) -> list[int]:
    settle(page)
    return [int(t.replace(",", "")) for t in page.locator(".atlas-dense").all_inner_texts()]


def test_a_dense_area_is_a_counted_bubble_until_zoomed_in(page, live_server, region):
    sz, _sliven = region
    # 2,100 points on a 0.6° × 0.4° grid, all in one cell of zoom 7: more than a cell holds.
    make_museum_grid(make_layer(sz, slug="dense"), 2100, 25.35, 42.25)
    open_explorer(page, live_server, "lang=en&map=9/42.45/25.6", ready=".atlas-dense")
    bubble = page.locator(".atlas-dense").first
    count = int(bubble.inner_text().replace(",", ""))
    assert count >= 2100
    assert "features here: zoom in to see them" in bubble.get_attribute("title")
    assert page.locator(MARKERS).count() < 10
    bubble.click()
    page.wait_for_function("() => window.atlasMap.getZoom() >= 11")
    page.evaluate("() => window.atlasMap.setView([42.45, 25.6], 14, {animate: false})")
    page.wait_for_selector(f"{MARKERS}[title^='Site ']", timeout=10_000)
    assert page.locator(".atlas-dense").count() == 0


def test_a_bubble_counts_only_the_partners_and_kinds_switched_on(page, live_server, region):
    sz, sliven = region
    make_museum_grid(make_layer(sz, slug="sz-dense"), 2100, 25.35, 42.25)
    make_museum_grid(make_layer(sliven, slug="sliven-dense"), 300, 26.1, 42.6)
    # One cell of zoom 7 (25.3°–28.1° E, 41.0°–43.1° N) holds them all, with the region's
    # 3 attractions and 2 trails: 2,405 features, 2,103 of them Stara Zagora's.
    open_explorer(page, live_server, "lang=en&map=9/42.45/25.6", ready=".atlas-dense")
    assert _bubbles(page) == [2405]
    both_at = page.locator(".atlas-dense").bounding_box()

    page.uncheck("#atlas-partner-sliven")
    assert _bubbles(page) == [2103]
    assert page.locator(".atlas-dense").get_attribute("title") == \
        "2,103 features here: zoom in to see them"
    page.uncheck("#atlas-kind-attraction")
    assert _bubbles(page) == [1]  # Stara Zagora's trail
    page.check("#atlas-kind-attraction")
    page.check("#atlas-partner-sliven")
    page.uncheck("#atlas-partner-stara-zagora")
    assert _bubbles(page) == [302]  # Sliven's 301 attractions and its trail
    # The bubble sits among what it counts: Sliven lies east of Stara Zagora.
    assert page.locator(".atlas-dense").bounding_box()["x"] > both_at["x"] + 50

    page.uncheck("#atlas-kind-attraction")
    page.uncheck("#atlas-kind-trail")
    page.uncheck("#atlas-kind-route")
    assert _bubbles(page) == []
    for box in ("#atlas-kind-attraction", "#atlas-kind-trail", "#atlas-kind-route",
                "#atlas-partner-stara-zagora"):
        page.check(box)
    assert _bubbles(page) == [2405]
    # Counts are asked for once per choice: switching back asks for nothing new.
    asked = len(feature_requests(page))
    page.uncheck("#atlas-partner-sliven")
    page.check("#atlas-partner-sliven")
    page.uncheck("#atlas-partner-sliven")
    assert _bubbles(page) == [2103]
    assert len(feature_requests(page)) == asked


def test_locate_me_shows_where_you_are(new_page, live_server, region):
    page = new_page(geolocation={"latitude": 42.43, "longitude": 25.63},
                    permissions=["geolocation"])
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.click(".atlas-locate-button")
    page.wait_for_selector("path.atlas-here", timeout=10_000)
    centre = page.evaluate("() => window.atlasMap.getCenter()")
    assert abs(centre["lat"] - 42.43) < 0.01 and abs(centre["lng"] - 25.63) < 0.01


def test_the_explorer_is_usable_on_a_phone(new_page, live_server, region):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".folium-map").bounding_box()
    assert box["width"] == PHONE["width"] and box["height"] > 600
    # The panels start folded so the map shows; a tap opens them.
    assert page.locator("#atlas-layers-body").is_hidden()
    search = page.locator("#atlas-search-input").bounding_box()
    assert search["x"] >= 0 and search["x"] + search["width"] <= PHONE["width"]
    screenshot(page, "test-explorer-phone")
    page.tap(".atlas-layers .atlas-panel-toggle")
    assert page.locator("#atlas-layers-body").is_visible()
    page.tap("label[for=atlas-kind-trail]")
    assert page.locator("path.atlas-trail").count() == 0


def _apart(a: dict, b: dict) -> bool:
    return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


# True when a tap at the middle of the element reaches it (nothing lies over it).
ON_TOP = """e => { const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return e.contains(hit); }"""


@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
def test_the_open_layer_panel_leaves_the_search_usable_on_a_phone(new_page, live_server,
                                                                   region, lang):
    """The panel's labels are as wide as the language makes them; opened, it still hangs
    beside or below the search, never over it, and both take taps."""
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    page.tap(".atlas-layers .atlas-panel-toggle")
    assert page.locator("#atlas-layers-body").is_visible()
    screenshot(page, f"test-explorer-phone-layers-{lang}")
    view = page.locator(".folium-map").bounding_box()
    search = page.locator(".atlas-search").bounding_box()
    panel = page.locator(".atlas-layers").bounding_box()
    assert _apart(search, panel), f"the layer panel {panel} covers the search {search}"
    legend = page.locator(".atlas-legend").bounding_box()
    assert _apart(legend, panel), f"the layer panel {panel} covers the legend {legend}"
    for box in (search, panel):
        assert box["x"] >= view["x"] and box["x"] + box["width"] <= view["x"] + view["width"]
        assert box["y"] >= view["y"] and box["y"] + box["height"] <= view["y"] + view["height"]
    assert page.locator("#atlas-search-input").evaluate(ON_TOP)
    assert page.locator("label[for=atlas-partner-stara-zagora]").evaluate(ON_TOP)

    # Both work with the panel open: a partner switched off, then one of its sights found.
    name = "Сините камъни" if lang == "bg" else "Blue Rocks"  # no Greek or French name
    page.tap("label[for=atlas-partner-sliven]")
    assert page.locator(MARKERS).count() == 2
    page.tap("#atlas-search-input")
    page.fill("#atlas-search-input", "Blue")
    result = page.locator(".atlas-result", has_text=name)
    result.wait_for(timeout=5_000)
    assert result.evaluate(ON_TOP), "the results show above the open panel"
    result.tap()
    page.locator(".atlas-popup-name", has_text=name).wait_for(timeout=5_000)
    assert page.is_checked("#atlas-partner-sliven")


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


# Relative luminance and contrast ratio as WCAG 2 defines them.
CONTRAST = """(el) => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => {
        const [r, g, b] = c.map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    let bg = el, colour = 'rgba(0, 0, 0, 0)';
    while (bg && (colour = getComputedStyle(bg).backgroundColor).endsWith(', 0)')) {
        bg = bg.parentElement; }
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(colour));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize(("lang", "text", "size"), [
    ("en", "Stara", "desktop"), ("bg", "Стара", "desktop"), ("fr", "Stara", "phone"),
    ("el", "Стара", "phone")])
def test_search_results_names_can_be_read(new_page, live_server, region, lang, text, size):
    page = new_page(PHONE, is_mobile=True, has_touch=True) if size == "phone" else new_page()
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    page.fill("#atlas-search-input", text)
    page.wait_for_selector(".atlas-result-name", timeout=5_000)
    for name in page.locator(".atlas-result-name").all():
        assert name.evaluate(CONTRAST) >= 4.5, "a result's name contrasts with its background"
    for kind in page.locator(".atlas-result-kind").all():
        assert kind.evaluate(CONTRAST) >= 4.5


def test_search_results_sit_above_the_legend(page, live_server, region):
    """Ten results run down past the top of the open legend: none of them is hidden."""
    sz, _sliven = region
    sights = make_layer(sz, slug="more-sights")
    for i in range(9):
        make_attraction(sights, 25.5 + i / 100, 42.35, name_en=f"Stara Zagora sight {i}",
                        category="monument")
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator("#atlas-legend-body").is_visible()
    page.fill("#atlas-search-input", "Stara")
    page.wait_for_function(
        "() => document.querySelectorAll('.atlas-result').length >= 10", timeout=5_000)
    legend = page.locator(".atlas-legend").bounding_box()
    results = page.locator(".atlas-result").all()
    assert results[-1].bounding_box()["y"] > legend["y"], "the list reaches the legend"
    for result in results:
        result.scroll_into_view_if_needed()
        on_top = result.evaluate("""b => { const r = b.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return b.contains(hit); }""")
        assert on_top, f"{result.inner_text()!r} is covered"
    page.locator(".atlas-result", has_text="sight 8").click()
    page.locator(".atlas-popup-name", has_text="Stara Zagora sight 8").wait_for(timeout=5_000)


# The placeholder's text against the room the field gives it.
PLACEHOLDER_FITS = """(i) => {
    const s = getComputedStyle(i), ctx = document.createElement('canvas').getContext('2d');
    ctx.font = s.font;
    const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return [ctx.measureText(i.placeholder).width, room];
}"""


@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_search_placeholder_is_not_cut_off(new_page, live_server, region, lang, size):
    page = new_page(PHONE, is_mobile=True, has_touch=True) if size == "phone" else new_page()
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    text, room = page.locator("#atlas-search-input").evaluate(PLACEHOLDER_FITS)
    assert text <= room, f"the placeholder needs {text:.0f} px, the field gives {room:.0f}"
    search = page.locator(".atlas-search").bounding_box()
    assert search["x"] >= 0 and search["x"] + search["width"] <= page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= \
        page.viewport_size["width"]


def test_the_icon_legend_is_reachable_on_a_phone(new_page, live_server, region):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    open_explorer(page, live_server, f"lang=fr&{OVERVIEW}")
    page.tap(".atlas-legend .atlas-panel-toggle")
    summary = page.locator(".atlas-legend-icons summary")
    assert summary.is_visible()
    assert summary.inner_text() == "Sites à visiter"
    summary.tap()
    museum = page.locator(".atlas-legend-icons li", has_text="Musée")
    assert museum.is_visible()
    assert museum.locator("img").get_attribute("src").endswith("/vendor/maki/museum.svg")
    box = page.locator(".atlas-legend").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_first_view_shows_every_partner_whole(new_page, live_server, size):
    """The demo's four partners: their boundaries and clusters all inside the first view.

    A cluster (40 px) sits on features that may lie at the edge of their boundary, so each
    boundary keeps half a cluster from the edges of the map, and every icon is inside.
    """
    call_command("load_demo", verbosity=0)
    page = new_page(PHONE, is_mobile=True, has_touch=True) if size == "phone" else new_page()
    page.goto(f"{live_server.url}/?lang=fr")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .marker-cluster",
                           timeout=15_000)
    settle(page)
    page.wait_for_timeout(400)  # markercluster draws its clusters after the data arrives
    view = page.locator(".folium-map").bounding_box()
    assert page.locator("path.atlas-boundary").count() == 4
    shapes = [(s, 20) for s in page.locator("path.atlas-boundary").all()]
    shapes += [(s, 0) for s in page.locator(".leaflet-marker-pane .leaflet-marker-icon").all()]
    for shape, margin in shapes:
        box = shape.bounding_box()
        label = shape.get_attribute("class")
        assert box["x"] - view["x"] >= margin, label
        assert box["y"] - view["y"] >= margin, label
        assert view["x"] + view["width"] - box["x"] - box["width"] >= margin, label
        assert view["y"] + view["height"] - box["y"] - box["height"] >= margin, label
