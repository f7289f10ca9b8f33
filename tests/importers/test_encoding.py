"""DBF text encodings: what the files say, checked against the bytes, else detected."""

from __future__ import annotations

import pytest
import shapely

from importers.encoding import choose_dbf_encoding, detect, parse_cpg
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction
from tests.importers.builders import project, set_ldid, write_shapefile

BULGARIAN = ["Античен форум „Августа Траяна“", "Музей „Неолитни жилища“", "Зоопарк Стара Загора"]
GREEK = ["Α΄ Αρχαίο Θέατρο Λάρισας", "Μπεζεστένι Λάρισας", "Ιερά Μονή Κανάλων"]
FRENCH = ["Château de Grignan", "Palais idéal du facteur Cheval", "Forêt de Saoû"]


@pytest.mark.parametrize(("text", "codec"), [
    ("1251", "cp1251"), ("CP1251", "cp1251"), ("ANSI 1251", "cp1251"),
    ("windows-1251", "cp1251"), ("Windows_1253", "cp1253"), ("cp 1253", "cp1253"),
    ("ANSI 1252", "cp1252"), ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("65001", "utf-8"),
    ("ISO-8859-1", "iso8859-1"), ("88591", "iso8859-1"), ("1250\n", "cp1250"),
    ("nonsense", None), ("", None),
])
def test_cpg_spellings(text, codec):
    assert parse_cpg(text) == codec


@pytest.mark.parametrize(("names", "codec"), [
    (BULGARIAN, "cp1251"), (GREEK, "cp1253"), (FRENCH, "cp1252"),
    (["Żółw", "Łódź", "Kraków"], "cp1250"),
])
def test_detection_from_the_bytes(names, codec):
    found, reason = detect([n.encode(codec) for n in names])
    assert found == codec
    assert codec in str(reason)


def test_utf8_is_recognised_by_its_validity():
    assert detect([n.encode("utf-8") for n in BULGARIAN + GREEK])[0] == "utf-8"


def _points(folder, name, names, *, encoding, keep_cpg, epsg=4326, lonlats=None):
    lonlats = lonlats or [(25.63 + i * 0.01, 42.43) for i in range(len(names))]
    geoms = [shapely.Point(p) for p in project(lonlats, epsg)]
    return write_shapefile(folder, name, geoms, {"NAME": names, "ID": list(range(len(names)))},
                           epsg=epsg, encoding=encoding, keep_cpg=keep_cpg)


def test_cyrillic_dbf_without_cpg_is_read_as_cp1251(tmp_path):
    shp = _points(tmp_path, "bg", BULGARIAN, encoding="cp1251", keep_cpg=False)
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=None)
    assert choice.encoding == "cp1251"
    assert "no .cpg" in str(choice.reason) and "Cyrillic" in str(choice.reason)


def test_greek_dbf_with_ansi_language_driver_is_read_as_cp1253(tmp_path):
    shp = _points(tmp_path, "gr", GREEK, encoding="cp1253", keep_cpg=False)
    set_ldid(shp, 0x57)  # "ANSI": says nothing about which
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=None)
    assert choice.encoding == "cp1253"


def test_language_driver_byte_is_honoured(tmp_path):
    shp = _points(tmp_path, "gr", GREEK, encoding="cp1253", keep_cpg=False)
    set_ldid(shp, 0xCB)
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=None)
    assert choice.encoding == "cp1253"
    assert "0xCB" in str(choice.reason)


def test_a_wrong_cpg_is_overruled_by_the_bytes(tmp_path):
    shp = _points(tmp_path, "bg", BULGARIAN, encoding="cp1251", keep_cpg=False)
    cpg = shp.with_suffix(".cpg")
    cpg.write_text("1252")
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=cpg)
    assert choice.encoding == "cp1251"
    assert "'1252'" in str(choice.reason) and "but" in str(choice.reason)


def test_a_utf8_cpg_on_non_utf8_text_is_overruled(tmp_path):
    shp = _points(tmp_path, "gr", GREEK, encoding="cp1253", keep_cpg=False)
    cpg = shp.with_suffix(".cpg")
    cpg.write_text("UTF-8")
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=cpg)
    assert choice.encoding == "cp1253"
    assert "not valid utf-8" in str(choice.reason)


def test_a_right_cpg_is_honoured(tmp_path):
    shp = _points(tmp_path, "fr", FRENCH, encoding="cp1252", keep_cpg=False)
    cpg = shp.with_suffix(".cpg")
    cpg.write_text("ANSI 1252")
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=cpg)
    assert choice.encoding == "cp1252"
    assert str(choice.reason) == "the .cpg file says 'ANSI 1252'"


def test_explicit_encoding_wins(tmp_path):
    shp = _points(tmp_path, "bg", BULGARIAN, encoding="cp1251", keep_cpg=True)
    # Any encoding that can read the bytes wins, however odd the text it gives.
    choice = choose_dbf_encoding(dbf=shp.with_suffix(".dbf"), cpg=shp.with_suffix(".cpg"),
                                 explicit="cp1252")
    assert choice.encoding == "cp1252" and "--encoding" in str(choice.reason)


@pytest.mark.django_db
def test_imported_cyrillic_and_greek_names_are_in_their_scripts(tmp_path, partners):
    bg = _points(tmp_path / "bg", "sz", BULGARIAN, encoding="cp1251", keep_cpg=False)
    gr = _points(tmp_path / "gr", "lar", GREEK, encoding="cp1253", keep_cpg=False,
                 epsg=2100, lonlats=[(22.41 + i * 0.01, 39.64) for i in range(3)])
    set_ldid(gr, 0x57)
    r1 = run_import(ImportRequest(path=bg, partner=partners["stara-zagora"], layer_slug="sz-poi",
                                  kind="attractions"))
    r2 = run_import(ImportRequest(path=gr, partner=partners["larissa"], layer_slug="lar-poi",
                                  kind="attractions"))
    assert r1.encoding == "cp1251" and r2.encoding == "cp1253"
    assert sorted(Attraction.objects.filter(layer__slug="sz-poi").values_list(
        "name_bg", flat=True)) == sorted(BULGARIAN)
    assert sorted(Attraction.objects.filter(layer__slug="lar-poi").values_list(
        "name_el", flat=True)) == sorted(GREEK)
    assert r1.run.encoding_reason.startswith("no .cpg")
