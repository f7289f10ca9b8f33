"""Reading the feeds: which services run on a day, departures from a stop, stops near a
point, the lines that serve them, and "how to get there".

A day means a *service day*: a trip of the 14th that leaves at 25:10 leaves at 01:10 on
the 15th, and is listed with the 14th (``next_day``), as the feed publishes it. A feed
whose last date has passed is *expired*: none of its departures is ever shown, whatever
the date asked, and a date beyond a feed's dates is refused. ``today`` is a parameter so
that tests can stand on a feed's own days; the API passes the server's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection

from geo.crs import WGS84
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES
from transit.models import Feed

# Straight-line walking until the walking network is imported (issue 18, "Networks"):
# 4 km/h, 66.7 m a minute. The one speed of the walks to and from stops: "how to get
# there" and a route's bus or train leg (transit/legs.py) both time them with it.
WALK_M_PER_MIN = 4000 / 60
WALK_DEFAULT_M = 800
WALK_MAX_M = 3000
# Feeds that end within this many days are flagged, so pages can warn.
ENDS_SOON_DAYS = 14

ACTIVE_SERVICES = """
    SELECT c.feed_id, c.service_id FROM transit_calendar c
     WHERE c.feed_id = ANY(%(feeds)s) AND %(day)s BETWEEN c.start_date AND c.end_date
       AND substr(c.weekdays, extract(isodow FROM %(day)s::date)::int, 1) = '1'
    UNION
    SELECT d.feed_id, d.service_id FROM transit_calendardate d
     WHERE d.feed_id = ANY(%(feeds)s) AND d.date = %(day)s AND d.exception_type = 1
    EXCEPT
    SELECT d.feed_id, d.service_id FROM transit_calendardate d
     WHERE d.feed_id = ANY(%(feeds)s) AND d.date = %(day)s AND d.exception_type = 2
"""


def _rows(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        names = [c.name for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def clock(seconds: int) -> str:
    """GTFS's own writing of a time: 25:10:00 for 01:10 after the service day's midnight."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class FeedState:
    feed: Feed
    expired: bool
    ends_soon: bool

    def as_json(self) -> dict[str, Any]:
        f = self.feed
        return {"partner": f.partner.slug, "name": f.name, "id": f"{f.partner.slug}/{f.name}",
                "valid_from": f.valid_from.isoformat(), "valid_to": f.valid_to.isoformat(),
                "licence": f.licence, "attribution": f.attribution, "publisher": f.publisher,
                "expired": self.expired, "ends_soon": self.ends_soon}


def feed_state(feed: Feed, today: date) -> FeedState:
    return FeedState(feed, expired=feed.valid_to < today,
                     ends_soon=today <= feed.valid_to < today + timedelta(days=ENDS_SOON_DAYS))


def feeds(*, today: date, partner: str | None = None) -> list[FeedState]:
    qs = Feed.objects.select_related("partner").order_by("partner__slug", "name")
    if partner:
        qs = qs.filter(partner__slug=partner)
    return [feed_state(f, today) for f in qs]


def feed_by_id(text: str) -> Feed | None:
    """A feed by ``partner/name``."""
    partner, _sep, name = text.partition("/")
    return Feed.objects.select_related("partner").filter(partner__slug=partner,
                                                         name=name).first()


def active_services(feed_ids: list[int], day: date) -> set[tuple[int, str]]:
    """(feed, service_id) running on ``day``: calendar.txt's weekdays within its dates,
    plus calendar_dates' additions, less its removals."""
    return {(r["feed_id"], r["service_id"])
            for r in _rows(ACTIVE_SERVICES, {"feeds": feed_ids, "day": day})}


