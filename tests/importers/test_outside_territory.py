"""Features beyond the partner's territory stop an import until the user confirms them.

They were a grey note under the counts: a file in the wrong CRS, or of the wrong partner,
was imported whole. Now nothing is written unless the preview's checkbox is ticked (the
rows are listed beside it), the command line says --allow-outside, or the API is given
allow_outside=true.
"""

from __future__ import annotations

import io
import zipfile
from io import StringIO

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from importers.exceptions import Refused
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer
from tests.factories import (
    make_person,
    make_token,
    open_preview,
    run_queued_imports,
    run_queued_previews,
)
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

# Stara Zagora's rectangle is 24.9–26.3 E, 41.9–42.9 N (tests/importers/conftest.py).
INSIDE = [(25.62, 42.42), (25.63, 42.43), (25.64, 42.44)]
OUTSIDE = [(22.4, 39.6), (4.9, 44.4)]  # Larissa, the Drôme
NAMES = ["Forum", "Neolithic dwellings", "Zoo", "Meteora by mistake", "Grignan by mistake"]


def _shapefile(tmp_path):
    return write_shapefile(tmp_path / "src", "sites",
                           [shapely.Point(p) for p in [*INSIDE, *OUTSIDE]],
                           {"NAME": NAMES, "ID": list(range(1, 6))}, epsg=4326)


def _zipped(tmp_path) -> bytes:
    shp = _shapefile(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, f"sites/{member.name}")
    return buf.getvalue()


def _request(path, partner, **kw):
    return ImportRequest(path=path, partner=partner, layer_slug="sz-sites",
                         kind="attractions", id_field="ID", **kw)


def test_an_import_with_features_outside_stops_and_writes_nothing(tmp_path, partners):
    with pytest.raises(Refused) as exc:
        run_import(_request(_shapefile(tmp_path), partners["stara-zagora"]))
    message = str(exc.value)
    assert "2 of 5 features lie outside the territory of Stara Zagora (rows 4, 5)" in message
    assert "--allow-outside" in message
    assert not Attraction.objects.exists() and not Layer.objects.exists()


def test_confirmed_they_are_imported_with_a_note(tmp_path, partners):
    result = run_import(_request(_shapefile(tmp_path), partners["stara-zagora"],
                                 allow_outside=True))
    assert Attraction.objects.count() == 5
    assert [r["row"] for r in result.outside] == [4, 5]
    assert any("2 of 5 features lie outside" in str(n) for n in result.notes)


def test_a_dry_run_lists_them_without_stopping(tmp_path, partners):
    result = run_import(_request(_shapefile(tmp_path), partners["stara-zagora"],
                                 dry_run=True))
    assert result.outside == [{"row": 4, "name": "Meteora by mistake"},
                              {"row": 5, "name": "Grignan by mistake"}]
    assert not Attraction.objects.exists()


def test_the_command_line_stops_without_allow_outside(tmp_path, partners):
    path = _shapefile(tmp_path)
    args = [str(path), "--partner", "stara-zagora", "--layer", "sz-sites",
            "--kind", "attractions", "--id-field", "ID"]
    with pytest.raises(CommandError, match="2 of 5 features lie outside"):
        call_command("import_layer", *args, stdout=StringIO(), stderr=StringIO())
    assert not Attraction.objects.exists()
    call_command("import_layer", *args, "--allow-outside", stdout=StringIO(),
                 stderr=StringIO())
    assert Attraction.objects.count() == 5


def test_a_real_file_beyond_the_territory_needs_allow_outside(copy_shared, partners):
    # Four counties of Hawaii (shapelib's sample data), nowhere near the Drôme.
    path = copy_shared("shp/shapelib-eg-data/CoHI_GCS12.shp")
    request = ImportRequest(path=path, partner=partners["drome"], layer_slug="real",
                            kind="attractions")
    with pytest.raises(Refused, match="4 of 4 features lie outside the territory of Drome"):
        run_import(request)
    assert not Attraction.objects.exists()
    request.allow_outside = True
    assert run_import(request).counts["created"] == 4


@pytest.fixture
def editor(partners):
    return make_person(partners["stara-zagora"], "editors", username="ivana")


def test_the_preview_lists_the_rows_and_needs_the_box_ticked(client, editor, partners,
                                                             tmp_path):
    client.force_login(editor)
    response = client.post("/import/", {
        "file": SimpleUploadedFile("sites.zip", _zipped(tmp_path), "application/zip"),
        "partner": partners["stara-zagora"].pk, "layer": "sz-sites", "kind": "attractions",
        "id_field": "ID"})
    preview_url = response["Location"]
    page = open_preview(client, preview_url)
    assert "2 features lie outside the territory of Stara Zagora" in page
    assert "Meteora by mistake" in page and "Grignan by mistake" in page
    assert "Import these 2 features outside the territory of Stara Zagora too" in page

    refused = client.post(preview_url, {"confirm": ""})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not ImportRun.objects.exists() and not Attraction.objects.exists()

    confirmed = client.post(preview_url, {"confirm": "", "allow_outside": "1"})
    assert confirmed.status_code == 302
    run_queued_imports()
    assert Attraction.objects.count() == 5
    assert ImportRun.objects.get().options["allow_outside"] is True


def test_the_api_needs_allow_outside(client, editor, partners, tmp_path):
    auth = {"HTTP_AUTHORIZATION": f"Token {make_token(editor)}"}
    data = _zipped(tmp_path)

    def post(**extra):
        return client.post("/api/imports/", {
            "file": SimpleUploadedFile("sites.zip", data, "application/zip"),
            "partner": partners["stara-zagora"].pk, "layer": "sz-sites",
            "kind": "attractions", "id_field": "ID", **extra}, **auth)

    dry = post(dry_run="true")
    assert dry.status_code == 202
    run_queued_previews()
    preview = client.get(dry["Location"], **auth).json()
    assert preview["outside"] == {"count": 2, "rows": [
        {"row": 4, "name": "Meteora by mistake"}, {"row": 5, "name": "Grignan by mistake"}]}

    assert post().status_code == 202
    [run] = run_queued_imports()
    assert run.status == ImportRun.Status.FAILED
    assert not Attraction.objects.exists()
    assert "2 of 5 features lie outside" in client.get(
        f"/api/imports/{run.pk}/", **auth).json()["error"]

    assert post(allow_outside="true").status_code == 202
    [run] = run_queued_imports()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Attraction.objects.count() == 5


def test_an_upload_creates_its_layer_unpublished(client, editor, partners, tmp_path):
    shp = write_shapefile(tmp_path / "own", "own", [shapely.Point(p) for p in INSIDE],
                          {"NAME": NAMES[:3]}, epsg=4326)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, f"own/{member.name}")
    auth = {"HTTP_AUTHORIZATION": f"Token {make_token(editor)}"}
    client.post("/api/imports/", {
        "file": SimpleUploadedFile("own.zip", buf.getvalue(), "application/zip"),
        "partner": partners["stara-zagora"].pk, "layer": "sz-new", "kind": "attractions"},
        **auth)
    run_queued_imports()
    assert Layer.objects.get(slug="sz-new").visibility == "partners"
    assert client.get("/api/attractions/?layer=sz-new").status_code == 400
    assert "Forum" not in client.get("/api/attractions/").content.decode()
