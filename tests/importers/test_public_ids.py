"""A layer's own export imports back into it by the features' public ids.

Each test downloads a real export through the API (GeoJSON, zipped Shapefile, KML,
GPX), edits it as a GIS specialist would (QGIS writes the same files), and imports it
with the real pipeline into PostGIS.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.db import connection
from lxml import etree

from importers.exceptions import RowErrors
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import, undo_last_import
from layers.models import Attraction, Layer, Trail
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_trail
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

FORMATS = {"geojson": "geojson", "shp": "zip", "kml": "kml", "gpx": "gpx"}
ATLAS = "https://atlas.example/gpx/1"
TABLES = {"attractions": ("layers_attraction", "location"), "trails": ("layers_trail", "geom")}


@pytest.fixture
def sz(partners):
    """Stara Zagora's attractions (one drawn on the platform: no source id) and trails."""
    sz = partners["stara-zagora"]
    poi = make_layer(sz)
    make_attraction(poi, 25.6264, 42.4271, source_id="forum", name_bg="Античен форум",
                    name_en="Antique Forum", category="archaeological_site",
                    website="https://www.starazagora.bg",
                    properties={"VISITORS": 1200, "ОТВОРЕНО": "да"})
    make_attraction(poi, 25.6109, 42.4246, source_id="neolithic", name_bg="Неолитни жилища",
                    name_en="", category="museum", fee=True)
    make_attraction(poi, 25.6182, 42.4339, name_bg="Аязмото", name_en="Ayazmoto park",
                    category="park", description_bg="Парк, нанесен на платформата.")
    trails = make_layer(sz, kind=LayerKind.TRAILS)
    make_trail(trails, [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0), (25.63, 42.46, 300.0)],
               source_id="ayazmo", name_bg="Към Аязмото", activity="walking",
               difficulty="easy")
    make_trail(trails, [(25.64, 42.41, 210.0), (25.66, 42.40, 240.0)], name_bg="Към езерото",
               activity="hiking")
    return sz


def _export(client, slug: str, fmt: str, folder: Path) -> Path:
    response = client.get(f"/api/layers/{slug}/export/", {"format": fmt})
    assert response.status_code == 200, response.content[:300]
    path = folder / f"{slug}.{FORMATS[fmt]}"
    path.write_bytes(response.content)
    return path


def _import(path: Path, partner, slug: str, kind: str = "attractions", **kw):
    return run_import(ImportRequest(path=path, partner=partner, layer_slug=slug, kind=kind,
                                    **kw))