def departures(*, feed: Feed, stop_id: str, day: date, today: date,
               after: int = 0) -> list[dict[str, Any]]:
    """The departures from a stop on a service day, in time order, from ``after`` seconds.

    A departure is a timed call at the stop where passengers may board (pickup_type not 1)
    and the trip goes on (not its last stop). Empty for an expired feed or a day outside
    the feed's dates: the API refuses those before asking.
    """
    if feed.valid_to < today or not feed.valid_from <= day <= feed.valid_to:
        return []
    rows = _rows(f"""
        WITH active AS ({ACTIVE_SERVICES})
        SELECT st.departure AS seconds, t.trip_id, l.route_id, l.short_name, l.long_name,
               l.route_type, l.color,
               COALESCE(NULLIF(t.headsign, ''), (
                   SELECT s.name FROM transit_stoptime e JOIN transit_stop s
                       ON s.feed_id = e.feed_id AND s.stop_id = e.stop_id
                    WHERE e.feed_id = t.feed_id AND e.trip_id = t.trip_id
                    ORDER BY e.stop_sequence DESC LIMIT 1)) AS headsign
          FROM transit_stoptime st
          JOIN transit_trip t ON t.feed_id = st.feed_id AND t.trip_id = st.trip_id
          JOIN active a ON a.feed_id = t.feed_id AND a.service_id = t.service_id
          JOIN transit_line l ON l.feed_id = t.feed_id AND l.route_id = t.route_id
         WHERE st.feed_id = %(feed)s AND st.stop_id = %(stop)s
           AND st.departure IS NOT NULL AND st.departure >= %(after)s AND st.pickup_type <> 1
           AND EXISTS (SELECT 1 FROM transit_stoptime n
                        WHERE n.feed_id = st.feed_id AND n.trip_id = st.trip_id
                          AND n.stop_sequence > st.stop_sequence)
         ORDER BY st.departure, l.short_name, t.trip_id""",
        {"feeds": [feed.pk], "feed": feed.pk, "day": day, "stop": stop_id, "after": after})
    for r in rows:
        r["time"] = clock(r["seconds"])
        r["next_day"] = r["seconds"] >= 86400
    return rows


def arrivals(*, feed: Feed, stop_ids: list[str], day: date) -> list[dict[str, Any]]:
    """Timed calls where passengers may get off (not a trip's first stop), in time order."""
    return _rows(f"""
        WITH active AS ({ACTIVE_SERVICES})
        SELECT st.arrival AS seconds, st.stop_id, t.trip_id, l.short_name, l.long_name
          FROM transit_stoptime st
          JOIN transit_trip t ON t.feed_id = st.feed_id AND t.trip_id = st.trip_id
          JOIN active a ON a.feed_id = t.feed_id AND a.service_id = t.service_id
          JOIN transit_line l ON l.feed_id = t.feed_id AND l.route_id = t.route_id
         WHERE st.feed_id = %(feed)s AND st.stop_id = ANY(%(stops)s)
           AND st.arrival IS NOT NULL AND st.drop_off_type <> 1
           AND EXISTS (SELECT 1 FROM transit_stoptime p
                        WHERE p.feed_id = st.feed_id AND p.trip_id = st.trip_id
                          AND p.stop_sequence < st.stop_sequence)
         ORDER BY st.arrival""", {"feeds": [feed.pk], "feed": feed.pk, "day": day,
                                  "stops": stop_ids})


def stops_near(*, lon: float, lat: float, radius_m: float, today: date,
               limit: int = 20) -> list[dict[str, Any]]:
    """Stops of unexpired feeds within ``radius_m`` of a point (straight line on the
    spheroid), nearest first, with the walking minutes at 4 km/h and their lines."""
    rows = _rows("""
        WITH h AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), %(srid)s)::geography
                          AS here)
        SELECT s.feed_id, p.slug || '/' || f.name AS feed, s.stop_id, s.code, s.name,
               ST_X(s.location) AS lon, ST_Y(s.location) AS lat,
               round(ST_Distance(s.location::geography, here)::numeric, 0)::int AS distance_m
          FROM transit_stop s
          JOIN transit_feed f ON f.id = s.feed_id
          JOIN layers_partner p ON p.id = f.partner_id
         CROSS JOIN h
         WHERE f.valid_to >= %(today)s AND s.location_type = 0
           AND ST_DWithin(s.location::geography, here, %(radius)s)
         ORDER BY distance_m, s.name, s.stop_id
         LIMIT %(limit)s""",
        {"lon": lon, "lat": lat, "srid": WGS84, "radius": radius_m, "today": today, "limit": limit})
    for r in rows:
        r["walk_min"] = round(r["distance_m"] / WALK_M_PER_MIN)
        r["lines"] = lines_at(feed_id=r["feed_id"], stop_id=r["stop_id"])
    return rows


