"""A route's bus or train leg along a feed's line (issue 18): registered with the routes
app (``routes.services.transit_finder_register``), which asks it for each such leg.

A line joins a leg's stops when one of its trips calls at a stop within a walk of the
leg's start and later at one within a walk of its end, in a feed not expired. Of the
lines that do, the one with the shortest walks is taken, then the one with most trips.
The leg then goes: a walk to the stop, the ride along the line's shape between the two
stops (or from stop to stop where the feed has no shape), a walk from the stop; its
minutes are the trips' median ride time by the timetable, with the walks. Without such a
line the leg stays a straight, timed estimate and says so (routes.vocabulary).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from django.db import connection
from django.utils import timezone

from routes.services import TransitPath
from routes.vocabulary import Mode
from transit.selectors import WALK_DEFAULT_M, WALK_M_PER_MIN

WALK_M = WALK_DEFAULT_M  # to and from the stops, as the crow flies: "how to get there"'s
ROUTE_TYPES: dict[str, list[int]] = {
    # GTFS route_type: the basic values and the extended ones (Google's HVT list).
    Mode.BUS: [3, 11, *range(200, 300), *range(700, 800)],
    Mode.TRAIN: [0, 1, 2, 5, 7, 12, *range(100, 200), *range(400, 500), *range(900, 1000)],
}


def _near(alias: str, lon_key: str, lat_key: str) -> str:
    point = f"ST_SetSRID(ST_MakePoint(%({lon_key})s, %({lat_key})s), 4326)"
    return f"""
    {alias} AS (
        SELECT s.feed_id, s.stop_id, s.location,
               ST_Distance(geography(s.location), geography({point})) AS walk_m
        FROM transit_stop s JOIN transit_feed f ON f.id = s.feed_id
        WHERE f.valid_to >= %(today)s AND NOT EXISTS (
                  SELECT 1 FROM layers_partner p WHERE p.id = f.partner_id AND p.sandbox)
          AND s.location && ST_Expand({point}, 0.015)
          AND ST_DWithin(geography(s.location), geography({point}), %(walk)s)
    )"""


def transit_path(mode: str, start: tuple[float, float],
                 end: tuple[float, float]) -> TransitPath | None:
    """The leg from ``start`` to ``end`` (lon, lat) by ``mode`` along a feed's line, or
    None when no line joins them."""
    types = ROUTE_TYPES.get(mode)
    if not types:
        return None
    params: dict[str, Any] = {"ax": start[0], "ay": start[1], "bx": end[0], "by": end[1],
                              "today": timezone.localdate(), "walk": WALK_M,
                              "types": types}
    sql = f"""
    WITH {_near('a', 'ax', 'ay')}, {_near('b', 'bx', 'by')},
    ride AS (
        SELECT t.feed_id, t.route_id, t.trip_id, t.shape_id, a.stop_id AS from_stop,
               b.stop_id AS to_stop, sa.stop_sequence AS from_seq,
               sb.stop_sequence AS to_seq, sb.arrival - sa.departure AS seconds,
               a.walk_m AS walk_in, b.walk_m AS walk_out
        FROM a
        JOIN transit_stoptime sa ON sa.feed_id = a.feed_id AND sa.stop_id = a.stop_id
        JOIN transit_stoptime sb ON sb.feed_id = sa.feed_id AND sb.trip_id = sa.trip_id
            AND sb.stop_sequence > sa.stop_sequence
        JOIN b ON b.feed_id = sb.feed_id AND b.stop_id = sb.stop_id
        JOIN transit_trip t ON t.feed_id = sa.feed_id AND t.trip_id = sa.trip_id
        JOIN transit_line l ON l.feed_id = t.feed_id AND l.route_id = t.route_id
        WHERE l.route_type = ANY(%(types)s)
          AND sa.departure IS NOT NULL AND sb.arrival IS NOT NULL
    ),
    choice AS (
        SELECT feed_id, route_id, from_stop, to_stop,
               min(walk_in + walk_out) AS walk, count(*) AS trips,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS seconds,
               min(walk_in) AS walk_in, min(walk_out) AS walk_out,
               (array_agg(trip_id ORDER BY trip_id))[1] AS trip_id,
               (array_agg(shape_id ORDER BY trip_id))[1] AS shape_id,
               min(from_seq) AS from_seq, max(to_seq) AS to_seq
        FROM ride GROUP BY feed_id, route_id, from_stop, to_stop
        ORDER BY walk, trips DESC, seconds LIMIT 1
    )
    SELECT c.seconds, c.walk_in, c.walk_out,
           concat_ws(' ', NULLIF(l.short_name, ''), NULLIF(l.long_name, '')),
           sa.name, sb.name,
           ST_AsBinary(CASE WHEN sh.line IS NOT NULL THEN (
               SELECT CASE WHEN fa <= fb THEN ST_LineSubstring(sh.line, fa, fb)
                           ELSE ST_Reverse(ST_LineSubstring(sh.line, fb, fa)) END
               FROM (SELECT ST_LineLocatePoint(sh.line, sa.location) AS fa,
                            ST_LineLocatePoint(sh.line, sb.location) AS fb) f)
           ELSE (SELECT ST_MakeLine(s.location ORDER BY st.stop_sequence)
                 FROM transit_stoptime st
                 JOIN transit_stop s ON s.feed_id = st.feed_id AND s.stop_id = st.stop_id
                 WHERE st.feed_id = c.feed_id AND st.trip_id = c.trip_id
                   AND st.stop_sequence BETWEEN c.from_seq AND c.to_seq) END)
    FROM choice c
    JOIN transit_line l ON l.feed_id = c.feed_id AND l.route_id = c.route_id
    JOIN transit_stop sa ON sa.feed_id = c.feed_id AND sa.stop_id = c.from_stop
    JOIN transit_stop sb ON sb.feed_id = c.feed_id AND sb.stop_id = c.to_stop
    LEFT JOIN transit_shape sh ON sh.feed_id = c.feed_id AND sh.shape_id = c.shape_id
        AND c.shape_id <> ''
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[6] is None:
        return None
    seconds, walk_in, walk_out, line, from_name, to_name, wkb = row
    ride = shapely.get_coordinates(shapely.from_wkb(bytes(wkb)))
    coords = np.vstack([np.array([start]), ride, np.array([end])])
    minutes = float(seconds) / 60 + (float(walk_in) + float(walk_out)) / WALK_M_PER_MIN
    name = line or "—"
    return TransitPath(coords=coords, minutes=minutes,
                       line=f"{name}: {from_name or '?'} → {to_name or '?'}"[:300])
