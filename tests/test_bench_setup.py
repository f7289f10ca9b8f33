"""The set-up code of the peers and scale benchmarks (`make bench BENCH="peers scale"`) on a
few rows: the benchmarks run for minutes on millions, and a mistake in their set-up would
show only there. Nothing is served or timed here."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from layers import selectors
from layers.models import Attraction, Layer
from tests.bench import bbox, peers, scale

pytestmark = pytest.mark.django_db


def _user_triggers_enabled() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT tgenabled FROM pg_trigger "
                    "WHERE tgrelid = 'layers_attraction'::regclass AND NOT tgisinternal")
        return {row[0] for row in cur.fetchall()}


def test_scale_layer_holds_its_points_at_the_benchmark_density_and_leaves_triggers_on():
    layer, _seconds, _grown = scale.make_layer("bench-scale-smoke", 40)
    x0, y0, x1, y1 = scale.extent_for(40)
    assert (x1 - x0) * (y1 - y0) == pytest.approx(0.7 * 40 / 1_000_000)
    rows = Attraction.objects.filter(layer=layer)
    assert rows.count() == 40
    assert all(x0 <= a.location.x <= x1 and y0 <= a.location.y <= y1 for a in rows)
    with connection.cursor() as cur:  # given, as the trigger that was off would fold it
        cur.execute("SELECT count(*) FROM layers_attraction WHERE layer_id = %s "
                    "AND search LIKE 'thesi %%'", [layer.pk])
        assert cur.fetchone()[0] == 40
    assert _user_triggers_enabled() == {"O"}
    # Its count and extent, which the statistics triggers (off for the INSERT) would keep.
    listed = {x["slug"]: x for x in selectors.layers_list(lang="en")}["bench-scale-smoke"]
    assert listed["feature_count"] == 40
    assert x0 <= listed["extent"][0] <= listed["extent"][2] <= x1

    peers.peer_table(layer.pk, "bench_peer_smoke")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT id) FROM bench_peer_smoke")
        assert cur.fetchone() == (40, 40)
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'bench_peer_smoke'")
        indexes = " ".join(r[0] for r in cur.fetchall())
    assert "gist (geom)" in indexes and "(id)" in indexes
    peers.drop_tables("bench_peer_smoke")

    scale.drop_layers(["bench-scale-smoke"])
    assert not Layer.objects.filter(slug="bench-scale-smoke").exists()
    assert not Attraction.objects.filter(layer_id=layer.pk).exists()
    assert _user_triggers_enabled() == {"O"}


def test_every_server_is_asked_for_the_same_windows(tmp_path):
    boxes = bbox.windows()
    assert boxes == bbox.windows() and len(set(boxes)) == bbox.WINDOWS
    for box in boxes:
        x0, y0, x1, y1 = map(float, box.split(","))
        assert bbox.EXTENT[0] <= x0 < x1 <= bbox.EXTENT[2] + 1e-4
        assert bbox.EXTENT[1] <= y0 < y1 <= bbox.EXTENT[3] + 1e-4
    script = bbox.wrk_script(tmp_path, [f"/x?bbox={b}" for b in boxes]).read_text()
    assert script.count("/x?bbox=") == bbox.WINDOWS


def test_pygeoapi_is_configured_with_a_postgresql_collection_per_table():
    config = json.loads(peers._pygeoapi_config({"points": "bench_peer_points"}, 5000, 50_000))
    provider = config["resources"]["points"]["providers"][0]
    assert provider["name"] == "PostgreSQL" and provider["table"] == "bench_peer_points"
    assert config["server"]["limits"]["max_items"] == 50_000
