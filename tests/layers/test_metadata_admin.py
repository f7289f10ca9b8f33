"""Who writes a layer's metadata record in the admin: the staff members of its partner's
editors or moderators group, and superusers; nobody else, tried as a matrix (role ×
action) through the admin's own pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from layers.models import LayerMetadata
from tests.factories import make_layer, make_partner, make_person

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "editor", "moderator", "moderator_not_staff", "other_editor",
         "other_moderator", "superuser")
WRITES = {"editor", "moderator", "superuser"}


@pytest.fixture
def world(db):
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    sliven = make_partner("sliven", bbox=(26.0, 42.5, 26.9, 43.1))
    layer = make_layer(sz, slug="sz-museums")
    bare = make_layer(sz, slug="sz-springs")
    record = LayerMetadata.objects.create(layer=layer, keywords_en="museums")
    people = {
        "visitor": None,
        "member": make_person(sz, "members"),
        "editor": make_person(sz, "editors"),
        "moderator": make_person(sz, "moderators", staff=True),
        "moderator_not_staff": make_person(sz, "moderators", username="sz-mod-2"),
        "other_editor": make_person(sliven, "editors"),
        "other_moderator": make_person(sliven, "moderators", staff=True),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }
    return {"layer": layer, "bare": bare, "record": record, "people": people}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(**values: str) -> dict[str, str]:
    return {"keywords_bg": "", "keywords_el": "", "keywords_fr": "", "keywords_en": "",
            "update_frequency": "annually", "contact_name": "", "contact_email": "",
            **values}


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_a_record(world, role):
    client = _client(world["people"][role])
    url = reverse("admin:layers_layermetadata_change", args=[world["layer"].pk])
    page = client.get(url)
    response = client.post(url, _form(keywords_fr="musées, archéologie",
                                      contact_email="gis@example.org"))
    record = LayerMetadata.objects.get(pk=world["layer"].pk)
    if role in WRITES:
        assert page.status_code == 200 and "musées" not in page.content.decode()
        assert response.status_code == 302, response.content.decode()[:2000]
        assert record.keywords_fr == "musées, archéologie"
        assert record.contact_email == "gis@example.org"
        assert record.update_frequency == "annually"
    else:
        assert page.status_code != 200 and response.status_code != 200
        assert record.keywords_fr in ("", None) and record.contact_email == ""


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_a_record_and_for_which_layers(world, role):
    client = _client(world["people"][role])
    url = reverse("admin:layers_layermetadata_add")
    form = client.get(url)
    if role in WRITES:
        # The layers offered: the partner's that have no record yet.
        assert form.status_code == 200
        assert f'<option value="{world["bare"].pk}"' in form.content.decode()
        assert f'<option value="{world["layer"].pk}"' not in form.content.decode()
    response = client.post(url, _form(layer=str(world["bare"].pk), keywords_en="springs"))
    added = LayerMetadata.objects.filter(layer=world["bare"]).first()
    if role in WRITES:
        assert response.status_code == 302 and added and added.keywords_en == "springs"
    else:
        assert added is None


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_the_records(world, role):
    response = _client(world["people"][role]).get(
        "/admin/layers/layermetadata/")
    change = reverse("admin:layers_layermetadata_change", args=[world["layer"].pk])
    if role in WRITES:
        assert response.status_code == 200 and change in response.content.decode()
    else:
        assert response.status_code != 200 or change not in response.content.decode()


def test_nobody_deletes_a_record(world):
    client = _client(world["people"]["superuser"])
    url = reverse("admin:layers_layermetadata_delete", args=[world["layer"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LayerMetadata.objects.filter(pk=world["layer"].pk).exists()


def test_a_record_written_in_the_admin_is_served(world):
    client = _client(world["people"]["moderator"])
    url = reverse("admin:layers_layermetadata_change", args=[world["layer"].pk])
    client.post(url, _form(keywords_bg="музеи", contact_name="Maria Petrova",
                           update_frequency="monthly"))
    props = Client().get("/ogc/collections/metadata/items/sz-museums").json()["properties"]
    assert props["keywordsByLanguage"] == {"bg": ["музеи"]}
    assert props["updateFrequency"] == "monthly"
    assert props["contacts"][0]["name"] == "Maria Petrova"
