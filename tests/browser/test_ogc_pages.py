"""The OGC API's pages in a real Chromium: the browser's own Accept brings the pages, from
the landing page to a collection's items on a map, page after page, in the reader's
language, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import BASEMAP_HOSTS, PHONE, PLATFORM_HOSTS

pytestmark = [pytest.mark.browser]
COLLECTIONS = {"en": "Collections", "bg": "Колекции", "el": "Συλλογές"}
NEXT = {"en": "Next", "bg": "Следващи", "el": "Επόμενα"}
OF = {"en": "of", "bg": "от", "el": "από"}


def expect(locator):
    """Playwright's retrying assertions, imported when a browser test runs (as
    conftest imports Playwright), not when the fast tier collects this file."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _drawn(page, count: int) -> None:
    """``count`` features drawn on the page's map: a circle or a line each (SVG paths);
    waited for, as a loaded machine may draw late."""
    expect(page.locator(".ogc-map path.leaflet-interactive")).to_have_count(count)


def _json(page, url: str) -> dict:
    return page.request.get(url, headers={"accept": "application/json"}).json()


@pytest.mark.parametrize("lang", ["en", "bg", "el"])
def test_from_the_landing_page_to_the_items_on_a_map_and_their_pages(page, live_server,
                                                                      demo, lang):
    # No f=html: Chromium's Accept asks for the page.
    page.goto(f"{live_server.url}/ogc/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.click("[data-ogc-link=collections]")
    page.wait_for_selector("[data-ogc-collections]")
    expect(page.locator("h1")).to_have_text(COLLECTIONS[lang])
    rows = page.locator("[data-ogc-collections] tbody tr")
    assert rows.count() == len(_json(page, f"{live_server.url}/ogc/collections")["collections"])
    page.click("[data-collection=stara-zagora-attractions] td:first-child a")
    page.wait_for_selector("[data-number-of-features]")
    total = int(page.locator("[data-number-of-features]").inner_text())
    assert total > 10
    page.click("[data-ogc-link=items]")
    page.wait_for_selector("[data-ogc-items]")
    # Every feature of the page is drawn, as many as the table's rows.
    first = page.locator("[data-ogc-items] tbody tr").count()
    assert first == min(total, 100)
    _drawn(page, first)
    # Pages of five: the next link leads on, the map redrawn with the next five.
    page.goto(f"{live_server.url}/ogc/collections/stara-zagora-attractions/items"
              f"?limit=5&lang={lang}")
    expect(page.locator("[data-range]").first).to_have_text(f"1–5 {OF[lang]} {total}")
    _drawn(page, 5)
    names = page.locator("[data-ogc-items] tbody tr").all_inner_texts()
    page.locator("[data-page=next]").first.click()
    page.wait_for_url(re.compile(r"offset=5"))
    expect(page.locator("[data-range]").first).to_have_text(f"6–10 {OF[lang]} {total}")
    assert page.locator("[data-page=next]").first.inner_text() == NEXT[lang]
    _drawn(page, 5)
    assert set(page.locator("[data-ogc-items] tbody tr").all_inner_texts()).isdisjoint(names)
    page.locator("[data-page=prev]").first.click()
    page.wait_for_url(re.compile(r"offset=0"))
    assert page.locator("[data-ogc-items] tbody tr").all_inner_texts() == names
    # One item: its map and its properties.
    page.locator("[data-ogc-items] tbody tr td a").first.click()
    page.wait_for_selector("[data-ogc-properties]")
    _drawn(page, 1)
    assert page.console_errors == []
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS


def test_a_trails_page_draws_its_lines_and_fits_a_phone(new_page, live_server, demo):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/ogc/collections/stara-zagora-trails/items?lang=bg")
    matched = _json(page, f"{live_server.url}/ogc/collections/stara-zagora-trails/items"
                          "?limit=1")["numberMatched"]
    assert matched > 0
    _drawn(page, min(matched, 100))
    # Nothing wider than the screen but the table, which scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator(".ogc-map").bounding_box()
    assert box and box["width"] <= PHONE["width"] and box["height"] > 300
    assert page.console_errors == []
