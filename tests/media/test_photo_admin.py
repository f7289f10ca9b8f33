"""Photos through the admin: an attraction's editors add, caption and remove its photos;
another partner's editors and non-staff members reach none; a bad file is a form error
and nothing is stored. An attraction's hours are checked by the one validator."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.models import Licence, MediaItem
from tests.factories import make_attraction, make_layer, make_partner, make_person
from tests.media.images import PHOTO_INLINE, jpeg, png, png_claiming

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    layer = make_layer(sz)
    forum = make_attraction(layer, 25.6257, 42.4258, name_en="Augusta Traiana forum")
    return {"sz": sz, "lar": lar, "layer": layer, "forum": forum}


def form(world, upload=None, *, hours: str = "", **photo) -> dict:
    data = {"layer": world["layer"].pk, "category": "museum", "name_en": "Augusta Traiana forum",
            "location": '{"type": "Point", "coordinates": [25.6257, 42.4258]}',
            "properties": "{}", "opening_hours": hours,
            f"{PHOTO_INLINE}-TOTAL_FORMS": "1" if upload else "0",
            f"{PHOTO_INLINE}-INITIAL_FORMS": "0"}
    if upload is not None:
        data.update({f"{PHOTO_INLINE}-0-upload": upload,
                     f"{PHOTO_INLINE}-0-author": "Ivana P.",
                     f"{PHOTO_INLINE}-0-licence": Licence.CC_BY_SA,
                     f"{PHOTO_INLINE}-0-caption_bg": "Форумът",
                     f"{PHOTO_INLINE}-0-position": "0", **photo})
    return data


def change_url(world) -> str:
    return reverse("admin:layers_attraction_change", args=[world["forum"].pk])


def stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_editor_adds_a_photo_to_their_attraction(client, world, media_root):
    client.force_login(make_person(world["sz"], "editors"))
    upload = SimpleUploadedFile("forum.jpg", jpeg(gps=True), content_type="image/jpeg")
    answer = client.post(change_url(world), form(world, upload))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    photo = world["forum"].photos.get()
    assert (photo.author, photo.licence, photo.caption_bg) == ("Ivana P.", "CC-BY-SA-4.0",
                                                               "Форумът")
    assert (media_root / photo.original).is_file() and len(photo.renditions) == 3
    page = client.get(change_url(world))
    assert photo.url("160") in page.content.decode()


@pytest.mark.parametrize("data, declared, words", [
    (png(), "image/jpeg", "its bytes are image/png"),
    (b"MZ\x90\x00 a program", "image/jpeg", "not an image"),
    (png_claiming(9000, 9000), "image/png", "decompression bomb"),
])
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(client, world, media_root, data,
                                                          declared, words):
    client.force_login(make_person(world["sz"], "editors"))
    upload = SimpleUploadedFile("x.jpg", data, content_type=declared)
    answer = client.post(change_url(world), form(world, upload))
    assert answer.status_code == 200
    assert words in answer.content.decode()
    assert MediaItem.objects.count() == 0 and stored(media_root) == []


def test_a_file_over_the_byte_cap_is_a_form_error(client, world, media_root, settings):
    settings.ATLAS_MEDIA_MAX_IMAGE_BYTES = 2000
    client.force_login(make_person(world["sz"], "editors"))
    upload = SimpleUploadedFile("big.jpg", jpeg(1600, 1200), content_type="image/jpeg")
    answer = client.post(change_url(world), form(world, upload))
    assert answer.status_code == 200 and "at most" in answer.content.decode()
    assert MediaItem.objects.count() == 0 and stored(media_root) == []


@pytest.mark.parametrize("role, partner", [("editors", "lar"), ("members", "sz"),
                                           ("moderators", "sz")])
def test_others_add_no_photo(client, world, media_root, role, partner):
    client.force_login(make_person(world[partner], role))
    upload = SimpleUploadedFile("forum.jpg", jpeg(), content_type="image/jpeg")
    answer = client.post(change_url(world), form(world, upload))
    assert answer.status_code in (302, 403, 404)
    assert MediaItem.objects.count() == 0 and stored(media_root) == []


def test_an_anonymous_visitor_adds_no_photo(client, world, media_root):
    upload = SimpleUploadedFile("forum.jpg", jpeg(), content_type="image/jpeg")
    client.post(change_url(world), form(world, upload))
    assert MediaItem.objects.count() == 0 and stored(media_root) == []


def test_hours_that_do_not_parse_are_refused_with_a_hint(client, world):
    client.force_login(make_person(world["sz"], "editors"))
    answer = client.post(change_url(world), form(world, hours="Tu-Sx 9-17"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "OpenStreetMap" in html and "Mo-Fr 09:00-17:00" in html
    world["forum"].refresh_from_db()
    assert world["forum"].opening_hours == ""
    answer = client.post(change_url(world), form(world, hours="Tu-Su 09:00-17:00; PH off"))
    assert answer.status_code == 302
    world["forum"].refresh_from_db()
    assert world["forum"].opening_hours == "Tu-Su 09:00-17:00; PH off"


def test_hours_are_refused_in_the_editors_language(client, world):
    client.force_login(make_person(world["sz"], "editors"))
    answer = client.post(change_url(world) + "?lang=fr", form(world, hours="Tu-Sx 9-17"),
                         HTTP_ACCEPT_LANGUAGE="fr")
    assert "syntaxe d’OpenStreetMap" in answer.content.decode()


def test_deleting_the_attraction_deletes_its_photos_and_files(client, world, media_root,
                                                             django_capture_on_commit_callbacks):
    client.force_login(make_person(world["sz"], "editors"))
    upload = SimpleUploadedFile("forum.jpg", jpeg(), content_type="image/jpeg")
    client.post(change_url(world), form(world, upload))
    assert stored(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        world["forum"].delete()
    assert MediaItem.objects.count() == 0 and stored(media_root) == []
