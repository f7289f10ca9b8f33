"""Campaigns in a browser: a Sliven moderator writes an announcement with an image and a
link on the site's pages and publishes it; a visitor finds it on the home panel of the
map at "/" (desktop and phone), in the Atom feed, in the sitemap and in the OpenGraph and
Twitter tags of its page. The screenshots tier takes the home and an announcement's page
with the demo data for the docs."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from campaigns.models import Announcement
from layers.models import Attraction
from tests.browser.conftest import DESKTOP, PHONE, screenshot, shared
from tests.browser.test_practice_cycle import signed_in
from tests.factories import make_person

pytestmark = [pytest.mark.browser]


def poster() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (1200, 630), (30, 90, 160))
    for x in range(0, 1200, 40):
        image.paste((240, 190, 40), (x, 300, x + 20, 330))
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_moderator_publishes_an_announcement_seen_everywhere(new_page, live_server, region):
    _sz, sliven = region
    moderator = make_person(sliven, "moderators")
    rocks = Attraction.objects.get(name_en="Blue Rocks")
    today = timezone.now().date()

    page = signed_in(new_page, live_server, moderator)
    page.goto(f"{live_server.url}/announcements/new/?lang=en")
    page.fill("#id_starts_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=30)).isoformat())
    page.fill("#id_title_en", "Blue Rocks festival")
    page.fill("#id_title_bg", "Фестивал на Сините камъни")
    page.fill("#id_text_en", "Music on the rocks all weekend.\n\nBring a coat.")
    page.set_input_files("#f-image", files=[{"name": "poster.png", "mimeType": "image/png",
                                             "buffer": poster()}])
    page.fill("#f-image-author", "Sliven tourist office")
    page.select_option("#f-image-licence", "CC-BY-4.0")
    page.fill("#f-links", f"{live_server.url}/attractions/{rocks.uid}/")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("h1:has-text('Blue Rocks festival')")
    assert page.is_visible("text=A draft: only the partner's editors and moderators see it.")
    page.click("button[name=action][value=publish]")
    page.wait_for_load_state()
    announcement = Announcement.objects.get()
    assert announcement.status == "published"

    visitor = new_page()
    visitor.goto(f"{live_server.url}/?lang=en")
    visitor.wait_for_selector("[data-ready=true]", timeout=15_000)
    panel = visitor.locator("#home-panel")
    assert panel.locator("h3:has-text('Blue Rocks festival')").is_visible()
    assert panel.locator("img").first.get_attribute("src").endswith("/480")
    # Beside the map, not over it: the map takes the rest of the width.
    map_box = visitor.locator(".folium-map").bounding_box()
    panel_box = panel.bounding_box()
    assert map_box["x"] + map_box["width"] <= panel_box["x"] + 1
    screenshot(visitor, "test-home-desktop")
    visitor.click("#home-panel h3 a")
    visitor.wait_for_selector("h1:has-text('Blue Rocks festival')")
    assert visitor.is_visible("a:has-text('Blue Rocks')")

    bulgarian = new_page()
    bulgarian.goto(f"{live_server.url}/announcements/{announcement.uid}/?lang=bg")
    og = {name: bulgarian.locator(f"meta[property='{name}']").get_attribute("content")
          for name in ("og:title", "og:description", "og:image", "og:locale")}
    assert og["og:title"] == "Фестивал на Сините камъни"
    assert og["og:description"] == "Music on the rocks all weekend."  # English, the fallback
    assert og["og:locale"] == "bg_BG"
    assert re.fullmatch(rf"{live_server.url}/media/[0-9a-f-]{{36}}/1200", og["og:image"])
    assert bulgarian.locator("meta[name='twitter:card']").get_attribute("content") == \
        "summary_large_image"
    assert bulgarian.request.get(og["og:image"]).status == 200

    feed = visitor.request.get(f"{live_server.url}/announcements/feed.atom?lang=bg").text()
    assert "<title>Фестивал на Сините камъни</title>" in feed
    sitemap = visitor.request.get(f"{live_server.url}/sitemap-announcements.xml").text()
    assert f"/announcements/{announcement.uid}/?lang=el" in sitemap

    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server.url}/?lang=en")
    phone.wait_for_selector("[data-ready=true]", timeout=15_000)
    # On a phone the map comes first: the panel is a bar above it, folded.
    assert phone.locator("#home-panel-body").is_hidden()
    assert phone.locator(".folium-map").bounding_box()["width"] == PHONE["width"]
    phone.tap("[data-home-toggle]")
    assert phone.locator("#home-panel h3:has-text('Blue Rocks festival')").is_visible()
    screenshot(phone, "test-home-phone")
    assert visitor.requested_hosts <= {"127.0.0.1", "localhost", "tile.openstreetmap.org"}
    assert not visitor.console_errors and not phone.console_errors


def test_a_folded_home_panel_stays_folded_and_gives_the_map_its_room(new_page, live_server,
                                                                      campaigns_demo):
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/?lang=fr")
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    wide = page.locator(".folium-map").bounding_box()["width"]
    page.click("[data-home-toggle]")
    assert page.locator("#home-panel-body").is_hidden()
    page.wait_for_function(f"document.querySelector('.folium-map').offsetWidth > {wide + 200}")
    page.reload()
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert page.locator("#home-panel-body").is_hidden()
    assert page.locator("[data-home-toggle]").get_attribute("aria-expanded") == "false"


def test_the_home_tour_shows_the_panel_of_what_is_on(new_page, live_server, campaigns_demo):
    page = new_page(DESKTOP, first_visit=True)
    page.goto(f"{live_server.url}/?lang=fr")
    page.locator(".driver-popover").wait_for(timeout=15_000)
    for _step in range(8):
        if page.locator(".driver-popover-title").inner_text() == "À l’affiche":
            break
        last = page.locator(".driver-popover-progress-text").inner_text()
        page.locator(".driver-popover-next-btn").click()
        page.wait_for_function(
            "t => document.querySelector('.driver-popover-progress-text')?.textContent !== t",
            arg=last)
    assert page.locator(".driver-popover-title").inner_text() == "À l’affiche"
    assert "itinéraires à la une" in page.locator(".driver-popover-description").inner_text()
    assert page.locator("#home-panel.driver-active-element").count() == 1
    page.keyboard.press("Escape")  # closed before its end: not counted, nothing written
    page.locator(".driver-popover").wait_for(state="hidden")


@shared
def campaigns_demo() -> None:
    """The demo data with its announcements and featured routes (`make demo`)."""
    from fixtures.demo_announcements import load_demo_announcements
    from fixtures.demo_layers import DEMO_DIR, load_demo
    from fixtures.demo_routes import load_demo_routes

    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    load_demo_announcements(DEMO_DIR)


@pytest.mark.screenshots
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_the_home_and_an_announcement(new_page, live_server, campaigns_demo,
                                                     size):
    phone = size == "phone"
    page = new_page(PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone)
    page.goto(f"{live_server.url}/?lang=en")
    page.wait_for_selector("[data-ready=true] .leaflet-marker-pane .marker-cluster",
                           timeout=15_000)
    if phone:
        page.tap("[data-home-toggle]")
    assert page.locator("#home-panel .announcement-card").count() == 6
    assert page.locator("#home-routes ~ .home-list li").count() == 3
    screenshot(page, f"home-{size}")
    page.locator("#home-panel h3 a").first.click()
    page.wait_for_selector("article.announcement h1")
    screenshot(page, f"announcement-{size}")
