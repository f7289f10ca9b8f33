"""Filtering as clients nobody here wrote use it: OWSLib's OGC API – Features client and
GDAL's OAPIF driver (pyogrio's GDAL 3.12 and, where installed, the system's ogr2ogr),
each compared with an independent filter of the whole collection's GeoJSON. That a
filter was sent to the server, not applied by the client, is read on the server's side:
the query strings of the requests it received."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from django.core.signals import request_started
from owslib.ogcapi.features import Features

from tests.layers.test_ogc_items_options import make_two_trails_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served(live_server):
    """The live server's URL, with the world made, and the query strings of the OGC
    items requests it receives (the server runs in a thread of this process)."""
    make_two_trails_world()
    seen: list[str] = []

    def record(sender, environ, **kwargs):
        if environ.get("PATH_INFO", "").endswith("/items"):
            seen.append(urllib.parse.unquote_plus(environ.get("QUERY_STRING", "")))

    request_started.connect(record, weak=False)
    yield live_server.url, seen
    request_started.disconnect(record)


def _whole(url: str, cid: str) -> list[dict]:
    with urllib.request.urlopen(f"{url}/ogc/collections/{cid}/items?limit=1000",
                                timeout=60) as response:
        return json.load(response)["features"]


def test_owslib_filters_sorts_and_chooses_properties(served):
    url, seen = served
    api = Features(f"{url}/ogc/")
    everything = _whole(url, "regional-layer")

    drome = api.collection_items("regional-layer", filter="partner='drome'", limit=1000)
    assert drome["features"] == [] and drome["numberMatched"] == 0
    larissa = api.collection_items("regional-layer", filter="partner='larissa'", limit=1000)
    assert sorted(f["id"] for f in larissa["features"]) == sorted(
        f["id"] for f in everything if f["properties"]["partner"] == "larissa") != []
    assert any("filter=partner='drome'" in q for q in seen)

    queryables = api.collection_queryables("all-trails")
    assert queryables["properties"]["length_m"] == {"type": "number"}
    assert {"name", "partner", "updated_at", "geometry"} <= set(queryables["properties"])

    trails = _whole(url, "all-trails")
    by_length = api.collection_items("all-trails", sortby=("length_m", "desc"),
                                     properties="name", limit=1000)
    assert [f["id"] for f in by_length["features"]] == [
        f["id"] for f in sorted(trails, key=lambda f: -f["properties"]["length_m"])]
    assert all(set(f["properties"]) == {"name"} for f in by_length["features"])
    assert any("sortby=-length_m" in q and "properties=name" in q for q in seen)


def _pyogrio(source: str, **options) -> dict:
    """What pyogrio's GDAL (3.12) reads from ``source``: its fields' values and names. In
    another process: GDAL holds this one's interpreter while it waits for the live
    server, which runs in a thread of it."""
    script = (
        "import json, sys, pyogrio\n"
        "source, options = sys.argv[1], json.loads(sys.argv[2])\n"
        "meta, _f, _g, fields = pyogrio.raw.read(source, **options)\n"
        "print(json.dumps({'fields': list(meta['fields']), 'values': [[None if v is None "
        "else str(v) for v in column] for column in fields], 'gdal': "
        "pyogrio.__gdal_version_string__}))\n")
    done = subprocess.run([sys.executable, "-c", script, source, json.dumps(options)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _gdal_long_trails(url: str, where: str = "length_m > 10000") -> list[str]:
    """The trails longer than 10 km as pyogrio's GDAL reads them through OAPIF, with
    an attribute filter (GDAL sends it to the server as CQL2 text when the server lists
    filter-lang=cql-text and the property is a queryable)."""
    read = _pyogrio(f"OAPIF:{url}/ogc/collections/all-trails", where=where,
                    columns=["id", "length_m"])
    assert read["gdal"].startswith("3.12")
    return sorted(read["values"][0])


def test_gdal_sends_the_attribute_filter_to_the_server(served):
    url, seen = served
    trails = _whole(url, "all-trails")
    expected = sorted(f["id"] for f in trails if f["properties"]["length_m"] > 10000)
    assert len(expected) == 1 < len(trails)
    assert _gdal_long_trails(url) == expected
    # Sent, not applied by GDAL to every feature it fetched: a request to the items
    # carried the filter, and none fetched the trails unfiltered.
    items = [q for q in seen if "length_m" in q]
    assert items and all("filter=" in q for q in items), seen
    assert "length_m > 10000" in items[0] and "filter-lang=cql-text" in items[0]
    # A time as GDAL writes it (text) is taken as a time.
    seen.clear()
    assert _gdal_long_trails(url, "length_m > 10000 AND updated_at > "
                                  "'2020-01-01T00:00:00Z'") == expected
    assert any("updated_at > '2020-01-01T00:00:00Z'" in q for q in seen), seen
    # ILIKE, which GDAL writes as it is (the drafts' cql-text), is sent and taken.
    seen.clear()
    read = _pyogrio(f"OAPIF:{url}/ogc/collections/all-trails", where="name_bg ILIKE 'дълг%'",
                    columns=["id"])
    assert read["values"][0] == [f["id"] for f in trails
                                 if (f["properties"].get("name_bg") or "").startswith("Дълг")]
    assert any("ILIKE" in q for q in seen), seen


def test_gdal_sorts_and_chooses_properties_as_asked(served, tmp_path):
    """GDAL given an items URL with sortby and properties keeps the server's order and
    the one property."""
    url, _seen = served
    trails = _whole(url, "all-trails")
    read = _pyogrio(f"{url}/ogc/collections/all-trails/items?sortby=-length_m"
                    "&properties=name&limit=1000")
    assert read["values"][read["fields"].index("name")] == [
        f["properties"]["name"] for f in sorted(trails, key=lambda f: -f["properties"]["length_m"])]
    assert "length_m" not in read["fields"]


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="the system's GDAL is missing "
                    "(make test installs Debian's gdal-bin)")
def test_the_systems_ogr2ogr_filters_too(served, tmp_path):
    url, seen = served
    trails = _whole(url, "all-trails")
    out = tmp_path / "long.geojson"
    done = subprocess.run(["ogr2ogr", "-f", "GeoJSON", str(out), f"OAPIF:{url}/ogc/",
                           "all-trails", "-where", "length_m > 10000"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    got = json.loads(out.read_text())["features"]
    assert sorted(f["properties"]["id"] for f in got) == sorted(
        f["id"] for f in trails if f["properties"]["length_m"] > 10000)
    assert any("filter=" in q and "length_m > 10000" in q for q in seen), seen
