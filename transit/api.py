"""The public-transport API: feeds, stops near a point, departures from a stop on a day,
and "how to get there" to a point, a pilot route, a trail or an attraction."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from geo.errors import BadParameter
from geo.params import number, refuse_unknown, single
from layers.admin import visible_layers
from layers.models import Attraction, Trail
from transit import selectors
from transit.gtfs.files import parse_time
from transit.models import Feed, Stop

DATE = OpenApiParameter("date", OpenApiTypes.DATE,
                        description="the service day, YYYY-MM-DD (default: today)")
NEAR = OpenApiParameter("near", str, description="lon,lat (WGS 84 degrees)")
RADIUS = OpenApiParameter(
    "radius", float, description=f"walking distance in metres, straight line (default "
                                 f"{selectors.WALK_DEFAULT_M}, at most {selectors.WALK_MAX_M})")


def today() -> date:
    return timezone.localdate()


def parse_day(request: Request | HttpRequest) -> date:
    raw = single(request.GET, "date")
    if not raw:
        return today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter("date", _("%(value)s is not a date written YYYY-MM-DD")
                           % {"value": repr(raw)}) from None


def parse_near(request: Request, *, required: bool) -> tuple[float, float] | None:
    raw = single(request.GET, "near")
    if not raw:
        if required:
            raise BadParameter("near", _("required: lon,lat in WGS 84 degrees"))
        return None
    try:
        lon, lat = (float(v) for v in raw.split(","))
    except ValueError:
        raise BadParameter("near", _("expected lon,lat in WGS 84 degrees")) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadParameter("near", _("the longitude must lie in [-180, 180], the latitude "
                                     "in [-90, 90]"))
    return lon, lat


def parse_feed(request: Request) -> Feed:
    raw = single(request.GET, "feed")
    if not raw:
        raise BadParameter("feed", _("required: partner/name, as /api/transit/feeds/ lists"))
    feed = selectors.feed_by_id(raw)
    if feed is None:
        raise BadParameter("feed", _("no feed %(value)s") % {"value": repr(raw)})
    return feed


def check_in_service(feed: Feed, day: date) -> None:
    """Never a departure from an expired feed, nor for a day the feed does not cover."""
    if feed.valid_to < today():
        raise BadParameter("feed", _("the timetable %(feed)s ended on %(end)s: its departures "
                                     "are no longer shown") % {"feed": feed.name,
                                                               "end": feed.valid_to})
    if not feed.valid_from <= day <= feed.valid_to:
        raise BadParameter("date", _("the timetable %(feed)s covers %(start)s to %(end)s")
                           % {"feed": feed.name, "start": feed.valid_from,
                              "end": feed.valid_to})


class Feeds(APIView):
    @extend_schema(parameters=[OpenApiParameter("partner", str, description="partner slug")],
                   responses={200: OpenApiTypes.OBJECT},
                   summary="Public-transport feeds: dates, licence, expired or ending soon")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, {"partner"})
        partner = single(request.GET, "partner")
        return JsonResponse({"feeds": [s.as_json() for s in
                                       selectors.feeds(today=today(), partner=partner)]})


class Stops(APIView):
    @extend_schema(parameters=[NEAR, RADIUS], responses={200: OpenApiTypes.OBJECT},
                   summary="Stops within walking distance of a point, with their lines")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, {"near", "radius"})
        near = parse_near(request, required=True)
        assert near is not None
        radius = number(request.GET, "radius", low=1, high=selectors.WALK_MAX_M,
                        default=selectors.WALK_DEFAULT_M)
        stops = selectors.stops_near(lon=near[0], lat=near[1], radius_m=radius, today=today())
        for s in stops:
            s.pop("feed_id")
        return JsonResponse({"stops": stops})


class Departures(APIView):
    @extend_schema(parameters=[
        OpenApiParameter("feed", str, required=True, description="partner/name of the feed"),
        OpenApiParameter("stop", str, required=True, description="the feed's stop_id"),
        DATE, OpenApiParameter("after", str, description="HH:MM, from this time on")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Departures from a stop on a service day (400 for an expired feed)")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, {"feed", "stop", "date", "after"})
        feed = parse_feed(request)
        stop_id = single(request.GET, "stop")
        if not stop_id:
            raise BadParameter("stop", _("required: the feed's stop_id"))
        stop = Stop.objects.filter(feed=feed, stop_id=stop_id).first()
        if stop is None:
            raise BadParameter("stop", _("no stop %(value)s in this feed") % {"value":
                                                                             repr(stop_id)})
        day = parse_day(request)
        after = 0
        raw = single(request.GET, "after")
        if raw:
            parsed = parse_time(raw if raw.count(":") == 2 else f"{raw}:00")
            if parsed is None:
                raise BadParameter("after", _("%(value)s is not a time written HH:MM")
                                   % {"value": repr(raw)})
            after = parsed
        check_in_service(feed, day)
        rows = selectors.departures(feed=feed, stop_id=stop_id, day=day, today=today(),
                                    after=after)
        return JsonResponse({
            "feed": selectors.feed_state(feed, today()).as_json(),
            "stop": {"stop_id": stop.stop_id, "name": stop.name, "lon": stop.location.x,
                     "lat": stop.location.y},
            "date": day.isoformat(),
            "departures": [{k: r[k] for k in ("time", "next_day", "route_id", "short_name",
                                              "long_name", "headsign", "trip_id")}
                           for r in rows]})


def start_of(request: Request) -> tuple[tuple[float, float], int | None]:
    """The point to reach and the minutes to stay: ``near``, or a public route's first
    stop (its total time), a trail's start (its estimated duration), an attraction."""
    given = [n for n in ("near", "route", "trail", "attraction") if single(request.GET, n)]
    if len(given) != 1:
        raise BadParameter("near", _("give one of near, route, trail or attraction"))
    kind = given[0]
    raw = single(request.GET, kind) or ""
    if kind == "near":
        near = parse_near(request, required=True)
        assert near is not None
        return near, None
    if kind == "route":
        start = selectors.route_start(raw)
        if start is None:
            raise BadParameter("route", _("no public route %(value)s with a stop")
                               % {"value": repr(raw)})
        return start
    try:
        uid = uuid.UUID(raw)
    except ValueError:
        raise BadParameter(kind, _("%(value)s is not a public id") % {"value": repr(raw)}
                           ) from None
    layers = visible_layers(request.user)
    if kind == "trail":
        trail = Trail.objects.filter(uid=uid, layer__in=layers, retired_at__isnull=True).first()
        if trail is None:
            raise BadParameter("trail", _("no trail %(value)s") % {"value": raw})
        x, y = trail.geom[0][0][:2]
        return (x, y), trail.duration_min
    attraction = Attraction.objects.filter(uid=uid, layer__in=layers,
                                           retired_at__isnull=True).first()
    if attraction is None:
        raise BadParameter("attraction", _("no attraction %(value)s") % {"value": raw})
    return (attraction.location.x, attraction.location.y), None


