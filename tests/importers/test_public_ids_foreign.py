"""Public ids that are not the layer's own: another layer's export, a pasted feature, ids
no feature has, two rows for one feature, --id-field, a partner's own UUIDs, the regional
layer's export (helpers: tests/importers/exports_back.py)."""

from __future__ import annotations

import json
import uuid

import pytest

from importers.exceptions import RowErrors
from importers.models import ImportRun
from layers.models import Attraction
from tests.factories import make_attraction, make_layer, open_preview
from tests.importers.exports_back import (
    FORMATS,
    export_layer,
    import_file,
    layer_rows,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_another_layers_export_is_copied_and_that_layer_left_as_it_is(
        client, sz, partners, tmp_path, fmt):
    source = "stara-zagora-attractions"
    before = layer_rows(source)
    path = export_layer(client, source, fmt, tmp_path)
    result = import_file(path, sz, "sz-copies")
    assert (result.counts["created"], result.counts["updated"]) == (3, 0)
    assert layer_rows(source) == before  # not moved, not changed
    copies = Attraction.objects.filter(layer__slug="sz-copies")
    originals = {str(u) for u in Attraction.objects.filter(
        layer__slug=source).values_list("uid", flat=True)}
    assert not originals & {str(c.uid) for c in copies}  # new public ids
    assert all("id" not in c.properties for c in copies)
    (warning,) = [i for i in result.issues if i.severity == "warning"]
    assert (warning.row, warning.field) == ("1, 2, 3", "id")
    assert warning.file.startswith(path.name)  # a KML's: the file and its folder
    assert (f"public id of a feature of layer '{source}' (partner 'stara-zagora'), not of "
            "layer 'sz-copies': not used, and that feature is not changed") in str(warning)


def test_a_pasted_feature_of_another_partner_is_matched_by_its_source_id_only(
        client, sz, partners, tmp_path):
    lar = partners["larissa"]
    theatre = make_attraction(make_layer(lar), 22.4153, 39.6403, source_id="forum",
                              name_el="Αρχαίο Θέατρο", category="archaeological_site")
    theirs = layer_rows("larissa-attractions")
    slug = "stara-zagora-attractions"
    path = export_layer(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    forum = next(f for f in doc["features"] if f["properties"]["source_id"] == "forum")
    forum["id"] = str(theatre.uid)  # as if pasted over from Larissa's layer
    forum["properties"]["name_bg"] = "Форум"
    path.write_text(json.dumps(doc, ensure_ascii=False))

    result = import_file(path, sz, slug)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["unchanged"]) == (0, 1, 2)
    assert Attraction.objects.get(layer__slug=slug, source_id="forum").name_bg == "Форум"
    assert layer_rows("larissa-attractions") == theirs
    (warning,) = result.issues
    assert (warning.row, warning.field, warning.severity) == (1, "id", "warning")
    assert "layer 'larissa-attractions' (partner 'larissa')" in str(warning)
    assert "row 1, id:" in str(warning)


def test_public_ids_no_feature_has_are_not_used_and_not_stored(client, sz, tmp_path):
    path = export_layer(client, "stara-zagora-attractions", "geojson", tmp_path)
    doc = json.loads(path.read_text())
    for f in doc["features"]:
        f["id"] = str(uuid.uuid4())  # another platform's, or deleted since
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = import_file(path, sz, "stara-zagora-attractions")
    # Matched by source id: the two with one; the one drawn on the platform had its public
    # id as source id in the file, and comes again.
    assert (result.counts["created"], result.counts["unchanged"]) == (1, 2)
    (warning,) = result.issues
    assert warning.row == "1, 2, 3" and "not the public id of any" in str(warning)
    assert not Attraction.objects.filter(properties__has_key="id").exists()


def test_an_editor_sees_why_in_her_language_when_uploading_another_layers_export(
        client, sz, partners, tmp_path):
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = User.objects.create_user("ivana", password="pw", is_staff=True)
    editor.groups.add(sz.editors)
    client.force_login(editor)
    path = export_layer(client, "stara-zagora-attractions", "geojson", tmp_path)
    response = client.post("/import/?lang=bg", {
        "file": SimpleUploadedFile(path.name, path.read_bytes(), "application/geo+json"),
        "partner": sz.pk, "layer": "sz-copies", "kind": "attractions"})
    page = open_preview(client, response["Location"])
    assert ("редове 1, 2, 3, id: публичен идентификатор на обект от слой "
            "&#x27;stara-zagora-attractions&#x27; (партньор &#x27;stara-zagora&#x27;), а не от "
            "слой &#x27;sz-copies&#x27;: не се използва и този обект не се променя") in page
    assert "колоната &#x27;id&#x27; съдържа публичните идентификатори на платформата" in page
    assert "not used" not in page


# --- rows two of which would update one feature ------------------------------------------

def test_two_rows_with_one_public_id_are_row_errors(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = layer_rows(slug)
    path = export_layer(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    copy = json.loads(json.dumps(doc["features"][0]))
    copy["properties"]["source_id"] = "forum-2"
    doc["features"].append(copy)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(RowErrors) as exc:
        import_file(path, sz, slug)
    (issue,) = exc.value.issues
    assert (issue.file, issue.row, issue.field) == (path.name, 4, "id")
    assert f"public id {copy['id']} is also on row 1" in str(issue)
    assert layer_rows(slug) == before
    failed = ImportRun.objects.get(status=ImportRun.Status.FAILED)  # logged, nothing written
    assert (failed.layer.slug, failed.issues[0]["row"], failed.issues[0]["field"]) == (
        slug, 4, "id")
    result = import_file(path, sz, slug, skip_invalid=True)
    assert (result.counts["skipped"], result.counts["unchanged"]) == (1, 3)
    assert result.run.issues[0]["row"] == 4


def test_a_source_id_of_a_feature_matched_by_public_id_is_a_row_error(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    path = export_layer(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    forum = next(f for f in doc["features"] if f["properties"]["source_id"] == "forum")
    forum["properties"]["source_id"] = "forum-renamed"
    doc["features"].append({"type": "Feature", "geometry": {"type": "Point",
                                                            "coordinates": [25.63, 42.43]},
                            "properties": {"source_id": "forum", "name_bg": "Нов"}})
    path.write_text(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(RowErrors) as exc:
        import_file(path, sz, slug)
    (issue,) = exc.value.issues
    assert (issue.row, issue.field) == (4, "source_id")
    assert "source id 'forum' is that of the feature that row 1 is matched to" in str(issue)


# --- --id-field, and a partner's own id column ---------------------------------------------

def test_with_id_field_the_public_ids_are_neither_used_nor_stored(client, sz, tmp_path):
    path = export_layer(client, "stara-zagora-attractions", "kml", tmp_path)
    result = import_file(path, sz, "stara-zagora-attractions", id_field="source_id")
    # By source id, as before: the feature drawn on the platform has none, and comes again.
    assert (result.counts["created"], result.counts["unchanged"]) == (1, 2)
    assert any("not used to match features, as --id-field source_id was given" in str(n)
               for n in result.notes)
    assert not Attraction.objects.filter(properties__has_key="id").exists()


def test_a_partners_own_uuid_id_column_stays_its_id(partners, tmp_path):
    ids = [str(uuid.uuid4()) for _ in range(2)]
    path = tmp_path / "qfield.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": i, "name": n},
         "geometry": {"type": "Point", "coordinates": c}}
        for i, n, c in zip(ids, ["Извор", "Чешма"], [[25.61, 42.42], [25.62, 42.43]],
                           strict=True)]}, ensure_ascii=False))
    result = import_file(path, partners["stara-zagora"], "sz-qfield")
    assert result.id_field == "id" and result.counts["created"] == 2
    assert sorted(Attraction.objects.values_list("source_id", flat=True)) == sorted(ids)
    assert not [n for n in result.notes if "public ids" in str(n)]
    assert import_file(path, partners["stara-zagora"], "sz-qfield").counts["unchanged"] == 2


# --- file editors: what a GIS specialist does to an export in QGIS -----------------------



@pytest.mark.parametrize("fmt", ["geojson", "shp", "kml"])
def test_the_regional_exports_partner_layer_and_kind_are_not_attributes(
        client, sz, tmp_path, fmt):
    response = client.get("/api/regional-layer/export/", {"format": fmt, "kind": "attraction"})
    assert response.status_code == 200
    path = tmp_path / f"regional.{ {'shp': 'zip'}.get(fmt, fmt) }"
    path.write_bytes(response.getvalue())
    result = import_file(path, sz, "sz-regional-copy")
    assert result.counts["created"] == 3
    copies = Attraction.objects.filter(layer__slug="sz-regional-copy")
    assert {c.category for c in copies} == {"archaeological_site", "museum", "park"}
    for copy in copies:
        assert not {"partner", "layer", "kind", "id"} & set(copy.properties), copy.properties
    forum = copies.get(source_id="forum")
    assert forum.properties == {"VISITORS": 1200, "ОТВОРЕНО": "да"}
