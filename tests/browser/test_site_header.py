"""The site header in a real Chromium: on a phone, in the languages with the longest words,
it fits the screen and its menu leads to every section."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE
from tests.browser.explorer import OVERVIEW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUTES = {"el": "Διαδρομές", "bg": "Маршрути"}
PLANNER = {"el": "Σχεδιασμός", "bg": "Планиране"}
WIDTH = "() => document.documentElement.scrollWidth"
# Every element of the header, opened menu included, inside the screen's width.
HEADER_INSIDE = """w => [...document.querySelectorAll('header.site *')]
    .filter(e => e.getClientRects().length)
    .every(e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= w; })"""


def _menu_link(page, text: str):
    """The header's link to a section, tapped open from the phone menu."""
    toggle = page.locator(".site-menu-toggle")
    link = page.locator("nav.sections a", has_text=text)
    assert link.is_hidden(), "on a phone the sections wait behind the menu button"
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert link.is_visible()
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert page.evaluate(HEADER_INSIDE, PHONE["width"])
    return link


@pytest.mark.parametrize("lang", ["el", "bg"])
def test_on_a_phone_the_header_fits_and_its_menu_leads_to_routes_and_planner(
        new_page, live_server, region, lang):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/?lang={lang}&{OVERVIEW}")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert page.evaluate(HEADER_INSIDE, PHONE["width"])
    header = page.locator("header.site").bounding_box()
    assert header["height"] < 80, "one compact bar above the map"

    # The menu opens over the map; Escape closes it again.
    _menu_link(page, ROUTES[lang])
    menu = page.locator(".site-menu").bounding_box()
    assert menu["y"] >= header["y"] + header["height"] - 1
    page.keyboard.press("Escape")
    assert page.locator(".site-menu").is_hidden()

    _menu_link(page, ROUTES[lang]).tap()
    page.wait_for_url(f"{live_server.url}/routes/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate(WIDTH) <= PHONE["width"]
    link = _menu_link(page, PLANNER[lang])
    assert page.locator("nav.sections a[aria-current=page]").inner_text() == ROUTES[lang]
    link.tap()
    page.wait_for_url(f"{live_server.url}/planner/")
    assert page.locator("h1").first.is_visible()
    assert page.evaluate(WIDTH) <= PHONE["width"]
    _menu_link(page, ROUTES[lang])
    assert page.locator("nav.sections a[aria-current=page]").inner_text() == PLANNER[lang]
    assert not page.console_errors, page.console_errors


def test_on_a_phone_the_404_has_the_header_and_a_way_back(new_page, live_server):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    response = page.goto(f"{live_server.url}/no-such-page/?lang=el")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Η σελίδα δεν βρέθηκε"
    assert page.evaluate(WIDTH) <= PHONE["width"]
    _menu_link(page, ROUTES["el"])
    page.keyboard.press("Escape")
    page.locator(".error-page a.button").tap()
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/(\?.*)?$"))  # the map
    # The one resource that failed is the missing page itself (Chromium reports its 404).
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"]


def test_on_a_desktop_every_section_shows_without_a_menu(page, live_server):
    page.goto(f"{live_server.url}/layers/?lang=el")
    assert page.locator(".site-menu-toggle").is_hidden()
    labels = page.locator("nav.sections a").all_inner_texts()
    assert labels == ["Χάρτης", "Διαδρομές", "Καλές πρακτικές", "Ανακοινώσεις", "Σχεδιασμός",
                      "Στρατηγική", "Επίπεδα", "API"]
    assert all(a.is_visible() for a in page.locator("nav.sections a").all())
    assert page.locator("nav.sections a[aria-current=page]").inner_text() == "Επίπεδα"
    assert not page.console_errors, page.console_errors


def test_without_scripts_the_phone_header_shows_every_link(new_page, live_server):
    page = new_page(PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page.goto(f"{live_server.url}/routes/?lang=bg")
    assert page.locator(".site-menu-toggle").is_hidden()
    links = page.locator("header.site a").all()
    assert len(links) == 16  # brand, eight sections, help, list your business, sign in,
    # four languages
    for link in links:
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_in_bulgarian_every_public_page_fits_a_phone_without_sideways_scrolling(
        new_page, live_server, demo_exchange):
    """Bulgarian's long words on a 390 px phone: each page a visitor or a GIS user opens
    stays within the screen (a wide table scrolls in its own box, not the page)."""
    from exchange.models import GoodPractice
    from exchange.vocabulary import Status
    from layers.models import Attraction
    from routes.models import PilotRoute
    from routes.vocabulary import RouteStatus

    route = PilotRoute.objects.filter(status=RouteStatus.PUBLISHED).order_by("slug").first()
    attraction = Attraction.objects.order_by("pk").first()
    practice = GoodPractice.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    wide = {}
    for path in ("/routes/", f"/routes/{route.slug}/", f"/attractions/{attraction.uid}/",
                 "/practices/", f"/practices/{practice.uid}/", "/planner/",
                 "/strategy/sliven/", "/layers/", "/sign-in/", "/actors/sign-up/",
                 "/ogc/?f=html", "/ogc/collections/all-attractions/items?f=html",
                 "/help/bg/"):
        page.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang=bg")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert not wide, wide
    assert not page.console_errors, page.console_errors
