"""How a route's length, climb, duration and difficulty are computed.

Everything here is a pure function of coordinates, so that the numbers can be
checked by hand and are the same in all three countries:

- **Length** is geodesic, on the WGS 84 ellipsoid (``pyproj.Geod``), the same as
  PostGIS ``geography``.
- **Ascent and descent** use a hysteresis of ``ELEVATION_THRESHOLD_M`` (3 m), the
  same as the trails' PostGIS trigger: an elevation change counts only once it
  exceeds the threshold from the last counted point, so GPS and DEM noise whose
  swing stays under 3 m adds no climb, and a real climb is never undercounted by
  more than the threshold.
- **Slopes** (for walking and cycling times and the steepest grade) are taken on
  the profile resampled every ``STEP_M`` (25 m) and averaged over
  ``SLOPE_WINDOW_M`` (100 m), so one noisy point does not make a wall; beyond 100 %
  a slope is timed as 100 % (``MAX_SLOPE``).
- **Walking** time follows Tobler's hiking function,
  ``speed = 6 · exp(-3.5 · |slope + 0.05|)`` km/h (5.0 km/h on the flat, fastest on
  a gentle descent).
- **Cycling** time follows a power balance for a leisure cyclist: ``CYCLIST_W``
  (75 W) against rolling resistance, gravity and air drag, with the speed capped
  at ``MAX_BIKE_KMH`` downhill and never below ``MIN_BIKE_KMH`` (pushing).
- **Car, bus, train** legs take their length at the mode's average speed
  (``vocabulary.MOTOR_SPEED_KMH``).
- **A leg with elevation on part of its way** (a path along a partner's trail, then a
  road without one: ``routes.elevation``) is measured on each stretch with elevation
  alone: its climb and steepest grade there, its time by slope there and at the flat
  speed elsewhere; nothing is guessed across a stretch without elevation.
- **Difficulty** is one scale for walking and cycling, from the effort in
  *effort-kilometres* (the Swiss Alpine Club's Leistungskilometer): walking km +
  cycling km / 4 + ascent / 100 m. Under 10 is easy, under 20 moderate, under 32
  hard, beyond that very hard. A steepest sustained grade (over ``GRADE_WINDOW_M``,
  200 m) of 15 % or more makes a route at least moderate, 25 % at least hard.
  It measures walking and cycling only: the kilometres by car, bus or train are
  counted apart (``motor_length_m``) and named beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pyproj import Geod

from routes.vocabulary import MOTOR_SPEED_KMH, Mode

GEOD = Geod(ellps="WGS84")
ELEVATION_THRESHOLD_M = 3.0
STEP_M = 25.0
SLOPE_WINDOW_M = 100.0
GRADE_WINDOW_M = 200.0
MAX_SLOPE = 1.0
"""Steeper than 100 % over 100 m is a scramble or an elevation error: timed as 100 %."""
CYCLIST_W = 75.0
CYCLIST_MASS_KG = 90.0  # rider, bike and luggage
ROLLING_RESISTANCE = 0.007  # touring tyres on mixed surfaces
DRAG_AREA_M2 = 0.6  # upright rider (CdA)
AIR_DENSITY = 1.2
G = 9.81
MAX_BIKE_KMH = 35.0
MIN_BIKE_KMH = 5.0
BIKE_EFFORT_FACTOR = 4.0
EFFORT_LEVELS = ((10.0, "easy"), (20.0, "moderate"), (32.0, "hard"))
GRADE_LEVELS = ((25.0, "hard"), (15.0, "moderate"))
LEVEL_ORDER = ("easy", "moderate", "hard", "very_hard")


# WGS 84, as GEOD: semi-major axis (m) and first eccentricity squared.
_A = 6378137.0
_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)


def geodesic_steps(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The geodesic length in metres on the WGS 84 ellipsoid of each step between
    consecutive points (degrees), for steps of up to a few kilometres, such as between
    the nodes of an OSM way: within 1e-8 m of ``GEOD.inv`` under 3 km and 1e-5 m at
    10 km (tests/routes/test_metrics.py), in a tenth of its time.

    Each step's chord between the points on the ellipsoid (Earth-centred coordinates),
    lengthened to the arc of the normal section along it, whose curvature is Euler's
    for the step's direction: s = c (1 + (kc)²/24 + 3 (kc)⁴/640)."""
    lam, phi = np.radians(lon), np.radians(lat)
    sin_phi, cos_phi, sin_lam, cos_lam = np.sin(phi), np.cos(phi), np.sin(lam), np.cos(lam)
    w2 = 1 - _E2 * sin_phi * sin_phi
    n = _A / np.sqrt(w2)  # the prime vertical's radius of curvature
    x, y, z = n * cos_phi * cos_lam, n * cos_phi * sin_lam, n * (1 - _E2) * sin_phi
    dx, dy, dz = np.diff(x), np.diff(y), np.diff(z)
    chord2 = dx * dx + dy * dy + dz * dz
    # The chord's parts north and east at the step's first point, for its direction.
    sp, cp, sl, cl = sin_phi[:-1], cos_phi[:-1], sin_lam[:-1], cos_lam[:-1]
    north = -sp * cl * dx - sp * sl * dy + cp * dz
    east = -sl * dx + cl * dy
    across2 = north * north + east * east
    w = w2[:-1]
    meridian = _A * (1 - _E2) / (w * np.sqrt(w))
    prime = n[:-1]
    safe = np.where(across2 > 0, across2, 1.0)
    curvature = np.where(across2 > 0, (north * north / meridian + east * east / prime) / safe,
                         1 / prime)
    kc2 = curvature * curvature * chord2
    return np.sqrt(chord2) * (1 + kc2 / 24 + 3 * kc2 * kc2 / 640)


