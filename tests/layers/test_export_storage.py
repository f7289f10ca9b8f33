"""Exports are made once per version of the data and sent from disk (Trust D8).

Before: every request made its export anew (121–400 MB of work for the regional layer),
and three at once stalled the site.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from layers.exports.rows import geojson_document, write_geojson
from layers.exports.stored import LOCK_SPACE
from layers.params import FeatureFilters
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(db):
    sz = make_partner("stara-zagora")
    return make_attraction(make_layer(sz), 25.6264, 42.4271, name_en="Antique Forum")


def _kept(settings) -> dict[str, tuple[int, int]]:
    """The kept exports: file name -> (inode, mtime in ns)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in Path(settings.ATLAS_EXPORT_DIR).iterdir() if p.is_file()}


def _names(response) -> list[str]:
    return [f["properties"]["name_en"] for f in json.loads(response.getvalue())["features"]]


@pytest.mark.parametrize("url", ["/api/regional-layer/export/",
                                 "/api/layers/stara-zagora-attractions/export/"])
def test_the_same_export_is_made_once_until_a_write(client, forum, settings, url):
    first = client.get(url, {"format": "geojson"})
    assert first.status_code == 200 and first.streaming  # sent from its file
    kept = _kept(settings)
    assert len(kept) == 1

    second = client.get(url, {"format": "geojson"})
    assert _kept(settings) == kept  # not made again: the same file, untouched
    assert _names(second) == _names(first) == ["Antique Forum"]
    assert second["Content-Disposition"] == first["Content-Disposition"]

    forum.name_en = "Forum of Augusta Traiana"
    forum.save()
    third = client.get(url, {"format": "geojson"})
    assert _names(third) == ["Forum of Augusta Traiana"]
    now = _kept(settings)
    assert len(now) == 1 and now.keys() != kept.keys()  # the older data's file is gone


def test_another_format_or_filter_is_another_export(client, forum, settings):
    make_attraction(forum.layer, 25.7, 42.5, name_en="Far away")
    url = "/api/regional-layer/export/"
    whole = client.get(url, {"format": "geojson"})
    near = client.get(url, {"format": "geojson", "bbox": "25.6,42.4,25.65,42.45"})
    client.get(url, {"format": "csv"})
    assert sorted(_names(whole)) == ["Antique Forum", "Far away"]
    assert _names(near) == ["Antique Forum"]
    assert len(_kept(settings)) == 3


def test_a_layer_made_private_is_not_sent_from_an_older_file(client, forum, settings):
    url = "/api/regional-layer/export/"
    assert _names(client.get(url, {"format": "geojson"})) == ["Antique Forum"]
    forum.layer.visibility = "private"
    forum.layer.save()
    assert _names(client.get(url, {"format": "geojson"})) == []


def test_an_export_past_the_limit_at_once_gets_a_503(client, forum, settings):
    """Another worker making as many exports as may be made at once: a new one is refused
    with a 503 and Retry-After, and nothing is left half-written."""
    settings.ATLAS_EXPORT_CONCURRENCY = 2
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                         password=db["PASSWORD"], dbname=db["NAME"], autocommit=True) as other:
        for slot in range(2):
            other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, -1 - slot])
        busy = client.get("/api/regional-layer/export/", {"format": "gpkg"})
        assert busy.status_code == 503 and int(busy["Retry-After"]) > 0
        assert "try again" in busy.json()["error"]
        assert not list(Path(settings.ATLAS_EXPORT_DIR).iterdir())
        other.execute("SELECT pg_advisory_unlock_all()")
    assert client.get("/api/regional-layer/export/", {"format": "gpkg"}).status_code == 200


def test_an_export_already_kept_is_sent_while_others_are_being_made(client, forum, settings):
    settings.ATLAS_EXPORT_CONCURRENCY = 1
    client.get("/api/regional-layer/export/", {"format": "csv"})
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                         password=db["PASSWORD"], dbname=db["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, -1])
        assert client.get("/api/regional-layer/export/", {"format": "csv"}).status_code == 200



def test_the_streamed_geojson_is_the_document_byte_for_byte(forum):
    make_attraction(forum.layer, 25.7, 42.5, name_en="Far away", name_bg="Далеч")
    make_trail(make_layer(forum.layer.partner, kind="trails"),
               [(25.61, 42.42, 200.0), (25.63, 42.43, 260.0)], name_en="A walk")
    for kinds, with_partner in ((["attraction", "trail", "route"], True),
                                (["trail"], False)):
        out = io.BytesIO()
        write_geojson(out, kinds=kinds, filters=FeatureFilters(), with_partner=with_partner)
        assert out.getvalue() == geojson_document(kinds=kinds, filters=FeatureFilters(),
                                                  with_partner=with_partner)
    assert len(json.loads(out.getvalue())["features"]) == 1


def test_only_the_newest_exports_are_kept(client, forum, settings):
    settings.ATLAS_EXPORT_KEEP = 2
    folder = Path(settings.ATLAS_EXPORT_DIR)
    left = folder / ".making-killed"
    left.write_bytes(b"half")
    os.utime(left, (0, 0))  # a worker killed long ago
    for fmt in ("geojson", "csv", "kml"):
        client.get("/api/regional-layer/export/", {"format": fmt})
    assert sorted(p.suffix for p in folder.iterdir()) == [".csv", ".kml"]
