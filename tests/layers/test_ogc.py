"""OGC API – Features at /ogc/, checked by hand and by GDAL's own OAPIF driver."""

from __future__ import annotations

import shutil
import subprocess

import pyogrio
import pytest
from pyproj import Transformer

from layers.models import Attraction, Trail
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail


def make_ogc_world() -> None:
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    for i in range(12):
        make_attraction(make_layer(sz), 25.60 + i / 100, 42.42, name_bg=f"Обект {i}",
                        name_en=f"Site {i}", category="museum" if i % 2 else "monument")
    make_attraction(make_layer(lar), 22.4153, 39.6403, name_el="Αρχαίο Θέατρο Λάρισας",
                    name_en="", category="archaeological_site")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS),
               [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0)], name_bg="Към Аязмото",
               activity="walking")


@pytest.fixture
def world(db):
    make_ogc_world()


def test_landing_page_and_conformance(client, world):
    landing = client.get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    api = client.get("/ogc/api").json()
    assert api["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in api["paths"]


def test_collections_per_layer_kind_and_region(client, world):
    body = client.get("/ogc/collections").json()
    collections = {c["id"]: c for c in body["collections"]}
    assert {"regional-layer", "all-attractions", "all-trails", "stara-zagora-attractions",
            "stara-zagora-trails", "larissa-attractions"} <= set(collections)
    sz = collections["stara-zagora-attractions"]
    assert sz["numberOfFeatures"] == 12
    assert sz["extent"]["spatial"]["bbox"][0] == pytest.approx([25.60, 42.42, 25.71, 42.42])
    assert "http://www.opengis.net/def/crs/EPSG/0/2100" in sz["crs"]
    assert client.get("/ogc/collections/nope").status_code == 404


def test_items_page_with_counts_and_next_links(client, world):
    page = client.get("/ogc/collections/stara-zagora-attractions/items", {"limit": 5}).json()
    assert page["numberMatched"] == 12 and page["numberReturned"] == 5
    seen = [f["id"] for f in page["features"]]
    while nxt := next((link["href"] for link in page["links"] if link["rel"] == "next"), None):
        page = client.get(nxt).json()
        seen += [f["id"] for f in page["features"]]
    assert len(seen) == len(set(seen)) == 12
    props = page["features"][0]["properties"]
    assert props["name_bg"].startswith("Обект") and "names" not in props  # flat columns


def test_items_filters_bbox_datetime_and_properties(client, world):
    def count(**params):
        return client.get("/ogc/collections/regional-layer/items", params).json()[
            "numberMatched"]

    assert count() == 14
    assert count(bbox="22,39,23,40") == 1
    assert count(category="museum") == 6
    assert count(partner="larissa") == 1
    assert count(datetime="2000-01-01T00:00:00Z/..") == 14
    assert count(datetime="../2000-01-01T00:00:00Z") == 0
    assert client.get("/ogc/collections/regional-layer/items",
                      {"datetime": "someday"}).status_code == 400


def test_items_in_other_crs_with_the_right_axis_order(client, world):
    theatre = (22.4153, 39.6403)
    url = "/ogc/collections/larissa-attractions/items"
    greek = client.get(url, {"crs": "http://www.opengis.net/def/crs/EPSG/0/2100"})
    assert greek["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2100>"
    x, y = greek.json()["features"][0]["geometry"]["coordinates"]
    expected = Transformer.from_crs(4326, 2100, always_xy=True).transform(*theatre)
    assert (x, y) == pytest.approx(expected, abs=0.05)
    latlon = client.get(url, {"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}).json()
    assert latlon["features"][0]["geometry"]["coordinates"] == pytest.approx(theatre[::-1])
    crs84 = client.get(url).json()
    assert crs84["features"][0]["geometry"]["coordinates"] == pytest.approx(theatre)
    mercator_box = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, y0), (x1, y1) = (mercator_box.transform(22, 39), mercator_box.transform(23, 40))
    assert client.get("/ogc/collections/regional-layer/items", {
        "bbox": f"{x0},{y0},{x1},{y1}",
        "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"}).json()["numberMatched"] == 1
    bad = client.get(url, {"crs": "http://www.opengis.net/def/crs/EPSG/0/32633"})
    assert bad.status_code == 400 and "crs" in bad.json()["description"]


def test_single_item(client, world):
    a = Attraction.objects.filter(name_bg="Обект 3").get()
    feature = client.get(f"/ogc/collections/all-attractions/items/{a.uid}").json()
    assert feature["id"] == str(a.uid) and feature["properties"]["name_en"] == "Site 3"
    t = Trail.objects.get()
    assert client.get(f"/ogc/collections/all-attractions/items/{t.uid}").status_code == 404
    assert client.get("/ogc/collections/all-attractions/items/not-a-uuid").status_code == 404


def test_a_bbox_of_six_numbers_filters_on_its_two_dimensional_part(client, world):
    url = "/ogc/collections/regional-layer/items"
    six = client.get(url, {"bbox": "22,39,0,23,40,10"})
    assert six.status_code == 200
    assert six.json()["numberMatched"] == 1
    assert six.json()["features"][0]["properties"]["name_el"] == "Αρχαίο Θέατρο Λάρισας"
    # The heights are the 3rd and 6th numbers: none of them is a longitude.
    assert client.get(url, {"bbox": "25.5,42.3,-100,26.0,42.5,5000"}).json()[
        "numberMatched"] == 13
    for bad in ("22,39,10,23,40,0", "22,39,23,40,0", "22,39,0,23,40,10,1"):
        response = client.get(url, {"bbox": bad})
        assert response.status_code == 400, bad
        assert response.json()["code"] == "InvalidParameterValue"


def test_geometries_in_another_crs_have_no_crs_member(client, world):
    greek = "http://www.opengis.net/def/crs/EPSG/0/2100"
    page = client.get("/ogc/collections/regional-layer/items", {"crs": greek})
    assert page["Content-Crs"] == f"<{greek}>"
    geometries = [f["geometry"] for f in page.json()["features"]]
    assert len(geometries) == 14
    assert all(set(g) == {"type", "coordinates"} for g in geometries)
    a = Attraction.objects.filter(name_bg="Обект 3").get()
    one = client.get(f"/ogc/collections/all-attractions/items/{a.uid}", {"crs": greek})
    assert set(one.json()["geometry"]) == {"type", "coordinates"}


@pytest.mark.parametrize("url", [
    "/ogc/collections/nope", "/ogc/collections/nope/items", "/ogc/collections/nope/schema",
    "/ogc/collections/all-attractions/items/not-a-uuid",
    "/ogc/collections/all-attractions/items/00000000-0000-0000-0000-000000000000",
    "/ogc/no-such-thing", "/ogc/collections/nope/queryables"])
def test_not_found_under_ogc_is_an_ogc_exception_in_json(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "NotFound" and body["description"]


@pytest.mark.parametrize("url", ["/tiles/regional-layer/3/8/0.mvt",
                                 "/tiles/regional-layer/21/0/0.mvt",
                                 "/tiles/regional-layer/2/0/-1.mvt",
                                 "/tiles/nope/0/0/0.mvt", "/tiles/nope.json"])
def test_not_found_under_tiles_is_json(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


GDAL_TOOLS = shutil.which("ogrinfo") and shutil.which("ogr2ogr")


@pytest.mark.skipif(not GDAL_TOOLS, reason="GDAL's command line tools are missing "
                    "(make test installs Debian's gdal-bin)")
@pytest.mark.django_db(transaction=True)
def test_gdal_lists_and_copies_every_collection(live_server, tmp_path):
    make_ogc_world()
    url = f"OAPIF:{live_server.url}/ogc/"
    listing = subprocess.run(["ogrinfo", "-ro", "-q", url], capture_output=True, text=True,
                             timeout=120)
    assert listing.returncode == 0, listing.stderr
    for cid in ("regional-layer", "all-trails", "stara-zagora-attractions"):
        assert cid in listing.stdout
    out = tmp_path / "copy.gpkg"
    copied = subprocess.run(["ogr2ogr", "-f", "GPKG", str(out), url, "-nlt", "GEOMETRY"],
                            capture_output=True, text=True, timeout=300)
    assert copied.returncode == 0, copied.stderr
    counts = {name: pyogrio.read_info(out, layer=name)["features"]
              for name, _ in pyogrio.list_layers(out)}
    assert counts["regional-layer"] == 14 and counts["all-attractions"] == 13
    assert counts["stara-zagora-attractions"] == 12 and counts["all-trails"] == 1
    _meta, _fids, _geom, fields = pyogrio.raw.read(out, layer="regional-layer",
                                                   columns=["name_bg", "name_el", "activity"])
    assert "Към Аязмото" in fields[0].tolist()
    assert "Αρχαίο Θέατρο Λάρισας" in fields[1].tolist()
    assert "walking" in fields[2].tolist()


EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"


@pytest.mark.parametrize("srid", [3035, 2100, 2154, 7801, 3857])
def test_a_box_beyond_its_crs_domain_is_no_server_error(client, world, srid):
    # Interfaces D1: PostGIS refused to transform the corners (a 500 with a traceback).
    response = client.get("/ogc/collections/regional-layer/items", {
        "bbox": "-1e7,-1e7,1e7,1e7", "bbox-crs": EPSG_URI.format(srid)})
    assert response.status_code == 200, response.content[:300]
    # The part of the box the CRS maps holds the partners' features.
    assert response.json()["numberMatched"] == 14


def test_a_box_of_a_projected_crs_follows_its_curved_edges(client, world):
    # Larissa's theatre in EPSG:2100, a 2 km box around it: found, and the others not.
    x, y = Transformer.from_crs(4326, 2100, always_xy=True).transform(22.4153, 39.6403)
    page = client.get("/ogc/collections/regional-layer/items", {
        "bbox": f"{x - 1000},{y - 1000},{x + 1000},{y + 1000}",
        "bbox-crs": EPSG_URI.format(2100)}).json()
    assert [f["properties"]["name_el"] for f in page["features"]] == ["Αρχαίο Θέατρο Λάρισας"]


def test_a_lat_lon_box_takes_longitudes_beyond_ninety(client, world):
    # Interfaces D6: EPSG:4326 is lat/lon; the range check ran before the swap, so a
    # longitude of 100 was a latitude out of range.
    url = "/ogc/collections/regional-layer/items"
    wide = client.get(url, {"bbox": "39,-170,43,170", "bbox-crs": EPSG_URI.format(4326)})
    assert wide.status_code == 200, wide.content[:300]
    assert wide.json()["numberMatched"] == 14
    larissa = client.get(url, {"bbox": "39,22,40,23", "bbox-crs": EPSG_URI.format(4326)})
    assert larissa.json()["numberMatched"] == 1
    bad = client.get(url, {"bbox": "-170,39,170,43", "bbox-crs": EPSG_URI.format(4326)})
    assert bad.status_code == 400 and "bbox" in bad.json()["description"]


@pytest.mark.parametrize("url", ["/ogc/collections/regional-layer/items",
                                 "/api/regional-layer/", "/api/attractions/"])
def test_a_box_across_the_antimeridian_looks_on_both_sides(client, world, url):
    # Interfaces D7: west > east is a box across ±180° (OGC API – Features, RFC 7946
    # §5.2), not an error. From 25.65°E eastwards round the world to 22°E: the seven
    # Stara Zagora sites from 25.65°E on, not the trail (25.60–25.62°E) nor Larissa's
    # theatre (22.42°E).
    response = client.get(url, {"bbox": "25.65,-90,22,90"})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["numberMatched"] == 7
    longitudes = sorted(f["geometry"]["coordinates"][0] for f in response.json()["features"])
    assert longitudes == pytest.approx([25.65 + i / 100 for i in range(7)])


def test_the_api_definition_declares_media_types_and_exceptions(client, world):
    # Interfaces D10: every operation said only "200 OK"; service-doc was the REST API's.
    doc = client.get("/ogc/api").json()
    items = doc["paths"]["/collections/{collectionId}/items"]["get"]
    assert "application/geo+json" in items["responses"]["200"]["content"]
    for code, name in (("400", "InvalidParameter"), ("404", "NotFound")):
        assert items["responses"][code] == {"$ref": f"#/components/responses/{name}"}
        content = doc["components"]["responses"][name]["content"]
        assert content["application/json"]["schema"] == {
            "$ref": "#/components/schemas/exception"}
    assert "/collections/{collectionId}/schema" in doc["paths"]
    service_doc = next(link for link in client.get("/ogc/").json()["links"]
                       if link["rel"] == "service-doc")
    assert service_doc["href"].endswith("/ogc/api.html")
    page = client.get("/ogc/api.html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


def test_the_rest_schema_declares_arrays_media_types_and_errors(client, world):
    # Interfaces D11: /api/layers/ is an array but was declared an object; the exports'
    # media types and the 400/404 answers were missing.
    import yaml

    doc = yaml.safe_load(client.get("/api/schema/").content)
    layers = doc["paths"]["/api/layers/"]["get"]["responses"]
    assert layers["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert layers["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
    export = doc["paths"]["/api/layers/{slug}/export/"]["get"]["responses"]
    assert {"application/geo+json", "application/gpx+xml", "application/zip",
            "application/geopackage+sqlite3", "text/csv"} <= set(export["200"]["content"])
    assert "404" in export
    limit = next(p for p in doc["paths"]["/api/attractions/"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["minimum"] == 1
