"""What fits on the screen, in a real Chromium: the explorer on a phone, and a first
view that shows every partner whole."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.browser.explorer import MARKERS, OVERVIEW, open_explorer, settle

pytestmark = [pytest.mark.browser]


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
def test_the_first_view_shows_every_partner_whole(new_page, live_server, demo, size):
    """The demo's four partners: their boundaries and clusters all inside the first view.

    A cluster (40 px) sits on features that may lie at the edge of their boundary, so each
    boundary keeps half a cluster from the edges of the map, and every icon is inside.
    """
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


@pytest.mark.parametrize("lang", ["bg", "el"])
def test_the_first_view_keeps_every_partner_clear_of_the_open_layers_panel(new_page, live_server,
                                                                          demo, lang):
    """On a desktop the Layers panel is open from the start: the first view is fitted to
    the map beside it, or it hides the partners at the right (the UX review: Sliven and
    Stara Zagora under it)."""
    page = new_page({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/?lang={lang}")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .marker-cluster",
                           timeout=15_000)
    settle(page)
    assert page.locator("#atlas-layers-body").is_visible()
    panel = page.locator(".atlas-layers").bounding_box()
    assert page.locator("path.atlas-boundary").count() == 4
    for shape in page.locator("path.atlas-boundary").all():
        box = shape.bounding_box()
        beside = box["x"] + box["width"] <= panel["x"]
        below = box["y"] >= panel["y"] + panel["height"]
        assert beside or below, (shape.get_attribute("class"), box, panel)
