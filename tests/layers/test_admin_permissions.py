"""A partner's editors change only their partner's layers and features."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from layers.models import Attraction, Layer
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner
from tests.media.images import NO_PHOTOS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    sz_layer = make_layer(sz)
    lar_layer = make_layer(lar)
    forum = make_attraction(sz_layer, 25.6257, 42.4258, name_bg="Античен форум",
                            name_en="Augusta Traiana forum")
    theatre = make_attraction(lar_layer, 22.4176, 39.6384, name_el="Αρχαίο Θέατρο",
                              name_en="First Ancient Theatre", category="archaeological_site")
    editor = User.objects.create_user("ivana", password="pw", is_staff=True)
    editor.groups.add(sz.editors)
    return {"sz": sz, "lar": lar, "sz_layer": sz_layer, "lar_layer": lar_layer,
            "forum": forum, "theatre": theatre, "editor": editor}


def _attraction_form(layer: Layer, name_en: str) -> dict:
    return {
        "layer": layer.pk, "category": "museum", "name_en": name_en,
        "location": '{"type": "Point", "coordinates": [25.63, 42.43]}',
        "properties": "{}", **NO_PHOTOS,
    }


def test_every_partner_gets_an_editors_group_with_editor_permissions(world):
    group = world["sz"].editors
    assert group is not None and group.name == "stara-zagora editors"
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_attraction", "add_trail", "change_layer", "view_partner"} <= codenames
    assert "change_partner" not in codenames


def test_editor_lists_only_their_partners_attractions(client, world):
    client.force_login(world["editor"])
    page = client.get(reverse("admin:layers_attraction_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Augusta Traiana forum" in html
    assert "First Ancient Theatre" not in html


def test_editor_cannot_open_or_change_another_partners_attraction(client, world):
    client.force_login(world["editor"])
    theatre = world["theatre"]
    url = reverse("admin:layers_attraction_change", args=[theatre.pk])
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, _attraction_form(world["lar_layer"], "Hijacked"))
    theatre.refresh_from_db()
    assert theatre.name_en == "First Ancient Theatre"


def test_editor_changes_their_own_attraction(client, world):
    client.force_login(world["editor"])
    forum = world["forum"]
    url = reverse("admin:layers_attraction_change", args=[forum.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _attraction_form(world["sz_layer"], "Antique Forum"))
    assert response.status_code == 302, response.content.decode()[:2000]
    forum.refresh_from_db()
    assert forum.name_en == "Antique Forum"


def test_editor_cannot_add_a_feature_to_another_partners_layer(client, world):
    client.force_login(world["editor"])
    url = reverse("admin:layers_attraction_add")
    form = client.get(url).content.decode()
    assert f'value="{world["sz_layer"].pk}"' in form
    assert f'value="{world["lar_layer"].pk}"' not in form
    response = client.post(url, _attraction_form(world["lar_layer"], "Sneaky"))
    assert response.status_code == 200  # the form comes back with an error
    assert not Attraction.objects.filter(name_en="Sneaky").exists()


def test_editor_cannot_create_a_layer_for_another_partner(client, world):
    client.force_login(world["editor"])
    response = client.post(reverse("admin:layers_layer_add"), {
        "slug": "foreign", "partner": world["lar"].pk, "kind": LayerKind.ATTRACTIONS,
        "visibility": "public", "title_en": "Foreign"})
    assert response.status_code == 200
    assert not Layer.objects.filter(slug="foreign").exists()


def test_editor_cannot_change_partner_boundaries(client, world):
    client.force_login(world["editor"])
    url = reverse("admin:layers_partner_change", args=[world["sz"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="country"' not in page.content.decode()  # read-only view
    assert client.get(reverse("admin:layers_partner_change", args=[world["lar"].pk])
                      ).status_code in (302, 403, 404)


def test_a_user_in_no_partner_group_sees_no_features(client, world):
    stranger = User.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(stranger)
    assert client.get(reverse("admin:layers_attraction_changelist")).status_code == 403


def test_superuser_sees_every_partner(client, world):
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    html = client.get(reverse("admin:layers_attraction_changelist")).content.decode()
    assert "Augusta Traiana forum" in html and "First Ancient Theatre" in html


def test_admin_map_widget_uses_openlayers_served_by_the_platform(client, world):
    client.force_login(world["editor"])
    html = client.get(reverse("admin:layers_attraction_add")).content.decode()
    assert "/static/vendor/ol/dist/ol.js" in html
    assert "cdn.jsdelivr" not in html
