"""The route editor in a real Chromium: stops picked on the map, reordered, modes chosen,
metrics previewed and the composition saved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from layers.models import Attraction, Partner
from layers.services import partner_editors_group_ensure
from routes.models import PilotRoute
from tests.browser.conftest import BASEMAP_HOSTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "foret-de-saou-and-the-trois-becs"


@pytest.fixture
def editor_page(page, live_server, demo):
    user = User.objects.create_user("claire", password="x", is_staff=True)
    user.groups.add(partner_editors_group_ensure(partner=Partner.objects.get(slug="drome")))
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/routes/{SLUG}/edit/")
    page.wait_for_selector("#route-stops li.stop")
    page.wait_for_selector("path.leaflet-interactive")
    return page


def stop_names(page) -> list[str]:
    return page.locator("#route-stops li.stop .name").all_inner_texts()


def click_attraction(page, attraction: Attraction) -> None:
    """Click the attraction's marker where Leaflet drew it, then 'Add as stop'."""
    x, y = page.evaluate("""([lat, lon]) => {
        const map = Object.keys(window).filter(k => k.startsWith("map_"))
            .map(k => window[k]).find(m => m && m.latLngToContainerPoint);
        map.setView([lat, lon], 14, {animate: false});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [attraction.location.y, attraction.location.x])
    page.mouse.click(x, y)
    page.locator(".leaflet-popup button.add-stop").click()


def test_editor_previews_and_saves_a_new_composition(editor_page):
    pg = editor_page
    assert stop_names(pg) == ["Pertuis Gorge", "Roche Courbe", "Veyou (Trois Becs)"]
    # Remove the last stop, then pick it again on the map.
    pg.get_by_role("button", name="Remove: Veyou (Trois Becs)").click()
    assert len(stop_names(pg)) == 2
    click_attraction(pg, Attraction.objects.get(source_id="veyou-trois-becs"))
    assert stop_names(pg)[-1] == "Veyou (Trois Becs)"

    pg.get_by_role("button", name="Preview metrics").click()
    pg.wait_for_selector("#route-metrics dd")
    route = PilotRoute.objects.get(slug=SLUG)
    assert pg.locator("#route-metrics dd").first.inner_text() == \
        f"{route.length_m / 1000:.1f} km"
    assert "along trails" in pg.locator("[data-leg='1']").inner_text()

    # Reverse the first two stops and drive the first leg; save.
    pg.get_by_role("button", name="Move down: Pertuis Gorge").click()
    assert stop_names(pg)[:2] == ["Roche Courbe", "Pertuis Gorge"]
    pg.get_by_label("1 → 2").select_option("car")
    pg.get_by_role("button", name="Save").click()
    pg.wait_for_function("() => document.getElementById('route-message').textContent == 'Saved.'")
    route.refresh_from_db()
    stops = list(route.stops.order_by("order").values_list("attraction__source_id", flat=True))
    assert stops == ["roche-courbe", "defile-du-pertuis", "veyou-trois-becs"]
    assert list(route.legs.order_by("order").values_list("mode", "source")) == [
        ("car", "straight"), ("walk", "routed")]
    assert pg.requested_hosts <= {"127.0.0.1", "localhost"} | BASEMAP_HOSTS
    assert pg.console_errors == []

