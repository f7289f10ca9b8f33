"""A popup on a phone opens clear of the map's controls, in a real Chromium at 390 px:
the explorer pans it below the layers button (which on a phone stands below the search
row) and above the legend, measured from the controls as they stand, not a fixed margin
(175 px from the top: with the phone's text at 175 %, the layers button stood lower
than that and the popup opened under it)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.browser.explorer import OVERVIEW, find_marker, open_explorer, settle

pytestmark = [pytest.mark.browser]

BOX = "e => { const r = e.getBoundingClientRect(); " \
      "return {x: r.x, y: r.y, width: r.width, height: r.height}; }"


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("lang,text_size", [("en", "100%"), ("bg", "175%")])
def test_a_popup_opens_clear_of_the_layers_button_on_a_phone(new_page, live_server, region,
                                                             lang, text_size):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    # A phone's larger text (its accessibility setting) makes the controls taller.
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => { "
                         f"document.documentElement.style.fontSize = '{text_size}'; }});")
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    layers = page.locator(".atlas-layers").evaluate(BOX)
    # The sight right below the layers button: its popup, above it, would open under it.
    page.evaluate("""([lon, lat, x, y]) => {
        const map = window.atlasMap, at = map.latLngToContainerPoint([lat, lon]);
        const frame = map.getContainer().getBoundingClientRect();
        map.panBy([at.x - (x - frame.left), at.y - (y - frame.top)], {animate: false}); }""",
                  [26.32, 42.68, layers["x"] + layers["width"] / 2,
                   layers["y"] + layers["height"] + 30])
    settle(page)
    page.evaluate("() => { window.panned = false; "
                  "window.atlasMap.once('moveend', () => { window.panned = true; }); }")
    find_marker(page, "Blue Rocks" if lang == "en" else "Сините камъни").click()
    page.wait_for_function("() => window.panned")
    # Its hours (asked as it opens) fill it in and it is fitted again: measured once done.
    page.wait_for_function("""() => {
        const box = document.querySelector('.leaflet-popup .atlas-popup'), map = window.atlasMap;
        return box && box.getAttribute('data-hours') !== 'loading'
            && !(map._panAnim && map._panAnim._inProgress); }""")
    popup = page.locator(".leaflet-popup").evaluate(BOX)
    layers = page.locator(".atlas-layers").evaluate(BOX)
    screenshot(page, f"test-explorer-phone-popup-{lang}")
    assert not _overlap(popup, layers), (popup, layers)
    for control in (".atlas-search", ".atlas-locate", ".leaflet-control-zoom", ".atlas-legend"):
        assert not _overlap(popup, page.locator(control).evaluate(BOX)), control
    frame = page.locator(".folium-map").evaluate(BOX)
    assert frame["y"] <= popup["y"] and popup["y"] + popup["height"] <= frame["y"] + frame["height"]
    assert page.console_errors == []