def lines_at(*, feed_id: int, stop_id: str) -> list[dict[str, Any]]:
    """The lines whose trips call at a stop."""
    # Driven from the stop's calls (the (feed, stop_id) index), so that a feed just
    # imported, whose statistics the site's role may not refresh, is planned well too.
    return _rows("""
        SELECT DISTINCT l.route_id, l.short_name, l.long_name, l.route_type, l.color
          FROM transit_stoptime st
          JOIN transit_trip t ON t.feed_id = st.feed_id AND t.trip_id = st.trip_id
          JOIN transit_line l ON l.feed_id = t.feed_id AND l.route_id = t.route_id
         WHERE st.feed_id = %(feed)s AND st.stop_id = %(stop)s
         ORDER BY l.short_name, l.long_name, l.route_id""",
        {"feed": feed_id, "stop": stop_id})


def route_start(slug: str) -> tuple[tuple[float, float], int | None] | None:
    """Where a public route starts (its first stop, else its line's first point) and its
    total time in minutes; None for no such public route, or one with nowhere to start."""
    route = (PilotRoute.objects.filter(slug=slug, status__in=PUBLIC_STATUSES)
             .exclude(partners__sandbox=True).first())
    if route is None:
        return None
    first = route.stops.select_related("attraction").order_by("order").first()
    if first is not None:
        return (first.attraction.location.x, first.attraction.location.y), route.duration_min
    if route.geom is not None and not route.geom.empty:
        x, y = route.geom[0][0][:2]
        return (x, y), route.duration_min
    return None


def how_to_get_there(*, lon: float, lat: float, day: date, today: date, stay_min: int,
                     radius_m: float = WALK_DEFAULT_M) -> dict[str, Any]:
    """Stops within walking distance of a start, their lines, departures on ``day``, and
    whether a same-day return fits: from the first arrival at one of the stops, walking to
    the start, spending ``stay_min`` minutes, walking back to a stop, a departure is left.
    """
    stops = stops_near(lon=lon, lat=lat, radius_m=radius_m, today=today)
    feeds_by_id = {f.pk: f for f in Feed.objects.select_related("partner")
                   .filter(pk__in={s["feed_id"] for s in stops})}
    first: dict[str, Any] | None = None
    last: dict[str, Any] | None = None
    for s in stops:
        feed = feeds_by_id[s["feed_id"]]
        s["in_service"] = feed.valid_from <= day <= feed.valid_to
        s["departures"] = [] if not s["in_service"] else [
            {k: d[k] for k in ("time", "next_day", "short_name", "long_name", "headsign",
                               "trip_id")}
            for d in departures(feed=feed, stop_id=s["stop_id"], day=day, today=today)]
        if not s["in_service"]:
            continue
        walk_s = s["walk_min"] * 60
        for a in arrivals(feed=feed, stop_ids=[s["stop_id"]], day=day)[:1]:
            at_start = a["seconds"] + walk_s
            if first is None or at_start < first["at_start_s"]:
                first = {"stop_id": s["stop_id"], "feed": s["feed"], "time": clock(a["seconds"]),
                         "line": a["short_name"] or a["long_name"], "at_start_s": at_start}
        for d in s["departures"][-1:]:
            seconds = _seconds(d["time"]) - walk_s
            if last is None or seconds > last["leave_start_s"]:
                last = {"stop_id": s["stop_id"], "feed": s["feed"], "time": d["time"],
                        "line": d["short_name"] or d["long_name"], "leave_start_s": seconds}
    same_day = None
    if first is not None and last is not None:
        same_day = last["leave_start_s"] - first["at_start_s"] >= stay_min * 60
    for s in stops:
        s.pop("feed_id", None)
    return {"date": day.isoformat(), "stay_min": stay_min, "radius_m": radius_m,
            "stops": stops, "first_arrival": _public(first), "last_departure": _public(last),
            "same_day_return": same_day,
            "feeds": [feed_state(f, today).as_json() for f in
                      sorted(set(feeds_by_id.values()), key=lambda f: f.pk)]}


def _seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def _public(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {k: v for k, v in item.items() if not k.endswith("_s")}