def cumulative_distance(coords: np.ndarray) -> np.ndarray:
    """Distance along a line of (lon, lat[, z]) rows, in metres from its first point."""
    coords = np.asarray(coords, dtype=float)
    if len(coords) < 2:
        return np.zeros(len(coords))
    _, _, steps = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    return np.concatenate([[0.0], np.cumsum(steps)])


def climb(z: np.ndarray, threshold: float = ELEVATION_THRESHOLD_M) -> tuple[float, float]:
    """(ascent, descent) in metres of an elevation series, with the hysteresis threshold."""
    ascent = descent = 0.0
    ref = None
    for value in np.asarray(z, dtype=float):
        if ref is None:
            ref = value
        elif value - ref > threshold:
            ascent += value - ref
            ref = value
        elif ref - value > threshold:
            descent += ref - value
            ref = value
    return ascent, descent


def resample(dist: np.ndarray, z: np.ndarray, step: float = STEP_M) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """The profile at every ``step`` metres (and at its end), linearly interpolated."""
    total = float(dist[-1]) if len(dist) else 0.0
    if total <= 0:
        return np.array([0.0]), np.asarray(z[:1], dtype=float)
    at = np.arange(0.0, total, step)
    at = np.append(at, total)
    return at, np.interp(at, dist, z)


