"""The route pack: its manifest's checksums match its files, its PMTiles file holds the
platform's tiles of the corridor, and an unchanged route keeps the same pack."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import zipfile
from datetime import date

import pytest
from django.utils import timezone
from pmtiles.reader import MemorySource, Reader
from pmtiles.tile import TileType

from offline.corridor import MAX_ZOOM, MIN_ZOOM
from offline.pack import PackSpec, route_pack_build, season_end
from offline.tasks import route_pack as route_pack_task
from routes.models import PilotRoute
from tests.offline.conftest import STOPS

SITE = "http://testserver/"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map tile holding a point (the formula of OSM's wiki, worked here)."""
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def read(path) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    return json.loads(files["manifest.json"]), files


def test_the_manifest_lists_every_file_with_its_sha256(walk):
    manifest, files = read(route_pack_build(PackSpec("karandila-walk", (date.today(),)),
                                            site_url=SITE))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    assert {"route.gpx", "route.geojson", "corridor.pmtiles", "timetable.json",
            "route-bg.pdf", "route-el.pdf", "route-fr.pdf", "route-en.pdf"} <= set(listed)
    for name, entry in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == entry["sha256"], name
        assert len(files[name]) == entry["bytes"]
    for lang in ("bg", "el", "fr", "en"):
        assert files[f"route-{lang}.pdf"].startswith(b"%PDF-")
    assert b"<name>1. Karandila gate</name>" in files["route.gpx"]


