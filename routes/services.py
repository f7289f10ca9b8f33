"""Writes of pilot routes: composing them and recomputing what is computed.

``route_recompute`` runs whenever a route's stops or legs change (signals in
``routes/signals.py`` collect the routes touched in a transaction and recompute
each once, at commit) and when a trail its legs follow changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString
from django.db import transaction
from django.utils.translation import gettext as _

from geo.crs import WGS84
from geo.errors import Forbidden
from layers.models import Attraction, Trail
from layers.permissions import editable_partners
from routes import elevation, metrics, network, queue, roads, selectors
from routes.models import PilotRoute, RouteLeg, RouteStop
from routes.vocabulary import ACTIVE_MODES, MOTOR_SPEED_KMH, LegSource, Mode, StraightReason

ROAD_CIRCUITY = 1.3
"""A straight car, bus or train leg is timed as 1.3 times its length: the average
ratio of road to straight-line distance on regional networks (Ballou et al., 2002).
Its drawn length stays the straight line, and the leg says it is straight."""


@dataclass
class LegPlan:
    """What a leg is made of before it is computed."""

    mode: str
    source: str
    coords: np.ndarray  # (lon, lat[, z]) rows
    trail_ids: list[int] = field(default_factory=list)
    access_m: tuple[float, float] | None = None
    straight_reason: str = ""
    minutes: float | None = None  # a timetable's, where one sets the time
    transit_line: str = ""


@dataclass
class TransitPath:
    """A bus or train leg along a feed's line: the way (walk to the stop, the ride along
    the line's shape or its stops, walk from the stop), the minutes it takes by the
    timetable with the walks, and the line as people name it."""

    coords: np.ndarray
    minutes: float
    line: str


TransitFinder = Callable[[str, tuple[float, float], tuple[float, float]], TransitPath | None]
_TRANSIT_FINDERS: list[TransitFinder] = []


def transit_finder_register(finder: TransitFinder) -> None:
    """Let ``finder`` (mode, start, end) join a bus or train leg's stops along a
    timetabled line; the transit app registers its own (transit/legs.py): routes, below it,
    knows no feed."""
    if finder not in _TRANSIT_FINDERS:
        _TRANSIT_FINDERS.append(finder)


@dataclass
class Computed:
    legs: list[tuple[LegPlan, metrics.LegMetrics]]
    length_m: float
    ascent_m: float | None
    descent_m: float | None
    min_elevation_m: float | None
    max_elevation_m: float | None
    steepest_grade_pct: float | None
    moving_min: float
    stops_min: int
    duration_by_mode: dict[str, int]
    difficulty: metrics.Difficulty
    modes: list[str]

    @property
    def duration_min(self) -> int:
        return round(self.moving_min + self.stops_min)


def _coords(geom: GEOSGeometry) -> np.ndarray:
    g = shapely.from_wkb(bytes(geom.wkb))
    return shapely.get_coordinates(g, include_z=geom.hasz)


def _substring(coords: np.ndarray, start_m: float | None, end_m: float | None) -> np.ndarray:
    """The part of a line between two distances along it; backwards if end < start."""
    dist = metrics.cumulative_distance(coords)
    total = dist[-1]
    a = 0.0 if start_m is None else min(max(start_m, 0.0), total)
    b = total if end_m is None else min(max(end_m, 0.0), total)
    lo, hi = min(a, b), max(a, b)
    inside = (dist > lo) & (dist < hi)
    cols = [np.interp([lo, hi], dist, coords[:, k]) for k in range(coords.shape[1])]
    first, last = np.array([c[0] for c in cols]), np.array([c[1] for c in cols])
    part = np.vstack([first, coords[inside], last])
    return part[::-1] if b < a else part


def trail_coords(trail: Trail) -> np.ndarray:
    """A trail's parts joined in order into one line (lon, lat[, z])."""
    parts = [_coords(line) for line in trail.geom]
    out = [parts[0]]
    for p in parts[1:]:
        out.append(p[1:] if np.allclose(p[0][:2], out[-1][-1][:2]) else p)
    return np.vstack(out)


