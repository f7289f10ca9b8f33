"""A collection's MapLibre style, loaded in MapLibre GL JS (npm's, a devDependency: the
site itself draws with Leaflet): its tiles draw markers with their icons and trails in
their activity's colour, as on the platform's map."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.browser.conftest import BASEMAP_HOSTS, CHROMIUM, SCREENSHOTS

MAPLIBRE = Path(settings.BASE_DIR) / "node_modules" / "maplibre-gl" / "dist"
# MapLibre needs WebGL, which the other browser tests' --disable-gpu turns off: Chromium's
# software renderer draws it here.
WEBGL_ARGS = ["--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader",
              "--ignore-gpu-blocklist", "--disable-background-networking"]

pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) or not (MAPLIBRE / "maplibre-gl.js").exists(),
    reason="Chromium or npm's devDependencies (maplibre-gl) are missing")


def _blank_tile() -> bytes:
    """A white 256-pixel basemap tile: MapLibre decodes what it is sent (the other tests'
    one-pixel PNG it refuses), and the tests never leave the machine."""
    out = io.BytesIO()
    Image.new("RGB", (256, 256), "white").save(out, format="PNG")
    return out.getvalue()


def test_maplibre_draws_the_regional_layer_as_the_map(browser, live_server, region):
    style = f"{live_server.url}/ogc/collections/regional-layer/styles/atlas?f=mapbox&lang=en"
    # A Chromium of its own (WebGL on), from the session's Playwright.
    webgl = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                        args=WEBGL_ARGS)
    try:
        page = webgl.new_page(viewport={"width": 800, "height": 600})
        page.route(lambda url: any(h in url for h in BASEMAP_HOSTS),
                   lambda route: route.fulfill(status=200, content_type="image/png",
                                               body=_blank_tile(),
                                               headers={"Access-Control-Allow-Origin": "*"}))
        page.set_content('<div id="map" style="width:800px;height:600px"></div>')
        page.add_style_tag(path=str(MAPLIBRE / "maplibre-gl.css"))
        page.add_script_tag(path=str(MAPLIBRE / "maplibre-gl.js"))
        page.evaluate("""style => {
            window.errors = [];
            window.map = new maplibregl.Map({container: "map", style, center: [25.55, 42.38],
                                             zoom: 10, fadeDuration: 0});
            map.on("error", e => errors.push(String(e.error && e.error.message || e)));
            map.once("idle", () => { window.idle = true; });
        }""", style)
        page.wait_for_function(
            "window.errors.length > 0 || window.idle === true"
            " || (map.loaded() && map.areTilesLoaded()"
            "     && map.queryRenderedFeatures().length > 0)", timeout=60_000)
        # Each feature's colour as MapLibre evaluated it for that feature.
        drawn = page.evaluate("""() => map.queryRenderedFeatures().map(f => {
            const c = f.layer.paint && (f.layer.paint["circle-stroke-color"]
                                        || f.layer.paint["line-color"]);
            return [f.layer.id, f.properties.name, c ? c.toString() : null]; })""")
        errors = page.evaluate("window.errors")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "maplibre-style-regional-layer.png"))
    finally:
        webgl.close()
    assert errors == []
    layers = {layer for layer, _name, _colour in drawn}
    assert {"attractions", "attractions-icons", "trails"} <= layers
    colours = {(layer, name): colour for layer, name, colour in drawn}
    # The forum is archaeological: the history family's ring, with its icon drawn.
    assert colours[("attractions", "Augusta Traiana forum")] == "rgba(160,64,0,1)"
    assert ("attractions-icons", "Augusta Traiana forum") in colours
    assert colours[("trails", "Path")] == "rgba(160,64,0,1)"  # hiking
