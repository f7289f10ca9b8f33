"""The GeoJSON export's Features are joined as text by PostgreSQL and read as bytes
(``layers.exports.rows._feature_text_sql``), no longer built by ``json_build_object``.

The file must stay what it was: the same bytes as the one-statement builder
(``geojson_document``: ``json_build_object`` and ``json_agg``), made or kept, whatever a
partner's text holds (quotes, backslashes, line breaks, other scripts, emoji) and in
another CRS.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from geo.crs import WGS84
from layers import registry
from layers.exports.licence import credits
from layers.exports.make import geojson_members
from layers.exports.rows import geojson_document
from layers.params import FeatureFilters
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db

AWKWARD = 'A "quoted" name, a back\\slash,\na line break,\ta tab and \u0001; Θέση 🏛'


@pytest.fixture
def awkward(db):
    layer = make_layer(make_partner("larissa"))
    square = Polygon(((22.40, 39.60), (22.41, 39.60), (22.41, 39.61), (22.40, 39.60)),
                     srid=WGS84)
    make_attraction(layer, 22.405, 39.605, name_en=AWKWARD, name_el="Ναός «Αγίου»",
                    description_fr="Ligne 1\r\nLigne 2", fee=True,
                    website='https://x.gr/?a=1&b="2"',
                    footprint=MultiPolygon(square, srid=WGS84),
                    properties={"VISITORS": 12, "note": "x\ny \\ z",
                                "nested": {"k": [1, 2.5, None, True]}})
    make_attraction(layer, 22.42, 39.62, name_en="Plain", source_id="")
    make_trail(make_layer(layer.partner, kind="trails"),
               [(22.3, 39.5, 100.0), (22.31, 39.51, 180.5)], name_bg="Пътека \"Юг\"")
    return layer


def _old_builder(kinds: list[str], filters: FeatureFilters, with_partner: bool,
                 srid: int = WGS84) -> bytes:
    return geojson_document(kinds=kinds, filters=filters, with_partner=with_partner,
                            members=geojson_members(credits(kinds, filters), srid), srid=srid)


@pytest.mark.parametrize("crs,srid", [(None, WGS84), ("EPSG:2100", 2100)])
def test_a_layers_geojson_made_and_kept_is_the_old_builders_byte_for_byte(
        client, awkward, crs, srid):
    url = f"/api/layers/{awkward.slug}/export/"
    asked = {"format": "geojson", **({"crs": crs} if crs else {})}
    made = b"".join(client.get(url, asked).streaming_content)
    kept = b"".join(client.get(url, asked).streaming_content)
    assert made == kept == _old_builder(["attraction"], FeatureFilters(layer=[awkward.slug]),
                                        False, srid)
    features = json.loads(made)["features"]
    assert [f["properties"]["name_en"] for f in features] == [AWKWARD, "Plain"]
    first = features[0]["properties"]
    assert first["description_fr"] == "Ligne 1\r\nLigne 2"
    assert first["properties"]["nested"] == {"k": [1, 2.5, None, True]}
    assert features[0]["geometry"]["type"] == "MultiPolygon"


def test_the_regional_geojson_is_the_old_builders_byte_for_byte(client, awkward):
    made = b"".join(client.get("/api/regional-layer/export/",
                               {"format": "geojson"}).streaming_content)
    assert made == _old_builder(registry.names(), FeatureFilters(), True)
    assert [f["properties"]["kind"] for f in json.loads(made)["features"]] == \
        ["attraction", "attraction", "trail"]
