"""Listings reach every interface through the registry: vector tiles (GDAL reads them),
the OGC API (a collection and its items), and the regional layer's exports."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import make_listing
from tests.layers.test_tiles import Z, _read_tile, _tile_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def inn(territories):
    make_listing(26.32, 42.68, name_en="Draft inn", status="draft")
    return make_listing(26.321, 42.681, name_bg="Хан Сливен", name_en="Sliven inn",
                        opening_hours="24/7", price_from=30, price_to=60)


def test_the_tiles_have_a_services_layer_without_drafts(client, inn, tmp_path):
    x, y = _tile_of(26.32, 42.68)
    answer = client.get(f"/tiles/regional-layer/{Z}/{x}/{y}.mvt", {"lang": "bg"})
    assert answer.status_code == 200
    assert _read_tile(answer.content, tmp_path, x, y)["services"] == ["Хан Сливен"]


def test_the_ogc_api_has_a_collection_of_services(client, inn):
    ids = {c["id"] for c in client.get("/ogc/collections").json()["collections"]}
    assert "all-services" in ids
    items = client.get("/ogc/collections/all-services/items", {"lang": "en"}).json()
    assert [f["properties"]["name_en"] for f in items["features"]] == ["Sliven inn"]
    assert items["features"][0]["properties"]["type"] == "accommodation"


def test_the_regional_export_carries_the_listings(client, inn):
    answer = client.get("/api/regional-layer/export/", {"format": "csv", "kind": "service"})
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["kind"], r["name_en"], r["type"], r["opening_hours"]) for r in rows] == [
        ("service", "Sliven inn", "accommodation", "24/7")]
    assert float(rows[0]["price_from"]) == 30
