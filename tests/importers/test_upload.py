"""The upload page and the import API, as a partner's editor uses them."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
import shapely
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from importers.models import ImportRun
from layers.models import Attraction, Layer
from tests.factories import (
    make_token,
    open_preview,
    run_queued_imports,
    run_queued_previews,
    run_queued_undos,
)
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

NAMES = ["Античен форум", "Неолитни жилища", "Зоопарк"]


@pytest.fixture
def editor(partners):
    user = User.objects.create_user("ivana", password="pw", is_staff=True)
    user.groups.add(partners["stara-zagora"].editors)
    return user


@pytest.fixture
def zipped(tmp_path):
    shp = write_shapefile(tmp_path / "src", "sites",
                          [shapely.Point(25.62 + i / 100, 42.42) for i in range(3)],
                          {"IME": NAMES, "ID": [1, 2, 3]}, epsg=4326, encoding="cp1251",
                          keep_cpg=False)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, f"sites/{member.name}")
    return buf.getvalue()


def _form(partner, data: bytes, **extra):
    return {"file": SimpleUploadedFile("sites.zip", data, "application/zip"),
            "partner": partner.pk, "layer": "sz-sites", "kind": "attractions", **extra}


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/import/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_users_who_edit_no_partner_are_refused(client, partners):
    client.force_login(User.objects.create_user("nobody", password="pw"))
    assert client.get("/import/").status_code == 403


def test_upload_preview_confirm_report(client, editor, partners, zipped):
    client.force_login(editor)
    page = client.get("/import/").content.decode()
    assert 'name="file"' in page and "Stara Zagora" in page and "Larissa" not in page

    response = client.post("/import/", _form(partners["stara-zagora"], zipped))
    assert response.status_code == 302
    preview_url = response["Location"]
    waiting = client.get(preview_url).content.decode()  # the worker reads the file
    assert "Queued: waiting for the import worker" in waiting and "cp1251" not in waiting
    run_queued_previews()
    preview = client.get(preview_url).content.decode()
    assert "cp1251" in preview and "EPSG:4326" in preview
    assert "name_bg ← IME" in preview
    assert "Античен форум" in preview  # sample rows
    assert "/static/vendor/leaflet/leaflet.js" in preview  # the small map, served locally
    assert not Attraction.objects.exists()  # nothing written by the preview

    response = client.post(preview_url, {"confirm": "1"})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == f"/import/runs/{run.pk}/"
    assert run.status == "queued"  # the worker imports it (tests/importers/test_jobs.py)
    run_queued_imports()
    run.refresh_from_db()
    assert sorted(Attraction.objects.values_list("name_bg", flat=True)) == sorted(NAMES)
    assert run.user == editor
    report = client.get(response["Location"]).content.decode()
    assert "Undo this import" in report and run.sha256 in report

    assert client.post(f"/import/runs/{run.pk}/undo/")["Location"] == f"/import/runs/{run.pk}/"
    assert "Undo queued" in client.get(f"/import/runs/{run.pk}/").content.decode()
    run_queued_undos()
    assert not Attraction.objects.exists()
    run.refresh_from_db()
    assert run.status == "undone"


def test_an_editor_cannot_import_into_another_partner(client, editor, partners, zipped):
    client.force_login(editor)
    response = client.post("/import/", _form(partners["larissa"], zipped))
    assert response.status_code == 200  # the form again, with an error
    assert "Select a valid choice" in response.content.decode()
    assert not Layer.objects.exists()


def test_a_refused_file_shows_the_reason_and_writes_nothing(client, editor, partners):
    client.force_login(editor)
    response = client.post("/import/", _form(partners["stara-zagora"], b"not a zip at all"))
    page = open_preview(client, response["Location"])
    assert "This file cannot be imported." in page and "not a zip archive" in page
    assert not Attraction.objects.exists()


@override_settings(ATLAS_IMPORT_MAX_FILE_BYTES=1000)
def test_oversized_uploads_are_refused_from_their_length(client, editor, partners):
    client.force_login(editor)
    big = b"x" * 2_000_000
    response = client.post("/import/", _form(partners["stara-zagora"], big))
    assert response.status_code == 413


def test_api_imports_with_a_token(client, editor, partners, zipped):
    token = make_token(editor)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    dry = client.post("/api/imports/", _form(partners["stara-zagora"], zipped, dry_run="true"),
                      **auth)
    assert dry.status_code == 202, dry.content  # the worker previews it
    assert dry.json()["status"] == "queued"
    assert dry["Location"].startswith("/api/imports/previews/")
    run_queued_previews()
    body = client.get(dry["Location"], **auth).json()
    assert body["dry_run"] is True and body["status"] == "done" and body["features"] == 3
    assert body["encoding"]["name"] == "cp1251" and body["preview"][0]["name_bg"] == NAMES[0]
    assert not Attraction.objects.exists()

    done = client.post("/api/imports/", _form(partners["stara-zagora"], zipped), **auth)
    assert done.status_code == 202, done.content
    run_queued_imports()
    run = client.get(done["Location"], **auth).json()
    assert run["counts"]["created"] == 3 and run["user"] == "ivana"
    assert client.get(f"/api/imports/{run['id']}/", **auth).json()["status"] == "succeeded"
    undone = client.post(f"/api/imports/{run['id']}/undo/", **auth)
    assert undone.status_code == 202 and undone.json()["status"] == "undoing"
    assert Attraction.objects.count() == 3  # the worker undoes it
    run_queued_undos()
    assert client.get(undone["Location"], **auth).json()["status"] == "undone"
    assert not Attraction.objects.exists()


def test_api_refusals_are_recorded_on_the_run_with_the_reason(client, editor, partners):
    auth = {"HTTP_AUTHORIZATION": f"Token {make_token(editor)}"}
    response = client.post("/api/imports/", _form(partners["stara-zagora"], b"junk"), **auth)
    assert response.status_code == 202
    run_queued_imports()
    run = client.get(response["Location"], **auth).json()
    assert run["status"] == "failed" and "not a zip archive" in run["error"]


def test_api_needs_a_token_and_a_partner_of_ones_own(client, editor, partners, zipped):
    assert client.post("/api/imports/", _form(partners["stara-zagora"], zipped)
                       ).status_code == 401
    token = make_token(editor)
    response = client.post("/api/imports/", _form(partners["larissa"], zipped),
                           HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403


def _age(folder, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(folder, (then, then))


def test_uploads_left_unconfirmed_are_purged(client, editor, partners, zipped, tmp_path):
    """A preview the editor walked away from loses its file after ATLAS_UPLOAD_TTL_HOURS:
    the next upload purges it, and coming back to it says what happened."""
    client.force_login(editor)
    with override_settings(ATLAS_UPLOAD_DIR=str(tmp_path / "uploads"),
                           ATLAS_UPLOAD_TTL_HOURS=24):
        first = client.post("/import/", _form(partners["stara-zagora"], zipped))["Location"]
        stale = tmp_path / "uploads" / first.rstrip("/").split("/")[-1]
        assert stale.is_dir()
        _age(stale, 25)
        second = client.post("/import/", _form(partners["stara-zagora"], zipped))["Location"]
        fresh = tmp_path / "uploads" / second.rstrip("/").split("/")[-1]
        assert not stale.exists() and fresh.is_dir()

        response = client.get(first)
        assert response.status_code == 410
        assert "waited more than 24 hours" in response.content.decode()
        assert 'name="file"' in response.content.decode()  # the form, to upload it again
        assert client.get(second).status_code == 200  # the other one still waits
        assert not Attraction.objects.exists()


def test_purge_uploads_command_deletes_only_old_uploads(tmp_path):
    uploads = tmp_path / "uploads"
    old, young = uploads / ("a" * 32), uploads / ("b" * 32)
    keep = uploads / "not-an-upload"
    for folder in (old, young, keep):
        folder.mkdir(parents=True)
        (folder / "f.zip").write_bytes(b"x")
    _age(old, 30)
    _age(keep, 300)
    out = io.StringIO()
    with override_settings(ATLAS_UPLOAD_DIR=str(uploads)):
        call_command("purge_uploads", "--hours", "24", stdout=out)
    assert "1 upload(s)" in out.getvalue()
    assert not old.exists() and young.exists() and keep.exists()


# --- in the reader's language ----------------------------------------------------------

def _zip_of(shp) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, member.name)
    return buf.getvalue()


@pytest.fixture
def untidy(tmp_path):
    """A cp1251 shapefile without .cpg: one row without a name, one unknown category."""
    shp = write_shapefile(tmp_path / "untidy", "sites",
                          [shapely.Point(25.62 + i / 100, 42.42) for i in range(3)],
                          {"IME": ["Античен форум", "", "Зоопарк"], "VID": ["museum", "zoo",
                                                                            "xyz"],
                           "ID": [1, 2, 3]}, epsg=4326, encoding="cp1251", keep_cpg=False)
    return _zip_of(shp)


def test_the_preview_gives_its_reasons_in_bulgarian(client, editor, partners, untidy):
    client.force_login(editor)
    response = client.post("/import/?lang=bg", _form(partners["stara-zagora"], untidy))
    page = open_preview(client, response["Location"])  # the language is remembered
    assert ("cp1251 — няма .cpg и заглавната част на DBF не посочва кодова таблица; "
            "байтовете се четат като текст на кирилица в cp1251") in page
    assert "EPSG:4326 (WGS 84) — от файла .prj" in page
    assert "предупреждение: sites.zip/sites.shp, слой sites, редове 2, name: няма име на нито " \
           "един език" in page
    assert "не е позната стойност за „категория“" in page
    assert "the bytes read as" not in page and "no name in any language" not in page


def test_a_report_is_read_in_the_readers_language_not_the_importers(client, editor, partners,
                                                                   untidy):
    client.force_login(editor)
    preview = client.post("/import/?lang=fr", _form(partners["stara-zagora"], untidy))
    client.post(preview["Location"], {"confirm": "1"})
    run_queued_imports()
    run = ImportRun.objects.get()
    # Kept in English for the command line and the admin, with the messages beside.
    assert run.crs_reason == "from the .prj file"
    assert {i["field"]: i["reason"] for i in run.issues}["name"] == "no name in any language"

    report = client.get(f"/import/runs/{run.pk}/?lang=el").content.decode()
    assert "EPSG:4326 (WGS 84) — από το αρχείο .prj" in report
    assert ("δεν υπάρχει .cpg ούτε κωδικοσελίδα στην κεφαλίδα του DBF· τα byte διαβάζονται "
            "ως κυριλλικό κείμενο σε cp1251") in report
    assert "<td>προειδοποίηση</td>" in report
    assert "χωρίς όνομα σε καμία γλώσσα" in report
    assert "δεν είναι γνωστή τιμή για «κατηγορία»" in report
    assert "Αναίρεση αυτής της εισαγωγής" in report


def test_a_refusal_without_prj_is_explained_in_greek(client, editor, partners, tmp_path):
    shp = write_shapefile(tmp_path / "noprj", "noprj", [shapely.Point(25.62, 42.42)],
                          {"IME": ["Форум"]}, epsg=None)
    client.force_login(editor)
    response = client.post("/import/", _form(partners["stara-zagora"], _zip_of(shp)))
    page = open_preview(client, response["Location"] + "?lang=el")
    assert "Αυτό το αρχείο δεν μπορεί να εισαχθεί." in page
    assert ("sites.zip/noprj.shp: το αρχείο δεν δηλώνει το σύστημα συντεταγμένων του (δεν "
            "υπάρχει .prj)· δώστε το με --srs EPSG:n· οι συντεταγμένες του εκτείνονται σε "
            "x 25.62..25.62, y 42.42..42.42· αυτά τα συστήματα θα τοποθετούσαν τα δεδομένα "
            "μέσα στην περιοχή") in page
    assert "EPSG:4326 (WGS 84)" in page


def test_api_refusals_and_reports_speak_the_language_asked_for(client, editor, partners,
                                                               untidy):
    token = make_token(editor)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    junk = client.post("/api/imports/", _form(partners["stara-zagora"], b"junk"), **auth)
    assert junk.status_code == 202
    run_queued_imports()
    assert client.get(junk["Location"], HTTP_ACCEPT_LANGUAGE="fr", **auth).json()["error"] == \
        "sites.zip : ce n’est pas une archive zip, ou elle est tronquée"

    queued = client.post("/api/imports/", _form(partners["stara-zagora"], untidy), **auth)
    run_queued_imports()
    done = client.get(queued["Location"], **auth).json()
    assert done["crs"]["reason"] == "from the .prj file"  # no language asked for: English
    report = client.get(f"/api/imports/{done['id']}/", {"lang": "bg"}, **auth).json()
    assert report["crs"]["reason"] == "от файла .prj"
    unnamed = next(i for i in report["issues"] if i["field"] == "name")
    assert unnamed["reason"] == "няма име на нито един език"
    assert unnamed["severity"] == "warning"  # a code, for scripts


def test_runs_from_before_messages_were_kept_show_their_english_text(partners):
    run = ImportRun.objects.create(
        layer_slug="old", status="failed", started_at="2026-01-01T00:00Z", file_name="old.zip",
        sha256="0" * 64, file_size=1, encoding_reason="", crs_reason="",
        error="old.zip: not a zip archive, or a truncated one",
        issues=[{"file": "old.shp", "layer": "old", "row": 2, "field": "geometry",
                 "reason": "no geometry (null or empty)", "severity": "error"}])
    with translation.override("bg"):
        texts = run.translated()
    assert texts["error"] == "old.zip: not a zip archive, or a truncated one"
    assert texts["issues"][0]["reason"] == "no geometry (null or empty)"
    assert texts["issues"][0]["severity_label"] == "грешка"


def test_the_preview_counts_and_refuses_as_the_import_would(client, editor, partners, zipped):
    """The web preview is a dry run: the counts of the real import, and its refusals."""
    client.force_login(editor)
    client.post(client.post("/import/", _form(partners["stara-zagora"], zipped))["Location"],
                {"confirm": "1"})
    run_queued_imports()
    again = open_preview(client, client.post(
        "/import/", _form(partners["stara-zagora"], zipped))["Location"])
    assert "What the import would do" in again
    # read 3, created 0, updated 0, unchanged 3, skipped 0, left out 0, retired 0
    assert "<td>3</td><td>0</td><td>0</td><td>3</td><td>0</td><td>0</td><td>0</td>" in again
    trails = open_preview(client, client.post("/import/", _form(
        partners["stara-zagora"], zipped, kind="trails"))["Location"])
    assert "This file cannot be imported." in trails
    assert "holds attractions, not trails" in trails
    assert ImportRun.objects.count() == 1
