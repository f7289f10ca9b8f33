"""The explorer with a keyboard: what Tab reaches, in which order, and what it hears."""

from __future__ import annotations

import pytest

from tests.browser.explorer import (
    MARKERS,
    OVERVIEW,
    open_explorer,
    settle,
)
from tests.factories import make_attraction, make_layer

pytestmark = [pytest.mark.browser]


def test_controls_and_markers_are_reachable_by_keyboard(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    wanted = {"atlas-search-input", "atlas-kind-trail", "atlas-partner-sliven",
              "atlas-colour-by", "Blue Rocks"}
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("""() => {
            const e = document.activeElement;
            return e.id || e.getAttribute('title') || e.getAttribute('class') || e.tagName;
        }"""))
        if wanted <= reached:
            break
    assert wanted <= reached, "the controls and the markers are in the tab order"
    while page.evaluate("() => document.activeElement.getAttribute('title')") != "Blue Rocks":
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.locator(".atlas-popup-name").wait_for(timeout=5_000)
    assert page.locator(".atlas-popup-name").inner_text() == "Blue Rocks"


def test_the_map_controls_come_before_the_features_in_the_tab_order(page, live_server, region):
    """Search and the layer panel are reached first, not after every marker and line."""
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    order = []
    for _ in range(80):
        page.keyboard.press("Tab")
        order.append(page.evaluate("""() => {
            const e = document.activeElement;
            return e.id || e.getAttribute('title') || e.getAttribute('aria-label') || ''; }"""))
        if "Blue Rocks" in order and "atlas-search-input" in order:
            break
    assert order.index("atlas-search-input") < order.index("Blue Rocks")
    assert order.index("atlas-kind-trail") < order.index("Blue Rocks")


def test_a_cluster_says_how_many_features_it_holds(page, live_server, region):
    """Zoomed out, the sights cluster: a screen reader hears words, not a bare "3"."""
    open_explorer(page, live_server, "lang=en&map=6/42.55/25.95", ready=".marker-cluster")
    cluster = page.locator(".leaflet-marker-pane .marker-cluster").first
    count = cluster.locator("[aria-hidden=true]").inner_text()
    assert count in {"2", "3"}
    assert cluster.locator(".atlas-sr").inner_text() == \
        f"{count} features here: zoom in to see them"


def _tab_to(page, label: str, tries: int = 80) -> None:
    for _ in range(tries):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == label:
            return
    raise AssertionError(f"{label!r} is not in the tab order")


def test_trails_in_view_are_reachable_by_keyboard_and_enter_opens_their_popup(
        page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    _tab_to(page, "Cycle way")
    focused = page.evaluate("""() => { const e = document.activeElement;
        return [e.tagName, e.getAttribute('role'), e.getAttribute('class')]; }""")
    assert focused[0] == "path" and focused[1] == "button" and "atlas-trail" in focused[2]
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Cycle way"
    assert popup.locator(".atlas-popup-kind").inner_text() == "Cycling · Easy"
    # The popup takes the focus, so its link is the next thing Enter follows; Escape
    # closes it and gives the focus back to the trail.
    assert page.evaluate("() => document.activeElement.className") == "atlas-popup-link"
    page.keyboard.press("Escape")
    popup.wait_for(state="detached", timeout=5_000)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == \
        "Cycle way"
    page.keyboard.press(" ")
    popup.wait_for(timeout=5_000)
    assert popup.locator(".atlas-popup-name").inner_text() == "Cycle way"


def test_only_the_lines_in_view_are_in_the_tab_order(page, live_server, region):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    tabindex = "p => document.querySelector(`path[aria-label='${p}']`).getAttribute('tabindex')"
    assert page.evaluate(tabindex, "Path") == "0"
    assert page.evaluate(tabindex, "Cycle way") == "0"
    # Around Stara Zagora's trail only: Sliven's is drawn but out of view.
    page.evaluate("() => window.atlasMap.setView([42.35, 25.45], 11, {animate: false})")
    settle(page)
    assert page.evaluate(tabindex, "Path") == "0"
    assert page.evaluate(tabindex, "Cycle way") is None


@pytest.mark.django_db(transaction=True)
def test_tab_reaches_only_the_markers_in_view_and_never_moves_the_map(
        page, live_server, region):
    """Markers just beyond the edges are drawn (markercluster keeps a screen around the
    view) but are not tab stops: focusing one would scroll the map and pan it away."""
    sz, _sliven = region
    sights = make_layer(sz, slug="around")
    # At zoom 12 the 1280×800 view spans about 0.44° × 0.19° around 42.43, 25.63; the page
    # asks for the cells of zoom 10 around it (25.31°–26.02° E, 42.29°–42.81° N).
    for name, lon, lat in (("East of the view", 25.98, 42.43), ("West of the view", 25.33, 42.43),
                           ("North of the view", 25.63, 42.60),
                           ("South of the view", 25.63, 42.31),
                           ("Corner of the view", 25.81, 42.36)):
        make_attraction(sights, lon, lat, name_en=name, category="monument")
    open_explorer(page, live_server, "lang=en&map=12/42.4300/25.6300")
    settle(page)
    page.wait_for_timeout(300)
    drawn = page.eval_on_selector_all(MARKERS, "els => els.map(e => e.title)")
    assert {"East of the view", "West of the view", "North of the view",
            "South of the view"} <= set(drawn), "markercluster draws markers beyond the view"
    page.evaluate("""() => { window.scrolled = [];
        document.querySelector('.folium-map').addEventListener('scroll', e =>
            window.scrolled.push([e.target.scrollLeft, e.target.scrollTop])); }""")
    centre = page.evaluate("() => window.atlasMap.getCenter()")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const m = document.querySelector('.folium-map').getBoundingClientRect();
            const r = e.getBoundingClientRect();
            return {marker: e.classList.contains('leaflet-marker-icon'), title: e.title,
                    inside: r.left >= m.left && r.top >= m.top && r.right <= m.right
                            && r.bottom <= m.bottom}; }""")
        if focused["marker"]:
            reached.append(focused["title"])
            assert focused["inside"], f"{focused['title']!r} is focused outside the view"
    assert "Augusta Traiana forum" in reached, "the marker in view is a tab stop"
    assert "Corner of the view" in reached
    assert not {"East of the view", "West of the view", "North of the view",
                "South of the view"} & set(reached)
    assert page.evaluate("() => window.scrolled") == []
    assert page.evaluate("() => window.atlasMap.getCenter()") == centre


def test_markers_that_come_into_view_become_tab_stops(page, live_server, region):
    open_explorer(page, live_server, "lang=en&map=12/42.4300/25.6300")
    settle(page)
    tabindex = ("t => document.querySelector(`.atlas-marker[title='${t}']`)"
                "?.getAttribute('tabindex')")
    assert page.evaluate(tabindex, "Augusta Traiana forum") == "0"
    # The forum (25.63° E) is then 0.32° west of the centre: drawn, but out of view.
    page.evaluate("() => window.atlasMap.setView([42.43, 25.95], 12, {animate: false})")
    settle(page)
    assert page.evaluate(tabindex, "Augusta Traiana forum") is None
    page.evaluate("() => window.atlasMap.setView([42.43, 25.63], 12, {animate: false})")
    settle(page)
    assert page.evaluate(tabindex, "Augusta Traiana forum") == "0"
