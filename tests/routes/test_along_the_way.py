"""Attractions along the way: within N metres of the line, in route order, with detours."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString
from pyproj import Geod

from geo.crs import WGS84
from routes.models import RouteLeg
from routes.services import route_recompute
from routes.vocabulary import LegSource
from tests.routes.conftest import at, line, make_route

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")


@pytest.fixture
def drawn_route(world):
    """A route drawn from (0, 0) 3 km east, beside the world's places, plus some more."""
    route = make_route(world["partner"], slug="east-walk")
    RouteLeg.objects.create(route=route, order=1, mode="walk", source=LegSource.DRAWN,
                            drawn=LineString(line([(0, 0), (3000, 0)]), srid=WGS84))
    from tests.factories import make_attraction

    def place(name, x, y):
        return make_attraction(world["places"], *at(x, y), name_en=name)

    place("Far orchard", 2000, 300)
    place("Near well", 500, -100)
    place("Distant tower", 1500, 700)
    return route_recompute(route=route)


def test_attractions_come_in_route_order_with_their_detours(client, drawn_route):
    body = client.get("/api/routes/east-walk/?lang=en").json()
    along = body["properties"]["along_the_way"]
    names = [a["name"] for a in along]
    # West gate (0, -20) and the private barn (500, 10) are near too; the barn is not public.
    assert names == ["West gate", "Near well", "Far orchard"]
    by_name = {a["name"]: a for a in along}
    for name, (x, y) in (("Near well", (500, -100)), ("Far orchard", (2000, 300)),
                         ("West gate", (0, -20))):
        # Independent reference: geodesic distance to the foot of the perpendicular.
        foot, point = at(x, 0), at(x, y)
        expected = GEOD.inv(*foot, *point)[2]
        assert by_name[name]["distance_m"] == pytest.approx(expected, abs=1.0)
        assert by_name[name]["detour_m"] == pytest.approx(2 * expected, abs=2.0)
        assert by_name[name]["position_m"] == pytest.approx(
            GEOD.inv(*at(0, 0), *foot)[2], abs=2.0)
    assert not any(a["is_stop"] for a in along)


def test_the_distance_is_a_parameter(client, drawn_route):
    along = client.get("/api/routes/east-walk/?along=800").json()["properties"]["along_the_way"]
    assert "Distant tower" in [a["name"] for a in along]
    assert client.get("/api/routes/east-walk/?along=-3").status_code == 400
