"""Metrics are never typed by hand: they follow every change of stops, legs and trails."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.signals import layer_written
from routes.models import PilotRoute, RouteStop
from routes.services import StopSpec, route_compose
from tests.routes.conftest import line, make_route, polyline_length

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(world):
    r = make_route(world["partner"])
    return route_compose(route=r, stops=[StopSpec(world["stops"]["s1"], 15),
                                         StopSpec(world["stops"]["s2"], 15)], modes=["walk"])


def test_adding_a_stop_recomputes_the_route_at_commit(world, route,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        RouteStop.objects.create(route=route, order=3, attraction=world["stops"]["s3"],
                                 suggested_min=40)
        route.legs.create(order=2, mode="walk", source="routed")
    route.refresh_from_db()
    assert route.stops_min == 70
    assert route.length_m == pytest.approx(polyline_length(
        [(0, -20), (0, 0), (1000, 0), (1000, 1000), (1010, 1010), (1010, 2000)]), abs=1.5)


def test_changing_a_leg_mode_changes_the_time(world, route, django_capture_on_commit_callbacks):
    walking = route.moving_min
    leg = route.legs.get()
    with django_capture_on_commit_callbacks(execute=True):
        leg.mode = "bike"
        leg.save()
    route.refresh_from_db()
    assert route.transport_modes == ["bike"] and route.moving_min < walking


def test_editing_a_trail_reroutes_the_legs_on_it(world, route,
                                                 django_capture_on_commit_callbacks):
    before = route.length_m
    t2 = world["trails"]["T2"]
    with django_capture_on_commit_callbacks(execute=True):
        # T2 now bends 300 m east on its way north.
        t2.geom = MultiLineString(LineString(line([(1000, 0), (1300, 500), (1000, 1000)],
                                                  z=lambda d: 150.0), srid=WGS84), srid=WGS84)
        t2.save()
    route.refresh_from_db()
    assert route.length_m == pytest.approx(polyline_length(
        [(0, -20), (0, 0), (1000, 0), (1300, 500), (1000, 1000)]), abs=1.5)
    assert route.length_m > before


def test_an_import_into_the_partners_trails_recomputes_its_routes(
        world, route, django_capture_on_commit_callbacks):
    PilotRoute.objects.filter(pk=route.pk).update(length_m=1)  # stale on purpose
    with django_capture_on_commit_callbacks(execute=True):
        layer_written.send(sender=None, layer=world["trails"]["T1"].layer)
    route.refresh_from_db()
    assert route.length_m > 1000


def test_metrics_cannot_be_set_in_the_admin_form():
    from routes.admin import PilotRouteAdmin

    for name in ("length_m", "ascent_m", "duration_min", "difficulty"):
        assert name in PilotRouteAdmin.readonly_fields


def test_undoing_an_import_whose_attraction_became_a_stop_is_refused_clearly(world, tmp_path):
    import json

    from importers.exceptions import Refused
    from importers.pipeline import ImportRequest, run_import, undo_last_import
    from layers.models import Attraction, Layer

    path = tmp_path / "new.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Watermill", "id": "m1"},
         "geometry": {"type": "Point", "coordinates": [25.61, 42.41]}}]}))
    run_import(ImportRequest(path=path, partner=world["partner"], layer_slug="sz-mills",
                             kind="attractions"))
    mill = Attraction.objects.get(layer__slug="sz-mills")
    route = make_route(world["partner"])
    route_compose(route=route, stops=[StopSpec(world["stops"]["s1"]), StopSpec(mill)],
                  modes=["car"])
    with pytest.raises(Refused, match="stops of pilot routes"):
        undo_last_import(layer=Layer.objects.get(slug="sz-mills"))
    assert Attraction.objects.filter(pk=mill.pk).exists()