def compute(plans: list[LegPlan], stops_min: int) -> Computed:
    """Every metric of a route from its legs (pure: writes nothing)."""
    done = []
    for plan in plans:
        m = metrics.leg_metrics(plan.mode, plan.coords)
        if plan.minutes is not None:
            m.duration_min = plan.minutes
        elif plan.source == LegSource.STRAIGHT and plan.mode in MOTOR_SPEED_KMH:
            m.duration_min *= ROAD_CIRCUITY
        done.append((plan, m))
    ms = [m for _p, m in done]
    # A leg has its four elevation metrics or none of them (metrics.leg_metrics).
    ascents = [m.ascent_m for m in ms if m.ascent_m is not None]
    descents = [m.descent_m for m in ms if m.descent_m is not None]
    lows = [m.min_elevation_m for m in ms if m.min_elevation_m is not None]
    highs = [m.max_elevation_m for m in ms if m.max_elevation_m is not None]
    by_mode: dict[str, float] = {}
    for m in ms:
        by_mode[m.mode] = by_mode.get(m.mode, 0.0) + m.duration_min
    grades = [m.steepest_grade_pct for m in ms
              if m.steepest_grade_pct is not None and m.mode in ACTIVE_MODES]
    return Computed(
        legs=done,
        length_m=sum(m.length_m for m in ms),
        ascent_m=sum(ascents) if ascents else None,
        descent_m=sum(descents) if descents else None,
        min_elevation_m=min(lows) if lows else None,
        max_elevation_m=max(highs) if highs else None,
        steepest_grade_pct=max(grades) if grades else None,
        moving_min=sum(m.duration_min for m in ms),
        stops_min=stops_min,
        duration_by_mode={k: round(v) for k, v in by_mode.items()},
        difficulty=metrics.difficulty(ms),
        modes=list(dict.fromkeys(m.mode for m in ms)),
    )


def _point(attraction: Attraction) -> tuple[float, float]:
    return (attraction.location.x, attraction.location.y)


ROAD_MODES = (Mode.WALK, Mode.BIKE, Mode.CAR)
"""Modes routed along the networks of paths and roads imported from OpenStreetMap."""


def plan_leg(*, mode: str, a: Attraction, b: Attraction, partner_ids: list[int]) -> LegPlan:
    """A new leg from stop ``a`` to stop ``b``. Walking and cycling follow the partners'
    trails when they join the stops (reaching them along paths and roads), else the
    paths and roads their mode may use; a car, the roads. Without a network that joins
    the stops the leg is a straight line, and says why."""
    start, end = _point(a), _point(b)
    if mode in ACTIVE_MODES and partner_ids:
        path = network.shortest_path(partner_ids=partner_ids, start=start, end=end)
        if path is not None:
            coords = _reach_trail(path, mode, partner_ids, start, end)
            return LegPlan(mode, LegSource.ROUTED, coords, path.trail_ids, path.access_m)
    if mode in ROAD_MODES and partner_ids:
        found = roads.shortest_road_path(partner_ids=partner_ids, mode=mode, start=start,
                                         end=end)
        if isinstance(found, roads.RoadPath):
            return LegPlan(mode, LegSource.NETWORK,
                           elevation.from_trails(found.coords, partner_ids),
                           access_m=found.access_m)
        reason = str(found)
    elif mode in ROAD_MODES:
        reason = StraightReason.NO_NETWORK
    else:
        for finder in _TRANSIT_FINDERS:
            path_found = finder(mode, start, end)
            if path_found is not None:
                return LegPlan(mode, LegSource.TRANSIT, path_found.coords,
                               minutes=path_found.minutes, transit_line=path_found.line)
        reason = StraightReason.ESTIMATE
    return LegPlan(mode, LegSource.STRAIGHT, np.array([start, end]), straight_reason=reason)


def _reach_trail(path: network.Path, mode: str, partner_ids: list[int],
                 start: tuple[float, float], end: tuple[float, float]) -> np.ndarray:
    """The trail path with its straight lines from the stops to the trail replaced by the
    paths and roads that lead there, where a network has them. The trail keeps its
    elevation; the ways to it take that of a trail that runs beside them, and have none
    elsewhere (NaN: the profile says so rather than show made-up heights)."""
    coords = elevation.with_unknown(path.coords)
    lead_in = path.access_m[0] >= network.CONNECTOR_MIN_M
    lead_out = path.access_m[1] >= network.CONNECTOR_MIN_M
    head = tail = None
    if lead_in:
        found = roads.shortest_road_path(partner_ids=partner_ids, mode=mode, start=start,
                                         end=(coords[1][0], coords[1][1]))
        head = found.coords if isinstance(found, roads.RoadPath) else None
    if lead_out:
        found = roads.shortest_road_path(partner_ids=partner_ids, mode=mode,
                                         start=(coords[-2][0], coords[-2][1]), end=end)
        tail = found.coords if isinstance(found, roads.RoadPath) else None
    if head is None and tail is None:
        return path.coords
    body = coords[1 if lead_in else 0: len(coords) - 1 if lead_out else len(coords)]

    def way(part: np.ndarray | None, straight: np.ndarray) -> np.ndarray:
        if part is None:  # the straight connector, at the trail's elevation as before
            return straight
        return elevation.from_trails(part, partner_ids)

    parts = [way(head, coords[:1]) if lead_in else None, body,
             way(tail, coords[-1:]) if lead_out else None]
    return np.vstack([p for p in parts if p is not None])


