"""Writing a partner's GTFS feed: checked whole first, then written in one transaction.

Every table goes in with COPY (never one ORM save per stop time). A feed is replaced
whole when its partner imports a file under the same name, so there is nothing to
upsert: the transaction itself is the staging, and until it commits no reader sees a
half-written feed. ``stop_times.txt`` is streamed into its COPY while it is checked; a
fault found in it rolls the transaction back, so a failed import writes nothing.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext_noop as _
from shapely.geometry import shape

from importers.exceptions import RowErrors
from importers.messages import Message
from importers.pipeline.prepare import sha256
from importers.safety import Limits
from layers.models import BORDER_SLACK_DEG, Partner
from transit.gtfs.tables import Feed as GtfsFeed
from transit.gtfs.tables import FeedData
from transit.messages import Issue, Issues
from transit.models import Feed


class FeedErrors(RowErrors):
    """Faults in a feed's files, each with its file, line and field; nothing was written."""

    def __init__(self, issues: Issues) -> None:
        listed: list[Issue] = list(issues.listed)
        super().__init__(listed)
        self.message = Message(_("invalid rows: %(count)s; nothing was written"),
                               count=issues.count)


@dataclass(frozen=True)
class ImportResult:
    feed: Feed
    counts: dict[str, int]


def _check_territory(gtfs: GtfsFeed, data: FeedData, partner: Partner) -> None:
    """A stop beyond the partner's territory (and the shared border's slack) is a fault:
    a partner publishes the transport that serves its own territory."""
    if not data.stops:
        return
    territory = shape(json.loads(partner.boundary.geojson)).buffer(BORDER_SLACK_DEG)
    shapely.prepare(territory)
    ids = list(data.stops)
    xy = np.array([[float(v) for v in data.stops[i][3].split("(")[1].rstrip(")").split()]
                   for i in ids])
    inside = shapely.contains_xy(territory, xy[:, 0], xy[:, 1])
    for k in np.flatnonzero(~inside):
        gtfs.issues.add("stops.txt", data.stop_lines[ids[k]], "stop_lat, stop_lon", Message(
            _("the stop %(stop)s (%(lat)s, %(lon)s) lies outside the territory of %(partner)s"),
            stop=ids[k], lat=round(xy[k, 1], 5), lon=round(xy[k, 0], 5),
            partner=partner.name or partner.slug))


def _copy(table: str, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    n = 0
    with connection.cursor() as cur, cur.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


STATISTICS_TABLES = ("transit_stop", "transit_trip", "transit_stoptime", "transit_calendar",
                     "transit_calendardate", "transit_line")


def _count_statistics() -> None:
    """Count the feed's tables again at once: departures join stop times, trips and
    calendars, and autovacuum counts them only a while later — until then the planner
    sees tables as they were before the feed. Through ``atlas_analyze`` (transit
    migration 0002): the site's role owns no table, and only an owner may ANALYZE."""
    with connection.cursor() as cur:
        for table in STATISTICS_TABLES:
            cur.execute("SELECT atlas_analyze(%s::regclass)", [table])


def feed_import(*, partner: Partner, path: Path, name: str, licence: str,
                attribution: str = "", limits: Limits | None = None) -> ImportResult:
    """Import the GTFS zip at ``path`` as the feed ``name`` of ``partner``, replacing the
    feed of that name. Raises ``Refused`` (not a feed, hostile archive, missing file or
    column) or ``FeedErrors`` (faulty rows); either way nothing is written."""
    limits = limits or Limits.from_settings()
    with tempfile.TemporaryDirectory(prefix="atlas-gtfs-") as tmp:
        gtfs = GtfsFeed(path, Path(tmp), limits)
        data = gtfs.read()
        _check_territory(gtfs, data, partner)
        if gtfs.issues:
            # Check stop_times too, so that one report lists every fault.
            for _row in gtfs.stop_times(data):
                pass
            raise FeedErrors(gtfs.issues)
        with transaction.atomic():
            Feed.objects.filter(partner=partner, name=name).delete()
            assert data.valid_from is not None and data.valid_to is not None
            feed = Feed.objects.create(
                partner=partner, name=name, licence=licence, attribution=attribution,
                file_name=path.name, sha256=sha256(path), valid_from=data.valid_from,
                valid_to=data.valid_to, publisher=data.publisher, version=data.version)
            f = feed.pk
            counts = {
                "agencies": _copy("transit_agency",
                                  ("feed_id", "agency_id", "name", "url", "timezone", "lang",
                                   "phone"), ((f, *a) for a in data.agencies)),
                "stops": _copy("transit_stop",
                               ("feed_id", "stop_id", "code", "name", "location",
                                "location_type", "parent_station", "platform_code"),
                               ((f, *s) for s in data.stops.values())),
                "lines": _copy("transit_line",
                               ("feed_id", "route_id", "agency_id", "short_name", "long_name",
                                "route_type", "color", "text_color"),
                               ((f, *r) for r in data.lines.values())),
                "calendars": _copy("transit_calendar",
                                   ("feed_id", "service_id", "weekdays", "start_date",
                                    "end_date"), ((f, *c) for c in data.calendars.values())),
                "calendar_dates": _copy("transit_calendardate",
                                        ("feed_id", "service_id", "date", "exception_type"),
                                        ((f, *c) for c in data.calendar_dates)),
                "shapes": _copy("transit_shape", ("feed_id", "shape_id", "line"),
                                ((f, k, v) for k, v in data.shapes.items())),
                "trips": _copy("transit_trip",
                               ("feed_id", "trip_id", "route_id", "service_id", "headsign",
                                "direction_id", "shape_id"),
                               ((f, *t) for t in data.trips.values())),
                "stop_times": _copy("transit_stoptime",
                                    ("feed_id", "trip_id", "stop_sequence", "stop_id",
                                     "arrival", "departure", "pickup_type", "drop_off_type"),
                                    ((f, *t) for t in gtfs.stop_times(data))),
            }
            if gtfs.issues:
                raise FeedErrors(gtfs.issues)  # rolls the whole feed back
            feed.counts = counts
            feed.save(update_fields=["counts"])
        _count_statistics()
    return ImportResult(feed=feed, counts=counts)

