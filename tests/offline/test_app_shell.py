"""The installable app: the manifest, the service worker at the root, the offline page,
and what a device is told to save of a route."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from offline.corridor import MAX_ZOOM, MIN_ZOOM

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db  # the rate limits count every request in PostgreSQL


def test_the_service_worker_is_served_at_the_root_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "__ATLAS_SW_VERSION__" not in body and "__ATLAS_SHELL_URLS__" not in body
    for lang in ("bg", "el", "fr", "en"):
        assert f'"/offline/?lang={lang}"' in body
    # The background re-sync's code, shared with the pages, is loaded by the worker and
    # kept in its shell for the offline page.
    sync = re.search(r'importScripts\("([^"]+)"\)', body)
    assert sync and finders.find(sync.group(1).removeprefix("/static/"))
    assert f'"{sync.group(1)}"' in body.split("SHELL_URLS = ", 1)[1].split(";", 1)[0]
    assert 'addEventListener("periodicsync"' in body


def test_the_manifest_names_the_app_in_the_page_language_with_its_icons(client):
    manifest = client.get("/manifest.webmanifest?lang=bg")
    assert manifest["Content-Type"] == "application/manifest+json"
    m = manifest.json()
    assert m["name"] == "Регионален туристически атлас"
    assert (m["start_url"], m["scope"], m["display"]) == ("/?lang=bg", "/", "standalone")
    assert m["theme_color"] == "#1f618d"
    sizes = {}
    for icon in m["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        if icon["type"] == "image/png":
            sizes[icon["sizes"], icon["purpose"]] = Image.open(found).size
    assert sizes == {("192x192", "any"): (192, 192), ("512x512", "any"): (512, 512),
                     ("512x512", "maskable"): (512, 512)}


def test_every_page_links_the_manifest(client):
    page = client.get("/routes/?lang=el").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=el">' in page
    assert '<meta name="theme-color" content="#1f618d">' in page


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "Saved routes"), ("bg", "Запазени маршрути"), ("el", "Αποθηκευμένες διαδρομές"),
    ("fr", "Itinéraires enregistrés")])
def test_the_offline_page_speaks_the_visitor_language(client, lang, title):
    page = client.get(f"/offline/?lang={lang}").content.decode()
    assert f"<h1>{title}</h1>" in page
    labels = page.split('id="offline-labels" type="application/json">')[1].split("</script>")[0]
    assert set(json.loads(labels)) >= {"savedOn", "remove", "none", "offline"}


def test_a_route_page_offers_to_save_it_follow_it_and_download_its_pack(client, walk):
    page = client.get("/routes/karandila-walk/?lang=fr").content.decode()
    assert "Enregistrer hors ligne" in page
    assert 'href="/api/offline/routes/karandila-walk/pack/"' in page
    assert "data-follow-toggle" in page
    assert "AtlasOffline.route" in page
    embed = client.get("/embed/routes/karandila-walk/").content.decode()
    assert "data-offline" not in embed, "a partner's website embeds the route, not the app"


def test_a_device_is_told_what_to_save_and_how_big_it_is(client, walk):
    first = date.today() + timedelta(days=1)
    days = f"{first},{first + timedelta(days=1)}"
    plan = client.get(f"/api/offline/routes/karandila-walk/?lang=bg&date={days}").json()
    assert plan["pages"] == ["/routes/karandila-walk/",
                             f"/routes/karandila-walk/?date={first}",
                             f"/routes/karandila-walk/?date={first + timedelta(days=1)}"]
    assert "/api/routes/karandila-walk/export/?format=gpx" in plan["data"]
    assert plan["tiles"]["zooms"] == [MIN_ZOOM, MAX_ZOOM] and not plan["tiles"]["capped"]
    assert plan["tiles"]["count"] == len(plan["tiles"]["urls"]) > 20
    assert plan["tiles"]["estimated_bytes"] > 0
    assert plan["basemap"] is None, "no basemap is configured: none is kept"
    tile = client.get(plan["tiles"]["urls"][-1])
    assert tile.status_code == 200 and tile["Content-Type"] == "application/vnd.mapbox-vector-tile"
    for url in plan["data"]:
        assert client.get(url).status_code == 200, url


def test_a_long_route_keeps_its_tiles_under_the_cap_by_leaving_out_close_zooms(
        client, walk, settings):
    settings.ATLAS_OFFLINE_MAX_TILES = 40
    tiles = client.get("/api/offline/routes/karandila-walk/").json()["tiles"]
    assert tiles["capped"] and tiles["count"] <= 40
    assert tiles["zooms"][1] < MAX_ZOOM
    assert all(f"/{tiles['zooms'][1] + 1}/" not in u for u in tiles["urls"])


def test_an_operator_basemap_is_kept_when_configured(client, walk, settings):
    settings.ATLAS_OFFLINE_BASEMAP_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    plan = client.get("/api/offline/routes/karandila-walk/").json()
    assert len(plan["basemap"]) == plan["tiles"]["count"]
    assert plan["basemap"][0].startswith("https://tiles.example.org/10/")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_follow_maths_pass_their_node_tests():
    done = subprocess.run(["node", "--test", str(ROOT / "tests" / "js")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