def _leg_plan(leg: RouteLeg, stops: dict[int, RouteStop], partner_ids: list[int]) -> LegPlan:
    a, b = stops.get(leg.order), stops.get(leg.order + 1)
    if leg.source == LegSource.TRAIL and leg.trail is not None:
        coords = _substring(trail_coords(leg.trail), leg.trail_start_m, leg.trail_end_m)
        return LegPlan(leg.mode, leg.source, coords, [leg.trail.pk])
    if leg.source == LegSource.DRAWN and leg.drawn is not None:
        return LegPlan(leg.mode, leg.source, _coords(leg.drawn))
    if leg.source in (LegSource.ROUTED, LegSource.NETWORK, LegSource.STRAIGHT,
                      LegSource.TRANSIT) and a and b:
        # Routed again each time: a network imported or a trail added since may join
        # them; if none does, the plan is straight and says why.
        return plan_leg(mode=leg.mode, a=a.attraction, b=b.attraction, partner_ids=partner_ids)
    if leg.source in (LegSource.TRAIL, LegSource.DRAWN) and leg.geom is not None:
        # Its trail was deleted or its drawing cleared: keep the way last travelled.
        return LegPlan(leg.mode, leg.source, selectors.leg_coordinates(
            bytes(leg.geom.wkb), 3 if leg.geom.hasz else 2, leg.elevations))
    if a and b:
        return LegPlan(leg.mode, LegSource.STRAIGHT,
                       np.array([_point(a.attraction), _point(b.attraction)]))
    raise ValueError(f"leg {leg.order} of {leg.route.slug}: no stops {leg.order} and "
                     f"{leg.order + 1} to join, and no trail or drawing")


def _stored(coords: np.ndarray) -> tuple[LineString, list[float | None] | None]:
    """A leg's line and its ``elevations`` (``RouteLeg``): Z in the line when every point
    has one, else the line in 2D with each point's elevation or None, when some have."""
    if elevation.has_all(coords) or coords.shape[1] < 3:
        return _line(coords), None
    z = coords[:, 2]
    values = None if not np.isfinite(z).any() else [
        round(float(v), 2) if np.isfinite(v) else None for v in z]
    return _line(coords[:, :2]), values


def _line(coords: np.ndarray) -> LineString:
    line = GEOSGeometry(shapely.to_wkb(shapely.linestrings(coords)).hex(), srid=WGS84)
    assert isinstance(line, LineString)  # GEOSGeometry is made of the class its WKB names
    return line


@transaction.atomic
def route_recompute(*, route: PilotRoute) -> PilotRoute:
    """Rebuild the route's legs' geometries, its geometry and every metric."""
    route = PilotRoute.objects.select_for_update().get(pk=route.pk)
    stops = {s.order: s for s in route.stops.select_related("attraction")}
    partner_ids = list(route.partners.values_list("id", flat=True))
    legs = list(route.legs.select_related("trail", "route"))
    plans = [_leg_plan(leg, stops, partner_ids) for leg in legs]
    result = compute(plans, sum(s.suggested_min for s in stops.values()))
    for leg, (plan, m) in zip(legs, result.legs, strict=True):
        line, elevations = _stored(plan.coords)
        # queryset.update: no signals, so recomputing does not trigger itself.
        RouteLeg.objects.filter(pk=leg.pk).update(
            geom=line, elevations=elevations, source=plan.source, length_m=m.length_m,
            straight_reason=plan.straight_reason, transit_line=plan.transit_line,
            duration_min=m.duration_min, ascent_m=m.ascent_m, descent_m=m.descent_m,
            trail=plan.trail_ids[0] if plan.trail_ids and plan.source != LegSource.DRAWN
            else leg.trail_id)
    # The stored line is the public's (lists, tiles, OGC API): without the legs that would
    # draw a stop or trail that is not public (routes/selectors.py says why).
    hidden = selectors.hidden_legs(route.pk)
    shown = [p for leg, (p, _m) in zip(legs, result.legs, strict=True)
             if leg.order not in hidden]
    if shown:
        # With Z only when every leg has it all along: a line's Z is all or nothing.
        full = all(elevation.has_all(p.coords) for p in shown)
        lines = [_line(p.coords if full else p.coords[:, :2]) for p in shown]
        geom = MultiLineString(*lines, srid=WGS84)
    else:
        geom = None
    fields = dict(
        geom=geom, transport_modes=result.modes, length_m=result.length_m,
        ascent_m=result.ascent_m, descent_m=result.descent_m,
        min_elevation_m=result.min_elevation_m, max_elevation_m=result.max_elevation_m,
        steepest_grade_pct=result.steepest_grade_pct, moving_min=round(result.moving_min),
        stops_min=result.stops_min, duration_min=result.duration_min,
        duration_by_mode=result.duration_by_mode, difficulty=result.difficulty.level,
        difficulty_basis=result.difficulty.as_dict())
    PilotRoute.objects.filter(pk=route.pk).update(**fields)
    queue.done(route.pk)
    route.refresh_from_db()
    return route


