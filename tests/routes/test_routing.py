"""Walking and cycling legs follow the trail network; where it cannot, a straight leg
says so."""

from __future__ import annotations

import pytest

from routes.services import StopSpec, route_compose
from routes.vocabulary import LegSource
from tests.routes.conftest import make_route, polyline_length

pytestmark = pytest.mark.django_db


def compose(world, names, modes, **kw):
    route = make_route(world["partner"], **kw)
    stops = [StopSpec(world["stops"][n], 10) for n in names]
    return route_compose(route=route, stops=stops, modes=modes)


def test_a_walking_leg_follows_the_trails_through_their_junction(world):
    route = compose(world, ["s1", "s2"], ["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.ROUTED
    # From the stop 20 m south of A, to A, east along T1 to B, north along T2 to D.
    expected = polyline_length([(0, -20), (0, 0), (1000, 0), (1000, 1000)])
    assert leg.length_m == pytest.approx(expected, abs=1.0)
    assert route.length_m == pytest.approx(expected, abs=1.0)
    # Z from the trails: 100 m at A, 150 m at B, 180 m at D.
    assert route.ascent_m == pytest.approx(80, abs=0.5)
    assert route.min_elevation_m == pytest.approx(100) and route.max_elevation_m == 180
    assert leg.trail_id in (world["trails"]["T1"].pk, world["trails"]["T2"].pk)


def test_trail_ends_a_few_metres_apart_are_joined(world):
    route = compose(world, ["s2", "s3"], ["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.ROUTED
    expected = polyline_length([(1000, 1000), (1010, 1010), (1010, 2000)])
    assert leg.length_m == pytest.approx(expected, abs=1.0)


def test_cycling_legs_are_routed_too(world):
    route = compose(world, ["s1", "s3"], ["bike"])
    assert route.legs.get().source == LegSource.ROUTED
    assert route.length_m == pytest.approx(polyline_length(
        [(0, -20), (0, 0), (1000, 0), (1000, 1000), (1010, 1010), (1010, 2000)]), abs=1.5)


def test_unconnected_trails_give_a_straight_leg_marked_as_such(world):
    route = compose(world, ["s1", "s4"], ["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.STRAIGHT
    assert leg.length_m == pytest.approx(polyline_length([(0, -20), (5000, 5)]), abs=1.0)
    assert leg.geom.num_points == 2


def test_a_stop_far_from_any_trail_gives_a_straight_leg(world):
    route = compose(world, ["s5", "s1"], ["walk"])
    assert route.legs.get().source == LegSource.STRAIGHT


def test_a_trail_without_elevation_routes_without_inventing_one(world):
    route = compose(world, ["s4", "s4b"], ["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.ROUTED and not leg.geom.hasz
    assert leg.ascent_m is None and route.ascent_m is None


def test_car_legs_are_straight_and_timed_with_the_road_detour_factor(world):
    route = compose(world, ["s1", "s2"], ["car"])
    leg = route.legs.get()
    assert leg.source == LegSource.STRAIGHT
    straight = polyline_length([(0, -20), (1000, 1000)])
    assert leg.duration_min == pytest.approx(straight / 1000 / 50 * 60 * 1.3, rel=1e-6)


def test_mixed_route_sums_its_legs_and_its_stop_times(world):
    route = compose(world, ["s1", "s2", "s4"], ["walk", "car"])
    legs = list(route.legs.order_by("order"))
    assert [leg.source for leg in legs] == [LegSource.ROUTED, LegSource.STRAIGHT]
    assert route.length_m == pytest.approx(sum(leg.length_m for leg in legs))
    assert route.transport_modes == ["walk", "car"]
    assert route.stops_min == 30
    assert route.duration_min == round(sum(leg.duration_min for leg in legs) + 30)
    # Only the walking leg had elevation: its climb is the route's.
    assert route.ascent_m == pytest.approx(legs[0].ascent_m)
    assert not route.geom.hasz  # one leg without Z: the route line is 2D


@pytest.mark.parametrize("start, end", [(500, 1500), (1500, 500)])
def test_a_leg_can_follow_part_of_a_trail_either_way(world, start, end):
    from routes.models import RouteLeg
    from routes.services import route_recompute

    route = make_route(world["partner"])
    RouteLeg.objects.create(route=route, order=1, mode="walk", source=LegSource.TRAIL,
                            trail=world["trails"]["T1"], trail_start_m=start, trail_end_m=end)
    route = route_recompute(route=route)
    leg = route.legs.get()
    assert leg.length_m == pytest.approx(polyline_length([(500, 0), (1500, 0)]), abs=1.0)
    # T1 climbs 5 m per 100 m eastwards: 50 m up one way, 50 m down the other.
    up, down = (50, 0) if start < end else (0, 50)
    assert (leg.ascent_m, leg.descent_m) == (pytest.approx(up, abs=0.5),
                                             pytest.approx(down, abs=0.5))
    first = leg.geom.coords[0]
    assert first[2] == pytest.approx(100 + start / 20, abs=0.01)


def test_a_trail_without_elevation_crossing_one_with_it_invents_no_elevation(world):
    from tests.routes.conftest import trail

    trails = world["trails"]["T1"].layer
    # 2D, crossing T1 between two of its vertices (GEOS would give the node Z = mean).
    trail(trails, [(1550, -500), (1550, 500)])
    from tests.factories import make_attraction
    from tests.routes.conftest import at

    east = make_attraction(world["places"], *at(2000, 0), name_en="East end")
    route = make_route(world["partner"])
    route = route_compose(route=route, stops=[StopSpec(world["stops"]["s1"]),
                                              StopSpec(east)], modes=["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.ROUTED and leg.geom.hasz
    # T1 climbs steadily from 100 m to 200 m: the crossing must not pull it to 0 m.
    assert min(c[2] for c in leg.geom.coords) == pytest.approx(100, abs=0.01)
    assert route.ascent_m == pytest.approx(100, abs=0.5) and route.descent_m == 0
    assert route.moving_min < 60  # 2 km on a gentle slope
