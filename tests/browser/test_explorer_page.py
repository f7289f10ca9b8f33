"""The regional explorer at / in a real Chromium."""

from __future__ import annotations

import pytest

from layers.vocabulary import LayerKind
from tests.browser.conftest import BASEMAP_HOSTS
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stara_zagora():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), name_bg="Стара Загора",
                      name_en="Stara Zagora")
    make_attraction(make_layer(sz), 25.6257, 42.4258, name_bg="Античен форум „Августа Траяна“",
                    name_en="Augusta Traiana forum", category="archaeological_site")
    make_attraction(make_layer(sz), 25.75, 42.60, name_bg="Паметник", name_en="Monument",
                    category="monument")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.40, 42.30, 200.0), (25.45, 42.35, 260.0), (25.50, 42.40, 330.0)],
               name_bg="Пътека", name_en="Path", activity="hiking")
    return sz


def _open(page, live_server, query: str = "") -> None:
    page.goto(f"{live_server.url}/{query}")
    page.wait_for_selector("path.atlas-attraction", timeout=15_000)


def test_markers_and_trails_appear(page, live_server, stara_zagora):
    _open(page, live_server, "?lang=bg")
    assert page.locator("path.atlas-attraction").count() == 2
    assert page.locator("path.atlas-trail").count() == 1
    assert page.get_attribute(".folium-map", "data-features-loaded") == "3"
    assert page.console_errors == []


def test_clicking_a_marker_opens_a_popup_with_the_bulgarian_name(page, live_server,
                                                                  stara_zagora):
    _open(page, live_server, "?lang=bg")
    page.evaluate("""() => {
        // Centre the forum so the click below lands on it, whatever the window size.
        window.atlasMap.setView([42.4258, 25.6257], 12, {animate: false});
    }""")
    marker = page.locator("path.atlas-attraction >> visible=true").first
    marker.wait_for(timeout=5_000)
    marker.click()
    popup = page.locator(".leaflet-popup-content .atlas-popup-name")
    popup.wait_for(timeout=5_000)
    assert popup.inner_text() == "Античен форум „Августа Траяна“"
    page.screenshot(path="test-results/explorer-popup-bg.png")


def test_popup_follows_the_chosen_language(page, live_server, stara_zagora):
    _open(page, live_server, "?lang=en")
    page.evaluate("() => window.atlasMap.setView([42.4258, 25.6257], 14, {animate: false})")
    marker = page.locator("path.atlas-attraction >> visible=true").first
    marker.wait_for(timeout=5_000)
    marker.click()
    assert page.locator(".atlas-popup-name").inner_text() == "Augusta Traiana forum"


def test_the_page_uses_no_host_but_the_platform_and_the_basemap(page, live_server,
                                                                stara_zagora):
    _open(page, live_server)
    page.wait_for_timeout(500)
    assert page.requested_hosts <= {"127.0.0.1", "localhost", *BASEMAP_HOSTS}
    assert page.requested_hosts & {"127.0.0.1", "localhost"}
