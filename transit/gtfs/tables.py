"""The tables of a GTFS feed, checked: what each file must hold, the references between
them (a trip's line and service, a stop time's trip and stop), the span of service, and
``stop_times.txt`` streamed. Every fault is reported (file, line, field, reason) before
anything is written; ``transit.services.feed_import`` writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop as _

from geo.crs import WGS84
from geo.errors import Refused
from importers.messages import Message
from transit.gtfs.files import FeedFiles, parse_time

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Stops, stations and entrances have coordinates; generic nodes and boarding areas
# (location_type 3 and 4) may not, and no trip stops at them.
LOCATED_TYPES = (0, 1, 2)


@dataclass
class FeedData:
    """Every table of a feed but its stop times, checked, ready to write."""

    agencies: list[tuple] = field(default_factory=list)
    stops: dict[str, tuple] = field(default_factory=dict)  # stop_id → row
    stop_lines: dict[str, int] = field(default_factory=dict)  # stop_id → line in stops.txt
    lines: dict[str, tuple] = field(default_factory=dict)
    trips: dict[str, tuple] = field(default_factory=dict)
    calendars: dict[str, tuple] = field(default_factory=dict)
    calendar_dates: list[tuple] = field(default_factory=list)
    shapes: dict[str, str] = field(default_factory=dict)  # shape_id → EWKT
    valid_from: date | None = None
    valid_to: date | None = None
    publisher: str = ""
    version: str = ""
    encodings: dict[str, str] = field(default_factory=dict)


class Feed(FeedFiles):
    """A GTFS feed read table by table (the files: ``FeedFiles``)."""

    def read(self) -> FeedData:
        """Every table but stop_times, checked; the issues are kept in ``self.issues``."""
        data = FeedData()
        self._agencies(data)
        self._stops(data)
        self._lines(data)
        self._calendars(data)
        self._shapes(data)
        self._trips(data)
        self._feed_info(data)
        self._validity(data)
        return data

    def _agencies(self, data: FeedData) -> None:
        name = "agency.txt"
        for line, row in self.rows(name, ("agency_name", "agency_timezone")):
            self.required(name, line, row, "agency_name")
            self.required(name, line, row, "agency_timezone")
            data.agencies.append((row.get("agency_id", ""), row.get("agency_name", ""),
                                  row.get("agency_url", ""), row.get("agency_timezone", ""),
                                  row.get("agency_lang", ""), row.get("agency_phone", "")))
        if not data.agencies:
            raise Refused(Message(_("%(file)s: no agency in agency.txt"), file=self.name))

    def _stops(self, data: FeedData) -> None:
        name = "stops.txt"
        for line, row in self.rows(name, ("stop_id",)):
            stop_id = self.required(name, line, row, "stop_id")
            if stop_id is None or not self.unique(data.stops, name, line, "stop_id", stop_id):
                continue
            kind = self.integer(name, line, row, "location_type", 0, range(0, 5))
            if kind not in LOCATED_TYPES and not row.get("stop_lat"):
                continue
            lat = self.coordinate(name, line, row, "stop_lat", 90)
            lon = self.coordinate(name, line, row, "stop_lon", 180)
            if lat is None or lon is None:
                continue
            data.stops[stop_id] = (stop_id, row.get("stop_code", ""), row.get("stop_name", ""),
                                   f"SRID={WGS84};POINT({lon!r} {lat!r})", kind or 0,
                                   row.get("parent_station", ""), row.get("platform_code", ""))
            data.stop_lines[stop_id] = line

    def _lines(self, data: FeedData) -> None:
        name = "routes.txt"
        for line, row in self.rows(name, ("route_id", "route_type")):
            route_id = self.required(name, line, row, "route_id")
            if route_id is None or not self.unique(data.lines, name, line, "route_id",
                                                    route_id):
                continue
            # Basic types 0-12, and the extended types (100-1702) many European feeds use.
            kind = self.integer(name, line, row, "route_type", None, range(0, 1800))
            if kind is None:
                continue
            data.lines[route_id] = (route_id, row.get("agency_id", ""),
                                    row.get("route_short_name", ""),
                                    row.get("route_long_name", ""), kind,
                                    row.get("route_color", "")[:6],
                                    row.get("route_text_color", "")[:6])

    def _calendars(self, data: FeedData) -> None:
        name = "calendar.txt"
        for line, row in self.rows(name, ("service_id", *WEEKDAYS, "start_date", "end_date")):
            service = self.required(name, line, row, "service_id")
            if service is None or not self.unique(data.calendars, name, line, "service_id",
                                                   service):
                continue
            flags = [self.integer(name, line, row, day, None, range(0, 2)) for day in WEEKDAYS]
            start = self.day(name, line, row, "start_date")
            end = self.day(name, line, row, "end_date")
            if None in flags or start is None or end is None:
                continue
            if end < start:
                self.issues.add(name, line, "end_date", Message(
                    _("the end date comes before the start date")))
                continue
            data.calendars[service] = (service, "".join(map(str, flags)), start, end)
        name = "calendar_dates.txt"
        seen: dict[tuple[str, date], int] = {}
        for line, row in self.rows(name, ("service_id", "date", "exception_type")):
            service = self.required(name, line, row, "service_id")
            day = self.day(name, line, row, "date")
            kind = self.integer(name, line, row, "exception_type", None, range(1, 3))
            if service is None or day is None or kind is None:
                continue
            if (service, day) in seen:
                self.issues.add(name, line, "date", Message(
                    _("%(value)s appears twice"), value=f"{service} {day:%Y%m%d}"))
                continue
            seen[service, day] = line
            data.calendar_dates.append((service, day, kind))

    def _shapes(self, data: FeedData) -> None:
        name = "shapes.txt"
        points: dict[str, list[tuple[int, float, float]]] = {}
        for line, row in self.rows(name, ("shape_id", "shape_pt_lat", "shape_pt_lon",
                                          "shape_pt_sequence")):
            shape = self.required(name, line, row, "shape_id")
            lat = self.coordinate(name, line, row, "shape_pt_lat", 90)
            lon = self.coordinate(name, line, row, "shape_pt_lon", 180)
            seq = self.integer(name, line, row, "shape_pt_sequence", None)
            if shape is None or lat is None or lon is None or seq is None:
                continue
            points.setdefault(shape, []).append((seq, lon, lat))
        for shape, pts in points.items():
            pts.sort()
            if len(pts) < 2:
                continue  # a one-point "line": trips keep their stops' order instead
            coords = ", ".join(f"{lon!r} {lat!r}" for _seq, lon, lat in pts)
            data.shapes[shape] = f"SRID={WGS84};LINESTRING({coords})"

    def _trips(self, data: FeedData) -> None:
        name = "trips.txt"
        services = set(data.calendars) | {s for s, _d, _k in data.calendar_dates}
        for line, row in self.rows(name, ("route_id", "service_id", "trip_id")):
            trip = self.required(name, line, row, "trip_id")
            route = self.required(name, line, row, "route_id")
            service = self.required(name, line, row, "service_id")
            if trip is None or route is None or service is None:
                continue
            if not self.unique(data.trips, name, line, "trip_id", trip):
                continue
            ok = True
            if route not in data.lines:
                self.issues.add(name, line, "route_id", Message(
                    _("%(value)s is not in %(other)s"), value=route, other="routes.txt"))
                ok = False
            if service not in services:
                self.issues.add(name, line, "service_id", Message(
                    _("%(value)s is not in %(other)s"), value=service,
                    other="calendar.txt / calendar_dates.txt"))
                ok = False
            shape = row.get("shape_id", "")
            if shape and shape not in data.shapes:
                if "shapes.txt" in self.files:
                    self.issues.add(name, line, "shape_id", Message(
                        _("%(value)s is not in %(other)s"), value=shape, other="shapes.txt"))
                shape = ""
            direction = self.integer(name, line, row, "direction_id", -1, range(0, 2))
            if ok:
                data.trips[trip] = (trip, route, service, row.get("trip_headsign", ""),
                                    None if direction == -1 else direction, shape)

    def _feed_info(self, data: FeedData) -> None:
        name = "feed_info.txt"
        for line, row in self.rows(name, ("feed_publisher_name",)):
            data.publisher = row.get("feed_publisher_name", "")[:300]
            data.version = row.get("feed_version", "")[:100]
            if row.get("feed_start_date"):
                data.valid_from = self.day(name, line, row, "feed_start_date")
            if row.get("feed_end_date"):
                data.valid_to = self.day(name, line, row, "feed_end_date")
            break

    def _validity(self, data: FeedData) -> None:
        """feed_info's dates when it gives them, else the span of the calendars."""
        starts = [c[2] for c in data.calendars.values()]
        ends = [c[3] for c in data.calendars.values()]
        added = [d for _s, d, k in data.calendar_dates if k == 1]
        if data.valid_from is None and (starts or added):
            data.valid_from = min(starts + added)
        if data.valid_to is None and (ends or added):
            data.valid_to = max(ends + added)
        if data.valid_from is None or data.valid_to is None:
            raise Refused(Message(_("%(file)s: the feed has no service dates (calendar.txt "
                                    "and calendar_dates.txt add none)"), file=self.name))

    def stop_times(self, data: FeedData) -> Iterator[tuple]:
        """The checked rows of stop_times.txt, streamed: (trip, sequence, stop, arrival,
        departure, pickup, drop-off), times in seconds after the service day's start."""
        name = "stop_times.txt"
        seen: set[tuple[str, int]] = set()
        for line, row in self.rows(name, ("trip_id", "stop_id", "stop_sequence",
                                          "arrival_time", "departure_time")):
            trip = self.required(name, line, row, "trip_id")
            stop = self.required(name, line, row, "stop_id")
            seq = self.integer(name, line, row, "stop_sequence", None)
            if trip is None or stop is None or seq is None:
                continue
            ok = True
            if trip not in data.trips:
                self.issues.add(name, line, "trip_id", Message(
                    _("%(value)s is not in %(other)s"), value=trip, other="trips.txt"))
                ok = False
            if stop not in data.stops:
                self.issues.add(name, line, "stop_id", Message(
                    _("%(value)s is not in %(other)s"), value=stop, other="stops.txt"))
                ok = False
            times = []
            for column in ("arrival_time", "departure_time"):
                raw = row.get(column, "")
                value = parse_time(raw) if raw else None
                if raw and value is None:
                    self.issues.add(name, line, column, Message(
                        _("%(value)s is not a time written HH:MM:SS"), value=repr(raw)))
                    ok = False
                times.append(value)
            arrival, departure = times
            if (trip, seq) in seen:
                self.issues.add(name, line, "stop_sequence", Message(
                    _("%(value)s appears twice"), value=f"{trip} {seq}"))
                ok = False
            seen.add((trip, seq))
            pickup = self.integer(name, line, row, "pickup_type", 0, range(0, 4))
            drop_off = self.integer(name, line, row, "drop_off_type", 0, range(0, 4))
            if ok:
                # A stop timed only on one side is timed so on both (GTFS allows either).
                yield (trip, seq, stop, arrival if arrival is not None else departure,
                       departure if departure is not None else arrival, pickup, drop_off)
