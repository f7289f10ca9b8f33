"""Departures, stops near a point and same-day returns on real feeds, each compared with
what the feed's own files say (tests/transit/reference.py reads them with csv)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.transit import reference
from transit import selectors
from transit.models import Feed
from transit.services import feed_import

CAIRNS_TODAY = date(2014, 6, 1)  # a day when the Cairns feed was current


@pytest.fixture
def cairns(cairns_partner, gtfs_dir):
    archive = gtfs_dir / "gtfs-kit" / "cairns_gtfs.zip"
    return feed_import(partner=cairns_partner, path=archive, name="cairns",
                       licence="CC BY 4.0").feed, archive


@pytest.fixture
def caltrain(caltrain_partner, gtfs_dir):
    archive = gtfs_dir / "partridge" / "caltrain-2017-07-24.zip"
    return feed_import(partner=caltrain_partner, path=archive, name="caltrain",
                       licence="Caltrain developer terms").feed, archive


def shown(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["time"], r["trip_id"]) for r in rows]


@pytest.mark.parametrize("day", [date(2014, 6, 10), date(2014, 6, 14), date(2014, 6, 15)])
def test_departures_equal_the_feeds_own_timetable(cairns, day):
    feed, archive = cairns
    expected = reference.departures(archive, "750047", day)
    got = selectors.departures(feed=feed, stop_id="750047", day=day, today=CAIRNS_TODAY)
    assert len(expected) > 20
    assert shown(got) == expected


def test_a_public_holiday_runs_the_sunday_timetable(cairns):
    """9 June 2014 (a Monday, the Queen's Birthday): calendar_dates removes the weekday
    service and adds the Sunday one."""
    feed, archive = cairns
    holiday = selectors.departures(feed=feed, stop_id="750047", day=date(2014, 6, 9),
                                   today=CAIRNS_TODAY)
    sunday = selectors.departures(feed=feed, stop_id="750047", day=date(2014, 6, 8),
                                  today=CAIRNS_TODAY)
    monday = selectors.departures(feed=feed, stop_id="750047", day=date(2014, 6, 16),
                                  today=CAIRNS_TODAY)
    assert shown(holiday) == reference.departures(archive, "750047", date(2014, 6, 9))
    assert [r["time"] for r in holiday] == [r["time"] for r in sunday]
    assert len(monday) > len(holiday)


def test_a_service_removed_on_most_days_runs_only_on_the_others(caltrain):
    """Caltrain's Saturday service is flagged for every weekday; calendar_dates removes
    all but the Saturdays."""
    feed, archive = caltrain
    today = date(2017, 7, 24)
    tuesday = selectors.departures(feed=feed, stop_id="70012", day=date(2017, 8, 1),
                                   today=today)
    saturday = selectors.departures(feed=feed, stop_id="70012", day=date(2017, 8, 5),
                                    today=today)
    assert shown(tuesday) == reference.departures(archive, "70012", date(2017, 8, 1))
    assert shown(saturday) == reference.departures(archive, "70012", date(2017, 8, 5))
    saturday_trips = {t for _time, t in shown(saturday)}
    assert saturday_trips and not saturday_trips & {t for _time, t in shown(tuesday)}


def test_a_terminus_has_no_departures_in_its_direction(caltrain):
    feed, _archive = caltrain
    assert selectors.departures(feed=feed, stop_id="70011", day=date(2017, 8, 1),
                                today=date(2017, 7, 24)) == []


def test_times_past_midnight_stay_with_their_service_day(cairns):
    feed, _archive = cairns
    late = [r for r in selectors.departures(feed=feed, stop_id="750047",
                                            day=date(2014, 6, 14), today=CAIRNS_TODAY)
            if r["next_day"]]
    assert late and all(r["time"] >= "24:00:00" for r in late)


def test_an_expired_feed_shows_no_departure(cairns):
    feed, _archive = cairns
    assert selectors.departures(feed=feed, stop_id="750047", day=date(2014, 6, 10),
                                today=date(2015, 1, 1)) == []
    # nor a day outside its dates
    assert selectors.departures(feed=feed, stop_id="750047", day=date(2015, 6, 10),
                                today=CAIRNS_TODAY) == []


def test_stops_near_a_point_are_within_the_distance_nearest_first(cairns):
    _feed, archive = cairns
    stops = {s["stop_id"]: s for s in reference.table(archive, "stops.txt")}
    here = (float(stops["750047"]["stop_lon"]), float(stops["750047"]["stop_lat"]))
    near = selectors.stops_near(lon=here[0], lat=here[1], radius_m=400, today=CAIRNS_TODAY)
    assert near[0]["stop_id"] == "750047" and near[0]["distance_m"] == 0
    distances = [s["distance_m"] for s in near]
    assert distances == sorted(distances) and distances[-1] <= 400
    assert near[0]["lines"] and all(line["route_type"] == 3 for line in near[0]["lines"])
    # Walking minutes at 4 km/h.
    assert all(s["walk_min"] == round(s["distance_m"] / (4000 / 60)) for s in near)
    assert selectors.stops_near(lon=here[0], lat=here[1], radius_m=400,
                                today=date(2015, 1, 1)) == []


def test_lines_at_a_stop_are_those_whose_trips_call_there(cairns):
    feed, archive = cairns
    trips = {t["trip_id"]: t["route_id"] for t in reference.table(archive, "trips.txt")}
    expected = {trips[r["trip_id"]] for r in reference.table(archive, "stop_times.txt")
                if r["stop_id"] == "750047"}
    got = {line["route_id"] for line in selectors.lines_at(feed_id=feed.pk, stop_id="750047")}
    assert got == expected


def test_same_day_return_fits_a_short_stay_not_a_whole_day(cairns):
    _feed, archive = cairns
    stop = next(s for s in reference.table(archive, "stops.txt") if s["stop_id"] == "750047")
    where = {"lon": float(stop["stop_lon"]), "lat": float(stop["stop_lat"])}
    short = selectors.how_to_get_there(**where, day=date(2014, 6, 10), today=CAIRNS_TODAY,
                                       stay_min=180, radius_m=300)
    assert short["same_day_return"] is True
    assert short["first_arrival"]["time"] < short["last_departure"]["time"]
    assert short["feeds"][0]["licence"] == "CC BY 4.0"
    whole_day = selectors.how_to_get_there(**where, day=date(2014, 6, 10), today=CAIRNS_TODAY,
                                           stay_min=23 * 60, radius_m=300)
    assert whole_day["same_day_return"] is False
    assert Feed.objects.count() == 1
