"""Partners' texts are never markup (Trust D2).

A partner's editor imports an attraction, and names a trail and a route, with markup that
would run a script if a page took it for HTML. Every page kind that shows them is opened in
Chromium, as a visitor and as a superuser, with the tooltips and popups that show the
names opened: the names read as text, no script runs, and the pages' Content-Security-
Policy never has to refuse anything (a refusal would mean a text became markup, or that a
script of the platform's own is not allowed).
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from layers.models import Attraction, Trail
from routes.models import PilotRoute
from tests.browser.conftest import BASEMAP_HOSTS
from tests.browser.test_route_editor import click_attraction
from tests.factories import run_queued_previews

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROUTE = "foret-de-saou-and-the-trois-becs"
# Each would add one to window.__xss, were it ever parsed as HTML.
HOSTILE = ('<img src=x onerror="window.__xss=(window.__xss||0)+1">Saou'
           "<script>window.__xss=9</script>")

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _no_script_ran(page, where: str) -> None:
    assert page.evaluate("window.__xss") is None, f"{where}: a name ran as a script"
    assert page.evaluate("window.__violations") == [], where
    assert page.dialogs == [], where
    assert page.console_errors == [], where


def _hover(page, locator) -> str:
    """Hover a map element; return the tooltip's text."""
    locator.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip").last
    tooltip.wait_for()
    return tooltip.inner_text()


@pytest.fixture
def hostile(demo, tmp_path):
    route = PilotRoute.objects.get(slug=ROUTE)
    # Next to the route's line, so that the route page shows it "along the way".
    lon, lat = route.geom.coords[0][len(route.geom.coords[0]) // 2][:2]
    src = tmp_path / "hostile.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"id": "h1", "name": HOSTILE, "category": "viewpoint"},
        "geometry": {"type": "Point", "coordinates": [lon, lat + 0.002]}}]}), "utf-8")
    call_command("import_layer", src, partner="drome", layer="drome-hostile",
                 kind="attractions", id_field="id", verbosity=0)
    trail = Trail.objects.filter(layer__partner__slug="drome").order_by("pk").first()
    Trail.objects.filter(pk=trail.pk).update(name_en=HOSTILE)
    PilotRoute.objects.filter(pk=route.pk).update(title_en=HOSTILE)
    return Attraction.objects.get(layer__slug="drome-hostile"), trail, src


@pytest.fixture
def watched(new_page):
    def make():
        page = new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.add_init_script(WATCH)
        return page
    return make


def test_hostile_names_are_text_on_every_page(watched, live_server, hostile):
    attraction, trail, src = hostile
    page = watched()
    base = live_server.url

    # The route list: the route's start marker's tooltip.
    page.goto(f"{base}/routes/?lang=en")
    page.wait_for_selector(".folium-map[data-routes-loaded]")
    assert HOSTILE in page.locator(".route-card h2").all_inner_texts()
    starts = page.locator("path.atlas-route-start")
    tips = [_hover(page, starts.nth(i)) for i in range(starts.count())]
    assert HOSTILE in tips
    _no_script_ran(page, "route list")

    # The route page: the attraction along the way, hovered as the attack did.
    page.goto(f"{base}/routes/{ROUTE}/?lang=en")
    page.wait_for_selector(".folium-map[data-route-loaded='1']")
    along = page.locator(f"path.atlas-along[aria-label='{HOSTILE}']")
    assert along.count() == 1
    assert _hover(page, along) == HOSTILE
    assert page.locator("h1").inner_text() == HOSTILE
    _no_script_ran(page, "route page")

    # The explorer: the attraction found by search, its popup opened.
    page.goto(f"{base}/?lang=en")
    page.wait_for_selector("#atlas-search-input")
    page.fill("#atlas-search-input", "Saou")
    page.locator(".atlas-result", has_text="onerror").first.wait_for()
    assert page.locator(".atlas-result-name").all_inner_texts().count(HOSTILE) == 3
    page.locator(".atlas-result", has_text="onerror").filter(has_text="Viewpoint").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup-name", has_text="onerror")
    popup.wait_for()
    assert popup.inner_text() == HOSTILE
    _no_script_ran(page, "explorer")

    # The layer page and the attraction's page.
    page.goto(f"{base}/layers/drome-hostile/?lang=en")
    page.locator("#layer-table tbody tr", has_text="onerror").wait_for()
    assert HOSTILE in page.locator("#layer-table").inner_text()
    page.goto(f"{base}/attractions/{attraction.uid}/?lang=en")
    assert page.locator("h1").inner_text() == HOSTILE
    page.goto(f"{base}/trails/{trail.uid}/?lang=en")
    assert page.locator("h1").inner_text() == HOSTILE
    _no_script_ran(page, "layer and feature pages")

    # A superuser in the route editor: the attraction's tooltip and popup.
    admin = User.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": base}])
    page.goto(f"{base}/routes/{ROUTE}/edit/?lang=en")
    page.wait_for_selector("#route-stops li.stop")
    page.wait_for_selector("path.leaflet-interactive")
    click_attraction(page, attraction)
    assert page.locator("#route-stops li.stop .name").last.inner_text() == HOSTILE
    _no_script_ran(page, "route editor")

    # The admin's map widget runs under the same policy.
    # The import preview's small map: the file's names in its tooltips.
    page.goto(f"{base}/import/?lang=en")
    page.set_input_files("input[name=file]", str(src))
    page.select_option("select[name=partner]", label="Drôme")
    page.fill("input[name=layer]", "drome-hostile-2")
    page.select_option("select[name=kind]", "attractions")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("[data-run-state]")  # the page waits for the worker's dry run
    run_queued_previews()
    page.wait_for_selector(".preview-map path.leaflet-interactive")
    assert _hover(page, page.locator(".preview-map path.leaflet-interactive").first) == HOSTILE
    _no_script_ran(page, "import preview")

    page.goto(f"{base}/admin/layers/attraction/{attraction.pk}/change/")
    page.wait_for_selector(".dj_map canvas, .dj_map .ol-viewport")
    _no_script_ran(page, "admin")
    assert page.requested_hosts <= {"127.0.0.1", "localhost"} | BASEMAP_HOSTS
