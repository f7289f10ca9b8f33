"""How the explorer loads its data as the map moves, in a real Chromium: each cell
asked for once, and a dense area counted rather than drawn."""

from __future__ import annotations

import pytest

from tests.browser.conftest import feature_requests
from tests.browser.explorer import MARKERS, open_explorer, settle
from tests.factories import make_layer, make_museum_grid

pytestmark = [pytest.mark.browser]


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


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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
