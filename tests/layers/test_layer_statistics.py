"""Each layer's feature count and extent are kept (layers.LayerStatistics, migration 0028),
so that the layer list, the OGC collections and the metadata records cost the same at any
size of data: `/api/layers/` counted every layer's features and measured their extent at
each request, 25 s and more at 11 million points (Interfaces, item 8 "Scale")."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geo.crs import WGS84
from layers import selectors
from layers.models import Attraction, Layer, LayerStatistics, Trail
from layers.params import FeatureFilters
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db

FEATURE_TABLES = re.compile(r"\blayers_(attraction|trail)\b")
SCANS = re.compile(r"count\(|ST_Extent|min\(|max\(", re.IGNORECASE)


def feature_scans(queries: CaptureQueriesContext) -> list[str]:
    """The statements that count, measure or date the rows of a feature table."""
    return [q["sql"] for q in queries.captured_queries
            if FEATURE_TABLES.search(q["sql"]) and SCANS.search(q["sql"])]


def from_scratch(layer: Layer) -> tuple[int, list[float] | None]:
    """The layer's current features counted and measured now, as the list did before."""
    with connection.cursor() as cur:
        cur.execute("""SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
                       FROM (SELECT count(*) AS n, ST_Extent(g) AS e FROM (
                           SELECT location AS g FROM layers_attraction
                           WHERE layer_id = %s AND retired_at IS NULL
                           UNION ALL SELECT geom FROM layers_trail
                           WHERE layer_id = %s AND retired_at IS NULL) u) x""",
                    [layer.pk, layer.pk])
        row = cur.fetchone()
    if row[0] == 0:
        return 0, None
    return row[0], [round(v, 6) for v in row[1:]]


def listed(client, slug: str) -> tuple[int, list[float] | None]:
    layers = {x["slug"]: x for x in client.get("/api/layers/").json()}
    return layers[slug]["feature_count"], layers[slug]["extent"]


@pytest.fixture
def museums(db) -> Layer:
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    layer = make_layer(sz, slug="sz-museums")
    make_attraction(layer, 25.62, 42.42, name_en="Forum")
    make_attraction(layer, 25.70, 42.50, name_en="Neolithic dwellings")
    make_attraction(layer, 25.65, 42.45, name_en="Opera")
    return layer


def test_the_layer_list_reads_kept_counts_and_extents_without_scanning_features(
        client, museums):
    with CaptureQueriesContext(connection) as queries:
        count, extent = listed(client, "sz-museums")
    assert (count, extent) == (3, [25.62, 42.42, 25.7, 42.5])
    assert feature_scans(queries) == []


def test_counts_and_extents_follow_each_create_update_retire_and_delete(client, museums):
    def check() -> None:
        assert listed(client, "sz-museums") == from_scratch(museums)

    check()
    outer = make_attraction(museums, 25.80, 42.60, name_en="Out east")  # grows
    assert listed(client, "sz-museums") == (4, [25.62, 42.42, 25.8, 42.6])
    outer.name = "Renamed, same place"
    outer.save()
    check()
    outer.location = Point(25.66, 42.46, srid=WGS84)  # the edge moves in: shrinks
    outer.save()
    assert listed(client, "sz-museums") == (4, [25.62, 42.42, 25.7, 42.5])
    Attraction.objects.filter(name_en="Forum").update(retired_at=timezone.now())
    assert listed(client, "sz-museums") == (3, [25.65, 42.45, 25.7, 42.5])
    check()
    Attraction.objects.filter(name_en="Forum").update(retired_at=None)  # back
    check()
    Attraction.objects.filter(name_en="Neolithic dwellings").delete()
    assert listed(client, "sz-museums") == (3, [25.62, 42.42, 25.66, 42.46])
    check()
    Attraction.objects.filter(layer=museums).delete()
    assert listed(client, "sz-museums") == (0, None)


def test_a_feature_moved_to_another_layer_is_counted_in_its_new_layer(client, museums):
    other = make_layer(museums.partner, slug="sz-churches")
    Attraction.objects.filter(name_en="Neolithic dwellings").update(layer=other)
    assert listed(client, "sz-museums") == (2, [25.62, 42.42, 25.65, 42.45])
    assert listed(client, "sz-churches") == (1, [25.7, 42.5, 25.7, 42.5])


def test_trails_are_counted_and_measured_by_their_lines(client, db):
    layer = make_layer(make_partner("sliven", bbox=(26.0, 42.5, 26.8, 43.0)),
                       kind=LayerKind.TRAILS)
    trail = make_trail(layer, [(26.30, 42.60, 200.0), (26.40, 42.70, 300.0)])
    make_trail(layer, [(26.35, 42.65), (26.36, 42.66)])
    assert listed(client, layer.slug) == from_scratch(layer)
    Trail.objects.filter(pk=trail.pk).delete()
    assert listed(client, layer.slug) == from_scratch(layer)
    assert listed(client, layer.slug)[0] == 1


def test_many_rows_written_in_one_statement_are_counted(client, museums):
    from tests.factories import make_museum_grid

    make_museum_grid(museums, 500, 25.0, 42.0)
    assert listed(client, "sz-museums") == from_scratch(museums)
    assert listed(client, "sz-museums")[0] == 503


