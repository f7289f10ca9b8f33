"""The upload preview's small map in a real Chromium: every feature inside the frame."""

from __future__ import annotations

import json
import math

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import make_partner, run_queued_previews

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mercator_y(lat: float, zoom: int) -> float:
    """Leaflet's pixel y of a latitude at a zoom (256 px tiles)."""
    s = math.sin(math.radians(lat))
    return 256 * 2 ** zoom * (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi))


def _lat_of(y: float, zoom: int) -> float:
    n = math.pi - 2 * math.pi * y / (256 * 2 ** zoom)
    return math.degrees(math.atan(math.sinh(n)))


def test_the_preview_map_shows_every_feature_whole(page, live_server, tmp_path):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    user = User.objects.create_user("ivana", password="x", is_staff=True)
    user.groups.add(partner.editors)
    # Points whose extent is 318 px high at zoom 10 in the 320 px map: fitted
    # without padding, the top and bottom markers sit on the frame's edge.
    south = 42.30
    north = _lat_of(_mercator_y(south, 10) - 318, 10)
    points = [(25.60, south), (25.62, north), (25.61, (south + north) / 2)]
    features = [{"type": "Feature", "properties": {"name": f"Място {i}"},
                 "geometry": {"type": "Point", "coordinates": list(p)}}
                for i, p in enumerate(points)]
    path = tmp_path / "corners.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=layer]", "corners")
    page.select_option("select[name=kind]", "attractions")
    page.click("main button[type=submit]")  # the header has its own: Sign out
    # The dry run is the worker's: the page says it waits, then shows it once done.
    status = page.locator("[data-run-state] [data-stage]")
    assert status.inner_text() == "Queued: waiting for the import worker"
    run_queued_previews()
    page.wait_for_selector(".preview-map path.leaflet-interactive")
    page.wait_for_timeout(300)  # the fit's animation, if any
    frame = page.locator(".preview-map .folium-map").bounding_box()
    shapes = page.locator(".preview-map path.leaflet-interactive")
    assert shapes.count() == len(points)
    for i in range(shapes.count()):
        box = shapes.nth(i).bounding_box()
        assert box["x"] >= frame["x"] and box["y"] >= frame["y"], (box, frame)
        assert box["x"] + box["width"] <= frame["x"] + frame["width"], (box, frame)
        assert box["y"] + box["height"] <= frame["y"] + frame["height"], (box, frame)
