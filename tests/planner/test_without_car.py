"""The planner's "reachable without a car" (planner/selectors/transit.py): of a partner's
own attractions and trailheads, the share within 800 m of a stop that a bus or train
serves on a Saturday or Sunday from today on — by the service's weekdays in its dates, or
by a day calendar_dates add; a weekday-only or expired service serves no day-tripper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point
from django.utils import timezone

from geo.crs import WGS84
from layers.models import Trail
from tests.factories import make_attraction, make_layer, make_partner
from transit.models import Calendar, CalendarDate, Feed, Stop, StopTime, Trip

pytestmark = pytest.mark.django_db
NORTH_300_M = 0.0027  # degrees of latitude


@pytest.fixture
def sliven(db):
    partner = make_partner("sliven", bbox=(25.8, 42.4, 26.8, 43.0))
    layer = make_layer(partner, slug="sights")
    for name, lon, lat in (("Saturday bus", 26.0, 42.5), ("Weekday bus", 26.3, 42.7),
                           ("Expired line", 26.6, 42.9)):
        make_attraction(layer, lon, lat, name_en=name)
    trails = make_layer(partner, slug="trails", kind="trails")
    Trail.objects.create(layer=trails, name_en="Ridge", geom=MultiLineString(
        LineString((26.1, 42.6), (26.2, 42.65)), srid=WGS84))
    today = timezone.localdate()
    feed = Feed.objects.create(partner=partner, name="buses", licence="CC-BY-4.0",
                               file_name="buses.zip", valid_from=today - timedelta(days=30),
                               valid_to=today + timedelta(days=300))

    def line(stop: str, lon: float, lat: float, service: str) -> None:
        Stop.objects.create(feed=feed, stop_id=stop, name=stop,
                            location=Point(lon, lat + NORTH_300_M, srid=WGS84))
        Trip.objects.create(feed=feed, trip_id=f"t-{stop}", route_id="r", service_id=service)
        StopTime.objects.create(feed=feed, trip_id=f"t-{stop}", stop_sequence=1, stop_id=stop,
                                arrival=8 * 3600, departure=8 * 3600)

    line("s1", 26.0, 42.5, "weekends")
    line("s2", 26.3, 42.7, "weekdays")
    line("s3", 26.6, 42.9, "old")
    line("s4", 26.1, 42.6, "festival")  # the trail's start: one Sunday added
    line("s5", 26.2, 42.65, "never")  # the trail's end: that Sunday removed only
    far = today + timedelta(days=300)
    Calendar.objects.bulk_create([
        Calendar(feed=feed, service_id="weekends", weekdays="0000011", start_date=today,
                 end_date=far),
        Calendar(feed=feed, service_id="weekdays", weekdays="1111100", start_date=today,
                 end_date=far),
        Calendar(feed=feed, service_id="old", weekdays="1111111",
                 start_date=today - timedelta(days=60), end_date=today - timedelta(days=1)),
    ])
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    CalendarDate.objects.bulk_create([
        CalendarDate(feed=feed, service_id="festival", date=sunday, exception_type=1),
        CalendarDate(feed=feed, service_id="never", date=sunday, exception_type=2),
    ])
    return partner


def test_the_share_of_places_reachable_without_a_car(client, sliven):
    body = client.get("/api/coverage/", {"partner": "sliven"}).json()
    [area] = body["partners"]
    # Three attractions and the trail's two ends; the Saturday bus and the added Sunday.
    assert (area["start_places"], area["start_places_without_car"]) == (5, 2)
    assert area["without_car_share"] == pytest.approx(0.4)
    rows = client.get("/api/coverage/", {"partner": "sliven", "format": "csv",
                                         "table": "partners"}).content.decode()
    header, values = (line.split(",") for line in rows.splitlines()[:2])
    assert values[header.index("without_car_share_pct")] == "40.00"


def test_a_stop_just_beyond_a_walk_does_not_count(client, sliven):
    Stop.objects.filter(stop_id="s1").update(location=Point(26.0, 42.5 + 0.0074, srid=WGS84))
    [area] = client.get("/api/coverage/", {"partner": "sliven"}).json()["partners"]
    assert area["start_places_without_car"] == 1  # 822 m is beyond the 800 m walk


def test_the_planner_table_shows_it_in_the_reader_s_language(client, sliven):
    page = client.get("/planner/tables/", {"partner": "sliven", "lang": "fr"}).content.decode()
    assert 'data-measure="without_car"' in page and "40" in page.split(
        'data-measure="without_car"')[1].split("</tr>")[0]
