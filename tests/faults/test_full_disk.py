"""A full disk during an upload (Trust D17, its last item): the upload is refused with a
message that says so, not a 500, and no partial file is left behind to fill the disk
further.

The disk is real: the upload folder (ATLAS_UPLOAD_DIR) is a
tmpfs of 1 MiB, and the file is larger. Mounting needs root (CI runs as root); elsewhere
the tests skip, saying why.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from importers.models import ImportRun
from layers.models import Layer, Partner
from tests.factories import make_partner
from tests.importers.builders import write_shapefile

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

MIB = 2**20


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A filesystem of 1 MiB, mounted for the test."""
    if os.geteuid() != 0:
        pytest.skip("a 1 MiB tmpfs is mounted as root (CI runs as root); not root here")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {out.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=True)


@pytest.fixture
def partner(db) -> Partner:
    return make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9), country="BG",
                        languages=["bg", "en"])


@pytest.fixture
def editor(partner: Partner) -> User:
    user = User.objects.create_user("ivana", password="pw", is_staff=True)
    user.groups.add(partner.editors)
    return user


def _small_zip(tmp_path: Path) -> bytes:
    shp = write_shapefile(tmp_path / "src", "sites",
                          [shapely.Point(25.62 + i / 100, 42.42) for i in range(3)],
                          {"NAME": ["Forum", "Dwellings", "Zoo"], "ID": [1, 2, 3]}, epsg=4326)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, f"sites/{member.name}")
    return buf.getvalue()


def _form(partner: Partner, data: bytes, name: str = "sites.zip") -> dict:
    return {"file": SimpleUploadedFile(name, data, "application/zip"), "partner": partner.pk,
            "layer": "sz-sites", "kind": "attractions"}


def _files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# Under 2 MiB an upload is held in memory until it is kept; over it Django streams it to a
# temporary file first (FILE_UPLOAD_MAX_MEMORY_SIZE): both paths meet the full disk.
SIZES = {"held in memory": int(1.5 * MIB), "streamed to a temporary file": 3 * MIB}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_a_full_upload_folder_refuses_the_upload_and_keeps_no_part_of_it(
        client, editor, partner, small_disk, tmp_path, size):
    uploads = small_disk / "uploads"
    client.force_login(editor)
    with override_settings(ATLAS_UPLOAD_DIR=str(uploads)):
        response = client.post("/import/", _form(partner, os.urandom(size)))
        assert response.status_code == 507
        page = response.content.decode()
        assert "no room" in page
        assert 'name="file"' in page  # the form, to try again
        assert _files_in(small_disk) == []
        # The space is free again: a small file is kept and previewed.
        response = client.post("/import/", _form(partner, _small_zip(tmp_path)))
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
    assert not Layer.objects.exists() and not ImportRun.objects.exists()


def test_a_full_upload_folder_is_a_507_through_the_api(client, editor, partner, small_disk):
    uploads = small_disk / "uploads"
    client.force_login(editor)
    with override_settings(ATLAS_UPLOAD_DIR=str(uploads)):
        response = client.post("/api/imports/", _form(partner, os.urandom(int(1.5 * MIB))))
    assert response.status_code == 507
    assert "no room" in response.json()["error"]
    assert _files_in(small_disk) == []
    assert not Layer.objects.exists() and not ImportRun.objects.exists()



def _csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the upload page carries its CSRF token"
    return found.group(1)


def test_a_full_temporary_folder_refuses_the_upload_and_keeps_no_part_of_it(
        editor, partner, small_disk, tmp_path):
    """Django streams an upload over 2 MiB to FILE_UPLOAD_TEMP_DIR while it reads the
    request, before the view runs: in the CSRF check, as a browser's form is checked
    (hence a client that enforces it). That disk full is a 507 too, with nothing left."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    with override_settings(ATLAS_UPLOAD_DIR=str(tmp_path / "uploads"),
                           FILE_UPLOAD_TEMP_DIR=str(small_disk)):
        token = _csrf_token(client.get("/import/").content.decode())
        response = client.post("/import/", {"csrfmiddlewaretoken": token,
                                            **_form(partner, os.urandom(3 * MIB))})
        assert response.status_code == 507
        assert "no room" in response.content.decode()
        assert _files_in(small_disk) == []
        assert not (tmp_path / "uploads").exists() or _files_in(tmp_path / "uploads") == []

        client.logout()
        api = Client()
        api.force_login(editor)
        response = api.post("/api/imports/", _form(partner, os.urandom(3 * MIB)))
        assert response.status_code == 507
        assert "no room" in response.json()["error"]
        assert _files_in(small_disk) == []
    assert not Layer.objects.exists() and not ImportRun.objects.exists()
