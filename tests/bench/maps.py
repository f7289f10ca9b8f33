"""Explorer benchmark (issue: Maps), in headless Chromium against gunicorn.

50,000 attractions and 2,000 trails around Larissa. Ours: the explorer at /, which
fetches the cells of the view from the API. Baseline: the same map with the same
features embedded in the page by folium (GeoJson in a MarkerCluster), as a
notebook would make it. Targets: HTML ≤ 300 KB whatever the data, first features
visible ≤ 1.5 s after navigation, panning fetches only what is new.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import urllib.request
from pathlib import Path

import folium
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from folium.plugins import MarkerCluster

from layers.models import Layer
from layers.vocabulary import LayerKind
from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap
from tests.bench.api import _make_layer, gunicorn

ATTRACTIONS = 50_000
TRAILS = 2_000
SLUG = "bench-maps"
REPEAT = 3
CHROMIUM = "/usr/bin/chromium"
# The basemap is not what is measured, and this machine has no outside network.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
# When the first feature (a marker, a cluster, a dense bubble or a trail) and the first
# attraction's own marker are drawn, in ms after navigation start (performance.now()).
FIRST_FEATURE = """(() => {
  window.__firstFeature = null;
  const sel = ".leaflet-marker-pane > *, path.atlas-trail, " +
              ".leaflet-overlay-pane path:not(.atlas-boundary)";
  window.__firstMarker = null;
  const check = () => {
    if (window.__firstFeature === null && document.querySelector(sel)) {
      window.__firstFeature = performance.now();
    }
    if (window.__firstMarker === null &&
        document.querySelector(".leaflet-marker-pane .atlas-marker")) {
      window.__firstMarker = performance.now();
    }
    if (window.__firstFeature !== null && window.__firstMarker !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  document.addEventListener("DOMContentLoaded", () => {
    observer.observe(document.body, { childList: true, subtree: true });
    check();
  });
})();"""
# A street-level view in the middle of the data, and its first attraction marker.
STREET_VIEW = "map=14/39.65/22.3"


def _make_data() -> Layer:
    layer = _make_layer(f"{SLUG}-attractions", ATTRACTIONS)
    Layer.objects.filter(slug=f"{SLUG}-trails").delete()
    trails = Layer.objects.create(slug=f"{SLUG}-trails", partner=layer.partner,
                                  kind=LayerKind.TRAILS, visibility="public",
                                  title_en="Bench trails")
    with connection.cursor() as cur:
        # Wavy lines of 40 points, about 8 km each, across the same area.
        cur.execute("""
            INSERT INTO layers_trail (uid, layer_id, source_id, name, name_el, name_en,
                description, activity, difficulty, geom, properties, created_at, updated_at)
            SELECT gen_random_uuid(), %s, g::text, 'Μονοπάτι ' || g, 'Μονοπάτι ' || g,
                   'Trail ' || g, '',
                   (ARRAY['hiking','walking','cycling','mountain_biking'])[1 + g %% 4],
                   (ARRAY['easy','moderate','hard'])[1 + g %% 3],
                   ST_Multi(ST_SetSRID(ST_MakeLine(ARRAY(
                       SELECT ST_MakePoint(s.x0 + i * 0.002, s.y0 + sin(i / 3.0 + g) * 0.01)
                       FROM generate_series(0, 39) i)), 4326)),
                   '{}'::jsonb, now(), now()
            FROM generate_series(1, %s) g,
                 -- "g * 0" ties the subquery to the row: without it PostgreSQL may run
                 -- it once and start every trail at the same place.
                 LATERAL (SELECT 21.8 + random() * 0.92 + g * 0 AS x0,
                                 39.3 + random() * 0.7 + g * 0 AS y0) s""",
                    [trails.pk, TRAILS])
        cur.execute("VACUUM ANALYZE layers_trail")
    return layer


def _all_features(base: str) -> dict:
    """The regional layer as the API gives it, page by page (for the baseline)."""
    features, offset = [], 0
    while True:
        url = f"{base}/api/regional-layer/?lang=en&limit=10000&offset={offset}"
        page = json.loads(urllib.request.urlopen(url, timeout=300).read())
        features += page["features"]
        offset += page["numberReturned"]
        if not page["next"]:
            return {"type": "FeatureCollection", "features": features}


def _baseline_html(base: str) -> str:
    """The explorer as folium alone makes it: every feature in the page, clustered."""
    data = _all_features(base)
    partners = json.loads(urllib.request.urlopen(f"{base}/api/partners/?lang=en").read())
    with override_settings(STATIC_URL=f"{base}/static/"):
        fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None)
        add_basemap(fmap)
        folium.GeoJson(partners, style_function=lambda _f: {
            "color": "#1e8449", "weight": 2, "fillOpacity": 0.03,
            "className": "atlas-boundary"}).add_to(fmap)
        cluster = MarkerCluster()
        # folium's MarkerCluster loads its script from a CDN: ours serves it.
        cluster.default_js = [("markerclusterjs", f"{base}/static/vendor/leaflet.markercluster/"
                               "leaflet.markercluster.js")]
        cluster.default_css = [
            ("markerclustercss", f"{base}/static/vendor/leaflet.markercluster/MarkerCluster.css"),
            ("markerclusterdefcss",
             f"{base}/static/vendor/leaflet.markercluster/MarkerCluster.Default.css")]
        cluster.add_to(fmap)
        folium.GeoJson(
            data, style_function=lambda _f: {"color": "#a04000", "weight": 4},
            popup=folium.GeoJsonPopup(fields=["name", "kind", "description"]),
        ).add_to(cluster)
        fmap.fit_bounds([[39.3, 21.8], [40.0, 22.8]])
        return fmap.get_root().render()


def _browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run"])


def _visit(browser, url: str, *, html: str | None = None, wait: str | None = None,
           idle: bool = True, timeout_ms: int = 180_000) -> dict:
    """Open ``url`` in a fresh context (empty cache): first feature time, bytes, requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(FIRST_FEATURE)
    api_bytes = []

    def route(r):
        if "tile.openstreetmap.org" in r.request.url:
            r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif html is not None and r.request.url == url:
            r.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            r.continue_()

    def on_response(response):
        if "/api/regional-layer/" in response.url:
            api_bytes.append(len(response.body()))

    page.route("**/*", route)
    page.on("response", on_response)
    page.goto(url, timeout=timeout_ms)
    page.wait_for_function("() => window.__firstFeature !== null", timeout=timeout_ms)
    if wait:
        page.wait_for_selector(wait, timeout=timeout_ms)
    if idle:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    result = {
        "first_ms": page.evaluate("() => window.__firstFeature"),
        "wait_ms": page.evaluate("() => performance.now()"),
        "api_requests": len(api_bytes), "api_bytes": sum(api_bytes),
        "page": page, "context": context, "api_log": api_bytes,
    }
    return result


def _pan(result: dict) -> dict:
    """Pan one screen east, then back: the requests and features each pan fetched."""
    page = result["page"]
    seen: set[str] = set(page.evaluate("() => [...window.atlasExplorer.registry.keys()]"))
    fetched: list[dict] = []

    def on_response(response):
        if "/api/regional-layer/" in response.url and "bbox=" in response.url:
            fetched.append(json.loads(response.body()))

    page.on("response", on_response)
    page.evaluate("() => window.atlasMap.panBy([1280, 0], {animate: false})")
    _settle(page)
    east = list(fetched)
    ids = [f["id"] for fc in east for f in fc["features"]]
    fetched.clear()
    page.evaluate("() => window.atlasMap.panBy([-1280, 0], {animate: false})")
    _settle(page)
    return {"requests": len(east), "features": len(ids),
            "again": sum(1 for i in ids if i in seen),
            "bytes": sum(len(json.dumps(fc)) for fc in east), "back_requests": len(fetched)}


def _settle(page) -> None:
    """Until the explorer has drawn every cell it asked for (it counts them: data-pending)."""
    page.wait_for_timeout(100)
    page.wait_for_selector(".folium-map[data-pending='0']", state="attached", timeout=120_000)


def _close(result: dict) -> None:
    result["context"].close()


def _median(values) -> float:
    return statistics.median(values)


def run() -> None:
    if not shutil.which(CHROMIUM):
        print("\nMaps: skipped, /usr/bin/chromium is missing (make setup installs it)")
        return
    from playwright.sync_api import sync_playwright

    _make_data()
    # gunicorn runs with ATLAS_DEBUG=0: WhiteNoise serves the collected static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    with gunicorn(workers=2, threads=4) as base, sync_playwright() as pw:
        browser = _browser(pw)
        html = urllib.request.urlopen(f"{base}/?lang=en").read()
        overview, street, pans = [], [], []
        for _ in range(REPEAT):
            r = _visit(browser, f"{base}/?lang=en")
            overview.append(r)
            _close(r)
            r = _visit(browser, f"{base}/?lang=en&{STREET_VIEW}",
                       wait=".leaflet-marker-pane .atlas-marker")
            r["marker_ms"] = r["page"].evaluate("() => window.__firstMarker")
            street.append(r)
            pans.append(_pan(r))
            _close(r)

        baseline_html = _baseline_html(base)
        baseline = []
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "baseline.html").write_text(baseline_html)
            for _ in range(REPEAT):
                # Not waiting for the network to settle: with 52,000 markers in the page the
                # browser stays busy, and only the first feature's time is compared.
                r = _visit(browser, f"{base}/__baseline__/", html=baseline_html, idle=False)
                baseline.append(r)
                _close(r)
        browser.close()

    ours_first = _median(r["first_ms"] for r in overview)
    street_first = _median(r["first_ms"] for r in street)
    base_first = _median(r["first_ms"] for r in baseline)
    pan = pans[len(pans) // 2]
    print(f"\nMaps: the explorer over {ATTRACTIONS:,} attractions and {TRAILS:,} trails, "
          f"headless Chromium 1280×800, medians of {REPEAT}")
    print(f"  HTML of /                          ours {len(html) / 1024:8.1f} KB   "
          f"folium-embedded {len(baseline_html) / 2**20:7.1f} MiB   ratio "
          f"{len(html) / len(baseline_html):.5f} (target ≤ 300 KB)")
    print(f"  first features visible (overview)  ours {ours_first / 1000:6.2f} s     "
          f"folium-embedded {base_first / 1000:7.2f} s     ratio {ours_first / base_first:.2f} "
          f"(target ≤ 1.5 s)")
    requests = _median(r["api_requests"] for r in overview)
    print(f"  API data for the overview          {requests:.0f} requests, "
          f"{_median(r['api_bytes'] for r in overview) / 1024:.0f} KB")
    print(f"  street view (zoom 14): first feature {street_first / 1000:.2f} s, first attraction "
          f"marker {_median(r['marker_ms'] for r in street) / 1000:.2f} s, "
          f"{_median(r['api_requests'] for r in street):.0f} requests, "
          f"{_median(r['api_bytes'] for r in street) / 1024:.0f} KB")
    print(f"  pan one screen east: {pan['requests']} requests, {pan['features']} features, "
          f"{pan['again']} of them already loaded (trails crossing cells), "
          f"{pan['bytes'] / 1024:.0f} KB; pan back: {pan['back_requests']} requests "
          f"(folium-embedded: 0 requests, all {len(baseline_html) / 2**20:.1f} MiB up front)")
    Layer.objects.filter(slug__startswith=SLUG).delete()
