"""A layer's own export imports back into it by the features' public ids.

Each test downloads a real export through the API (GeoJSON, zipped Shapefile, KML,
GPX), edits it as a GIS specialist would (QGIS writes the same files), and imports it
with the real pipeline into PostGIS (helpers: tests/importers/exports_back.py).
"""

from __future__ import annotations

import json

import pytest
import shapely

from importers.pipeline import undo_last_import
from layers.models import Attraction, Layer, Trail
from tests.importers.builders import write_shapefile
from tests.importers.exports_back import (
    EDITORS,
    FORMATS,
    edit_gpx,
    edit_shp,
    export_layer,
    file_features,
    flat,
    import_file,
    layer_rows,
    model_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["attractions", "trails"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_layers_export_imports_back_into_it_unchanged(client, sz, tmp_path, fmt, kind):
    slug = f"stara-zagora-{kind}"
    before = layer_rows(slug, kind)
    settings_before = Layer.objects.get(slug=slug).import_settings
    path = export_layer(client, slug, fmt, tmp_path)

    # The file names every feature by its public id, at the stored position (7 decimals).
    in_file = file_features(path, fmt)
    stored = {str(f.uid): f for f in model_of(kind).objects.filter(layer__slug=slug)}
    assert set(in_file) == set(stored)
    for uid, (_name, geom) in in_file.items():
        kept = shapely.from_wkt(
            (stored[uid].location if kind == "attractions" else stored[uid].geom).wkt)
        assert shapely.equals_exact(flat(geom), flat(kept), tolerance=1e-7), uid

    result = import_file(path, sz, slug, kind)
    n = len(stored)
    assert (result.counts["created"], result.counts["updated"], result.counts["unchanged"],
            result.counts["skipped"]) == (0, 0, n, 0)
    assert result.id_field == "source_id" and not result.issues
    assert any(f"{n} feature(s) of layer '{slug}' matched by them" in str(note)
               for note in result.notes)
    after = layer_rows(slug, kind)
    assert after == before  # ids, source ids, attributes, geometries, timestamps
    assert all("id" not in row["properties"] for row in after)
    # The layer still remembers how the partner's own files are read.
    assert Layer.objects.get(slug=slug).import_settings == settings_before


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("which", ["forum", "drawn on the platform"])
def test_an_edited_name_updates_exactly_that_feature(client, sz, tmp_path, fmt, which):
    slug = "stara-zagora-attractions"
    feature = Attraction.objects.get(source_id="forum" if which == "forum" else "")
    others = [r for r in layer_rows(slug) if r["uid"] != str(feature.uid)]
    path = export_layer(client, slug, fmt, tmp_path)
    EDITORS[fmt](path, str(feature.uid), "Форумът на Августа Траяна")
    assert file_features(path, fmt)[str(feature.uid)][0] == "Форумът на Августа Траяна"

    result = import_file(path, sz, slug)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["unchanged"]) == (0, 1, 2)
    edited = Attraction.objects.get(uid=feature.uid)  # the same public id
    assert edited.name_bg == "Форумът на Августа Траяна"
    assert edited.source_id == feature.source_id  # none, for the one drawn on the platform
    assert edited.name_en == feature.name_en and edited.location == feature.location
    assert [r for r in layer_rows(slug) if r["uid"] != str(feature.uid)] == others
    assert Attraction.objects.filter(layer__slug=slug).count() == 3


def test_an_edited_trail_of_a_gpx_export_keeps_its_public_id(client, sz, tmp_path):
    slug = "stara-zagora-trails"
    trail = Trail.objects.get(source_id="")
    path = export_layer(client, slug, "gpx", tmp_path)
    edit_gpx(path, str(trail.uid), "Към язовира")
    result = import_file(path, sz, slug, "trails")
    assert (result.counts["created"], result.counts["updated"]) == (0, 1)
    assert Trail.objects.get(uid=trail.uid).name_bg == "Към язовира"
    assert Trail.objects.count() == 2


def test_undo_after_an_edited_export_restores_the_layer_exactly(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = layer_rows(slug)
    path = export_layer(client, slug, "shp", tmp_path)
    edit_shp(path, str(Attraction.objects.get(source_id="").uid), "Паркът")
    assert import_file(path, sz, slug).counts["updated"] == 1
    undo_last_import(layer=Layer.objects.get(slug=slug))
    assert layer_rows(slug) == before


def test_sync_retires_what_the_export_no_longer_has_and_never_a_platform_feature(
        client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    path = export_layer(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    doc["features"] = [f for f in doc["features"]
                       if f["properties"]["source_id"] not in ("forum",)
                       and f["properties"]["name_bg"] != "Аязмото"]
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = import_file(path, sz, slug, sync=True)
    assert (result.counts["retired"], result.counts["unchanged"]) == (1, 1)
    assert Attraction.objects.get(source_id="forum").retired_at is not None
    assert Attraction.objects.get(source_id="").retired_at is None  # never from a file


def test_an_export_whose_source_id_column_was_removed_still_matches(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = layer_rows(slug)
    path = export_layer(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    for f in doc["features"]:
        del f["properties"]["source_id"]
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = import_file(path, sz, slug)
    assert (result.counts["created"], result.counts["unchanged"]) == (0, 3)
    assert layer_rows(slug) == before


# --- the layer remembers the partner's id column: its export still imports back --------

def test_a_layer_imported_with_its_own_id_column_takes_its_export_back(
        client, partners, tmp_path):
    sz = partners["stara-zagora"]
    shp = write_shapefile(tmp_path / "partner", "obekti",
                          [shapely.Point(25.6264, 42.4271), shapely.Point(25.6109, 42.4246)],
                          {"KOD": ["SZ-01", "SZ-02"], "IME": ["Античен форум", "Неолитни"],
                           "ID": [7, 7]},  # not unique: not an id, kept as an attribute
                          epsg=4326, encoding="cp1251")
    import_file(shp, sz, "sz-obekti", id_field="KOD")
    remembered = Layer.objects.get(slug="sz-obekti").import_settings
    assert remembered["id_field"] == "KOD"
    before = layer_rows("sz-obekti")
    for fmt in FORMATS:
        result = import_file(export_layer(client, "sz-obekti", fmt, tmp_path), sz, "sz-obekti")
        assert (result.counts["created"], result.counts["updated"],
                result.counts["unchanged"]) == (0, 0, 2), fmt
        assert layer_rows("sz-obekti") == before, fmt
    assert Layer.objects.get(slug="sz-obekti").import_settings == remembered
    # The partner's next file is read as before: by KOD.
    again = import_file(shp, sz, "sz-obekti")
    assert again.id_field == "KOD" and again.counts["unchanged"] == 2


# --- a public id of another layer or partner ---------------------------------------------
