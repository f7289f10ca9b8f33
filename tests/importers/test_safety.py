"""Hostile input is refused before work starts, writes nothing, and stays small in memory."""

from __future__ import annotations

import resource
import stat
import zipfile

import pytest
import shapely
from django.test import override_settings

from importers.exceptions import Refused
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer
from tests.importers.builders import gpx, write_shapefile

pytestmark = pytest.mark.django_db


def _import(path, partner, kind="attractions"):
    return run_import(ImportRequest(path=path, partner=partner, layer_slug="hostile", kind=kind))


def _assert_nothing_written():
    assert not Attraction.objects.exists()
    assert not Layer.objects.filter(slug="hostile").exists()


def _shapefile_members(tmp_path):
    shp = write_shapefile(tmp_path / "src", "ok", [shapely.Point(5.0, 44.7)], {"NOM": ["Crest"]},
                          epsg=4326)
    return {m.name: m.read_bytes() for m in shp.parent.iterdir()}


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_zip_bomb_is_refused_before_inflating(tmp_path, partners):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _shapefile_members(tmp_path).items():
            zf.writestr(name, data)
        # 300 MiB of zeros compress to about 300 KiB.
        with zf.open("padding.dbf", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                entry.write(chunk)
    assert bomb.stat().st_size < 2 * 2**20
    before = _peak_rss_mib()
    with pytest.raises(Refused, match=r"inflates .*-fold .* zip bomb"):
        _import(bomb, partners["drome"])
    assert _peak_rss_mib() - before < 100  # nothing was inflated into memory
    _assert_nothing_written()
    assert ImportRun.objects.get().status == "failed"


@override_settings(ATLAS_IMPORT_MAX_UNPACKED_BYTES=10_000)
def test_archive_unpacking_beyond_the_limit_is_refused(tmp_path, partners):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for name, data in _shapefile_members(tmp_path).items():
            zf.writestr(name, data)
        zf.writestr("notes.txt", b"x" * 20_000)
    with pytest.raises(Refused, match=r"unpacks to .* the limit is"):
        _import(archive, partners["drome"])
    _assert_nothing_written()


@pytest.mark.parametrize("evil_name", ["../../etc/ok.shp", "/tmp/ok.shp", "C:/win/ok.shp",
                                       "a/../../ok.shp"])
def test_entries_escaping_the_archive_are_refused(tmp_path, partners, evil_name):
    archive = tmp_path / "traversal.zip"
    members = _shapefile_members(tmp_path)
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr(evil_name, members["ok.shp"])
    with pytest.raises(Refused, match="points outside the archive"):
        _import(archive, partners["drome"])
    assert not (tmp_path.parent / "ok.shp").exists()
    _assert_nothing_written()


def test_symbolic_links_in_archives_are_refused(tmp_path, partners):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in _shapefile_members(tmp_path).items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo("secret.dbf")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(Refused, match="symbolic link"):
        _import(archive, partners["drome"])
    _assert_nothing_written()


def test_archives_without_a_shapefile_are_refused(tmp_path, partners):
    archive = tmp_path / "junk.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("setup.exe", b"MZ" + b"\0" * 100)
        zf.writestr("readme.txt", b"hello")
    with pytest.raises(Refused, match="holds no shapefile"):
        _import(archive, partners["drome"])
    _assert_nothing_written()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, partners):
    fake = tmp_path / "layer.zip"
    fake.write_bytes(b"<html>not a zip</html>")
    with pytest.raises(Refused, match="not a zip archive"):
        _import(fake, partners["drome"])


def test_a_truncated_shapefile_is_refused(tmp_path, partners):
    shp = write_shapefile(tmp_path, "cut", [shapely.Point(5.0 + i / 100, 44.7) for i in range(50)],
                          {"NOM": [f"p{i}" for i in range(50)]}, epsg=4326)
    data = shp.read_bytes()
    shp.write_bytes(data[: len(data) // 2])
    with pytest.raises(Refused, match=r"cut\.shp: the \.shp is truncated: its header says"):
        _import(shp, partners["drome"])
    _assert_nothing_written()


@override_settings(ATLAS_IMPORT_MAX_FILE_BYTES=1000)
def test_files_over_the_size_limit_are_refused(tmp_path, partners):
    big = tmp_path / "big.gpx"
    big.write_text(gpx("<wpt lat='44.7' lon='5.0'><name>x</name></wpt>" * 100))
    with pytest.raises(Refused, match=r"big\.gpx: the file is .* the limit is"):
        _import(big, partners["drome"])
    _assert_nothing_written()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="44.7" lon="5.0"><name>&lol9;</name></wpt>
</gpx>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>
<Point><coordinates>5.0,44.7</coordinates></Point></Placemark></kml>"""


@pytest.mark.parametrize(("name", "text"), [("laughs.gpx", BILLION_LAUGHS),
                                            ("xxe.kml", EXTERNAL_ENTITY),
                                            ("laughs.kml", BILLION_LAUGHS.replace("gpx", "kml"))])
def test_xml_entities_are_refused(tmp_path, partners, name, text):
    path = tmp_path / name
    path.write_text(text)
    before = _peak_rss_mib()
    with pytest.raises(Refused, match=f"{name}: XML with a DTD or entity declarations"):
        _import(path, partners["drome"])
    assert _peak_rss_mib() - before < 50
    _assert_nothing_written()


def test_impossible_coordinates_are_rejected_by_row(tmp_path, partners):
    path = tmp_path / "far.gpx"
    path.write_text(gpx('<wpt lat="44.7" lon="5.0"><name>ok</name></wpt>'
                        '<wpt lat="95.0" lon="5.0"><name>north of the pole</name></wpt>'))
    with pytest.raises(Exception) as exc:  # gpxpy refuses, or our range check does
        _import(path, partners["drome"])
    assert "far.gpx" in str(exc.value) or "far.gpx" in str(getattr(exc.value, "issues", [""])[0])
    _assert_nothing_written()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig",
                                      "utf-32"])
def test_xml_entities_are_refused_in_any_encoding(tmp_path, partners, encoding):
    # Trust D18: BOM-less UTF-16 was read as UTF-8, where "<!DOCTYPE" never appears.
    path = tmp_path / "laughs.gpx"
    path.write_bytes(BILLION_LAUGHS.replace('"1.0"?>', f'"1.0" encoding="{encoding}"?>', 1)
                     .encode(encoding))
    with pytest.raises(Refused, match=r"laughs\.gpx: XML with a DTD or entity declarations"):
        _import(path, partners["drome"])
    _assert_nothing_written()
