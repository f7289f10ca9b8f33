"""A route's bus leg follows the feed's line (transit/legs.py): along the line's shape
between the stops near its ends, timed by the timetable with the walks to and from the
stops; from stop to stop without a shape; and a straight, timed estimate that says so
when no line of the mode joins them or the feed has expired."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from routes.models import RouteLeg
from routes.services import StopSpec, route_compose
from routes.vocabulary import LegSource, Mode, StraightReason
from tests.factories import make_attraction, make_layer, make_partner
from tests.routes.conftest import make_route
from tests.transit.conftest import SMALL, make_zip
from transit.services import feed_import

pytestmark = pytest.mark.django_db
BEND = (26.3450, 42.6750)  # the line's shape bends here, off the straight line
WITH_SHAPE = {
    **SMALL,
    "trips.txt": "route_id,service_id,trip_id,trip_headsign,shape_id\n"
                 "R1,WD,T1,Karandila,SH1\nR1,WD,T2,Karandila,SH1\n",
    "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
                  "SH1,42.6817,26.3229,1\n"
                  f"SH1,{BEND[1]},{BEND[0]},2\n"
                  "SH1,42.6586,26.3565,3\n",
}
GEOD = Geod(ellps="WGS84")


@pytest.fixture
def sliven(db):
    return make_partner("sliven", bbox=(25.9, 42.4, 26.8, 43.0))


def _bus_route(partner, mode=Mode.BUS):
    layer = make_layer(partner)
    centre = make_attraction(layer, 26.3235, 42.6822, name_en="Clock tower")  # ~70 m from S1
    karandila = make_attraction(layer, 26.3570, 42.6590, name_en="Karandila hut")
    route = make_route(partner, slug="by-bus")
    route_compose(route=route, stops=[StopSpec(centre), StopSpec(karandila)], modes=[mode])
    return RouteLeg.objects.get(route=route)


def _import(partner, tmp_path, files, **kw):
    return feed_import(partner=partner, path=make_zip(tmp_path / "feed.zip", files),
                       name="city-buses", licence="CC BY 4.0", **kw).feed


def test_a_bus_leg_follows_the_line_s_shape_timed_by_the_timetable(sliven, tmp_path, client):
    _import(sliven, tmp_path, WITH_SHAPE)
    leg = _bus_route(sliven)
    assert leg.source == LegSource.TRANSIT and leg.straight_reason == ""
    assert leg.transit_line == "12 Centre - Karandila: Centre → Karandila"
    coords = np.array(leg.geom.coords)
    assert np.min(np.hypot(coords[:, 0] - BEND[0], coords[:, 1] - BEND[1])) < 1e-6
    walks = [GEOD.inv(26.3235, 42.6822, 26.3229, 42.6817)[2],
             GEOD.inv(26.3565, 42.6586, 26.3570, 42.6590)[2]]
    # The walks at 4 km/h (66.7 m a minute), as "how to get there" times them
    # (test_departures.py): one walking speed for both, not 4.5 km/h here.
    assert leg.duration_min == pytest.approx(25 + sum(walks) / (4000 / 60), abs=0.01)
    page = client.get("/routes/by-bus/", {"lang": "en"}).content.decode()
    assert "by the timetable: 12 Centre - Karandila: Centre → Karandila" in page


def test_without_a_shape_the_leg_goes_from_stop_to_stop(sliven, tmp_path):
    _import(sliven, tmp_path, SMALL)
    leg = _bus_route(sliven)
    assert leg.source == LegSource.TRANSIT
    assert [tuple(round(c, 4) for c in p) for p in leg.geom.coords] == [
        (26.3235, 42.6822), (26.3229, 42.6817), (26.3565, 42.6586), (26.357, 42.659)]


def test_no_line_of_the_mode_leaves_a_timed_estimate_that_says_so(sliven, tmp_path):
    _import(sliven, tmp_path, SMALL)
    train = _bus_route(sliven, mode=Mode.TRAIN)  # line 12 is a bus
    assert (train.source, train.straight_reason, train.transit_line) == (
        LegSource.STRAIGHT, StraightReason.ESTIMATE, "")


def test_an_expired_feed_serves_no_leg(sliven, tmp_path):
    expired = {**SMALL, "calendar.txt": SMALL["calendar.txt"].replace("20991231", "20260201")}
    feed = _import(sliven, tmp_path, expired)
    assert feed.valid_to.isoformat() == "2026-02-01"
    leg = _bus_route(sliven)
    assert (leg.source, leg.straight_reason) == (LegSource.STRAIGHT, StraightReason.ESTIMATE)
