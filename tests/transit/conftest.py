from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import make_partner
from transit.services import feed_import

# Boxes around the real feeds' stops (../shared/data/real/gtfs): test partners whose
# "territory" holds them, since no real feed lies in a partner's territory.
CAIRNS_BOX = (145.5, -17.2, 145.9, -16.6)
CALTRAIN_BOX = (-122.5, 36.9, -121.5, 37.9)


@pytest.fixture
def gtfs_dir(shared_data: Path) -> Path:
    return shared_data / "real" / "gtfs"


@pytest.fixture
def cairns_partner(db):
    return make_partner("cairns-test", bbox=CAIRNS_BOX, country="AU")


@pytest.fixture
def caltrain_partner(db):
    return make_partner("caltrain-test", bbox=CALTRAIN_BOX, country="US")


# A small feed made here, around Sliven (26.3 E, 42.68 N), for the bad-input tests.
SMALL = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                  "A,Avtobusi Sliven,https://example.org,Europe/Sofia\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                 "S1,Centre,42.6817,26.3229\n"
                 "S2,Karandila,42.6586,26.3565\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
                  "R1,A,12,Centre - Karandila,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\n"
                 "R1,WD,T1,Karandila\n"
                 "R1,WD,T2,Karandila\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "T1,08:00:00,08:00:00,S1,1\n"
                      "T1,08:25:00,08:25:00,S2,2\n"
                      "T2,24:30:00,24:30:00,S1,1\n"
                      "T2,24:55:00,24:55:00,S2,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                    "start_date,end_date\n"
                    "WD,1,1,1,1,1,0,0,20260101,20991231\n",
}


def make_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text.encode() if isinstance(text, str) else text)
    path.write_bytes(buf.getvalue())
    return path


# SMALL and a trip back from Karandila (S2) to the centre (S1) in the afternoon.
WITH_RETURN = {**SMALL,
               "trips.txt": SMALL["trips.txt"] + "R1,WD,T3,Centre\n",
               "stop_times.txt": SMALL["stop_times.txt"] + "T3,17:00:00,17:00:00,S2,1\n"
                                                           "T3,17:25:00,17:25:00,S1,2\n"}


def next_weekday(weekday: int) -> date:
    """The next day (from tomorrow) that is ``weekday`` (0 Monday)."""
    day = timezone.localdate() + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def sliven_feed(db, tmp_path):
    partner = make_partner("sliven", bbox=(25.9, 42.4, 26.8, 43.0))
    return feed_import(partner=partner, path=make_zip(tmp_path / "sliven.zip", WITH_RETURN),
                       name="city-buses", licence="CC BY 4.0",
                       attribution="Obshtina Sliven").feed


