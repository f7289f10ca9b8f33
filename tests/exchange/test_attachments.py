"""Documents and images attached to practices and study visits: the type told by the
bytes, lies and bombs refused with a clear message and nothing stored, photos without
their location, thumbnails, caption and licence; served as the practice is shown."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from exchange.attachments import attachment_upload
from exchange.visits import VisitSpec, visit_create
from geo.errors import InvalidFields, TooLarge
from media.documents import DOCX, ODT
from media.models import MediaItem
from tests.exchange.conftest import publish, write_practice
from tests.exchange.documents import docx, odt, pdf, plain_zip, zip_bomb
from tests.media.images import jpeg, png


@pytest.fixture
def practice(world):
    return publish(world, write_practice(world))


def attach(world, owner, data, declared, filename="file", **kw):
    return attachment_upload(user=world.sl_member, owner=owner, data=data,
                             declared_type=declared, filename=filename,
                             author=kw.pop("author", "Ana Petrova"),
                             licence=kw.pop("licence", "CC-BY-4.0"), **kw)


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize("maker, declared, mime", [
    (pdf, "application/pdf", "application/pdf"), (odt, ODT, ODT), (docx, DOCX, DOCX),
    (pdf, "application/octet-stream", "application/pdf")])
def test_a_document_is_kept_with_its_type_found_in_its_bytes(world, practice, media_root,
                                                             maker, declared, mime):
    item = attach(world, practice, maker(), declared, filename="../../report.x",
                  caption="Final report")
    assert (item.kind, item.mime_type, item.filename) == ("document", mime, "report.x")
    response = Client().get(item.url())
    assert response.status_code == 200 and response["Content-Type"] == mime
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == maker()


def test_a_photo_loses_its_location_and_gets_thumbnails(world, practice, media_root):
    item = attach(world, practice, jpeg(gps=True), "image/jpeg", caption="Opening night")
    assert item.kind == "image" and set(item.renditions) == {"160", "480", "1200"}
    kept = Image.open(media_root / item.original)
    assert 0x8825 not in kept.getexif()  # no GPS block
    body = Client().get(f"/api/practices/{practice.uid}/attachments/").json()
    assert body[0]["caption"] == "Opening night" and body[0]["thumbnail"].endswith("/160")


@pytest.mark.parametrize("data, declared, words", [
    (b"MZ\x90\x00 an executable", "application/pdf", "not a PDF, ODT or DOCX"),
    (pdf(), DOCX, "its bytes are PDF"),
    (odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"), ODT, "not a PDF"),
    (docx(main="application/xml"), DOCX, "not a PDF"),
    (plain_zip(), "application/zip", "not a PDF"),
    (b"%PDF-1.4 cut short", "application/pdf", "not a PDF"),
    (png(), "image/jpeg", "its bytes are image/png"),
])
def test_a_file_that_lies_is_refused_and_nothing_is_stored(world, practice, media_root, data,
                                                           declared, words):
    with pytest.raises(InvalidFields) as refused:
        attach(world, practice, data, declared)
    assert words in str(refused.value.fields["file"][0])
    assert not MediaItem.objects.exists() and stored_files(media_root) == []


def test_a_zip_bomb_is_refused_before_it_is_inflated(world, practice, media_root, settings):
    settings.ATLAS_MEDIA_MAX_UNPACKED_BYTES = 4 * 2**20
    with pytest.raises(InvalidFields) as refused:
        attach(world, practice, zip_bomb(megabytes=6), DOCX)
    assert "archive bomb" in str(refused.value.fields["file"][0])
    assert not MediaItem.objects.exists() and stored_files(media_root) == []


def test_a_bomb_under_the_total_cap_is_refused_by_its_ratio(world, practice, media_root):
    with pytest.raises(InvalidFields):
        attach(world, practice, zip_bomb(megabytes=3), DOCX)
    assert not MediaItem.objects.exists()


def test_too_large_a_document_is_refused(world, practice, media_root, settings):
    settings.ATLAS_MEDIA_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(TooLarge):
        attach(world, practice, pdf("x" * 500), "application/pdf")
    assert stored_files(media_root) == []


def test_the_refusal_is_in_the_readers_language(world, practice, media_root):
    client = Client()
    client.force_login(world.sl_member)
    response = client.post(f"/api/practices/{practice.uid}/attachments/?lang=bg", {
        "file": SimpleUploadedFile("r.pdf", b"not at all", "application/pdf"),
        "author": "Ana", "licence": "CC-BY-4.0"}, HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 400
    with translation.override("bg"):
        assert "PDF, ODT или DOCX" in response.json()["fields"]["file"][0]
    page = client.post(f"/practices/{practice.uid}/attach/", {
        "file": SimpleUploadedFile("r.pdf", b"not at all", "application/pdf"),
        "author": "Ana", "licence": "CC-BY-4.0"})
    assert page.status_code == 400 and "Nothing was stored" in page.content.decode()
    assert not MediaItem.objects.exists()


def test_credits_are_required(world, practice, media_root):
    with pytest.raises(InvalidFields) as refused:
        attach(world, practice, pdf(), "application/pdf", author=" ", licence="mine")
    assert set(refused.value.fields) == {"author", "licence"}


def test_a_drafts_attachments_are_not_served(world, media_root):
    draft = write_practice(world)
    item = attach(world, draft, pdf(), "application/pdf")
    assert Client().get(item.url()).status_code == 404


def test_a_visit_gets_its_report_and_photos(world, media_root):
    visit = visit_create(user=world.dr_member, spec=VisitSpec(
        title="Drôme in Sliven", host="sliven", visitors=["drome"],
        start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 2)))
    attach(world, visit, pdf(), "application/pdf", caption="Report")
    attach(world, visit, jpeg(), "image/jpeg", caption="At the museum")
    page = Client().get(f"/practices/visits/{visit.uid}/?lang=en").content.decode()
    assert "Report" in page and "At the museum" in page
    image = io.BytesIO(b"".join(Client().get(
        MediaItem.objects.get(caption="At the museum").url("160")).streaming_content))
    assert max(Image.open(image).size) == 160
