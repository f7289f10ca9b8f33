"""A partner's strategy page in a real Chromium, with the demo's practices and
indicators: Sliven's, in Bulgarian, links the practice another partner published on a
category Sliven lacks, prints without its tools, fits a phone and is walked by keyboard."""

from __future__ import annotations

import pytest

from exchange.models import GoodPractice
from tests.browser.conftest import BASEMAP_HOSTS, PHONE, PLATFORM_HOSTS

pytestmark = [pytest.mark.browser]


def _open(page, live_server) -> None:
    page.goto(f"{live_server.url}/strategy/sliven/?lang=bg")
    page.wait_for_selector("#answers")


def test_the_sliven_strategy_in_bulgarian_links_another_partners_practice(
        page, live_server, demo_exchange):
    practice = GoodPractice.objects.get(title_en__startswith="Cyclists welcome")
    _open(page, live_server)
    assert page.locator("h1").inner_text() == "Стратегия на Сливен"
    # Sliven has no castle; Drôme's practice concerns castles.
    answer = page.locator("#answers .answer[data-category=castle]")
    assert "Дром има 1 практика за „Замък“" in answer.inner_text()
    link = answer.locator(f'a[href^="/practices/{practice.uid}/"]')
    assert link.count() == 1
    # Its measured and entered indicators, each with its table.
    assert page.locator("#measured tbody tr").count() >= 1
    assert page.locator("#series-arrivals-people tbody tr").count() == 3
    link.click()
    page.wait_for_url(f"**/practices/{practice.uid}/**")
    assert "Cyclists welcome" in page.locator("h1").inner_text()
    assert not page.console_errors
    # The practice's page draws its places on a basemap; nothing else comes from outside.
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS


def test_the_strategy_page_prints_without_its_tools_and_with_the_links_addresses(
        page, live_server, demo_exchange):
    _open(page, live_server)
    page.emulate_media(media="print")
    assert page.locator(".strategy-tools").is_hidden()
    assert page.locator("header.site").is_hidden()
    assert page.locator(".print-only").is_visible()
    after = page.evaluate("""getComputedStyle(document.querySelector(
        '#answers .answer a[href]'), '::after').content""")
    assert "/practices/" in after
    page.emulate_media(media="screen")
    assert page.locator(".strategy-tools").is_visible()
    assert page.locator(".print-only").is_hidden()


def test_the_strategy_page_fits_a_phone_and_reaches_its_answers_by_keyboard(
        new_page, live_server, demo_exchange):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    _open(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    target = page.locator("#answers .answer[data-category=castle] a").first
    href = target.get_attribute("href")
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
    else:
        pytest.fail("the answers' links are not reached with Tab")
