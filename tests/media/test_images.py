"""Uploading photos: what is kept (no location, upright, renditions) and what is refused
with nothing stored (a lying type, too many bytes, a decompression bomb)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from geo.errors import InvalidFields, TooLarge
from media.models import Licence, MediaItem
from media.services import image_add, media_delete
from tests.factories import make_attraction, make_layer, make_partner
from tests.media.images import jpeg, png, png_claiming

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def museum():
    partner = make_partner()
    return make_attraction(make_layer(partner), 25.6, 42.4, name_en="Museum")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def add(owner, data: bytes, declared: str = "image/jpeg", **kw) -> MediaItem:
    values = {"author": "A. Photographer", "licence": Licence.CC_BY, **kw}
    return image_add(owner=owner, data=data, declared_type=declared, **values)


def test_a_photo_keeps_no_location_and_stands_upright(media_root, museum, client):
    # Orientation 6: the camera was turned; the stored picture is turned back.
    item = add(museum, jpeg(640, 480, gps=True, orientation=6),
               captions={"bg": "Музеят", "en": "The museum"})

    assert (item.width, item.height) == (480, 640)
    kept = Image.open(media_root / item.original)
    assert kept.format == "JPEG"
    exif = kept.getexif()
    assert 0x8825 not in exif and 0x0112 not in exif and not exif
    assert b"TestCam" not in (media_root / item.original).read_bytes()
    # Every rendition is WebP and no longer than its size.
    for side, path in item.renditions.items():
        small = Image.open(media_root / path)
        assert small.format == "WEBP" and max(small.size) <= int(side)
    assert sorted(item.renditions, key=int) == ["160", "480", "1200"]

    answer = client.get(item.url("480"))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).size == (360, 480)
    original = client.get(item.url())
    assert original["Content-Type"] == "image/jpeg"
    assert client.get(f"/media/{item.uid}/999").status_code == 404
    assert client.get(f"/media/{item.uid}/..%2F..%2Fsecret-key").status_code == 404


def test_photos_are_kept_in_order_with_captions(media_root, museum):
    first = add(museum, jpeg(), captions={"el": "Το μουσείο"})
    second = add(museum, png(), declared="image/png")
    assert (first.position, second.position) == (0, 1)
    assert second.mime_type == "image/png"
    assert MediaItem.objects.get(pk=first.pk).caption_el == "Το μουσείο"


@pytest.mark.parametrize("data, declared", [
    (png(), "image/jpeg"),  # a PNG that says it is a JPEG
    (jpeg(), "image/png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    (b"%PDF-1.4 not an image", "image/jpeg"),
    (b"GIF89a" + b"\0" * 20, "image/gif"),
])
def test_a_file_that_lies_about_its_type_is_refused_and_nothing_stored(
        media_root, museum, data, declared):
    with pytest.raises(InvalidFields) as refused:
        add(museum, data, declared)
    assert "file" in refused.value.fields
    assert MediaItem.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_lie_names_both_types(media_root, museum):
    with pytest.raises(InvalidFields, match=r"image/jpeg.*image/png"):
        add(museum, png(), "image/jpeg")


def test_too_many_bytes_are_refused_and_nothing_stored(media_root, museum, settings):
    settings.ATLAS_MEDIA_MAX_IMAGE_BYTES = 1000
    with pytest.raises(TooLarge, match="at most"):
        add(museum, jpeg())
    assert MediaItem.objects.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize("size", [(8000, 8000), (100_000, 100_000)])
def test_a_decompression_bomb_is_refused_and_nothing_stored(media_root, museum, size):
    # 64 megapixels is over the cap (40) but under twice it, where Pillow only warns.
    with pytest.raises(InvalidFields, match="decompression bomb"):
        add(museum, png_claiming(*size), "image/png")
    assert MediaItem.objects.count() == 0 and stored_files(media_root) == []


def test_a_photo_needs_its_author_and_licence(media_root, museum):
    with pytest.raises(InvalidFields) as refused:
        add(museum, jpeg(), author=" ", licence="mine")
    assert set(refused.value.fields) == {"author", "licence"}
    assert stored_files(media_root) == []


def test_deleting_a_photo_removes_its_files(media_root, museum, django_capture_on_commit_callbacks):
    item = add(museum, jpeg())
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        media_delete(item=item)
    assert stored_files(media_root) == []


def test_the_photos_of_what_is_not_public_are_not_served(media_root, client):
    from layers.vocabulary import Visibility
    from tests.factories import make_listing

    partner = make_partner()
    hidden = make_attraction(make_layer(partner, visibility=Visibility.PRIVATE), 25.6, 42.4)
    draft = make_listing(25.6, 42.4, status="draft")
    for owner in (hidden, draft):
        item = add(owner, jpeg())
        assert client.get(item.url("160")).status_code == 404
        assert client.get(item.url()).status_code == 404
    published = make_listing(25.61, 42.41)
    assert client.get(add(published, jpeg()).url("160")).status_code == 200
