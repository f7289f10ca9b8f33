"""Leaflet's own controls (zoom, layers, attribution, popups) speak the page's language
on every map the platform builds."""

from __future__ import annotations

import pytest

from layers.models import Attraction, Trail

pytestmark = [pytest.mark.browser]

ROUTE = "valley-of-the-thracian-kings-and-shipka"
WORDS = {
    "bg": {"in": "Приближи", "out": "Отдалечи", "layers": "Слоеве",
           "osm": "сътрудници на OpenStreetMap", "close": "Затвори прозореца",
           "leaflet": "Библиотека на JavaScript за интерактивни карти"},
    "el": {"in": "Μεγέθυνση", "out": "Σμίκρυνση", "layers": "Επίπεδα",
           "osm": "συντελεστές του OpenStreetMap", "close": "Κλείσιμο παραθύρου",
           "leaflet": "Βιβλιοθήκη JavaScript για διαδραστικούς χάρτες"},
    "fr": {"in": "Zoom avant", "out": "Zoom arrière", "layers": "Couches",
           "osm": "les contributeurs d’OpenStreetMap", "close": "Fermer la bulle",
           "leaflet": "Une bibliothèque JavaScript de cartes interactives"},
}


def _map_pages() -> list[str]:
    attraction = Attraction.objects.order_by("id").first().uid
    trail = Trail.objects.order_by("id").first().uid
    return ["/", "/embed/?partner=sliven", "/layers/stara-zagora-trails/",
            f"/attractions/{attraction}/", f"/trails/{trail}/", "/routes/",
            f"/routes/{ROUTE}/", f"/embed/routes/{ROUTE}/", "/planner/?partner=sliven"]


def _assert_controls_speak(page, lang: str) -> None:
    words = WORDS[lang]
    zoom_in = page.locator(".leaflet-control-zoom-in")
    zoom_in.wait_for(timeout=15_000)
    assert zoom_in.get_attribute("title") == words["in"]
    assert zoom_in.get_attribute("aria-label") == words["in"]
    zoom_out = page.locator(".leaflet-control-zoom-out")
    assert zoom_out.get_attribute("title") == words["out"]
    assert zoom_out.get_attribute("aria-label") == words["out"]
    attribution = page.locator(".leaflet-control-attribution")
    text = attribution.inner_text()
    assert words["osm"] in text
    assert "contributors" not in text
    assert attribution.locator("a[href='https://leafletjs.com']").get_attribute("title") == \
        words["leaflet"]
    # A scale, where a map has one, in metric units only.
    for line in page.locator(".leaflet-control-scale-line").all_inner_texts():
        assert line.split()[-1] in ("m", "km"), line


@pytest.mark.parametrize("lang", ["bg", "el", "fr"])
def test_leaflet_controls_speak_the_language_of_every_map_page(page, live_server, demo, lang):
    for path in _map_pages():
        sep = "&" if "?" in path else "?"
        page.goto(f"{live_server.url}{path}{sep}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        _assert_controls_speak(page, lang)
    # The planner's map (the last page) is the one with Leaflet's own layers control.
    toggle = page.locator(".leaflet-control-layers-toggle")
    assert toggle.get_attribute("title") == WORDS[lang]["layers"]
    assert toggle.get_attribute("aria-label") == WORDS[lang]["layers"]
    assert page.console_errors == []


def test_a_popups_close_button_speaks_the_language(page, live_server, region):
    page.goto(f"{live_server.url}/?lang=bg&map=9/42.55/25.95")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .atlas-marker",
                           timeout=15_000)
    page.locator(".atlas-marker[title='Сините камъни']").click()
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for(timeout=5_000)
    assert close.get_attribute("aria-label") == WORDS["bg"]["close"]
