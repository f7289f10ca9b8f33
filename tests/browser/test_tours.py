"""The first-visit tours (driver.js, maps/tours.py) in a real Chromium, on a desktop and a
phone: on the explorer and the import page a first visit starts the tour by itself, in the
page's language; it can be stepped through or dismissed, does not start again, and the
header's "Tour of this page" replays it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.explorer import OVERVIEW
from tests.factories import make_partner, make_person

pytestmark = pytest.mark.browser

POPOVER = ".driver-popover"
SIZES = {"desktop": ({"viewport": DESKTOP}),
         "phone": ({"viewport": PHONE, "is_mobile": True, "has_touch": True})}


def _replay(page) -> None:
    """The header's replay button (behind the menu on a phone)."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.locator("header.site [data-tour-replay]").click()


# It writes: a visitor's completed tour is counted (tests/browser/test_training.py).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_explorer_tour_runs_on_a_first_visit_and_is_replayed_from_the_header(
        new_page, live_server, region, size):
    page = new_page(first_visit=True, **SIZES[size])
    page.goto(f"{live_server.url}/?lang=bg&{OVERVIEW}")
    popover = page.locator(POPOVER)
    popover.wait_for(timeout=15_000)
    assert page.locator(".driver-popover-title").inner_text() == "Търсене"
    total = int(page.locator(".driver-popover-progress-text").inner_text().split()[-1])
    titles = []
    for step in range(1, total + 1):  # step through to the end
        page.wait_for_function(
            "t => document.querySelector('.driver-popover-progress-text')?.textContent === t",
            arg=f"{step} от {total}")
        titles.append(page.locator(".driver-popover-title").inner_text())
        page.locator(".driver-popover-next-btn").click()
    popover.wait_for(state="hidden")
    assert titles[:3] == ["Търсене", "Слоеве", "Легенда"]
    if size == "phone":  # the header's menu is folded: its steps are left out
        assert "Помощ" not in titles
    else:
        assert titles[-1] == "Помощ"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"][
        "width"]

    page.reload()
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    page.wait_for_timeout(500)
    assert not popover.is_visible(), "a finished tour does not start again"
    _replay(page)
    popover.wait_for()
    assert page.locator(".driver-popover-title").inner_text() == "Търсене"
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.requested_hosts <= {"127.0.0.1", "localhost", "tile.openstreetmap.org"}
    assert not page.console_errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_import_page_tour_runs_once_and_can_be_dismissed(new_page, live_server, size):
    partner = make_partner("sliven")
    client = Client()
    client.force_login(make_person(partner, "editors"))
    page = new_page(first_visit=True, **SIZES[size])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/import/?lang=fr")
    popover = page.locator(POPOVER)
    popover.wait_for(timeout=10_000)
    assert page.locator(".driver-popover-title").inner_text() == "Fichier"
    assert page.locator(".driver-popover-progress-text").inner_text() == "1 sur 4"
    page.locator(".driver-popover-close-btn").click()
    popover.wait_for(state="hidden")
    page.reload()
    page.locator("#id_file").wait_for()
    page.wait_for_timeout(500)
    assert not popover.is_visible(), "a dismissed tour does not start again"
    _replay(page)
    popover.wait_for()
    page.locator(".driver-popover-next-btn").click()
    page.wait_for_function(
        "() => document.querySelector('.driver-popover-title')?.textContent === 'Couche'")
    assert not page.console_errors
