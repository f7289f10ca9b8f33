"""Which layers hold sub-areas: one per partner, of polygons, set by the partner's editors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.urls import reverse

from layers.vocabulary import LayerKind
from planner.models import AreaLayer
from tests.factories import make_attraction, make_layer, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    editor = User.objects.create_user("ivana", password="pw", is_staff=True)
    editor.groups.add(sz.editors)
    return {"sz": sz, "lar": lar, "editor": editor}


def test_a_partner_has_one_layer_of_sub_areas(partners):
    AreaLayer.objects.create(layer=make_layer(partners["sz"], slug="sz-municipalities"))
    second = AreaLayer(layer=make_layer(partners["sz"], slug="sz-villages"))
    with pytest.raises(ValidationError, match="already has a sub-area layer"):
        second.full_clean()
    AreaLayer(layer=make_layer(partners["lar"], slug="lar-municipalities")).full_clean()


def test_trails_cannot_be_sub_areas(partners):
    with pytest.raises(ValidationError):
        AreaLayer(layer=make_layer(partners["sz"], LayerKind.TRAILS)).full_clean()


def test_an_editor_marks_their_partners_layer_as_sub_areas(client, partners):
    mine = make_layer(partners["sz"], slug="sz-municipalities")
    theirs = make_layer(partners["lar"], slug="lar-municipalities")
    client.force_login(partners["editor"])
    add = reverse("admin:coverage_arealayer_add")
    form = client.get(add)
    assert form.status_code == 200
    html = form.content.decode()
    # The layers offered are the editor's partner's attraction layers.
    assert f'<option value="{mine.pk}"' in html
    assert f'<option value="{theirs.pk}"' not in html
    refused = client.post(add, {"layer": theirs.pk})
    assert refused.status_code == 200 and not AreaLayer.objects.exists()
    client.post(add, {"layer": mine.pk})
    assert list(AreaLayer.objects.values_list("layer__slug", flat=True)) == [
        "sz-municipalities"]


def test_someone_editing_no_partner_does_not_see_sub_area_layers(client, partners):
    AreaLayer.objects.create(layer=make_layer(partners["lar"], slug="lar-municipalities"))
    client.force_login(partners["editor"])
    listing = client.get(reverse("admin:coverage_arealayer_changelist"))
    assert "lar-municipalities" not in listing.content.decode()
    stranger = User.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(stranger)
    assert client.get(reverse("admin:coverage_arealayer_changelist")).status_code == 403


def _names(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {f["properties"]["name"] for f in response.json()["features"]}


def test_sub_areas_are_not_shown_as_attractions(client, partners):
    """A municipality is not a place to visit: once its layer is marked as sub-areas, its
    polygons leave the attractions of the API, the regional layer and OGC API's
    all-attractions, yet the layer itself stays public and complete when asked for by name."""
    areas = make_layer(partners["sz"], slug="sz-municipalities")
    make_attraction(areas, 25.4, 42.6, name_en="Kazanlak municipality", category="other",
                    footprint=MultiPolygon(Polygon.from_bbox((25.3, 42.5, 25.5, 42.7)),
                                           srid=4326))
    sites = make_layer(partners["sz"], slug="sz-sites")
    make_attraction(sites, 25.62, 42.42, name_en="Roman forum")
    both = {"Kazanlak municipality", "Roman forum"}
    assert _names(client, "/api/attractions/?lang=en") == both

    marked = AreaLayer.objects.create(layer=areas)
    assert _names(client, "/api/attractions/?lang=en") == {"Roman forum"}
    assert _names(client, "/api/regional-layer/?lang=en&partner=stara-zagora") == {
        "Roman forum"}
    assert _names(client, "/ogc/collections/all-attractions/items?f=json") == {"Roman forum"}
    assert _names(client, "/api/attractions/?lang=en&layer=sz-municipalities") == {
        "Kazanlak municipality"}
    assert _names(client, "/ogc/collections/sz-municipalities/items?f=json") == {
        "Kazanlak municipality"}
    listed = {x["slug"]: x["reference"] for x in client.get("/api/layers/").json()}
    assert listed == {"sz-municipalities": True, "sz-sites": False}

    marked.delete()
    assert _names(client, "/api/attractions/?lang=en") == both
