"""import_gtfs on real feeds (../shared/data/real/gtfs) and on hostile or faulty zips."""

from __future__ import annotations

import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from geo.errors import Refused
from importers.safety import Limits
from tests.factories import make_partner
from tests.transit.conftest import SMALL, make_zip
from tests.transit.reference import table
from transit.models import Calendar, CalendarDate, Feed, Shape, Stop, StopTime, Trip
from transit.services import FeedErrors, feed_import

SLIVEN_BOX = (25.9, 42.4, 26.8, 43.0)


@pytest.fixture
def sliven(db):
    return make_partner("sliven", bbox=SLIVEN_BOX)


def test_cairns_feed_is_imported_whole_with_times_past_midnight(cairns_partner, gtfs_dir):
    archive = gtfs_dir / "gtfs-kit" / "cairns_gtfs.zip"
    out = StringIO()
    call_command("import_gtfs", str(archive), partner="cairns-test", licence="CC BY 4.0",
                 attribution="Contains data from TransLink, Queensland", stdout=out)
    feed = Feed.objects.get(partner=cairns_partner, name="cairns_gtfs")
    assert "416 stops" in out.getvalue()
    assert Stop.objects.filter(feed=feed).count() == len(table(archive, "stops.txt")) == 416
    assert Trip.objects.filter(feed=feed).count() == 1339
    assert StopTime.objects.filter(feed=feed).count() == 37790
    assert Shape.objects.filter(feed=feed).count() == 54
    assert Calendar.objects.filter(feed=feed).count() == 4
    assert CalendarDate.objects.filter(feed=feed).count() == 9
    # No feed_info.txt: the calendars' span gives the dates.
    assert (str(feed.valid_from), str(feed.valid_to)) == ("2014-05-26", "2014-12-28")
    assert feed.licence == "CC BY 4.0"
    # 29:39:00, the feed's latest time, is kept as it is (seconds after the day's start).
    latest = max(StopTime.objects.filter(feed=feed).values_list("arrival", flat=True),
                 key=lambda v: v or 0)
    assert latest == 29 * 3600 + 39 * 60
    # The 65 untimed calls stay untimed.
    assert StopTime.objects.filter(feed=feed, departure__isnull=True).count() == 65
    stop = Stop.objects.get(feed=feed, stop_id=table(archive, "stops.txt")[0]["stop_id"])
    first = table(archive, "stops.txt")[0]
    assert stop.location.x == pytest.approx(float(first["stop_lon"]), abs=1e-9)
    assert stop.location.y == pytest.approx(float(first["stop_lat"]), abs=1e-9)


def test_reimport_under_the_same_name_replaces_the_feed(cairns_partner, gtfs_dir):
    archive = gtfs_dir / "gtfs-kit" / "cairns_gtfs.zip"
    for _ in range(2):
        feed_import(partner=cairns_partner, path=archive, name="cairns", licence="CC BY 4.0")
    assert Feed.objects.filter(partner=cairns_partner).count() == 1
    assert StopTime.objects.count() == 37790


def test_mixed_encodings_and_leading_zero_ids_are_kept(db, gtfs_dir):
    partner = make_partner("trondelag-test", bbox=(10.0, 63.3, 14.2, 65.2), country="NO")
    archive = gtfs_dir / "partridge" / "region-nord-v2.zip"
    result = feed_import(partner=partner, path=archive, name="atb", licence="NLOD 2.0")
    # stops.txt is ISO-8859-1, routes.txt UTF-8: each is read in its own.
    assert Stop.objects.filter(feed=result.feed, name__contains="Olsøya").exists()
    assert Trip.objects.filter(feed=result.feed, trip_id="03010001", route_id="0301").exists()
    # No calendar.txt: calendar_dates alone give the dates.
    assert (str(result.feed.valid_from), str(result.feed.valid_to)) == ("2019-01-01",
                                                                       "2019-02-01")


def test_stops_beyond_the_partners_territory_are_listed_and_nothing_is_written(
        sliven, gtfs_dir):
    archive = gtfs_dir / "gtfs-kit" / "cairns_gtfs.zip"
    with pytest.raises(FeedErrors) as caught:
        feed_import(partner=sliven, path=archive, name="cairns", licence="CC BY 4.0")
    issues = caught.value.issues
    assert caught.value.message.params["count"] == 416
    assert issues[0].file == "stops.txt" and issues[0].row == 2
    assert issues[0].field == "stop_lat, stop_lon"
    assert "outside the territory of Sliven" in str(issues[0])
    assert not Feed.objects.exists() and not Stop.objects.exists()


def test_missing_stops_and_trips_are_named_by_file_line_and_field(sliven, tmp_path):
    files = dict(SMALL)
    files["stop_times.txt"] += "T1,08:40:00,08:40:00,S9,3\nT7,09:00:00,09:00:00,S1,1\n"
    with pytest.raises(FeedErrors) as caught:
        feed_import(partner=sliven, path=make_zip(tmp_path / "bad.zip", files), name="bad",
                    licence="CC0")
    shown = [str(i) for i in caught.value.issues]
    assert shown == ["stop_times.txt, line 6, stop_id: S9 is not in stops.txt",
                     "stop_times.txt, line 7, trip_id: T7 is not in trips.txt"]
    with translation.override("fr"):
        assert str(caught.value.issues[0]) == (
            "stop_times.txt, ligne 6, stop_id : S9 n’est pas dans stops.txt")
    # Nothing half-written: the stop_times were streamed into COPY, then rolled back.
    assert not Feed.objects.exists() and not StopTime.objects.exists()