def slopes(dist: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(step lengths, slope of each step) on the resampled profile, slopes averaged over
    ``SLOPE_WINDOW_M`` centred on the step."""
    at, ele = resample(dist, z)
    if len(at) < 2:
        return np.zeros(0), np.zeros(0)
    half = SLOPE_WINDOW_M / 2
    mid = (at[:-1] + at[1:]) / 2
    lo = np.clip(mid - half, 0, at[-1])
    hi = np.clip(mid + half, 0, at[-1])
    rise = np.interp(hi, at, ele) - np.interp(lo, at, ele)
    run = np.maximum(hi - lo, 1e-9)
    return np.diff(at), np.clip(rise / run, -MAX_SLOPE, MAX_SLOPE)


def tobler_kmh(slope: np.ndarray | float) -> np.ndarray:
    """Tobler's hiking function: walking speed (km/h) on a slope (rise over run)."""
    return 6.0 * np.exp(-3.5 * np.abs(np.asarray(slope) + 0.05))


def bike_kmh(slope: np.ndarray | float) -> np.ndarray:
    """Leisure cycling speed (km/h) on a slope, from the power balance
    ``P = v·m·g·(sin θ + Crr·cos θ) + ½·ρ·CdA·v³``, solved by Newton's method."""
    s = np.atleast_1d(np.asarray(slope, dtype=float))
    theta = np.arctan(s)
    resist = CYCLIST_MASS_KG * G * (np.sin(theta) + ROLLING_RESISTANCE * np.cos(theta))
    drag = 0.5 * AIR_DENSITY * DRAG_AREA_M2
    v = np.full_like(s, 8.0)  # m/s; the cubic is monotonic beyond its root, Newton converges
    for _ in range(50):
        f = resist * v + drag * v**3 - CYCLIST_W
        df = resist + 3 * drag * v**2
        v = np.maximum(v - f / np.where(df > 0, df, 1.0), 0.1)
    return np.clip(v * 3.6, MIN_BIKE_KMH, MAX_BIKE_KMH)


def steepest_grade(dist: np.ndarray, z: np.ndarray, window: float = GRADE_WINDOW_M) -> float:
    """The steepest average grade (percent, up or down) over any ``window`` metres."""
    at, ele = resample(dist, z)
    if at[-1] < window:
        return abs(ele[-1] - ele[0]) / at[-1] * 100 if at[-1] > 0 else 0.0
    ends = np.interp(at + window, at, ele)
    inside = at + window <= at[-1]
    return float(np.max(np.abs(ends[inside] - ele[inside])) / window * 100)


@dataclass
class LegMetrics:
    mode: str
    length_m: float
    duration_min: float
    ascent_m: float | None = None
    descent_m: float | None = None
    min_elevation_m: float | None = None
    max_elevation_m: float | None = None
    steepest_grade_pct: float | None = None
    distance: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    # Metres of the leg between two points with an elevation (all of it, or none, for
    # most legs; part of a leg along roads that a trail with elevation runs beside).
    elevation_known_m: float = 0.0


def known_runs(z: np.ndarray) -> list[slice]:
    """The stretches (index slices, two points or more) of consecutive finite elevations."""
    known = np.isfinite(np.asarray(z, dtype=float))
    runs, start = [], None
    for i, k in enumerate([*known, False]):
        if k and start is None:
            start = i
        elif not k and start is not None:
            if i - start >= 2:
                runs.append(slice(start, i))
            start = None
    return runs


def _flat_kmh(mode: str) -> float:
    return float(tobler_kmh(0.0)) if mode == Mode.WALK else float(bike_kmh(0.0)[0])


def leg_metrics(mode: str, coords: np.ndarray) -> LegMetrics:
    """Length, climb and duration of one leg: (lon, lat[, z]) rows travelled by ``mode``;
    a z of NaN is a point without elevation."""
    coords = np.asarray(coords, dtype=float)
    dist = cumulative_distance(coords)
    length = float(dist[-1]) if len(dist) else 0.0
    out = LegMetrics(mode=mode, length_m=length, duration_min=0.0, distance=dist)
    z = coords[:, 2] if coords.shape[1] >= 3 else np.full(len(coords), np.nan)
    runs = known_runs(z) if len(coords) >= 2 else []
    if runs:
        climbs = [climb(z[r]) for r in runs]
        out.ascent_m = sum(a for a, _d in climbs)
        out.descent_m = sum(d for _a, d in climbs)
        out.min_elevation_m = float(min(z[r].min() for r in runs))
        out.max_elevation_m = float(max(z[r].max() for r in runs))
        out.elevation_known_m = float(sum(dist[r][-1] - dist[r][0] for r in runs))
        if len(runs) == 1 and runs[0] == slice(0, len(coords)):
            out.steepest_grade_pct = steepest_grade(dist, z)
        else:
            # A short stretch's grade is one GPS point's noise over a few metres: only
            # stretches as long as the window say how steep the way is.
            grades = [steepest_grade(dist[r] - dist[r][0], z[r]) for r in runs
                      if dist[r][-1] - dist[r][0] >= GRADE_WINDOW_M]
            out.steepest_grade_pct = max(grades) if grades else None
    if mode in MOTOR_SPEED_KMH:
        out.duration_min = length / 1000 / MOTOR_SPEED_KMH[Mode(mode)] * 60
        return out
    minutes = 0.0
    for r in runs:
        run_dist = dist[r] - dist[r][0]
        if run_dist[-1] <= 0:
            continue
        steps, slope = slopes(run_dist, z[r])
        speed = tobler_kmh(slope) if mode == Mode.WALK else bike_kmh(slope)
        minutes += float(np.sum(steps / 1000 / speed) * 60)
    # The rest (all of a leg without elevation): the flat speed of the model.
    minutes += (length - out.elevation_known_m) / 1000 / _flat_kmh(mode) * 60
    out.duration_min = minutes
    return out


@dataclass
class Difficulty:
    level: str
    effort_km: float
    active_length_m: float
    ascent_m: float
    steepest_grade_pct: float | None
    decided_by: str  # "effort", "grade" or "none" (no walking or cycling)
    # Travelled by car, bus or train: not part of the difficulty, which measures the
    # effort of walking and cycling, and said beside it so that nobody reads "easy" as
    # "an easy 90 km".
    motor_length_m: float = 0.0
    # Of the walking and cycling, the metres with elevation: the ascent counts there only.
    elevation_known_m: float = 0.0

    def as_dict(self) -> dict:
        return {"level": self.level, "effort_km": round(self.effort_km, 1),
                "active_length_m": round(self.active_length_m), "ascent_m": round(self.ascent_m),
                "steepest_grade_pct": None if self.steepest_grade_pct is None
                else round(self.steepest_grade_pct, 1), "decided_by": self.decided_by,
                "motor_length_m": round(self.motor_length_m),
                "elevation_known_m": round(self.elevation_known_m)}


def difficulty(legs: list[LegMetrics]) -> Difficulty:
    """One transparent scale over the walking and cycling legs (see the module docstring)."""
    walk = sum(leg.length_m for leg in legs if leg.mode == Mode.WALK)
    bike = sum(leg.length_m for leg in legs if leg.mode == Mode.BIKE)
    active = [leg for leg in legs if leg.mode in (Mode.WALK, Mode.BIKE)]
    ascent = sum(leg.ascent_m or 0.0 for leg in active)
    grades = [leg.steepest_grade_pct for leg in active if leg.steepest_grade_pct is not None]
    grade = max(grades) if grades else None
    motor = sum(leg.length_m for leg in legs if leg.mode not in (Mode.WALK, Mode.BIKE))
    known = sum(leg.elevation_known_m for leg in active)
    if not active:
        return Difficulty("easy", 0.0, 0.0, 0.0, None, "none", motor)
    effort = walk / 1000 + bike / 1000 / BIKE_EFFORT_FACTOR + ascent / 100
    level = next((name for limit, name in EFFORT_LEVELS if effort < limit), "very_hard")
    decided_by = "effort"
    if grade is not None:
        floor = next((name for limit, name in GRADE_LEVELS if grade >= limit), "easy")
        if LEVEL_ORDER.index(floor) > LEVEL_ORDER.index(level):
            level, decided_by = floor, "grade"
    return Difficulty(level, effort, walk + bike, ascent, grade, decided_by, motor, known)


def profile(legs: list[tuple[np.ndarray, LegMetrics]], max_points: int = 1000) -> list[list]:
    """[distance_m, elevation_m or None, lon, lat] along the whole route, legs in order.

    Points without elevation appear with ``None`` so that a chart shows a gap, not a
    made-up flat line. Long profiles are thinned evenly to ``max_points``.
    """
    rows: list[list] = []
    offset = 0.0
    for coords, m in legs:
        z = coords[:, 2] if coords.shape[1] >= 3 else np.full(len(coords), np.nan)
        for i, (d, c) in enumerate(zip(m.distance, coords, strict=True)):
            known = bool(np.isfinite(z[i]))
            if rows and i == 0 and abs(rows[-1][0] - offset) < 1e-6 and \
                    rows[-1][1] is not None and known:
                continue  # the joint of two legs with elevation: one point
            rows.append([offset + float(d), float(z[i]) if known else None,
                         float(c[0]), float(c[1])])
        offset += m.length_m
    if len(rows) > max_points:
        keep = np.unique(np.linspace(0, len(rows) - 1, max_points).round().astype(int))
        rows = [rows[i] for i in keep]
    return [[round(d, 1), None if z is None else round(z, 1), round(x, 6), round(y, 6)]
            for d, z, x, y in rows]


def without_elevation(legs: list[tuple[np.ndarray, LegMetrics]]) -> list[tuple[float, float,
                                                                                int]]:
    """The stretches of the route without elevation: (from metres, to metres, index of
    the leg), each within one leg, in order; a stretch is where a point at either end of
    a segment has none (the profile cannot draw it)."""
    out: list[tuple[float, float, int]] = []
    offset = 0.0
    for n, (coords, m) in enumerate(legs):
        z = coords[:, 2] if coords.shape[1] >= 3 else np.full(len(coords), np.nan)
        known = np.isfinite(z)
        start = None
        for i in range(len(coords) - 1):
            blank = not (known[i] and known[i + 1])
            if blank and start is None:
                start = float(m.distance[i])
            elif not blank and start is not None:
                out.append((offset + start, offset + float(m.distance[i]), n))
                start = None
        if start is not None:
            out.append((offset + start, offset + m.length_m, n))
        offset += m.length_m
    return out
