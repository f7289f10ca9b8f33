"""The guides from the pages, in a real Chromium: the help button of three pages in two
languages lands on the section that explains the page, the guides' search finds a word in
Bulgarian and in Greek, and every element the guides name on the explorer (made by its
script) is there."""

from __future__ import annotations

import pytest

from tests.browser.explorer import OVERVIEW
from tests.maps.test_help import marks

pytestmark = pytest.mark.browser

# page's address → the guide section its help opens, and that section's title by language.
HELPED = {
    f"/?{OVERVIEW}": ("guides/tourist/#explorer",
                      {"bg": "Разгледайте картата", "fr": "Explorer la carte"}),
    "/routes/": ("guides/tourist/#routes",
                 {"bg": "Изберете маршрут", "fr": "Choisir un itinéraire"}),
    "/planner/": ("guides/planner/#planner",
                  {"bg": "Отворете планирането", "fr": "Ouvrir le planificateur"}),
}
IN_VIEW = """e => { const r = e.getBoundingClientRect();
                    return r.top >= 0 && r.top < window.innerHeight; }"""


@pytest.mark.parametrize("lang", ["bg", "fr"])
@pytest.mark.parametrize("address", list(HELPED))
def test_the_help_button_opens_the_guide_section_of_the_page_in_its_language(
        page, live_server, region, address, lang):
    topic, titles = HELPED[address]
    separator = "&" if "?" in address else "?"
    page.goto(f"{live_server.url}{address}{separator}lang={lang}")
    page.locator("header.site [data-help-button]").click()
    page.wait_for_url(f"{live_server.url}/help/{lang}/{topic}")
    assert page.locator("html").get_attribute("lang") == lang
    section = page.locator(f"#{topic.partition('#')[2]}")
    assert section.inner_text().strip().rstrip("¶").strip() == titles[lang]
    assert section.evaluate(IN_VIEW), "the guide opens scrolled to the section"
    assert not page.console_errors, "the site's policy lets the guides' scripts run"
    assert page.requested_hosts <= {"127.0.0.1", "localhost", "tile.openstreetmap.org"}


@pytest.mark.parametrize(("lang", "word"), [("bg", "кодирането"), ("el", "κωδικοποίηση")])
def test_the_guides_search_finds_a_word_in_cyrillic_and_greek_offline(page, live_server, lang,
                                                                       word):
    page.goto(f"{live_server.url}/help/{lang}/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").fill(word)
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert f"/help/{lang}/guides/editor/" in result.get_attribute("href")
    assert page.requested_hosts <= {"127.0.0.1", "localhost"}
    assert not page.console_errors


def test_every_element_the_guides_name_on_the_explorer_is_there(page, live_server, region):
    page.goto(f"{live_server.url}/?{OVERVIEW}")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    missing = [s for s in sorted(marks()["explorer"]) if page.locator(s).count() == 0]
    assert not missing, f"the guides name elements the explorer no longer has: {missing}"