def test_an_import_and_a_reimport_keep_them_true(client, db, tmp_path):
    make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                 languages=["el", "en"])

    def write(points: list[tuple[str, float, float]]) -> Path:
        path = Path(tmp_path) / "springs.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
             "properties": {"id": sid, "name": f"Spring {sid}", "category": "spring"}}
            for sid, lon, lat in points]}))
        return path

    call_command("import_layer", str(write([("a", 22.30, 39.60), ("b", 22.50, 39.80),
                                            ("c", 22.40, 39.70)])),
                 partner="larissa", layer="larissa-springs", kind="attractions",
                 id_field="id", verbosity=0)
    layer = Layer.objects.get(slug="larissa-springs")
    assert listed(client, "larissa-springs") == (3, [22.3, 39.6, 22.5, 39.8])
    # b is gone from the file (retired), c has moved, d is new.
    call_command("import_layer", str(write([("a", 22.30, 39.60), ("c", 22.45, 39.65),
                                            ("d", 22.35, 39.62)])),
                 partner="larissa", layer="larissa-springs", kind="attractions",
                 id_field="id", sync=True, verbosity=0)
    assert listed(client, "larissa-springs") == from_scratch(layer)
    assert listed(client, "larissa-springs") == (3, [22.3, 39.6, 22.45, 39.65])


def test_ogc_collections_count_and_measure_from_what_is_kept(client, museums):
    make_trail(make_layer(museums.partner, kind=LayerKind.TRAILS),
               [(25.60, 42.43), (25.62, 42.45)])
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/ogc/collections").json()
    assert feature_scans(queries) == []
    found = {c["id"]: c for c in body["collections"]}
    museums_c = found["sz-museums"]
    assert museums_c["numberOfFeatures"] == 3
    assert museums_c["extent"]["spatial"]["bbox"][0] == [25.62, 42.42, 25.7, 42.5]
    # The same numbers as the collections' items say.
    for cid in ("sz-museums", "all-attractions", "all-trails", "regional-layer"):
        matched = client.get(f"/ogc/collections/{cid}/items", {"limit": 1}).json()
        assert found[cid]["numberOfFeatures"] == matched["numberMatched"], cid
    assert found["all-trails"]["extent"]["spatial"]["bbox"][0] == [25.6, 42.43, 25.62, 42.45]


def test_a_reference_layer_counts_in_its_own_collection_not_in_the_kinds(client, museums):
    communes = make_layer(museums.partner, slug="sz-communes")
    Layer.objects.filter(pk=communes.pk).update(reference=True)
    make_attraction(communes, 25.5, 42.3)
    assert selectors.stored_feature_count(kinds=["attraction"]) == 3
    assert selectors.stored_feature_count(kinds=["attraction"], layer="sz-communes") == 1
    _f, total, _n = selectors.features_page(kinds=["attraction"], filters=FeatureFilters(),
                                            lang="en", limit=1, offset=0)
    assert total == 3


def test_metadata_records_read_the_kept_values(client, museums):
    with CaptureQueriesContext(connection) as queries:
        record = client.get("/ogc/collections/metadata/items/sz-museums").json()
        found = client.get("/ogc/collections/metadata/items",
                           {"bbox": "25.69,42.49,26,43"}).json()
        missed = client.get("/ogc/collections/metadata/items",
                            {"bbox": "20,35,21,36"}).json()
    assert feature_scans(queries) == []
    assert record["properties"]["numberOfFeatures"] == 3
    assert record["geometry"]["coordinates"][0][2] == [25.7, 42.5]
    assert [f["id"] for f in found["features"]] == ["sz-museums"]
    assert missed["features"] == []
    kept = LayerStatistics.objects.get(layer=museums, kind="attraction")
    first = Attraction.objects.filter(layer=museums).order_by("created_at").first()
    assert first is not None and kept.first_created == first.created_at


def test_the_records_last_change_follows_a_feature_edited(museums):
    kept = LayerStatistics.objects.get(layer=museums, kind="attraction")
    later = timezone.now() + timedelta(days=1)
    Attraction.objects.filter(name_en="Opera").update(updated_at=later)
    kept.refresh_from_db()
    assert kept.last_updated == later
    Attraction.objects.filter(name_en="Opera").update(updated_at=timezone.now())
    kept.refresh_from_db()
    assert kept.last_updated == max(
        Attraction.objects.filter(layer=museums).values_list("updated_at", flat=True))


def test_refresh_makes_them_again_from_the_features(museums):
    """What a bulk writer that turned the triggers off calls after (the benchmarks)."""
    LayerStatistics.objects.filter(layer=museums).update(feature_count=99, west=0)
    with connection.cursor() as cur:
        cur.execute("SELECT atlas_layer_statistics_refresh('attraction', %s)", [[museums.pk]])
    kept = LayerStatistics.objects.get(layer=museums, kind="attraction")
    assert (kept.feature_count, kept.west) == (3, 25.62)


def test_a_layer_deleted_takes_its_statistics(museums):
    museums.delete()
    assert not LayerStatistics.objects.exists()
