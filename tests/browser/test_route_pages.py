"""Route list, route page and route embed in a real Chromium, on the demo routes."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from tests.browser.conftest import BASEMAP_HOSTS, DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser]
SLUG = "valley-of-the-thracian-kings-and-shipka"


def test_the_list_shows_every_route_on_the_map_and_filters(page, live_server, demo):
    page.goto(f"{live_server.url}/routes/?lang=en")
    page.wait_for_selector(".folium-map[data-routes-loaded='6']")
    assert page.locator(".route-card").count() == 6
    assert page.locator("path.atlas-route-start").count() == 6
    page.select_option("#f-partner", "larissa")
    page.get_by_role("button", name="Show routes").click()
    page.wait_for_selector(".folium-map[data-routes-loaded='1']")
    assert page.locator(".route-card h2").all_inner_texts() == [
        "The Vale of Tempi along the Pineios"]
    assert page.requested_hosts <= {"127.0.0.1", "localhost"} | BASEMAP_HOSTS
    assert page.console_errors == []


def test_the_route_page_links_the_profile_to_the_map(page, live_server, demo):
    page.goto(f"{live_server.url}/routes/{SLUG}/")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    page.wait_for_selector("#route-profile-chart svg path.profile-line")
    # Six numbered stops on the map, in order.
    titles = [page.locator(".leaflet-marker-icon").nth(i).get_attribute("title")
              for i in range(page.locator(".leaflet-marker-icon").count())]
    assert titles[0] == "1. Thracian Tomb of Kazanlak" and len(titles) == 6
    # Hover the chart at three quarters of its width: a marker appears on the map there.
    # (Scrolled into view first: below the header and the map it may start off screen.)
    page.locator("#route-profile-chart svg").scroll_into_view_if_needed()
    box = page.locator("#route-profile-chart svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    position = page.get_attribute("#route-profile-chart", "data-position")
    lat, lon = (float(v) for v in position.split(","))
    assert 42.6 < lat < 42.8 and 25.3 < lon < 25.45  # on the Shipka walk, not at 0,0
    assert page.locator(".leaflet-overlay-pane path[fill='#1f618d']").count() == 1
    assert "km" in page.locator(".readout").inner_text()
    page.mouse.move(box["x"] - 50, box["y"] - 50)
    assert page.locator(".leaflet-overlay-pane path[fill='#1f618d']").count() == 0
    assert page.requested_hosts <= {"127.0.0.1", "localhost"} | BASEMAP_HOSTS
    assert page.console_errors == []


def test_the_gpx_download_is_valid_gpx_1_1(page, live_server, demo, shared_data):
    page.goto(f"{live_server.url}/routes/{SLUG}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download GPX").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}.gpx"
    schema = etree.XMLSchema(etree.parse(str(shared_data / "schemas" / "gpx-1.1.xsd")))
    assert schema.validate(etree.parse(download.path())), schema.error_log


def test_the_embed_has_no_site_chrome_and_may_be_framed(page, live_server, demo):
    response = page.goto(f"{live_server.url}/embed/routes/{SLUG}/?lang=bg")
    assert "x-frame-options" not in response.headers
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    assert page.locator("header.site").count() == 0
    assert page.locator("h1").inner_text() == "Долината на тракийските царе и проход Шипка"
    assert page.requested_hosts <= {"127.0.0.1", "localhost"} | BASEMAP_HOSTS


def test_the_route_page_fits_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda r: r.abort())
    page.goto(f"{live_server.url}/routes/{SLUG}/")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    map_box = page.locator(".route-map").bounding_box()
    assert map_box["width"] > 300 and map_box["height"] > 300
    context.close()


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, name: e.getAttribute('aria-label') || e.textContent.trim(),
                role: e.getAttribute('role')}; }""")


def test_each_route_on_the_list_map_is_one_named_link_for_the_keyboard(page, live_server,
                                                                        demo):
    page.goto(f"{live_server.url}/routes/?lang=en")
    page.wait_for_selector(".folium-map[data-routes-loaded='6']")
    page.focus("#f-season")
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "path":
            stops.append(focused)
        if focused["name"] == "Zoom in":
            break
    # Six starts, each named after its route; the lines (the same routes) are not stops.
    assert len(stops) == 6 and all(s["role"] == "link" and s["name"] for s in stops)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    name = _focused(page)["name"]
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    page.wait_for_url("**/routes/*/")
    assert page.locator("h1").inner_text() == name


