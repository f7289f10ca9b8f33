"""Admin pages a partner's editors and the platform's staff open."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.models import Layer, Trail
from planner.models import AreaLayer
from tests.factories import make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    return client


def test_a_trail_opens_for_adding_and_changing(staff):
    partner = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9))
    trail = make_trail(make_layer(partner, "trails"), [(26.1, 42.6), (26.2, 42.7)])
    assert staff.get("/admin/layers/trail/add/").status_code == 200
    page = staff.get(f"/admin/layers/trail/{trail.pk}/change/")
    assert page.status_code == 200
    assert "A trail" in page.content.decode()


def test_a_sub_area_layer_stays_reference_data_in_the_layer_admin(staff):
    partner = make_partner("drome", bbox=(4.6, 44.1, 5.8, 45.3), country="FR")
    communes = make_layer(partner, slug="drome-communes")
    AreaLayer.objects.create(layer=communes)
    page = staff.get(f"/admin/layers/layer/{communes.pk}/change/").content.decode()
    assert 'name="reference"' not in page  # shown, not a box to untick
    other = make_layer(partner, slug="drome-sights")
    page = staff.get(f"/admin/layers/layer/{other.pk}/change/").content.decode()
    assert 'name="reference"' in page
    assert Layer.objects.get(pk=communes.pk).reference


def test_the_trail_form_keeps_the_stored_elevation_of_a_line_left_untouched(rf):
    partner = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9))
    trail = make_trail(make_layer(partner, "trails"), [(26.1, 42.6, 510.0), (26.2, 42.7, 620.0)])
    request = rf.get("/")
    request.user = User.objects.create_superuser("admin", password="pw")
    form = admin.site.get_model_admin(Trail).get_form(request, trail)(instance=trail)
    flat = MultiLineString(LineString([(26.1, 42.6), (26.2, 42.7)], srid=WGS84), srid=WGS84)
    form.cleaned_data = {"geom": flat}  # what the 2D map widget sends back
    form.changed_data = []
    assert form.clean_geom().hasz
    form.changed_data = ["geom"]  # drawn again: the new line, as drawn
    assert not form.clean_geom().hasz
