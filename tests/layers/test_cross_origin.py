"""Maps on other sites read the API, the OGC API and the tiles (CORS), with every read
method an HTTP client may use (Interfaces D3, D9); writes stay the site's own."""

from __future__ import annotations

import pytest

from tests.layers.test_ogc import make_ogc_world


@pytest.fixture
def world(db):
    make_ogc_world()


ORIGIN = "https://maps.partner.example"
READS = ["/ogc/", "/ogc/api", "/ogc/conformance", "/ogc/collections",
         "/ogc/collections/regional-layer", "/ogc/collections/regional-layer/items",
         "/ogc/collections/regional-layer/schema", "/tiles/regional-layer.json",
         "/tiles/regional-layer/0/0/0.mvt", "/api/regional-layer/", "/api/layers/",
         "/api/schema/"]


@pytest.mark.parametrize("url", READS)
def test_another_sites_map_may_read(client, world, url):
    got = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert got.status_code == 200
    assert got["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in got
    preflight = client.options(url, HTTP_ORIGIN=ORIGIN,
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("url", [u for u in READS if not u.startswith("/api/")])
def test_head_and_options_are_answered(client, world, url):
    # RFC 9110: a server that answers GET answers HEAD; OPTIONS says what it allows.
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == 200, url
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)
    options = client.options(url)
    assert options.status_code in (200, 204)
    assert set(options["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}
    post = client.post(url)
    assert post.status_code == 405 and "GET" in post["Allow"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_not_offered_to_other_sites(client, world, method):
    preflight = client.options("/api/routes/", HTTP_ORIGIN=ORIGIN,
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD=method)
    assert method not in preflight.get("Access-Control-Allow-Methods", "")


def test_pages_are_not_shared_with_other_sites(client, world):
    page = client.get("/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in page