class Access(APIView):
    @extend_schema(parameters=[
        NEAR, OpenApiParameter("route", str, description="a public route's slug"),
        OpenApiParameter("trail", str, description="a trail's public id (its start)"),
        OpenApiParameter("attraction", str, description="an attraction's public id"),
        DATE, RADIUS,
        OpenApiParameter("stay", int, description="minutes to spend there (default: the "
                                                  "route's or trail's time, else 120)")],
        responses={200: OpenApiTypes.OBJECT},
        summary="How to get there by public transport: stops within walking distance, "
                "their lines and departures on a day, and whether a same-day return fits")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, {"near", "route", "trail", "attraction", "date", "radius",
                                     "stay"})
        (lon, lat), minutes = start_of(request)
        day = parse_day(request)
        radius = number(request.GET, "radius", low=1, high=selectors.WALK_MAX_M,
                        default=selectors.WALK_DEFAULT_M)
        stay = number(request.GET, "stay", low=0, high=24 * 60, integer=True,
                      default=minutes if minutes is not None else 120)
        body: dict[str, Any] = selectors.how_to_get_there(
            lon=lon, lat=lat, day=day, today=today(), stay_min=int(stay), radius_m=radius)
        body["start"] = {"lon": lon, "lat": lat}
        return JsonResponse(body)
