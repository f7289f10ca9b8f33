"""Offline in a real Chromium: a route saved, then opened with the network switched off
(its map, GPX and timetable), the saved routes' list, and "follow" with an emulated
position. The other browser tests block service workers (conftest.py); these allow it."""

from __future__ import annotations

import math
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import PHONE, screenshot, shared
from tests.offline.conftest import STOPS, build_route

pytestmark = [pytest.mark.browser]
SLUG = "karandila-walk"
R = 6371008.8  # the sphere follow.js measures on


@shared
def karandila():
    """A walk from a Sliven bus stop (tests/offline/conftest.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        made = build_route(Path(tmp))
    legs = list(made["route"].legs.order_by("order").values_list("length_m", flat=True))
    return {"legs": legs}


def next_monday() -> str:
    day = timezone.localdate() + timedelta(days=1)
    return (day + timedelta(days=(0 - day.weekday()) % 7)).isoformat()


def controlled(page, url: str) -> None:
    """Open ``url`` once the service worker controls the page (the first visit installs
    it; the page is then opened again under it)."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def save_for_offline(page, url: str, monday: str, shot: str | None = None):
    """Save the route at ``url`` with the timetable of ``monday``, as a visitor does."""
    controlled(page, url)
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    page.fill("[data-offline-from]", monday)
    page.select_option("[data-offline-days]", "1")
    page.get_by_role("button", name="Save for offline").click()
    status = page.locator("[data-offline-status]")
    status.filter(has_text="map tiles (zoom 10–16): about").wait_for()
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("[data-offline][data-saved='1']", timeout=120_000)
    return status


def test_a_saved_route_opens_without_a_network(new_page, live_server, karandila):
    page = new_page(PHONE, service_workers="allow")
    url = f"{live_server.url}/routes/{SLUG}/"
    monday = next_monday()
    status = save_for_offline(page, url, monday, shot="offline-save-phone")
    assert "Saved on" in status.inner_text() and "on this device" in status.inner_text()

    page.context.set_offline(True)
    page.goto(f"{url}?date={monday}")
    # The page, its map from the saved data, the timetable of the saved day.
    assert page.locator("h1").inner_text() == "Karandila ridge walk"
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    assert page.locator(".leaflet-marker-icon").count() == 3
    assert page.locator("path.leaflet-interactive").count() >= 1
    # Under it, no outside basemap but the platform's own layers, from the saved tiles.
    page.wait_for_selector(".folium-map[data-saved-features]")
    assert int(page.locator(".folium-map").get_attribute("data-saved-features")) >= 3
    assert page.locator(".atlas-saved-tiles canvas").count() >= 1
    banner = page.locator("[data-offline-banner]")
    assert banner.is_visible() and "You are offline: this is the copy saved on" in \
        banner.inner_text()
    timetable = page.locator("#how-to-get-there")
    assert "Karandila" in timetable.inner_text() and "17:00" in timetable.inner_text()
    gpx = page.locator("a", has_text="Download GPX").get_attribute("href")
    body = page.evaluate("url => fetch(url).then(r => r.text())", gpx)
    assert body.startswith("<?xml") and "<name>1. Karandila gate</name>" in body
    screenshot(page, "offline-route-phone")

    # A page that was not saved: the offline page, in the language asked for.
    page.goto(f"{live_server.url}/practices/?lang=bg")
    assert page.locator("h1").inner_text() == "Запазени маршрути"
    assert page.locator("[data-offline-state]").inner_text().startswith("Няма връзка")
    assert page.locator(".saved-routes a").inner_text() == "Karandila ridge walk"

    # Removed from the list, the route is gone from the device.
    page.goto(f"{live_server.url}/offline/?lang=en")
    page.locator(".saved-routes button", has_text="Remove").click()
    page.wait_for_function("document.querySelectorAll('.saved-routes li').length === 0")
    assert page.evaluate("caches.has('atlas-route-karandila-walk')") is False


SAVED_META = ("caches.open('atlas-route-karandila-walk')"
              ".then(c => c.match('/__atlas/meta')).then(r => r.json())")


@pytest.mark.django_db(transaction=True)
def test_a_saved_route_changed_on_the_server_is_updated_when_online(new_page, live_server,
                                                                     karandila):
    from layers.models import Attraction

    page = new_page(PHONE, service_workers="allow")
    url = f"{live_server.url}/routes/{SLUG}/"
    monday = next_monday()
    save_for_offline(page, url, monday)
    saved = page.evaluate(SAVED_META)
    assert saved["version"] and saved["days"] == [monday]

    # Opened again online with nothing changed: the copy is current and kept as it was.
    page.goto(url)
    page.wait_for_selector("[data-offline][data-sync='current']")
    assert page.evaluate(SAVED_META)["saved_at"] == saved["saved_at"]

    # On the server, the partner renames a stop.
    stop = Attraction.objects.get(name_en="Stone bridge")
    stop.name_en = "Old stone bridge"
    stop.save()

    # The route's page updates the copy, in the language and for the days it was saved.
    page.goto(url)
    page.wait_for_selector("[data-offline][data-sync='updated']", timeout=120_000)
    status = page.locator("[data-offline-status]").inner_text()
    assert "The copy on this device is up to date again" in status
    # Said at the top of the page too, where a phone shows it without scrolling.
    banner = page.locator("[data-offline-banner]")
    assert banner.is_visible() and "up to date again" in banner.inner_text()
    fresh = page.evaluate(SAVED_META)
    assert fresh["version"] != saved["version"] and fresh["days"] == [monday]
    screenshot(page, "offline-updated-phone")

    # Without a network, the copy is the new one: its timetable still there.
    page.context.set_offline(True)
    page.goto(f"{url}?date={monday}")
    assert "Old stone bridge" in page.locator(".route-stops").inner_text()
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    assert "17:00" in page.locator("#how-to-get-there").inner_text()
    gpx = page.evaluate("url => fetch(url).then(r => r.text())", fresh["gpx"])
    assert "<name>2. Old stone bridge</name>" in gpx
    page.context.set_offline(False)
    page.console_errors.clear()  # the requests refused while offline
    # Online again and unchanged since: nothing more is fetched.
    page.goto(url)
    page.wait_for_selector("[data-offline][data-sync='current']")
    assert page.evaluate(SAVED_META)["saved_at"] == fresh["saved_at"]
    assert page.console_errors == []


