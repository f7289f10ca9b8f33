"""Publishing in a real Chromium: a Sliven editor creates and publishes a pilot route from
the site's pages, and an upload with features outside the territory waits for the box
that confirms them. The pictures in docs/users/ come from here."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from layers.models import Attraction, Partner
from routes.models import PilotRoute
from tests.browser.conftest import screenshot
from tests.factories import make_partner, make_person, run_queued_imports, run_queued_previews

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def _add_stop(page, attraction: Attraction) -> None:
    """Click the attraction's marker where Leaflet drew it, then its 'Add as stop'."""
    x, y = page.evaluate("""([lat, lon]) => {
        const map = Object.keys(window).filter(k => k.startsWith("map_"))
            .map(k => window[k]).find(m => m && m.latLngToContainerPoint);
        map.closePopup();
        map.setView([lat, lon], 16, {animate: false});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [attraction.location.y, attraction.location.x])
    page.mouse.click(x, y)
    page.locator(".leaflet-popup button.add-stop").last.click()


def test_a_sliven_editor_creates_and_publishes_a_route(page, live_server, demo, new_page):
    editor = make_person(Partner.objects.get(slug="sliven"), "editors", username="petar")
    _sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/routes/")
    page.get_by_role("link", name="New route").click()
    page.fill("input[name=slug]", "blue-stones-morning")
    page.fill("input[name=title_en]", "A morning at the Blue Stones")
    page.fill("input[name=title_bg]", "Утро при Сините камъни")
    page.fill("input[name=summary_en]", "Above Sliven, before the heat")
    page.check("input[name=months][value='5']")
    page.check("input[name=months][value='9']")
    page.check("input[name=themes][value='nature']")
    page.select_option("select[name=status]", "draft")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/routes/blue-stones-morning/")
    assert "only its partners' editors see this route" in page.inner_text("[data-draft]")

    # Not public without stops: the form says so.
    page.get_by_role("link", name="Edit description, season and status").click()
    page.select_option("select[name=status]", "published")
    page.click("main form[data-route-form] button[type=submit]")
    assert "at least two stops" in page.inner_text(".field-status")

    # The composition editor, reached from the route page: two of Sliven's places.
    page.goto(f"{live_server.url}/routes/blue-stones-morning/")
    page.get_by_role("link", name="Stops and legs").click()
    page.wait_for_url(f"{live_server.url}/routes/blue-stones-morning/edit/")
    page.wait_for_selector("path.leaflet-interactive")
    for place in Attraction.objects.filter(layer__partner__slug="sliven",
                                           layer__visibility="public",
                                           layer__reference=False).order_by("id")[:2]:
        _add_stop(page, place)
    assert len(page.locator("#route-stops li.stop").all()) == 2
    page.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "() => document.getElementById('route-message').textContent == 'Saved.'")

    page.goto(f"{live_server.url}/routes/blue-stones-morning/")
    page.get_by_role("link", name="Edit description, season and status").click()
    page.select_option("select[name=status]", "published")
    page.click("main form[data-route-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/routes/blue-stones-morning/")
    assert not page.locator("[data-draft]").count()
    screenshot(page, "route-editor-buttons-en")
    assert PilotRoute.objects.get(slug="blue-stones-morning").status == "published"

    visitor = new_page()
    visitor.goto(f"{live_server.url}/routes/blue-stones-morning/")
    assert visitor.inner_text("h1") == "A morning at the Blue Stones"
    assert not visitor.locator("[data-route-manage]").count()


def test_features_outside_the_territory_wait_for_the_box(page, live_server, tmp_path):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    editor = make_person(partner, "editors", username="ivana")
    points = [("Antique forum", 25.626, 42.427), ("Neolithic dwellings", 25.611, 42.425),
              ("Meteora (a mistake)", 21.63, 39.72), ("Grignan (a mistake)", 4.909, 44.419)]
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for name, lon, lat in points]}))
    _sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=layer]", "sz-sites")
    page.select_option("select[name=kind]", "attractions")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-run-state]")
    run_queued_previews()
    page.reload()
    box = page.locator("[data-outside]")
    box.wait_for()
    assert "2 features lie outside the territory of Stara Zagora" in box.inner_text()
    assert "Meteora (a mistake)" in box.inner_text()
    box.scroll_into_view_if_needed()
    screenshot(page, "import-outside-en")
    # The box is required: the browser does not send the form without it.
    page.click("button[name=confirm]")
    assert page.url.endswith("/") and "/runs/" not in page.url
    page.check("input[name=allow_outside]")
    page.click("button[name=confirm]")
    page.wait_for_url("**/runs/**")
    [run] = run_queued_imports()
    assert run.counts["created"] == 4