def test_bad_values_are_reported_in_every_file(sliven, tmp_path):
    files = dict(SMALL)
    files["stops.txt"] += "S3,Nowhere,north,26.3\n"
    files["trips.txt"] += "R9,XX,T3,Somewhere\n"
    files["stop_times.txt"] += "T1,8h40,08:40:00,S2,3\n"
    with pytest.raises(FeedErrors) as caught:
        feed_import(partner=sliven, path=make_zip(tmp_path / "bad.zip", files), name="bad",
                    licence="CC0")
    where = [(i.file, i.row, i.field) for i in caught.value.issues]
    assert where == [("stops.txt", 4, "stop_lat"), ("trips.txt", 4, "route_id"),
                     ("trips.txt", 4, "service_id"), ("stop_times.txt", 6, "arrival_time")]


def test_small_feed_keeps_times_past_midnight(sliven, tmp_path):
    result = feed_import(partner=sliven, path=make_zip(tmp_path / "sliven.zip", SMALL),
                         name="sliven", licence="CC0")
    assert result.counts["stop_times"] == 4
    assert StopTime.objects.get(trip_id="T2", stop_sequence=1).departure == 24 * 3600 + 1800


@pytest.mark.parametrize("files, expected", [
    ({"readme.txt": "hello"}, "not a GTFS feed: agency.txt, stops.txt, routes.txt, "
                              "trips.txt, stop_times.txt, calendar.txt | calendar_dates.txt "
                              "missing"),
    ({k: v for k, v in SMALL.items() if k != "calendar.txt"},
     "not a GTFS feed: calendar.txt | calendar_dates.txt missing"),
    ({**SMALL, "stops.txt": "stop_name,stop_lat,stop_lon\nA,42.6,26.3\n"},
     "stops.txt: the column stop_id is missing"),
])
def test_what_is_not_a_feed_is_refused(sliven, tmp_path, files, expected):
    with pytest.raises(Refused) as caught:
        feed_import(partner=sliven, path=make_zip(tmp_path / "feed.zip", files), name="x",
                    licence="CC0")
    assert expected in str(caught.value)
    assert not Feed.objects.exists()


def test_a_truncated_zip_is_refused(sliven, tmp_path):
    whole = make_zip(tmp_path / "whole.zip", SMALL).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Refused, match="not a zip archive, or a truncated one"):
        feed_import(partner=sliven, path=cut, name="cut", licence="CC0")
    assert not Feed.objects.exists()


def test_a_zip_bomb_is_refused_before_unpacking(sliven, tmp_path):
    files = {**SMALL, "stop_times.txt": SMALL["stop_times.txt"] + "0" * 5_000_000}
    with pytest.raises(Refused, match="refused as a possible zip bomb"):
        feed_import(partner=sliven, path=make_zip(tmp_path / "bomb.zip", files), name="b",
                    licence="CC0")
    assert not Feed.objects.exists()


def test_an_archive_larger_than_the_limit_when_unpacked_is_refused(sliven, tmp_path):
    limits = Limits(max_file_bytes=2**20, max_unpacked_bytes=200, max_ratio=200,
                    max_entries=100)
    with pytest.raises(Refused, match="unpacks to"):
        feed_import(partner=sliven, path=make_zip(tmp_path / "f.zip", SMALL), name="f",
                    licence="CC0", limits=limits)


def test_the_command_lists_each_fault_and_exits(sliven, tmp_path):
    files = {**SMALL, "stop_times.txt": SMALL["stop_times.txt"] + "T1,x,x,S1,9\n"}
    with pytest.raises(CommandError) as caught:
        call_command("import_gtfs", str(make_zip(tmp_path / "f.zip", files)),
                     partner="sliven", licence="CC0")
    assert "invalid rows: 2; nothing was written" in str(caught.value)
    assert "stop_times.txt, line 6, arrival_time: 'x' is not a time written HH:MM:SS" in str(
        caught.value)


def test_a_member_that_is_not_text_is_refused_cleanly(sliven, tmp_path):
    path = tmp_path / "feed.zip"
    make_zip(path, SMALL)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("shapes.txt", b"\x00\x01\x02")
    with pytest.raises((Refused, FeedErrors)):
        feed_import(partner=sliven, path=path, name="x", licence="CC0")
    assert not Feed.objects.exists()


def test_a_filtered_feed_with_extended_route_types_and_dangling_stations(db, gtfs_dir):
    """VBB's Havelbus subset: route_type 700 beside 3, parent stations that are not in
    stops.txt (kept as text: nothing refers to them), 2,052 services of which 16 are used,
    shapes.txt present."""
    partner = make_partner("havelland-test", bbox=(12.8, 52.3, 13.3, 52.7), country="DE")
    result = feed_import(partner=partner, path=gtfs_dir / "gtfs2gps" / "berlin.zip",
                         name="havelbus", licence="CC BY 4.0")
    assert {k: result.counts[k] for k in ("stops", "lines", "trips", "stop_times", "shapes",
                                          "calendars")} == {
        "stops": 211, "lines": 6, "trips": 348, "stop_times": 8865, "shapes": 20,
        "calendars": 2052}
    assert Stop.objects.filter(feed=result.feed).exclude(parent_station="").count() == 211


def test_caltrain_shapes_with_a_byte_order_mark_are_read(caltrain_partner, gtfs_dir):
    result = feed_import(partner=caltrain_partner,
                         path=gtfs_dir / "partridge" / "caltrain-2017-07-24.zip",
                         name="caltrain", licence="Caltrain developer terms")
    assert result.counts["shapes"] == 8
    assert not Trip.objects.filter(feed=result.feed, shape_id="").exists()


def test_a_feed_import_counts_its_tables_statistics_again(sliven_feed):
    # The planner saw the stop times as they were before the feed until autovacuum
    # came; the import now asks for the count itself.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'transit_stoptime'")
        assert cur.fetchone()[0] == sliven_feed.counts["stop_times"]
