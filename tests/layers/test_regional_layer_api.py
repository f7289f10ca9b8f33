"""GET /api/regional-layer/: an RFC 7946 FeatureCollection of every public feature."""

from __future__ import annotations

import json
import uuid

import pytest
from shapely.geometry import shape

from layers.vocabulary import LayerKind, Visibility
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db

URL = "/api/regional-layer/"


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    make_attraction(make_layer(sz), 25.6257, 42.4258, source_id="forum",
                    name_bg="Античен форум „Августа Траяна“", name_en="Augusta Traiana forum",
                    category="archaeological_site")
    make_attraction(make_layer(lar), 22.4176, 39.6384, name_el="Α΄ Αρχαίο Θέατρο Λάρισας",
                    name_en="First Ancient Theatre of Larissa", category="archaeological_site")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0), (25.64, 42.47, 330.0)],
               name_bg="Към Аязмото", name_en="To Ayazmoto", activity="walking")
    hidden = make_layer(sz, visibility=Visibility.PRIVATE, slug="sz-private")
    make_attraction(hidden, 25.62, 42.42, name_en="Draft, not public")
    return {"sz": sz, "lar": lar}


def _get(client, **params):
    response = client.get(URL, params)
    return response, (json.loads(response.content) if response.status_code == 200 else None)


def test_is_a_valid_rfc7946_feature_collection(client, world):
    response, fc = _get(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == 3
    for feature in fc["features"]:
        assert feature["type"] == "Feature"
        uuid.UUID(feature["id"])
        assert feature["properties"]["kind"] in {"attraction", "trail"}
        assert feature["properties"]["partner"] in {"stara-zagora", "larissa"}
        assert shape(feature["geometry"]).is_valid


def test_coordinates_are_lon_lat_inside_the_partners_boundary(client, world):
    _, fc = _get(client)
    boundaries = {p.slug: shape(json.loads(p.boundary.geojson)) for p in (world["sz"],
                                                                          world["lar"])}
    for feature in fc["features"]:
        geom = shape(feature["geometry"])
        assert boundaries[feature["properties"]["partner"]].covers(geom), feature
    forum = next(f for f in fc["features"] if f["properties"]["category"] == "archaeological_site"
                 and f["properties"]["partner"] == "stara-zagora")
    lon, lat = forum["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((25.6257, 42.4258))


def test_trails_keep_their_elevation_and_carry_their_metrics(client, world):
    _, fc = _get(client)
    trail = next(f for f in fc["features"] if f["properties"]["kind"] == "trail")
    assert trail["geometry"]["type"] == "MultiLineString"
    assert [c[2] for c in trail["geometry"]["coordinates"][0]] == [200, 260, 330]
    assert trail["properties"]["activity"] == "walking"
    assert trail["properties"]["ascent_m"] == pytest.approx(130)
    assert trail["properties"]["length_m"] > 3000


def test_lang_picks_the_language_of_names(client, world):
    _, bg = _get(client, lang="bg")
    _, en = _get(client, lang="en")
    names_bg = {f["properties"]["name"] for f in bg["features"]}
    names_en = {f["properties"]["name"] for f in en["features"]}
    assert "Античен форум „Августа Траяна“" in names_bg
    assert "Augusta Traiana forum" in names_en


def test_a_missing_translation_falls_back_to_english(client, world):
    _, bg = _get(client, lang="bg")
    names = {f["properties"]["name"] for f in bg["features"]}
    # The Larissa theatre has no Bulgarian name: English is next in the chain.
    assert "First Ancient Theatre of Larissa" in names


def test_accept_language_is_honoured_without_lang(client, world):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="el,en;q=0.5")
    names = {f["properties"]["name"] for f in json.loads(response.content)["features"]}
    assert "Α΄ Αρχαίο Θέατρο Λάρισας" in names


def test_private_layers_are_not_published(client, world):
    _, fc = _get(client)
    assert "Draft, not public" not in {f["properties"]["name"] for f in fc["features"]}


def test_bbox_keeps_only_features_in_the_box(client, world):
    _, fc = _get(client, bbox="22,39,23,40")
    assert [f["properties"]["partner"] for f in fc["features"]] == ["larissa"]


@pytest.mark.parametrize(("params", "needle"), [
    ({"lang": "de"}, "lang"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "a,b,c,d"}, "bbox"),
    ({"bbox": "10,50,5,40"}, "bbox"),
    ({"bbox": "0,0,200,10"}, "bbox"),
    ({"bbox": "nan,0,1,1"}, "bbox"),
])
def test_bad_parameters_get_a_400_naming_the_parameter(client, world, params, needle):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["parameter"] == needle
    assert body["error"].startswith(f"{needle}: ")


def test_partners_endpoint_gives_boundaries_and_names(client, world):
    response = client.get("/api/partners/", {"lang": "en"})
    fc = json.loads(response.content)
    assert [f["id"] for f in fc["features"]] == ["larissa", "stara-zagora"]
    assert all(shape(f["geometry"]).geom_type == "MultiPolygon" for f in fc["features"])