def test_the_manifest_says_the_data_date_expiry_and_whose_data(walk):
    today = timezone.localdate()
    manifest, files = read(route_pack_build(PackSpec("karandila-walk", (today,)),
                                            site_url=SITE))
    assert manifest["data_date"] == today.isoformat()
    # The season (May to October) ends before the feed (2099): the season decides.
    assert manifest["expiry_basis"]["timetable_end"] == "2099-12-31"
    assert manifest["expires"] == manifest["expiry_basis"]["season_end"]
    assert manifest["expires"] == season_end([5, 6, 7, 8, 9, 10], today).isoformat()
    assert any("CC-BY-4.0" in line for line in manifest["attributions"])
    assert any("city-buses: CC BY 4.0; Obshtina Sliven" in line
               for line in manifest["attributions"])
    assert manifest["licences"][0]["url"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert manifest["tiles"]["basemap"] is None, "no outside basemap in a pack"
    times = json.loads(files["timetable.json"])
    assert list(times["days"]) == [today.isoformat()]


@pytest.mark.parametrize(("months", "today", "end"), [
    ([5, 6, 7, 8, 9, 10], date(2026, 7, 14), date(2026, 10, 31)),
    ([5, 6, 7, 8, 9, 10], date(2026, 12, 5), date(2027, 10, 31)),  # the next season
    ([11, 12, 1, 2], date(2026, 12, 5), date(2027, 2, 28)),  # a winter season
    ([], date(2026, 12, 5), None),  # all year
])
def test_the_season_ends_on_the_last_day_of_its_last_month(months, today, end):
    assert season_end(months, today) == end


def test_the_pmtiles_file_holds_the_tiles_of_the_corridor(walk):
    manifest, files = read(route_pack_build(PackSpec("karandila-walk", (date.today(),)),
                                            site_url=SITE))
    reader = Reader(MemorySource(files["corridor.pmtiles"]))
    header = reader.header()
    assert header["tile_type"] == TileType.MVT
    assert (header["min_zoom"], header["max_zoom"]) == (MIN_ZOOM, MAX_ZOOM)
    lon, lat = STOPS[1][1], STOPS[1][2]
    assert header["min_lon_e7"] / 1e7 < lon < header["max_lon_e7"] / 1e7
    assert header["min_lat_e7"] / 1e7 < lat < header["max_lat_e7"] / 1e7
    for z in (MIN_ZOOM, 13, MAX_ZOOM):
        tile = reader.get(z, *tile_of(lon, lat, z))
        assert tile is not None, f"no tile at zoom {z} over the stone bridge"
        body = gzip.decompress(tile)
        assert b"attractions" in body and b"Stone bridge" in body
        assert b"routes" in body
    # Far from the route (Sofia), no tile.
    assert reader.get(MAX_ZOOM, *tile_of(23.32, 42.70, MAX_ZOOM)) is None
    assert manifest["tiles"]["zooms"] == [MIN_ZOOM, MAX_ZOOM]
    assert manifest["tiles"]["tiles_with_features"] >= 3


def test_an_unchanged_route_keeps_the_same_pack_and_a_change_makes_a_new_one(walk):
    spec = PackSpec("karandila-walk", (date.today(),))
    first = route_pack_build(spec, site_url=SITE)
    made = first.read_bytes()
    first.unlink()  # made again from the same data: the same bytes
    again = route_pack_build(spec, site_url=SITE)
    assert again == first and again.read_bytes() == made
    PilotRoute.objects.filter(slug="karandila-walk").update(title_en="Karandila walk")
    walk["route"].refresh_from_db()
    walk["route"].save()  # through the model, as an editor would: bumps the data version
    changed = route_pack_build(spec, site_url=SITE)
    assert changed != first
    manifest, _files = read(changed)
    assert manifest["route"]["name"] == "Karandila walk"


def test_the_pack_downloads_as_a_zip_named_after_the_route(client, walk):
    day = date.today().isoformat()
    response = client.get(f"/api/offline/routes/karandila-walk/pack/?date={day}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="karandila-walk-pack-')
    body = b"".join(response.streaming_content)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("manifest.json"))
    assert disposition.endswith(f'{manifest["key"][:12]}.zip"')
    again = client.get(f"/api/offline/routes/karandila-walk/pack/?date={day}")
    assert again["ETag"] == response["ETag"]


def test_a_big_pack_is_made_by_the_worker(client, walk, settings):
    settings.ATLAS_OFFLINE_PACK_INLINE_TILES = 1
    url = "/api/offline/routes/karandila-walk/pack/"
    waiting = client.get(url)
    assert waiting.status_code == 202 and waiting["Retry-After"] == "5"
    assert client.get(url).status_code == 202, "asked again: still one job"
    from procrastinate.contrib.django.models import ProcrastinateJob

    jobs = ProcrastinateJob.objects.filter(task_name="offline.route_pack")
    assert jobs.count() == 1
    route_pack_task(**jobs.get().args)  # what the worker runs
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("query", "parameter"), [
    ("date=2026-13-01", "date"), ("date=" + ",".join(["2026-12-01"] * 8), "date"),
    ("when=today", "when")])
def test_bad_parameters_are_named(client, walk, query, parameter):
    response = client.get(f"/api/offline/routes/karandila-walk/pack/?{query}",
                          HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_an_unknown_or_draft_route_has_no_pack(client, walk):
    assert client.get("/api/offline/routes/nowhere/pack/").status_code == 404
    PilotRoute.objects.filter(slug="karandila-walk").update(status="draft")
    assert client.get("/api/offline/routes/karandila-walk/pack/").status_code == 404
    assert client.get("/api/offline/routes/karandila-walk/").status_code == 404


def test_a_route_without_a_line_yet_has_an_empty_corridor_and_still_a_pack(client, walk):
    PilotRoute.objects.filter(slug="karandila-walk").first().legs.all().delete()
    PilotRoute.objects.filter(slug="karandila-walk").update(geom=None)
    plan = client.get("/api/offline/routes/karandila-walk/").json()
    assert plan["tiles"]["count"] == 0 and plan["tiles"]["urls"] == []
    response = client.get("/api/offline/routes/karandila-walk/pack/")
    assert response.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(body.read("manifest.json"))["tiles"]["tiles_in_corridor"] == 0
