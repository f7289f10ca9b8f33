"""Screenshots of each page with the demo data, at desktop and phone sizes.

They land in test-results/screenshots/. `make screenshots` runs these tests (marked
`screenshots`: `make test` leaves them out) and copies the pictures to docs/*.png, which
the README and the guides in docs/users/ and docs/guides/ show (the import form once per
language, for the editor's guide in that language).
Each also checks that the page shows what it should, so a broken page fails here.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import BASEMAP_HOSTS, DESKTOP, PHONE, PLATFORM_HOSTS, screenshot
from tests.notices.conftest import smtp_inbox as real_smtp_server  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _size(new_page, size: str):
    phone = size == "phone"
    return new_page(SIZES[size], is_mobile=phone, has_touch=phone)


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_explorer(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/?lang=bg")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .marker-cluster",
                           timeout=15_000)
    assert page.locator("path.atlas-boundary").count() == 4
    screenshot(page, f"explorer-{size}")
    # Closer in, on Stara Zagora, with a popup open.
    page.goto(f"{live_server.url}/?lang=bg&map=13/42.435/25.625")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .atlas-marker",
                           timeout=15_000)
    page.fill("#atlas-search-input", "Августа Траяна")
    page.locator(".atlas-result").first.click()
    page.locator(".atlas-popup").wait_for(timeout=5_000)
    assert page.locator(".atlas-popup-name").inner_text() == "Античен форум „Августа Траяна“"
    screenshot(page, f"explorer-popup-{size}")
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_layer_preview(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/layers/stara-zagora-trails/?lang=fr")
    page.wait_for_selector("#layer-table tbody tr td a", timeout=15_000)
    page.wait_for_selector(".layer-map [data-ready=true] path.atlas-trail", timeout=15_000)
    assert page.locator("#layer-table tbody tr").count() >= 2
    page.screenshot(path=str(screenshot(page, f"layer-preview-{size}")), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_ogc_items_page(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/ogc/collections/stara-zagora-attractions/items"
              "?limit=10&lang=bg")
    page.wait_for_selector("[data-ogc-items]")
    assert page.locator(".ogc-map path.leaflet-interactive").count() == 10
    assert page.locator("[data-range]").first.inner_text().startswith("1–10 от ")
    screenshot(page, f"ogc-items-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_embed(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/embed/?partner=sliven&lang=el")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane > *", timeout=15_000)
    assert page.locator("path.atlas-boundary").count() == 1
    screenshot(page, f"embed-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_route_list(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/routes/?lang=fr")
    page.wait_for_selector(".folium-map[data-routes-loaded='6']", timeout=15_000)
    assert page.locator(".route-card").count() == 6
    screenshot(page, f"route-list-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_a_route_page(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/routes/valley-of-the-thracian-kings-and-shipka/?lang=en")
    page.wait_for_selector(".folium-map[data-route-loaded='1']", timeout=15_000)
    page.wait_for_selector("#route-profile-chart svg path.profile-line", timeout=15_000)
    screenshot(page, f"route-page-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_planner(new_page, live_server, demo, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/planner/?partner=sliven&lang=el")
    page.wait_for_selector(".folium-map[data-state=ready] path.planner-gap", timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    # The map zooms to the partner once the gaps are drawn: wait until it has.
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_timeout(300)
    screenshot(page, f"planner-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_strategy_page(new_page, live_server, demo_exchange, size):
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/strategy/sliven/?lang=bg")
    page.wait_for_selector("#answers .answer a[href^='/practices/']")
    assert page.locator("#series-arrivals-people svg polyline").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    if size == "desktop":
        # The entered series and the answers to the gaps, below today's figures.
        page.evaluate("document.querySelector('#series-arrivals-people')"
                      ".scrollIntoView({block: 'start'})")
    screenshot(page, f"strategy-{size}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
def test_screenshots_of_the_import_form_in_each_language(new_page, live_server, lang):
    """The editor's guide in each language shows the form in that language, its
    coordinate reference system hint open."""
    from django.test import Client

    from tests.factories import make_partner, make_person

    client = Client()
    client.force_login(make_person(make_partner("sliven"), "editors"))
    page = new_page({"width": 1280, "height": 1000})
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/import/?lang={lang}")
    page.locator("[data-hint=srs] summary").click()
    assert page.locator("[data-hint=srs] p").is_visible()
    assert page.locator("html").get_attribute("lang") == lang
    screenshot(page, f"import-form-{lang}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_demo_transfer_and_study_visit(new_page, live_server, demo, size):
    from exchange.models import StudyVisit, Transfer
    from fixtures.demo_exchange import load_demo_exchange
    from fixtures.demo_layers import DEMO_DIR
    from fixtures.demo_practices import load_demo_practices

    load_demo_practices(DEMO_DIR)
    load_demo_exchange(DEMO_DIR)
    page = _size(new_page, size)
    page.goto(f"{live_server.url}/practices/transfers/{Transfer.objects.get().uid}/?lang=en")
    assert page.inner_text("#transfer-status") == "Piloting"
    assert page.locator("#evidence table.indicators tbody tr").count() == 2
    page.screenshot(path=str(screenshot(page, f"transfer-demo-{size}")), full_page=True)
    page.goto(f"{live_server.url}/practices/transfers/?lang=fr")
    assert page.locator("tr.transfer-row").count() == 1
    screenshot(page, f"transfer-list-{size}")
    page.goto(f"{live_server.url}/practices/visits/{StudyVisit.objects.get().uid}/?lang=bg")
    page.wait_for_selector(".practice-map path.leaflet-interactive", timeout=15_000)
    assert page.locator(".places li").count() == 2
    page.screenshot(path=str(screenshot(page, f"visit-page-{size}")), full_page=True)


# The actor's guide shows the listing form in each of its four languages.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
def test_screenshots_of_the_actor_pages(new_page, live_server, region,
                                        real_smtp_server, settings,  # noqa: F811
                                        tmp_path, lang):
    from tests.browser.actor_cycle import guesthouse_cycle

    settings.MEDIA_ROOT = str(tmp_path / "media")
    guesthouse_cycle(new_page, live_server, region[1], real_smtp_server, lang, shots=True)