def metres_west(lon: float, lat: float, m: float) -> float:
    return lon - m / (R * math.pi / 180 * math.cos(math.radians(lat)))


def test_follow_shows_the_next_stop_and_warns_off_the_route(new_page, live_server, karandila):
    (_n1, lon1, lat1), (name2, lon2, lat2) = STOPS[0], STOPS[1]
    page = new_page(PHONE, geolocation={"longitude": lon1, "latitude": lat1},
                    permissions=["geolocation"])
    page.goto(f"{live_server.url}/routes/{SLUG}/")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    page.get_by_role("button", name="Follow").click()
    panel = page.locator("[data-follow]")
    panel.filter(has_text=f"Next stop: 2. {name2} in").wait_for()
    # At the first stop, the next is one leg away (the leg's length as the platform
    # measured it on the spheroid; the device on the sphere: within 0.5 %).
    next_m = float(panel.get_attribute("data-next-m"))
    assert next_m == pytest.approx(karandila["legs"][0], rel=0.005)
    assert panel.get_attribute("data-off-route") == "0"

    # Half way along the first leg, 300 m west: about 230 m off the line.
    mid_lon, mid_lat = (lon1 + lon2) / 2, (lat1 + lat2) / 2
    page.context.set_geolocation({"longitude": metres_west(mid_lon, mid_lat, 300),
                                  "latitude": mid_lat})
    page.wait_for_selector("[data-follow][data-off-route='1']")
    assert "Off the route:" in panel.inner_text()
    screenshot(page, "offline-follow-phone")
    # 50 m west: about 39 m off, on the route again.
    page.context.set_geolocation({"longitude": metres_west(mid_lon, mid_lat, 50),
                                  "latitude": mid_lat})
    page.wait_for_selector("[data-follow][data-off-route='0']")
    assert page.locator("path.atlas-you").count() == 1
    assert page.console_errors == []


@pytest.mark.screenshots
def test_screenshots_of_offline(new_page, live_server, karandila):
    """`make screenshots` takes docs/offline-*.png (phone size) with the tests above."""
    test_a_saved_route_opens_without_a_network(new_page, live_server, karandila)
    test_follow_shows_the_next_stop_and_warns_off_the_route(new_page, live_server, karandila)


@pytest.mark.django_db(transaction=True)
def test_back_online_a_changed_route_is_resynced_in_the_background(new_page, live_server,
                                                                   karandila):
    from layers.models import Attraction

    page = new_page(PHONE, service_workers="allow")
    url = f"{live_server.url}/routes/{SLUG}/"
    monday = next_monday()
    save_for_offline(page, url, monday)
    saved = page.evaluate(SAVED_META)

    # The saved list, online: the copy is checked and current.
    page.goto(f"{live_server.url}/offline/?lang=en")
    page.wait_for_selector(".saved-routes li[data-sync='current']", timeout=60_000)
    # Offline: each route with its data's date.
    page.context.set_offline(True)
    page.reload()
    item = page.locator(".saved-routes li[data-route='karandila-walk']")
    assert "(data of " in item.inner_text()

    # While the device is offline, the partner renames a stop.
    stop = Attraction.objects.get(name_en="Stone bridge")
    stop.name_en = "Old stone bridge"
    stop.save()
    # Back online: the worker re-syncs the changed route without the visitor opening it,
    # and the list says so, with the new data's date.
    page.context.set_offline(False)
    page.wait_for_selector(".saved-routes li[data-sync='updated']", timeout=120_000)
    assert "updated on this device (data of" in item.inner_text()
    fresh = page.evaluate(SAVED_META)
    assert fresh["version"] != saved["version"] and fresh["days"] == [monday]
    gpx = page.evaluate("url => caches.match(url).then(r => r.text())", fresh["gpx"])
    assert "<name>2. Old stone bridge</name>" in gpx

    # Online again with nothing changed: checked, nothing downloaded (the copy is the same).
    page.reload()
    page.wait_for_selector(".saved-routes li[data-sync='current']", timeout=60_000)
    again = page.evaluate(SAVED_META)
    assert again["saved_at"] == fresh["saved_at"] and again["checked_at"] >= fresh["checked_at"]
    page.console_errors.clear()  # the requests refused while offline
