"""Reachable without a car: how many of an area's places to start from — its partner's own
attractions and trailheads — lie within walking distance of a public transport stop that
has service on a weekend day, when day-trippers without a car travel (issue 18).

A stop counts when a trip calling at it runs on a Saturday or Sunday from today on: its
service's weekdays say so within the calendar's dates, or calendar_dates add such a day.
An expired feed serves nobody. Distances are on the spheroid, as the crow flies: a walk
on the paths is longer, so the figure is an upper bound, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone

from planner.params import CoverageQuery
from planner.selectors.sql import area_cte, attraction_filter, trail_filter, trailheads
from transit.selectors import WALK_DEFAULT_M

WALK_M = WALK_DEFAULT_M  # the walk "how to get there" offers: ten minutes, as the crow flies


@dataclass(frozen=True)
class WithoutCar:
    sites: int  # the area's own attractions and trailheads
    reachable: int  # of them, within WALK_M of a stop with weekend service

    @property
    def share(self) -> float:
        return self.reachable / self.sites if self.sites else 0.0


def weekend_stops_sql(today: date, params: list) -> str:
    """SQL: ``weekend_stop`` (feed_id, stop_id), the stops with service on a Saturday or
    Sunday on or after ``today``."""
    params += [today, today]
    return """
    weekend_service AS MATERIALIZED (
        SELECT c.feed_id, c.service_id FROM transit_calendar c
        WHERE c.end_date >= %s AND (substr(c.weekdays, 6, 1) = '1'
                                     OR substr(c.weekdays, 7, 1) = '1')
        UNION
        SELECT d.feed_id, d.service_id FROM transit_calendardate d
        WHERE d.exception_type = 1 AND d.date >= %s AND extract(isodow FROM d.date) >= 6
    ),
    weekend_stop AS MATERIALIZED (
        SELECT DISTINCT st.feed_id, st.stop_id
        FROM weekend_service w
        JOIN transit_trip t ON t.feed_id = w.feed_id AND t.service_id = w.service_id
        JOIN transit_stoptime st ON st.feed_id = t.feed_id AND st.trip_id = t.trip_id
    )"""


def without_car(query: CoverageQuery, lang: str, *,
                today: date | None = None) -> dict[str, WithoutCar]:
    """Area key -> its places to start from, and how many are reachable without a car."""
    params: list = []  # in the order the SQL reads them
    area = area_cte(query, lang, params)
    stops = weekend_stops_sql(today or timezone.localdate(), params)
    attractions = attraction_filter("x", query, params)
    trails = trail_filter("t")
    params.append(WALK_M)
    sql = f"""
    WITH {area}, {stops},
    site AS (
        SELECT a.key, x.location AS p
        FROM area_laea a
        JOIN layers_attraction x ON x.location && a.g AND ST_Covers(a.g, x.location)
        JOIN layers_layer l ON l.id = x.layer_id AND l.partner_id = a.partner_id
        WHERE {attractions}
        UNION ALL
        SELECT a.key, ST_Force2D(e.p)
        FROM area_laea a
        JOIN layers_trail t ON t.geom && a.g
        JOIN layers_layer l ON l.id = t.layer_id AND l.partner_id = a.partner_id
        {trailheads('t')}
        WHERE {trails} AND ST_Covers(a.g, e.p)
    )
    SELECT s.key, count(*),
           count(*) FILTER (WHERE EXISTS (
               -- The box first (the stops' index; 0.015° holds 800 m below 60° north),
               -- then the distance on the spheroid.
               SELECT 1 FROM transit_stop ts
               JOIN weekend_stop w ON w.feed_id = ts.feed_id AND w.stop_id = ts.stop_id
               WHERE ts.location && ST_Expand(s.p, 0.015)
                 AND ST_DWithin(geography(ts.location), geography(s.p), %s)))
    FROM site s GROUP BY s.key
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: WithoutCar(int(n), int(reachable)) for key, n, reachable in cursor}
