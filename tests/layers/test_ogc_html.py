"""The OGC API's HTML pages (Interfaces 20, item 3): a browser (``f=html`` or its Accept)
gets the site's pages, in its language, with a map, a table and the pages; GIS clients
keep getting JSON; each representation links the other."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from lxml import html

from layers.models import Attraction
from tests.layers.test_ogc import make_ogc_world

# What Chromium and Firefox send for a page.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# What GDAL 3.6's OAPIF driver sends (captured), what OWSLib 0.35 sends (requests' */*).
GDAL = "application/json"
GDAL_ITEMS = "application/geo+json, application/json"
OWSLIB = "*/*"
PAGES = ["/ogc/", "/ogc/conformance", "/ogc/collections",
         "/ogc/collections/stara-zagora-attractions",
         "/ogc/collections/stara-zagora-attractions/items"]


@pytest.fixture
def world(db):
    make_ogc_world()


def _item_url() -> str:
    uid = Attraction.objects.get(name_bg="Обект 3").uid
    return f"/ogc/collections/stara-zagora-attractions/items/{uid}"


@pytest.mark.parametrize("url", PAGES)
def test_a_browser_gets_the_page_and_gis_clients_get_json(client, world, url):
    page = client.get(url, headers={"accept": BROWSER})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert '<header class="site">' in page.content.decode()
    assert "Accept" in page["Vary"]
    for accept in (GDAL, GDAL_ITEMS, OWSLIB, None):
        answer = client.get(url, headers={"accept": accept} if accept else {})
        assert answer.status_code == 200
        assert answer["Content-Type"] in ("application/json", "application/geo+json"), accept
        assert answer.json()["links"]
        assert "Accept" in answer["Vary"]
    # f wins over Accept, both ways.
    assert client.get(url, {"f": "html"}, headers={"accept": GDAL})[
        "Content-Type"].startswith("text/html")
    assert client.get(url, {"f": "json"}, headers={"accept": BROWSER})[
        "Content-Type"] in ("application/json", "application/geo+json")


def test_a_single_item_as_a_page_with_its_properties_and_map(client, world):
    page = client.get(_item_url(), {"f": "html"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Site 3</h1>" in html
    assert "Обект 3" in html and "name_bg" in html  # the properties' table
    assert 'data-features-drawn="1"' in html
    uid = Attraction.objects.get(name_bg="Обект 3").uid
    assert f'href="/attractions/{uid}/"' in html  # the feature's own page on the site
    assert client.get(_item_url(), headers={"accept": GDAL_ITEMS})["Content-Type"] == (
        "application/geo+json")


def test_an_unknown_format_is_a_400_naming_f(client, world):
    for url in [*PAGES, _item_url(), "/ogc/collections/all-attractions/queryables"]:
        response = client.get(url, {"f": "xml"})
        assert response.status_code == 400, url
        body = response.json()
        assert body["code"] == "InvalidParameterValue" and "f" in body["description"]
        assert "xml" in body["description"]
    # Only the pages have an HTML form: the schema and queryables are JSON Schema.
    assert client.get("/ogc/collections/all-attractions/queryables",
                      {"f": "html"}).status_code == 400


def test_errors_of_a_page_are_the_sites_error_page_with_their_status(client, world):
    missing = client.get("/ogc/collections/nope", {"f": "html"})
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")
    assert '<header class="site">' in missing.content.decode()
    bad = client.get("/ogc/collections/all-attractions/items", {"limit": "many"},
                     headers={"accept": BROWSER})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("text/html") and "limit" in bad.content.decode()
    # A program asking the same still gets the OGC exception; caches keep both apart.
    exception = client.get("/ogc/collections/nope")
    assert exception.json()["code"] == "NotFound"
    assert "Accept" in exception["Vary"] and "Accept" in missing["Vary"]


def test_json_and_html_link_each_other(client, world):
    for url in PAGES:
        links = client.get(url).json()["links"]
        to_html = [link for link in links if link["rel"] == "alternate"]
        assert [link["type"] for link in to_html] == ["text/html"], url
        page = client.get(to_html[0]["href"], headers={"accept": GDAL})
        assert page["Content-Type"].startswith("text/html"), url
        found = re.search(r'<link rel="alternate" type="(application/[a-z+]*json)" '
                          r'href="([^"]+)"', page.content.decode())
        assert found, url
        # A browser following the page's JSON link gets JSON, its Accept notwithstanding.
        back = client.get(found.group(2).replace("&amp;", "&"), headers={"accept": BROWSER})
        assert back["Content-Type"] == found.group(1), url


def test_the_items_page_draws_its_features_and_turns_pages(client, world):
    url = "/ogc/collections/stara-zagora-attractions/items"
    first = client.get(url, {"f": "html", "limit": 5}).content.decode()
    assert 'data-features-drawn="5"' in first
    assert first.count("<tr data-feature=") == 5
    assert "1–5 of 12" in first and 'rel="prev"' not in first
    nxt = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(nxt).content.decode()
    assert "6–10 of 12" in second and 'rel="prev"' in second
    third = client.get(re.search(r'rel="next" href="([^"]+)"', second).group(1)
                       .replace("&amp;", "&")).content.decode()
    assert "11–12 of 12" in third and 'rel="next"' not in third
    assert 'data-features-drawn="2"' in third
    # The table shows the properties GDAL reads, one a column.
    assert "<th>name_bg</th>" in first and "<th>category</th>" in first
    # The JSON's own options hold on the page: no geometries, chosen properties.
    bare = client.get(url, {"f": "html", "skipGeometry": "true", "properties": "name",
                            "limit": 3}).content.decode()
    assert 'data-features-drawn="0"' in bare and bare.count("<tr data-feature=") == 3
    assert "<th>name</th>" in bare and "<th>category</th>" not in bare
    # A CRS asked for the JSON does not move the page's map off lon/lat.
    greek = client.get(url, {"f": "html", "crs": "http://www.opengis.net/def/crs/EPSG/0/2100",
                             "limit": 1})
    assert greek.status_code == 200 and 'data-features-drawn="1"' in greek.content.decode()


@pytest.mark.parametrize(("lang", "word", "range_text"), [
    ("bg", "Колекции", "1–5 от 12"), ("el", "Συλλογές", "1–5 από 12"),
    ("fr", "Collections", "1–5 sur 12"), ("en", "Collections", "1–5 of 12")])
def test_the_pages_speak_the_readers_language(client, world, lang, word, range_text):
    by_query = client.get("/ogc/collections", {"f": "html", "lang": lang}).content.decode()
    assert f'<html lang="{lang}">' in by_query and f"<h1>{word}</h1>" in by_query
    by_header = client.get("/ogc/collections", headers={"accept": BROWSER,
                                                         "accept-language": lang})
    assert f"<h1>{word}</h1>" in by_header.content.decode()
    items = client.get("/ogc/collections/stara-zagora-attractions/items",
                       {"f": "html", "limit": 5, "lang": lang}).content.decode()
    assert range_text in items


def test_the_api_definition_offers_html_where_there_is_a_page(client, world):
    paths = client.get("/ogc/api").json()["paths"]
    for path in ("/", "/conformance", "/collections", "/collections/{collectionId}",
                 "/collections/{collectionId}/items",
                 "/collections/{collectionId}/items/{featureId}"):
        get = paths[path]["get"]
        f = next(p for p in get["parameters"] if p["name"] == "f")
        assert "html" in f["schema"]["enum"], path
        assert "text/html" in get["responses"]["200"]["content"], path
    for path in ("/api", "/collections/{collectionId}/queryables",
                 "/collections/{collectionId}/schema"):
        get = paths[path]["get"]
        f = next(p for p in get["parameters"] if p["name"] == "f")
        assert "html" not in f["schema"]["enum"], path


def test_service_doc_points_at_the_reference_and_the_guide(client, world):
    docs = [link["href"] for link in client.get("/ogc/", {"lang": "fr"}).json()["links"]
            if link["rel"] == "service-doc"]
    assert docs[0].endswith("/ogc/api.html")
    assert docs[1].endswith("/help/fr/guides/gis/#ogc-pages")


def test_a_collection_page_offers_its_exports(client, world):
    html = client.get("/ogc/collections/all-attractions", {"f": "html"}).content.decode()
    assert 'data-export="gpkg">GeoPackage</a>' in html
    # What else the collection links (its schema, its queryables), named for people.
    assert 'data-rel="describedby">Schema of the features (JSON Schema)</a>' in html
    assert "/ogc/collections/all-attractions/queryables" in html
    assert "/api/regional-layer/export/?kind=attraction&amp;format=gpkg" in html
    links = client.get("/ogc/collections/stara-zagora-attractions").json()["links"]
    enclosures = {parse_qs(urlparse(link["href"]).query)["format"][0]: link["href"]
                  for link in links if link["rel"] == "enclosure"}
    assert enclosures["shp"].endswith("/api/layers/stara-zagora-attractions/export/?format=shp")
    export = client.get(enclosures["geojson"])
    assert len(json.loads(b"".join(export.streaming_content))["features"]) == 12


def test_the_pages_are_in_the_api_section_of_the_site_header(client, world):
    html = client.get("/ogc/collections", {"f": "html"}).content.decode()
    assert re.search(r'<a href="/api/docs/" aria-current="true">API</a>', html)


def test_every_link_of_the_collections_page_opens(client, world):
    """Features have pages, the metadata catalogue's records are JSON: no link of the
    collections page leads to a refusal."""
    page = html.fromstring(client.get("/ogc/collections", {"f": "html"}).content)
    hrefs = {a.get("href") for a in page.cssselect("table[data-ogc-collections] a")}
    assert any("/ogc/collections/metadata" in h for h in hrefs)
    for href in sorted(hrefs):
        assert client.get(href).status_code == 200, href