def test_the_attractions_along_a_route_are_named_for_screen_readers(page, live_server, demo):
    # Beside its stops, this route passes the Dimitar Dobrovich Art Gallery.
    page.goto(f"{live_server.url}/routes/sliven-tuida-and-the-blue-rocks/?lang=en")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    unnamed = page.eval_on_selector_all(
        ".leaflet-container path", "els => els.filter(e => (e.tabIndex >= 0 || "
        "e.getAttribute('aria-describedby') !== null || e.matches('.atlas-along')) "
        "&& !e.getAttribute('aria-label')).length")
    assert unnamed == 0
    assert page.locator("path.atlas-along").get_attribute("aria-label") == \
        "Dimitar Dobrovich Art Gallery"


def _overflow(page) -> dict:
    """How far the page and the facts column reach past the viewport's right edge, in px."""
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth;
        const right = Math.max(...[...document.querySelectorAll('.route-facts, .route-facts *')]
            .map(e => e.getBoundingClientRect().right));
        return {page: document.scrollingElement.scrollWidth - w, facts: Math.ceil(right - w)};
    }""")


@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
def test_the_route_page_and_its_embed_fit_the_screen_in_every_language(new_page, live_server,
                                                                       demo, lang):
    # The Tuida route's facts are the longest: its time's breakdown and its difficulty's
    # reason are long sentences in Greek, and once pushed the page sideways.
    slug = "sliven-tuida-and-the-blue-rocks"
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport)
        for path in (f"/routes/{slug}/", f"/embed/routes/{slug}/"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            page.wait_for_selector(".folium-map[data-route-loaded='1']")
            overflow = _overflow(page)
            assert overflow["page"] <= 0 and overflow["facts"] <= 0, (lang, viewport, path,
                                                                      overflow)


def _hover_profile_at(page, metres: float) -> float:
    """Moves the mouse over the profile chart where it draws ``metres`` along the route;
    returns the x of that place in the chart's viewBox."""
    # The chart's geometry (route-page.js): a viewBox as wide as the chart, the plot between
    # the two x of data-plot (the labels' margins).
    length = page.evaluate("fetch(location.pathname.replace(/^\\/(embed\\/)?routes\\//, "
                           "'/api/routes/') + 'profile/').then(r => r.json())"
                           ".then(p => p.points[p.points.length - 1][0])")
    svg = page.locator("#route-profile-chart svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    left, right = map(float, page.get_attribute("#route-profile-chart", "data-plot").split(","))
    width = float(svg.get_attribute("viewBox").split()[2])
    at = left + (right - left) * metres / length
    page.mouse.move(box["x"] + box["width"] * at / width, box["y"] + box["height"] / 2)
    return at


def test_the_profile_follows_the_pointer_over_a_leg_without_elevation(page, live_server,
                                                                       demo):
    # The Tuida route's first leg is a straight line of 2.5 km with no elevation: two
    # profile rows, at 0 and 2.5 km, both without altitude.
    page.goto(f"{live_server.url}/routes/sliven-tuida-and-the-blue-rocks/?lang=en")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    page.wait_for_selector("#route-profile-chart svg path.profile-line")
    expected_x = _hover_profile_at(page, 1300)
    assert page.locator(".readout").inner_text() == "Distance 1.30 km · Elevation –"
    lat, lon = (float(v) for v in
                page.get_attribute("#route-profile-chart", "data-position").split(","))
    # Halfway along the leg from stop 1 (42.67858, 26.31181) to stop 2 (42.69337,
    # 26.33473), not on either stop.
    assert lat == pytest.approx(42.6863, abs=0.001) and lon == pytest.approx(26.3237, abs=0.001)
    cursor = page.locator("#route-profile-chart line.profile-cursor")
    assert cursor.get_attribute("visibility") == "visible"
    assert float(cursor.get_attribute("x1")) == pytest.approx(expected_x, abs=2)


@pytest.mark.parametrize("lang", ["fr", "bg", "el"])
def test_the_profile_writes_numbers_as_the_page_does(page, live_server, demo, lang):
    page.goto(f"{live_server.url}/routes/sliven-tuida-and-the-blue-rocks/?lang={lang}")
    page.wait_for_selector("#route-profile-chart svg path.profile-line")
    assert "6,4 km" in page.locator("[data-metric='length']").inner_text()
    km_labels = [t for t in page.eval_on_selector_all(
        "#route-profile-chart svg text", "ts => ts.map(t => t.textContent)") if t.endswith("km")]
    # On a desktop the 6.4 km are marked every 0.5 km: 0,0 km to 6,0 km.
    assert len(km_labels) == 13 and km_labels[0] == "0,0 km" and km_labels[-1] == "6,0 km"
    assert all(re.fullmatch(r"\d+,\d km", t) for t in km_labels), km_labels
    _hover_profile_at(page, 4880)
    readout = page.locator(".readout").inner_text()
    assert re.search(r" 4,88 km · .+ \d{3} m$", readout), readout


# Each label of the profile as the reader sees it: its scale across and down (equal unless
# the chart is stretched), its height in CSS px, and its box, relative to the chart's.
PROFILE_LABELS = """svg => {
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].map(t => {
        const m = t.getScreenCTM(), r = t.getBoundingClientRect();
        return {text: t.textContent, across: m.a, down: m.d,
                px: parseFloat(getComputedStyle(t).fontSize) * m.d,
                x: r.left - frame.left, y: r.top - frame.top, width: r.width,
                height: r.height, frame: [frame.width, frame.height]};
    });
}"""


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def _assert_profile_readable(page, where) -> None:
    svg = page.locator("#route-profile-chart svg")
    svg.scroll_into_view_if_needed()
    labels = svg.evaluate(PROFILE_LABELS)
    km = [label for label in labels if label["text"].endswith(" km")]
    assert len(km) >= 3 and len(labels) - len(km) >= 1, (where, labels)
    for label in labels:
        assert label["across"] == pytest.approx(label["down"], rel=0.02), \
            (where, label, "stretched")
        assert label["px"] >= 11, (where, label)
        width, height = label["frame"]
        assert label["x"] >= 0 and label["x"] + label["width"] <= width + 0.5, \
            (where, label, "cut by the chart's edge")
        assert label["y"] >= 0 and label["y"] + label["height"] <= height + 0.5, (where, label)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not _overlap(a, b), (where, a["text"], b["text"])


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_profile_labels_are_readable_on_a_phone_and_a_desktop(new_page, live_server, demo,
                                                                   lang):
    """Unstretched text of at least 11 CSS px, inside the chart, no label over another."""
    for viewport in (PHONE, DESKTOP):
        phone = viewport == PHONE
        page = new_page(viewport, is_mobile=phone, has_touch=phone)
        for slug in ("sliven-tuida-and-the-blue-rocks", SLUG):
            page.goto(f"{live_server.url}/routes/{slug}/?lang={lang}")
            page.wait_for_selector("#route-profile-chart svg path.profile-line")
            _assert_profile_readable(page, (lang, viewport["width"], slug))
            page.locator(".route-profile").screenshot(
                path=str(screenshot(page, f"test-route-profile-{viewport['width']}-{lang}")))
    # A window made narrower (a phone turned, a desktop window resized): drawn again.
    page.set_viewport_size(PHONE)
    page.wait_for_function("""() => { const s = document.querySelector('#route-profile-chart svg');
        return Math.abs(s.viewBox.baseVal.width - s.getBoundingClientRect().width) < 1; }""")
    _assert_profile_readable(page, (lang, "desktop narrowed to 390", SLUG))


def test_the_profile_readout_leaves_the_line_in_view_on_a_phone(new_page, live_server, demo):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/routes/{SLUG}/?lang=el")
    page.wait_for_selector("#route-profile-chart svg path.profile-line")
    length = page.evaluate("fetch('/api/routes/" + SLUG + "/profile/').then(r => r.json())"
                           ".then(p => p.points[p.points.length - 1][0])")
    line = page.locator("#route-profile-chart path.profile-line").bounding_box()
    for share in (0.05, 0.5, 0.95):
        _hover_profile_at(page, length * share)
        cursor = page.locator("#route-profile-chart line.profile-cursor").bounding_box()
        readout = page.locator(".readout").bounding_box()
        assert readout["width"] > 0
        # Above the plot: neither the line nor the cursor under it.
        assert readout["y"] + readout["height"] <= min(line["y"], cursor["y"]), (
            share, readout, line, cursor)
