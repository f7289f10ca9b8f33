"""Published routes are an OGC API collection of their own, part of the regional layer,
and a layer of its vector tiles; a route edit changes the tiles' ETag."""

from __future__ import annotations

import pytest

from routes.models import PilotRoute
from routes.vocabulary import RouteStatus
from tests.layers.test_tiles import Z, _read_tile, _tile_of

pytestmark = pytest.mark.django_db


def test_ogc_lists_the_published_routes_with_flat_attributes(client, demo):
    PilotRoute.objects.filter(slug="tempi-valley-along-the-pineios").update(
        status=RouteStatus.PILOT)  # public, but not published: not in the regional layer
    body = client.get("/ogc/collections/all-routes/items", {"limit": 100}).json()
    assert body["numberMatched"] == 5
    shipka = next(f for f in body["features"]
                  if f["properties"]["slug"] == "valley-of-the-thracian-kings-and-shipka")
    assert shipka["properties"]["name_bg"] == "Долината на тракийските царе и проход Шипка"
    assert shipka["properties"]["themes"] == ["archaeology", "cultural_heritage", "adventure"]
    regional = client.get("/ogc/collections/regional-layer/items", {"limit": 1000}).json()
    kinds = [f["properties"]["kind"] for f in regional["features"]]
    assert kinds.count("route") == 5 and kinds.count("attraction") == 59
    schema = client.get("/ogc/collections/all-routes/schema").json()
    assert schema["properties"]["themes"] == {"type": "array", "items": {"type": "string"}}


def test_the_route_tiles_carry_the_route_in_the_language_asked(client, demo, tmp_path):
    x, y = _tile_of(25.3218, 42.74833)  # the Freedom Monument on Shipka, a stop
    response = client.get(f"/tiles/all-routes/{Z}/{x}/{y}.mvt", {"lang": "el"})
    assert response.status_code == 200
    layers = _read_tile(response.content, tmp_path, x, y)
    assert layers["routes"] == ["Η Κοιλάδα των Θρακών Βασιλέων και το πέρασμα της Σίπκα"]
    etag = response["ETag"]
    route = PilotRoute.objects.get(slug="valley-of-the-thracian-kings-and-shipka")
    route.title_el = "Σίπκα"
    route.save()
    again = client.get(f"/tiles/all-routes/{Z}/{x}/{y}.mvt", {"lang": "el"},
                       HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
