"""The guides' pictures, task by task, in each of the four languages (docs/guides/*.md show
``guide-<task>-<lang>.png``): the tourist's search, the good practices and a service's page,
the planner's coverage and a partner's strategy page, the practice form an editor or member
writes in, a submitted practice as another partner's moderator reviews it, and a transfer
as the receiving partner runs it. `make screenshots` runs these (marked
``screenshots``) with the demo data and copies the pictures to docs/; tests/maps/test_help.py
fails when a guide shows one that is not there. Each also checks that the page shows what
the guide says, in the guide's language."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, screenshot, shared

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]
LANGS = ("bg", "el", "fr", "en")
SIZE = {"width": 1280, "height": 860}
# What a visitor types for "museum" in each language (the search's category words).
MUSEUM = {"bg": "музей", "el": "μουσείο", "fr": "musée", "en": "museum"}


def guide_demo() -> dict:
    """The demo data with its practices and listings, a member of Stara Zagora and a
    moderator of Larissa signed in (their sessions, made while the data is written: the
    screenshot tests only read)."""
    from django.test import Client

    from exchange.models import GoodPractice, Transfer
    from fixtures.demo_exchange import load_demo_exchange
    from fixtures.demo_indicators import load_demo_indicators
    from fixtures.demo_layers import DEMO_DIR, load_demo
    from fixtures.demo_listings import load_demo_listings
    from fixtures.demo_practices import load_demo_practices
    from fixtures.demo_routes import load_demo_routes
    from layers.models import Partner
    from tests.factories import make_person

    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    load_demo_listings(DEMO_DIR, photos=False)
    load_demo_practices(DEMO_DIR)
    load_demo_exchange(DEMO_DIR)
    load_demo_indicators()
    sessions = {}
    for role, slug, group in (("member", "stara-zagora", "members"),
                              ("moderator", "larissa", "moderators"),
                              ("larissa", "larissa", "members")):
        client = Client()
        client.force_login(make_person(Partner.objects.get(slug=slug), group,
                                       username=f"guide-{role}"))
        sessions[role] = client.cookies["sessionid"].value
    from actors.models import Listing

    return {"sessions": sessions,
            "submitted": str(GoodPractice.objects.get(status="submitted").uid),
            "listing": str(Listing.objects.get(source_id="sz-hotel-vereya").uid),
            "transfer": str(Transfer.objects.get(partner__slug="larissa").uid)}


guide_demo_data = shared(guide_demo)


def _page(new_page, live_server, data=None, role: str | None = None):
    page = new_page(SIZE)
    if role:
        page.context.add_cookies([{"name": "sessionid", "value": data["sessions"][role],
                                   "url": live_server.url}])
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pictures_of_the_tourist_s_tasks(new_page, live_server, guide_demo, lang):
    page = _page(new_page, live_server)
    page.goto(f"{live_server.url}/?lang={lang}&map=12/42.43/25.62")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .atlas-marker",
                           timeout=20_000)
    page.fill("#atlas-search-input", MUSEUM[lang])
    page.keyboard.press("Enter")
    page.locator(".atlas-result").first.wait_for(timeout=10_000)
    assert page.locator(".atlas-result").count() >= 2
    assert page.locator("html").get_attribute("lang") == lang
    screenshot(page, f"guide-tourist-search-{lang}")

    page.goto(f"{live_server.url}/practices/?lang={lang}")
    page.locator(".practice-card").first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)  # the map's markers
    assert page.locator("form.practice-filters").is_visible()
    screenshot(page, f"guide-practices-{lang}")

    page.goto(f"{live_server.url}/services/{guide_demo['listing']}/?lang={lang}")
    assert page.locator("section.nearby").count() == 1
    assert page.locator(".facts").first.is_visible()
    screenshot(page, f"guide-service-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pictures_of_the_planner_s_coverage(new_page, live_server, guide_demo, lang):
    page = _page(new_page, live_server)
    page.goto(f"{live_server.url}/planner/?partner=sliven&lang={lang}")
    page.wait_for_selector(".folium-map[data-state=ready] path.planner-gap", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_timeout(300)
    screenshot(page, f"guide-planner-coverage-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pictures_of_writing_and_reviewing_a_practice(new_page, live_server, guide_demo,
                                                           lang):
    page = _page(new_page, live_server, guide_demo, "member")
    page.goto(f"{live_server.url}/practices/new/?lang={lang}")
    page.locator("#practice-form").wait_for()
    page.locator("#place-filter").wait_for()
    screenshot(page, f"guide-practice-form-{lang}")

    page = _page(new_page, live_server, guide_demo, "moderator")
    page.goto(f"{live_server.url}/practices/{guide_demo['submitted']}/?lang={lang}")
    actions = page.locator("section.practice-actions")
    actions.wait_for()
    assert page.locator("button[value=publish]").is_visible()
    assert page.locator("#act-comment").is_visible()
    page.fill("#act-comment", {"bg": "Какъв беше бюджетът?", "el": "Ποιος ήταν ο προϋπολογισμός;",
                               "fr": "Quel était le budget ?",
                               "en": "What was the budget?"}[lang])
    screenshot(page, f"guide-moderator-review-{lang}")


STRATEGY_TITLE = {"bg": "Стратегия на Сливен", "el": "Στρατηγική",
                  "fr": "Stratégie", "en": "Sliven"}


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pictures_of_a_strategy_page_and_a_transfer(new_page, live_server, guide_demo,
                                                         lang):
    page = _page(new_page, live_server)
    page.goto(f"{live_server.url}/strategy/sliven/?lang={lang}")
    page.wait_for_selector("#answers")
    assert STRATEGY_TITLE[lang] in page.locator("h1").inner_text()
    assert page.locator("#measured tbody tr").count() >= 1
    screenshot(page, f"guide-strategy-{lang}")

    page = _page(new_page, live_server, guide_demo, "larissa")
    page.goto(f"{live_server.url}/practices/transfers/{guide_demo['transfer']}/?lang={lang}")
    page.wait_for_selector("#evidence-form")
    assert page.locator("#e-measure option").count() == 5  # none, and the planner's four
    assert page.locator("#status-form").is_visible()
    screenshot(page, f"guide-transfer-{lang}")


def test_guide_picture_of_a_listings_popup_open_now_in_greek(new_page, live_server,
                                                            guide_demo, settings):
    # Orthodox Easter Monday 2027 at noon: the halva shop of Farsala ("PH off") is closed.
    settings.ATLAS_NOW = "2027-05-03T12:00:00+03:00"
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/?lang=el&map=11/39.29/22.38")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    page.fill("#atlas-search-input", "Χαλβάς")
    page.locator(".atlas-result", has_text="Χαλβάς Φαρσάλων").first.click()
    popup = page.locator(".atlas-popup[data-hours=ready]").filter(has_text="Χαλβάς Φαρσάλων")
    popup.wait_for(timeout=10_000)
    assert popup.locator(".atlas-popup-open").inner_text() == (
        "Κλειστό τώρα · ανοίγει αύριο στις 08:00")
    popup.locator(".atlas-popup-week summary").click()
    popup.locator(".atlas-popup-week table").wait_for()
    # Unfolded, the popup is moved back into view: below the search box once moved.
    page.wait_for_function("""() => {
        const box = document.querySelector('.leaflet-popup').getBoundingClientRect();
        const search = document.querySelector('.atlas-search').getBoundingClientRect();
        return box.top > search.bottom;
    }""", timeout=5_000)
    screenshot(page, "explorer-open-now-phone-el")