@dataclass
class StopSpec:
    attraction: Attraction
    suggested_min: int = 30
    notes: dict[str, str] = field(default_factory=dict)  # lang -> note


@transaction.atomic
def route_compose(*, route: PilotRoute, stops: list[StopSpec], modes: list[str]) -> PilotRoute:
    """Replace the route's stops and legs: ``modes[i]`` is the leg from stop i to i+1."""
    if len(modes) != max(len(stops) - 1, 0):
        raise ValueError(f"{len(stops)} stops need {max(len(stops) - 1, 0)} leg modes, "
                         f"got {len(modes)}")
    for mode in modes:
        Mode(mode)  # ValueError on an unknown mode
    RouteLeg.objects.filter(route=route).delete()
    RouteStop.objects.filter(route=route).delete()
    for i, spec in enumerate(stops, start=1):
        RouteStop.objects.create(route=route, order=i, attraction=spec.attraction,
                                 suggested_min=spec.suggested_min,
                                 **{f"note_{lang}": text for lang, text in spec.notes.items()})
    for i, mode in enumerate(modes, start=1):
        RouteLeg.objects.create(route=route, order=i, mode=mode, source=LegSource.ROUTED
                                if mode in ACTIVE_MODES else LegSource.STRAIGHT)
    return route_recompute(route=route)


def route_preview(*, stops: list[StopSpec], modes: list[str],
                  partner_ids: list[int]) -> tuple[Computed, MultiLineString | None]:
    """The metrics and geometry a composition would have, without saving anything."""
    if len(modes) != max(len(stops) - 1, 0):
        raise ValueError(f"{len(stops)} stops need {max(len(stops) - 1, 0)} leg modes, "
                         f"got {len(modes)}")
    plans = [plan_leg(mode=Mode(mode), a=a.attraction, b=b.attraction, partner_ids=partner_ids)
             for mode, a, b in zip(modes, stops[:-1], stops[1:], strict=True)]
    result = compute(plans, sum(s.suggested_min for s in stops))
    lines = [_line(p.coords[:, :2]) for p in plans]
    return result, MultiLineString(*lines, srid=WGS84) if lines else None


def route_manageable(*, user: User | AnonymousUser, route: PilotRoute | None = None) -> bool:
    """Whether ``user`` creates routes (``route`` None) or describes, sets the status of,
    publishes and composes ``route``: an editor of one of its partners (staff in the
    partner's editors group, ``layers.permissions``) or a superuser."""
    partners = editable_partners(user)
    if route is None:
        return partners.exists()
    return route.partners.filter(pk__in=partners).exists()


def route_deletable(*, user: User | AnonymousUser, route: PilotRoute) -> bool:
    """Whether ``user`` deletes ``route``: an editor of all its partners, since deleting
    a shared route would delete it for the other partners too."""
    return route_manageable(user=user, route=route) and not route.partners.exclude(
        pk__in=editable_partners(user)).exists()


@transaction.atomic
def route_delete(*, route: PilotRoute, user: User | AnonymousUser) -> None:
    if not route_deletable(user=user, route=route):
        raise Forbidden(_("Only an editor of all of this route's partners may delete it."))
    route.delete()
