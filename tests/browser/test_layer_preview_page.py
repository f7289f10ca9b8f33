"""The layer preview at /layers/<slug>/ in a real Chromium."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from layers.models import Layer
from tests.browser.conftest import BASEMAP_HOSTS, PHONE, PLATFORM_HOSTS, screenshot, shared
from tests.factories import make_partner

pytestmark = [pytest.mark.browser]


@shared
def imported_layer():
    """A layer of 30 springs near Larissa, imported twice through the real pipeline."""
    tmp_path = Path(tempfile.mkdtemp())
    make_partner("larissa", bbox=(21.6, 39.1, 23.1, 40.2), name_el="Λάρισα", name_en="Larissa",
                 country="GR", languages=["el", "en"])

    def write(n: int):
        features = [{"type": "Feature", "properties": {
            "id": i, "name_el": f"Πηγή {i:02d}", "name_en": f"Spring {i:02d}",
            "category": "spring"},
            "geometry": {"type": "Point", "coordinates": [22.2 + i * 0.01, 39.6 + i * 0.005]}}
            for i in range(n)]
        path = tmp_path / "springs.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        return path

    call_command("import_layer", write(28), partner="larissa", layer="larissa-springs",
                 kind="attractions", verbosity=0)
    call_command("import_layer", write(30), partner="larissa", layer="larissa-springs",
                 kind="attractions", verbosity=0)
    shutil.rmtree(tmp_path)
    return Layer.objects.get(slug="larissa-springs")


def _open(page, live_server, lang: str = "en"):
    page.goto(f"{live_server.url}/layers/larissa-springs/?lang={lang}")
    page.wait_for_selector("#layer-table tbody tr td a", timeout=15_000)


def test_the_preview_shows_the_layer_on_a_map(page, live_server, imported_layer):
    _open(page, live_server)
    page.wait_for_selector(".layer-map [data-ready=true]", timeout=15_000)
    page.wait_for_selector(".leaflet-marker-pane .leaflet-marker-icon", timeout=5_000)
    # Every spring is on the map (in markers or clusters).
    assert page.get_attribute(".layer-map .folium-map", "data-features-loaded") == "30"
    assert page.locator(".atlas-partners input").count() == 1


def test_the_attribute_table_pages_through_the_api(page, live_server, imported_layer):
    _open(page, live_server)
    rows = page.locator("#layer-table tbody tr")
    assert rows.count() == 25
    assert page.locator(".table-range").inner_text() == "1–25 of 30"
    first = rows.first.locator("td")
    assert first.nth(0).inner_text() == "Spring 00"
    assert first.nth(2).inner_text() == "Πηγή 00"
    assert first.nth(5).inner_text() == "Spring"
    assert page.is_disabled("[data-page=prev]")
    page.click("[data-page=next]")
    page.wait_for_selector("#layer-table[data-offset='25']")
    assert rows.count() == 5
    assert page.locator(".table-range").inner_text() == "26–30 of 30"
    assert rows.last.locator("td").first.inner_text() == "Spring 29"
    assert page.is_disabled("[data-page=next]")
    # A row's button shows its feature on the map, with its popup.
    rows.last.locator("button").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup-name")
    popup.wait_for(timeout=5_000)
    assert popup.inner_text() == "Spring 29"


def test_the_table_speaks_the_chosen_language(page, live_server, imported_layer):
    _open(page, live_server, "el")
    assert page.locator("h2#table-title").inner_text() == "Πίνακας χαρακτηριστικών"
    assert page.locator("#layer-table tbody tr").first.locator("td").first.inner_text() == \
        "Πηγή 00"
    assert page.locator(".table-range").inner_text() == "1–25 από 30"
    assert page.locator("#layer-table tbody tr").first.locator("td").nth(5).inner_text() == \
        "Πηγή"


def test_the_import_history_lists_each_run(page, live_server, imported_layer):
    _open(page, live_server)
    runs = page.locator("table.history tbody tr")
    assert runs.count() == 2
    latest, first = (r.locator("td").all_inner_texts() for r in runs.all())
    assert latest[1] == "Succeeded" and latest[2] == "springs.geojson"
    assert latest[3] == "GeoJSON"
    assert latest[4:10] == ["30", "2", "0", "28", "0", "0"]  # read, created, updated, unchanged …
    assert first[4:6] == ["28", "28"]


def test_the_downloads_and_service_urls_work(page, live_server, imported_layer):
    _open(page, live_server)
    links = {a.inner_text(): a.get_attribute("href")
             for a in page.locator("[aria-labelledby=download-title] ul.downloads a").all()}
    assert set(links) == {"GeoJSON", "GPX", "KML", "Shapefile (zip)", "GeoPackage", "CSV (WKT)",
                          "FlatGeobuf", "GeoParquet"}
    body = page.request.get(live_server.url + links["GeoJSON"])
    assert len(body.json()["features"]) == 30
    assert page.request.get(live_server.url + links["GPX"]).text().count("<wpt ") == 30

    urls = {i.get_attribute("id"): i.input_value() for i in page.locator("dl.urls input").all()}
    assert urls["url-ogc"] == f"{live_server.url}/ogc/"
    assert urls["url-tiles"] == f"{live_server.url}/tiles/larissa-springs/{{z}}/{{x}}/{{y}}.mvt"
    items = page.request.get(urls["url-ogc-items"] + "?limit=100").json()
    assert items["numberMatched"] == 30
    assert page.request.get(urls["url-rest"]).json()["numberMatched"] == 30
    tilejson = page.request.get(urls["url-tilejson"]).json()
    assert tilejson["vector_layers"][0]["id"] == "attractions"
    # The styles that make it look as on the map (layers/ogc/styles.py).
    styles = {a.inner_text(): a.get_attribute("href")
              for a in page.locator("[aria-labelledby=styles-title] a").all()}
    assert set(styles) == {"QGIS style (.qml)", "SLD 1.0 style (.sld)",
                           "MapLibre style (style.json)"}
    qml = page.request.get(live_server.url + styles["QGIS style (.qml)"])
    assert qml.text().startswith("<!DOCTYPE qgis")
    style = page.request.get(live_server.url + styles["MapLibre style (style.json)"]).json()
    assert style["sources"]["atlas"]["url"].startswith(urls["url-tilejson"])
    tilesets = page.request.get(urls["url-ogc-tiles"]).json()
    assert len(tilesets["tilesets"]) == 3
    assert page.requested_hosts <= PLATFORM_HOSTS | BASEMAP_HOSTS
    screenshot(page, "test-layer-preview-desktop")


def test_the_layer_downloads_in_the_partners_crs(page, live_server, imported_layer):
    import pyarrow.parquet as pq

    _open(page, live_server)
    # Larissa is Greek: the Greek Grid is chosen first.
    assert page.locator("#download-crs").input_value() == "EPSG:2100"
    page.select_option("#download-format", "parquet")
    page.locator("form.download-crs").scroll_into_view_if_needed()
    screenshot(page, "test-layer-downloads-crs")
    with page.expect_download() as info:
        page.locator("form.download-crs button").click()
    download = info.value
    assert download.suggested_filename == "larissa-springs-epsg2100.parquet"
    table = pq.read_table(download.path())
    assert table.num_rows == 30
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["columns"]["geometry"]["crs"]["id"] == {"authority": "EPSG", "code": 2100}


def test_the_preview_is_usable_on_a_phone(new_page, live_server, imported_layer):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    _open(page, live_server, "bg")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The wide table scrolls inside its own box, not the page.
    scroller = page.locator("#layer-table").locator("xpath=..")
    assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    screenshot(page, "test-layer-preview-phone")


@pytest.mark.django_db(transaction=True)
def test_a_private_layer_has_no_preview(page, live_server, imported_layer):
    Layer.objects.filter(pk=imported_layer.pk).update(visibility="private")
    response = page.goto(f"{live_server.url}/layers/larissa-springs/")
    assert response.status == 404


@pytest.mark.django_db(transaction=True)
def test_a_moderator_reviews_an_unpublished_layer_on_its_page(new_page, live_server,
                                                              imported_layer):
    """Before it is published, the layer's map and table read the API by the layer's name
    in its moderator's session (Trust: they showed nothing, the API knowing only public
    layers)."""
    from layers.models import Partner
    from layers.vocabulary import Visibility
    from tests.browser.actor_cycle import signed_in
    from tests.factories import make_person

    Layer.objects.filter(slug="larissa-springs").update(visibility=Visibility.PARTNERS)
    moderator = make_person(Partner.objects.get(slug="larissa"), "moderators")
    page = signed_in(new_page, live_server, moderator)
    _open(page, live_server)
    page.wait_for_selector(".layer-map [data-ready=true]", timeout=15_000)
    assert page.get_attribute(".layer-map .folium-map", "data-features-loaded") == "30"
    assert page.locator("#layer-table tbody tr").count() == 25
    assert "Not published" in page.content()
