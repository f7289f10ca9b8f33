"""Departures computed from a feed's own files with the csv module, independently of the
importer and of SQL: what the transit tests compare the platform's answers with."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def table(archive: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(archive) as zf, zf.open(name) as fh:
        return list(csv.DictReader(io.TextIOWrapper(fh, "utf-8-sig", newline="")))


def services_on(archive: Path, day: date) -> set[str]:
    names = set(zipfile.ZipFile(archive).namelist())
    running = set()
    if "calendar.txt" in names:
        for row in table(archive, "calendar.txt"):
            start = date.fromisoformat(_iso(row["start_date"]))
            end = date.fromisoformat(_iso(row["end_date"]))
            if start <= day <= end and row[WEEKDAYS[day.weekday()]].strip() == "1":
                running.add(row["service_id"])
    if "calendar_dates.txt" in names:
        for row in table(archive, "calendar_dates.txt"):
            if date.fromisoformat(_iso(row["date"])) == day:
                if row["exception_type"].strip() == "1":
                    running.add(row["service_id"])
                else:
                    running.discard(row["service_id"])
    return running


def departures(archive: Path, stop_id: str, day: date) -> list[tuple[str, str]]:
    """(time as written, trip_id) of the boardable, timed calls at the stop that are not
    their trip's last, for the trips whose service runs on ``day``."""
    services = services_on(archive, day)
    trips = {t["trip_id"] for t in table(archive, "trips.txt") if t["service_id"] in services}
    last: dict[str, int] = {}
    calls = []
    for row in table(archive, "stop_times.txt"):
        seq = int(row["stop_sequence"])
        last[row["trip_id"]] = max(seq, last.get(row["trip_id"], seq))
        if (row["stop_id"] == stop_id and row["trip_id"] in trips
                and row["departure_time"].strip() and row.get("pickup_type", "").strip() != "1"):
            calls.append((row["departure_time"].strip(), row["trip_id"], seq))
    out = [(t, trip) for t, trip, seq in calls if seq < last[trip]]
    return sorted(out, key=lambda c: (_seconds(c[0]), c[1]))


def _iso(text: str) -> str:
    t = text.strip()
    return f"{t[:4]}-{t[4:6]}-{t[6:]}"


def _seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s
