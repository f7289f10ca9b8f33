"""A layer's publication: an upload's layer starts visible to partners only, and a
moderator of its partner publishes it once it has a title, a description, a licence and a
source. Tried as a matrix (role × action) through the API and the layer page; what is not
published stays out of the API, the tiles, the exports and the OGC collections."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from audit.history import event_model
from layers.models import Layer
from layers.vocabulary import Visibility
from tests.factories import make_attraction, make_layer, make_partner, make_person, make_token

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "editor", "moderator", "other_moderator", "superuser")
MAY = {"moderator", "superuser"}


@pytest.fixture
def world(db):
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    sliven = make_partner("sliven", bbox=(26.0, 42.5, 26.9, 43.1))
    layer = make_layer(sz, visibility=Visibility.PARTNERS, slug="sz-upload")
    make_attraction(layer, 25.62, 42.42, name_en="Forum of Augusta Traiana")
    users = {
        "visitor": None,
        "member": make_person(sz, "members"),
        "editor": make_person(sz, "editors"),
        "moderator": make_person(sz, "moderators"),
        "other_moderator": make_person(sliven, "moderators"),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }
    return {"sz": sz, "sliven": sliven, "layer": layer, "users": users}


def _complete(layer: Layer) -> None:
    Layer.objects.filter(pk=layer.pk).update(
        description_en="Sites of the province", licence="CC-BY-4.0",
        source="Regional history museum, survey of 2024")


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _visibility(layer: Layer) -> str:
    return Layer.objects.get(pk=layer.pk).visibility


@pytest.mark.parametrize("role", ROLES)
def test_who_publishes_through_the_api(world, role):
    _complete(world["layer"])
    user = world["users"][role]
    headers = {"HTTP_AUTHORIZATION": f"Token {make_token(user)}"} if user else {}
    response = Client().post("/api/layers/sz-upload/publication/", **headers)
    if role in MAY:
        assert response.status_code == 200 and response.json()["visibility"] == "public"
        assert _visibility(world["layer"]) == Visibility.PUBLIC
        undone = Client().delete("/api/layers/sz-upload/publication/", **headers)
        assert undone.status_code == 200
        assert _visibility(world["layer"]) == Visibility.PARTNERS
    else:
        # An unpublished layer is a 404 to those who cannot publish it, or a 403 to the
        # partners' people who see it: either way, nothing written.
        assert response.status_code in (403, 404)
        assert _visibility(world["layer"]) == Visibility.PARTNERS


@pytest.mark.parametrize("role", ROLES)
def test_who_unpublishes_through_the_page(world, role):
    _complete(world["layer"])
    Layer.objects.filter(pk=world["layer"].pk).update(visibility=Visibility.PUBLIC)
    client = _client(world["users"][role])
    response = client.post("/layers/sz-upload/publication/", {"unpublish": ""})
    if role in MAY:
        assert response.status_code == 302
        assert _visibility(world["layer"]) == Visibility.PARTNERS
    else:
        assert response.status_code in (302, 403) if role == "visitor" else (
            response.status_code == 403)
        assert _visibility(world["layer"]) == Visibility.PUBLIC


def test_publishing_names_what_is_missing_in_the_readers_language(world):
    client = _client(world["users"]["moderator"])
    response = client.post("/api/layers/sz-upload/publication/")
    assert response.status_code == 400
    assert response.json()["error"] == ("Layer sz-upload cannot be published yet: it needs "
                                        "a description, a licence, a source.")
    french = client.post("/api/layers/sz-upload/publication/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "une description, une licence, une source" in french.json()["error"]
    assert _visibility(world["layer"]) == Visibility.PARTNERS


def test_the_layer_page_shows_the_state_and_the_button_to_moderators(world):
    moderator = _client(world["users"]["moderator"])
    page = moderator.get("/layers/sz-upload/").content.decode()
    assert "Not published" in page and "a description, a licence, a source" in page
    refused = moderator.post("/layers/sz-upload/publication/", {"publish": ""})
    assert refused.status_code == 400 and "cannot be published yet" in refused.content.decode()
    _complete(world["layer"])
    assert moderator.post("/layers/sz-upload/publication/", {"publish": ""}).status_code == 302
    page = moderator.get("/layers/sz-upload/").content.decode()
    assert "Published: everyone sees this layer" in page and 'name="unpublish"' in page
    editor_page = _client(world["users"]["editor"]).get("/layers/sz-upload/").content.decode()
    assert 'name="unpublish"' not in editor_page
    assert "A moderator of Stara Zagora publishes it." in editor_page


def test_an_unpublished_layer_is_hidden_from_the_public(world, client):
    assert client.get("/layers/sz-upload/").status_code == 404
    assert "Forum" not in client.get("/api/attractions/").content.decode()
    assert client.get("/api/layers/sz-upload/export/?format=geojson").status_code == 404
    assert client.get("/ogc/collections/sz-upload").status_code == 404
    assert client.get("/tiles/sz-upload.json").status_code == 404
    assert client.get("/tiles/sz-upload/10/584/378.mvt").status_code == 404
    _complete(world["layer"])
    assert _client(world["users"]["moderator"]).post(
        "/api/layers/sz-upload/publication/").status_code == 200
    assert "Forum" in client.get("/api/attractions/").content.decode()
    assert client.get("/ogc/collections/sz-upload").status_code == 200


def test_publishing_is_recorded_in_the_audit_history_with_who(world):
    _complete(world["layer"])
    moderator = world["users"]["moderator"]
    _client(moderator).post("/api/layers/sz-upload/publication/")
    events = event_model(Layer).objects.filter(pgh_obj_id=world["layer"].pk,
                                               visibility="public")
    assert [e.pgh_context["user"] for e in events] == [moderator.pk]


def test_the_welcome_rule_still_holds(world):
    # A feature well inside Sliven's territory, which has not welcomed Stara Zagora's.
    make_attraction(world["layer"], 26.6, 42.9, name_en="Blue Stones")
    _complete(world["layer"])
    client = _client(world["users"]["moderator"])
    response = client.post("/api/layers/sz-upload/publication/")
    assert response.status_code == 400
    assert "1 in the territory of Sliven" in response.json()["error"]
    world["sliven"].welcomes.add(world["sz"])
    assert client.post("/api/layers/sz-upload/publication/").status_code == 200


READERS = {"member", "editor", "moderator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_the_layer_pages_data_shows_an_unpublished_layer_to_its_partners_people(world, role):
    """Its moderators review an unpublished layer on its page, whose map and table read the
    API by the layer's name: they, its partner's other people and a superuser get its
    features there; everyone else gets the layer as unknown, as before."""
    client = _client(world["users"][role])
    for url in ("/api/regional-layer/?layer=sz-upload", "/api/attractions/?layer=sz-upload"):
        response = client.get(url)
        if role in READERS:
            assert response.status_code == 200, (url, response.content)
            names = [f["properties"]["name"] for f in response.json()["features"]]
            assert names == ["Forum of Augusta Traiana"], url
        else:
            assert response.status_code == 400 and b"Forum" not in response.content, url
    page = client.get("/layers/sz-upload/")
    assert page.status_code == (200 if role in READERS else 404)


def test_an_unpublished_layer_stays_out_of_the_regional_layer_unless_named(world):
    """What its people see of it is asked for by name: the regional layer, the map of every
    partner, stays the public's for everyone."""
    client = _client(world["users"]["moderator"])
    assert b"Forum" not in client.get("/api/regional-layer/").content
    assert b"Forum" not in client.get("/api/attractions/?partner=stara-zagora").content


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_layers_feature_opens_for_its_partners_people(world, role):
    """The layer page's table leads to each feature's page: its reviewers open it, and it
    stays a 404 to everyone else, as does its API detail."""
    uid = world["layer"].attractions.get().uid
    client = _client(world["users"][role])
    for url in (f"/attractions/{uid}/", f"/api/attractions/{uid}/"):
        response = client.get(url)
        assert response.status_code == (200 if role in READERS else 404), url
        assert (b"Forum of Augusta Traiana" in response.content) == (role in READERS), url