def _layer_rows(slug: str, kind: str = "attractions") -> list[dict]:
    """Every column of every feature of the layer, the geometry as EWKB: exactly as stored."""
    table, geom = TABLES[kind]
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT to_jsonb(t) || jsonb_build_object('{geom}', encode(ST_AsEWKB(t.{geom}), 'hex'))
            FROM {table} t JOIN layers_layer l ON l.id = t.layer_id
            WHERE l.slug = %s ORDER BY t.id""", [slug])
        return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in cur.fetchall()]


def _model(kind: str):
    return Attraction if kind == "attractions" else Trail


def _file_features(path: Path, fmt: str) -> dict[str, tuple[str, shapely.Geometry]]:
    """Public id -> (name_bg, geometry) of each feature in an exported file, read as a GIS
    reads it (GDAL; the XML for the KML's SimpleData and GPX's extensions)."""
    if fmt in ("geojson", "shp"):
        source = path
        if fmt == "shp":
            with zipfile.ZipFile(path) as zf:
                shp = next(n for n in zf.namelist() if n.endswith(".shp"))
            source = f"/vsizip/{path}/{shp}"
        _meta, _fids, wkb, fields = pyogrio.raw.read(source, columns=["id", "name_bg"])
        return {i: (n, g) for i, n, g in zip(fields[0].tolist(), fields[1].tolist(),
                                             shapely.from_wkb(wkb), strict=True)}
    doc = etree.parse(str(path))
    out = {}
    if fmt == "kml":
        for placemark in doc.iter("{*}Placemark"):
            data = {d.get("name"): d.text for d in placemark.iter("{*}SimpleData")}
            coords = [tuple(float(v) for v in c.split(","))
                      for c in " ".join(placemark.xpath(".//*[local-name()='coordinates']"
                                                        "/text()")).split()]
            out[data["id"]] = (data.get("name_bg"),
                               shapely.Point(coords[0]) if len(coords) == 1
                               else shapely.LineString(coords))
        return out
    for el in doc.getroot():
        public = el.findtext(f".//{{{ATLAS}}}id")
        fields = {f.get("name"): json.loads(f.text) for f in el.iter(f"{{{ATLAS}}}field")}
        points = [(float(p.get("lon")), float(p.get("lat")))
                  for p in el.iter("{*}trkpt")] or [(float(el.get("lon")),
                                                     float(el.get("lat")))]
        out[public] = (fields.get("name_bg"), shapely.Point(points[0]) if len(points) == 1
                       else shapely.LineString(points))
    return out


def _flat(geom: shapely.Geometry) -> shapely.Geometry:
    """2-D, a one-part line as a LineString: to compare coordinates only."""
    geom = shapely.force_2d(geom)
    return shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom


# --- export → import into the same layer: nothing changes ---------------------------

@pytest.mark.parametrize("kind", ["attractions", "trails"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_layers_export_imports_back_into_it_unchanged(client, sz, tmp_path, fmt, kind):
    slug = f"stara-zagora-{kind}"
    before = _layer_rows(slug, kind)
    settings_before = Layer.objects.get(slug=slug).import_settings
    path = _export(client, slug, fmt, tmp_path)

    # The file names every feature by its public id, at the stored position (7 decimals).
    in_file = _file_features(path, fmt)
    stored = {str(f.uid): f for f in _model(kind).objects.filter(layer__slug=slug)}
    assert set(in_file) == set(stored)
    for uid, (_name, geom) in in_file.items():
        kept = shapely.from_wkt(
            (stored[uid].location if kind == "attractions" else stored[uid].geom).wkt)
        assert shapely.equals_exact(_flat(geom), _flat(kept), tolerance=1e-7), uid

    result = _import(path, sz, slug, kind)
    n = len(stored)
    assert (result.counts["created"], result.counts["updated"], result.counts["unchanged"],
            result.counts["skipped"]) == (0, 0, n, 0)
    assert result.id_field == "source_id" and not result.issues
    assert any(f"{n} feature(s) of layer '{slug}' matched by them" in str(note)
               for note in result.notes)
    after = _layer_rows(slug, kind)
    assert after == before  # ids, source ids, attributes, geometries, timestamps
    assert all("id" not in row["properties"] for row in after)
    # The layer still remembers how the partner's own files are read.
    assert Layer.objects.get(slug=slug).import_settings == settings_before


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("which", ["forum", "drawn on the platform"])
def test_an_edited_name_updates_exactly_that_feature(client, sz, tmp_path, fmt, which):
    slug = "stara-zagora-attractions"
    feature = Attraction.objects.get(source_id="forum" if which == "forum" else "")
    others = [r for r in _layer_rows(slug) if r["uid"] != str(feature.uid)]
    path = _export(client, slug, fmt, tmp_path)
    EDITORS[fmt](path, str(feature.uid), "Форумът на Августа Траяна")
    assert _file_features(path, fmt)[str(feature.uid)][0] == "Форумът на Августа Траяна"

    result = _import(path, sz, slug)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["unchanged"]) == (0, 1, 2)
    edited = Attraction.objects.get(uid=feature.uid)  # the same public id
    assert edited.name_bg == "Форумът на Августа Траяна"
    assert edited.source_id == feature.source_id  # none, for the one drawn on the platform
    assert edited.name_en == feature.name_en and edited.location == feature.location
    assert [r for r in _layer_rows(slug) if r["uid"] != str(feature.uid)] == others
    assert Attraction.objects.filter(layer__slug=slug).count() == 3


def test_an_edited_trail_of_a_gpx_export_keeps_its_public_id(client, sz, tmp_path):
    slug = "stara-zagora-trails"
    trail = Trail.objects.get(source_id="")
    path = _export(client, slug, "gpx", tmp_path)
    _edit_gpx(path, str(trail.uid), "Към язовира")
    result = _import(path, sz, slug, "trails")
    assert (result.counts["created"], result.counts["updated"]) == (0, 1)
    assert Trail.objects.get(uid=trail.uid).name_bg == "Към язовира"
    assert Trail.objects.count() == 2


def test_undo_after_an_edited_export_restores_the_layer_exactly(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = _layer_rows(slug)
    path = _export(client, slug, "shp", tmp_path)
    _edit_shp(path, str(Attraction.objects.get(source_id="").uid), "Паркът")
    assert _import(path, sz, slug).counts["updated"] == 1
    undo_last_import(layer=Layer.objects.get(slug=slug))
    assert _layer_rows(slug) == before


def test_sync_retires_what_the_export_no_longer_has_and_never_a_platform_feature(
        client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    path = _export(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    doc["features"] = [f for f in doc["features"]
                       if f["properties"]["source_id"] not in ("forum",)
                       and f["properties"]["name_bg"] != "Аязмото"]
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = _import(path, sz, slug, sync=True)
    assert (result.counts["retired"], result.counts["unchanged"]) == (1, 1)
    assert Attraction.objects.get(source_id="forum").retired_at is not None
    assert Attraction.objects.get(source_id="").retired_at is None  # never from a file


def test_an_export_whose_source_id_column_was_removed_still_matches(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = _layer_rows(slug)
    path = _export(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    for f in doc["features"]:
        del f["properties"]["source_id"]
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = _import(path, sz, slug)
    assert (result.counts["created"], result.counts["unchanged"]) == (0, 3)
    assert _layer_rows(slug) == before


# --- the layer remembers the partner's id column: its export still imports back --------

def test_a_layer_imported_with_its_own_id_column_takes_its_export_back(
        client, partners, tmp_path):
    sz = partners["stara-zagora"]
    shp = write_shapefile(tmp_path / "partner", "obekti",
                          [shapely.Point(25.6264, 42.4271), shapely.Point(25.6109, 42.4246)],
                          {"KOD": ["SZ-01", "SZ-02"], "IME": ["Античен форум", "Неолитни"],
                           "ID": [7, 7]},  # not unique: not an id, kept as an attribute
                          epsg=4326, encoding="cp1251")
    _import(shp, sz, "sz-obekti", id_field="KOD")
    remembered = Layer.objects.get(slug="sz-obekti").import_settings
    assert remembered["id_field"] == "KOD"
    before = _layer_rows("sz-obekti")
    for fmt in FORMATS:
        result = _import(_export(client, "sz-obekti", fmt, tmp_path), sz, "sz-obekti")
        assert (result.counts["created"], result.counts["updated"],
                result.counts["unchanged"]) == (0, 0, 2), fmt
        assert _layer_rows("sz-obekti") == before, fmt
    assert Layer.objects.get(slug="sz-obekti").import_settings == remembered
    # The partner's next file is read as before: by KOD.
    again = _import(shp, sz, "sz-obekti")
    assert again.id_field == "KOD" and again.counts["unchanged"] == 2


# --- a public id of another layer or partner ---------------------------------------------

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_another_layers_export_is_copied_and_that_layer_left_as_it_is(
        client, sz, partners, tmp_path, fmt):
    source = "stara-zagora-attractions"
    before = _layer_rows(source)
    path = _export(client, source, fmt, tmp_path)
    result = _import(path, sz, "sz-copies")
    assert (result.counts["created"], result.counts["updated"]) == (3, 0)
    assert _layer_rows(source) == before  # not moved, not changed
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
    theirs = _layer_rows("larissa-attractions")
    slug = "stara-zagora-attractions"
    path = _export(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    forum = next(f for f in doc["features"] if f["properties"]["source_id"] == "forum")
    forum["id"] = str(theatre.uid)  # as if pasted over from Larissa's layer
    forum["properties"]["name_bg"] = "Форум"
    path.write_text(json.dumps(doc, ensure_ascii=False))

    result = _import(path, sz, slug)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["unchanged"]) == (0, 1, 2)
    assert Attraction.objects.get(layer__slug=slug, source_id="forum").name_bg == "Форум"
    assert _layer_rows("larissa-attractions") == theirs
    (warning,) = result.issues
    assert (warning.row, warning.field, warning.severity) == (1, "id", "warning")
    assert "layer 'larissa-attractions' (partner 'larissa')" in str(warning)
    assert "row 1, id:" in str(warning)


def test_public_ids_no_feature_has_are_not_used_and_not_stored(client, sz, tmp_path):
    path = _export(client, "stara-zagora-attractions", "geojson", tmp_path)
    doc = json.loads(path.read_text())
    for f in doc["features"]:
        f["id"] = str(uuid.uuid4())  # another platform's, or deleted since
    path.write_text(json.dumps(doc, ensure_ascii=False))
    result = _import(path, sz, "stara-zagora-attractions")
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

    editor = User.objects.create_user("ivana", password="pw")
    editor.groups.add(sz.editors)
    client.force_login(editor)
    path = _export(client, "stara-zagora-attractions", "geojson", tmp_path)
    response = client.post("/import/?lang=bg", {
        "file": SimpleUploadedFile(path.name, path.read_bytes(), "application/geo+json"),
        "partner": sz.pk, "layer": "sz-copies", "kind": "attractions"})
    page = client.get(response["Location"]).content.decode()
    assert ("редове 1, 2, 3, id: публичен идентификатор на обект от слой "
            "&#x27;stara-zagora-attractions&#x27; (партньор &#x27;stara-zagora&#x27;), а не от "
            "слой &#x27;sz-copies&#x27;: не се използва и този обект не се променя") in page
    assert "колоната &#x27;id&#x27; съдържа публичните идентификатори на платформата" in page
    assert "not used" not in page


# --- rows two of which would update one feature ------------------------------------------

def test_two_rows_with_one_public_id_are_row_errors(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    before = _layer_rows(slug)
    path = _export(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    copy = json.loads(json.dumps(doc["features"][0]))
    copy["properties"]["source_id"] = "forum-2"
    doc["features"].append(copy)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(RowErrors) as exc:
        _import(path, sz, slug)
    (issue,) = exc.value.issues
    assert (issue.file, issue.row, issue.field) == (path.name, 4, "id")
    assert f"public id {copy['id']} is also on row 1" in str(issue)
    assert _layer_rows(slug) == before
    failed = ImportRun.objects.get(status=ImportRun.Status.FAILED)  # logged, nothing written
    assert (failed.layer.slug, failed.issues[0]["row"], failed.issues[0]["field"]) == (
        slug, 4, "id")
    result = _import(path, sz, slug, skip_invalid=True)
    assert (result.counts["skipped"], result.counts["unchanged"]) == (1, 3)
    assert result.run.issues[0]["row"] == 4


def test_a_source_id_of_a_feature_matched_by_public_id_is_a_row_error(client, sz, tmp_path):
    slug = "stara-zagora-attractions"
    path = _export(client, slug, "geojson", tmp_path)
    doc = json.loads(path.read_text())
    forum = next(f for f in doc["features"] if f["properties"]["source_id"] == "forum")
    forum["properties"]["source_id"] = "forum-renamed"
    doc["features"].append({"type": "Feature", "geometry": {"type": "Point",
                                                            "coordinates": [25.63, 42.43]},
                            "properties": {"source_id": "forum", "name_bg": "Нов"}})
    path.write_text(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(RowErrors) as exc:
        _import(path, sz, slug)
    (issue,) = exc.value.issues
    assert (issue.row, issue.field) == (4, "source_id")
    assert "source id 'forum' is that of the feature that row 1 is matched to" in str(issue)


# --- --id-field, and a partner's own id column ---------------------------------------------

def test_with_id_field_the_public_ids_are_neither_used_nor_stored(client, sz, tmp_path):
    path = _export(client, "stara-zagora-attractions", "kml", tmp_path)
    result = _import(path, sz, "stara-zagora-attractions", id_field="source_id")
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
    result = _import(path, partners["stara-zagora"], "sz-qfield")
    assert result.id_field == "id" and result.counts["created"] == 2
    assert sorted(Attraction.objects.values_list("source_id", flat=True)) == sorted(ids)
    assert not [n for n in result.notes if "public ids" in str(n)]
    assert _import(path, partners["stara-zagora"], "sz-qfield").counts["unchanged"] == 2


# --- file editors: what a GIS specialist does to an export in QGIS -----------------------

def _edit_geojson(path: Path, uid: str, name: str) -> None:
    doc = json.loads(path.read_text())
    next(f for f in doc["features"] if f["id"] == uid)["properties"]["name_bg"] = name
    path.write_text(json.dumps(doc, ensure_ascii=False))


def _edit_shp(path: Path, uid: str, name: str) -> None:
    """Rewrite the zipped shapefile with one name changed, as a GIS saves it."""
    folder = path.parent / "unzipped"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
    shp = next(folder.glob("*.shp"))
    meta, _fids, wkb, fields = pyogrio.raw.read(shp, encoding="UTF-8")
    names = list(meta["fields"])
    at = fields[names.index("id")].tolist().index(uid)
    fields[names.index("name_bg")][at] = name
    for member in folder.glob(f"{shp.stem}.*"):
        if member.suffix in (".shp", ".shx", ".dbf", ".cpg"):
            member.unlink()
    pyogrio.raw.write(shp, wkb, [np.asarray(f) for f in fields], fields=names,
                      geometry_type=meta["geometry_type"], crs="EPSG:4326",
                      driver="ESRI Shapefile", encoding="UTF-8")
    with zipfile.ZipFile(path, "w") as zf:
        for member in sorted(folder.iterdir()):
            zf.write(member, member.name)


def _edit_kml(path: Path, uid: str, name: str) -> None:
    doc = etree.parse(str(path))
    for placemark in doc.iter("{*}Placemark"):
        data = {d.get("name"): d for d in placemark.iter("{*}SimpleData")}
        if data["id"].text == uid:
            data["name_bg"].text = name
            placemark.find("{*}name").text = name
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")


def _edit_gpx(path: Path, uid: str, name: str) -> None:
    doc = etree.parse(str(path))
    for el in doc.getroot():
        if el.findtext(f".//{{{ATLAS}}}id") == uid:
            field = next(f for f in el.iter(f"{{{ATLAS}}}field") if f.get("name") == "name_bg")
            field.text = json.dumps(name, ensure_ascii=False)
            el.find("{*}name").text = name
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")


EDITORS = {"geojson": _edit_geojson, "shp": _edit_shp, "kml": _edit_kml, "gpx": _edit_gpx}


@pytest.mark.parametrize("fmt", ["geojson", "shp", "kml"])
def test_the_regional_exports_partner_layer_and_kind_are_not_attributes(
        client, sz, tmp_path, fmt):
    response = client.get("/api/regional-layer/export/", {"format": fmt, "kind": "attraction"})
    assert response.status_code == 200
    path = tmp_path / f"regional.{ {'shp': 'zip'}.get(fmt, fmt) }"
    path.write_bytes(response.content)
    result = _import(path, sz, "sz-regional-copy")
    assert result.counts["created"] == 3
    copies = Attraction.objects.filter(layer__slug="sz-regional-copy")
    assert {c.category for c in copies} == {"archaeological_site", "museum", "park"}
    for copy in copies:
        assert not {"partner", "layer", "kind", "id"} & set(copy.properties), copy.properties
    forum = copies.get(source_id="forum")
    assert forum.properties == {"VISITORS": 1200, "ОТВОРЕНО": "да"}
