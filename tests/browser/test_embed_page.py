"""The embeddable explorer at /embed/ in a real Chromium, alone and inside an iframe."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.browser.conftest import BASEMAP_HOSTS, PHONE, PLATFORM_HOSTS, screenshot
from tests.browser.explorer import MARKERS

pytestmark = [pytest.mark.browser]


def test_the_embed_shows_the_map_without_the_site_chrome(page, live_server, region):
    page.goto(f"{live_server.url}/embed/?lang=en&map=9/42.55/25.95")
    page.wait_for_selector(f"[data-ready=true] {MARKERS}", timeout=15_000)
    assert page.locator("header.site").count() == 0
    assert page.locator("nav").count() == 0
    box = page.locator(".folium-map").bounding_box()
    assert box["y"] == 0 and box["height"] == 800
    assert page.locator(MARKERS).count() == 3
    # The way to the full atlas opens outside the partner's page.
    link = page.locator(".leaflet-control-attribution a", has_text="Regional Tourism Atlas")
    assert link.get_attribute("target") == "_blank"
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS


def test_the_embed_filtered_by_partner_shows_only_that_partner(page, live_server,
                                                               region):
    page.goto(f"{live_server.url}/embed/?partner=sliven&lang=bg")
    page.wait_for_selector(f"[data-ready=true] {MARKERS}", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(f"{MARKERS}").all() and \
        [m.get_attribute("title") for m in page.locator(MARKERS).all()] == ["Сините камъни"]
    assert page.locator("path.atlas-boundary").count() == 1
    assert page.locator("path.atlas-boundary-sliven").count() == 1
    assert page.locator(".atlas-partners input").count() == 1
    assert page.locator("path.atlas-trail").count() == 1
    # The map starts on the partner's territory.
    centre = page.evaluate("() => window.atlasMap.getCenter()")
    assert 26.0 < centre["lng"] < 26.6 and 42.5 < centre["lat"] < 42.9
    # Search stays within the partner too.
    page.fill("#atlas-search-input", "Stara")
    page.wait_for_selector(".atlas-results li", timeout=5_000)
    assert page.locator(".atlas-results").inner_text() == "Няма намерени резултати"
    screenshot(page, "test-embed-desktop")


@pytest.fixture
def partner_site():
    """A web server of its own (another origin) whose page frames the given URL."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def site(url: str) -> str:
        pages["/"] = (f'<!DOCTYPE html><title>Partner</title><h1>Stara Zagora</h1>'
                      f'<iframe src="{url}" width="600" height="450"></iframe>').encode()
        return f"http://127.0.0.1:{server.server_port}/"

    yield site
    server.shutdown()
    server.server_close()


def test_a_partner_site_can_frame_the_embed(page, live_server, partner_site,
                                             region):
    page.goto(partner_site(
        f"{live_server.url}/embed/?partner=stara-zagora&lang=fr&map=9/42.5/25.7"))
    frame = page.frame_locator("iframe")
    frame.locator("[data-ready=true]").wait_for(timeout=15_000)
    frame.locator(MARKERS).first.wait_for(timeout=5_000)
    assert frame.locator(MARKERS).count() == 2
    frame.locator(f"{MARKERS}[title='Forum d’Augusta Traiana']").click()
    link = frame.locator(".atlas-popup-link")
    assert link.inner_text() == "Détails"
    assert link.get_attribute("target") == "_blank"


def test_the_embed_is_usable_on_a_phone(new_page, live_server, region):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/embed/?partner=stara-zagora&lang=el")
    page.wait_for_selector(f"[data-ready=true] {MARKERS}", timeout=15_000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".folium-map").bounding_box()["height"] == PHONE["height"]
    assert page.locator("#atlas-layers-body").is_hidden()
    screenshot(page, "test-embed-phone")


# True when a tap at the middle of the element reaches it (nothing lies over it).
ON_TOP = """e => { const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return e.contains(hit); }"""


@pytest.mark.parametrize("lang", ["el", "bg"])
def test_on_a_phone_the_credits_leave_the_legend_button_free(new_page, live_server, region,
                                                             lang):
    # In Greek the credits and the way to the full atlas take two lines across the map.
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/embed/?lang={lang}")
    page.wait_for_selector(f"[data-ready=true] {MARKERS}", timeout=15_000)
    toggle = page.locator(".atlas-legend .atlas-panel-toggle")
    credits = page.locator(".leaflet-control-attribution").bounding_box()
    button = toggle.bounding_box()
    assert button["y"] + button["height"] <= credits["y"], (button, credits)
    assert toggle.evaluate(ON_TOP)
    toggle.tap()
    assert page.locator(".atlas-legend .atlas-panel-body").is_visible()
    screenshot(page, f"test-embed-phone-legend-{lang}")
