"""Route metrics against references computed independently here (no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from routes import metrics
from routes.vocabulary import Mode

GEOD = Geod(ellps="WGS84")


def line_north(length_m: float, n: int, start=(25.6, 42.4)) -> np.ndarray:
    """n+1 points due north from ``start``, ``length_m`` long in total (geodesic)."""
    lon, lat = start
    end_lon, end_lat, _ = GEOD.fwd(lon, lat, 0, length_m)
    inner = GEOD.npts(lon, lat, end_lon, end_lat, n - 1) if n > 1 else []
    return np.array([(lon, lat), *inner, (end_lon, end_lat)])


def test_length_is_geodesic_on_the_wgs84_ellipsoid():
    coords = np.array([(25.6, 42.4), (25.9, 42.5), (26.3, 42.45), (26.31, 42.9)])
    reference = GEOD.line_length(coords[:, 0], coords[:, 1])
    assert metrics.leg_metrics(Mode.CAR, coords).length_m == pytest.approx(reference, abs=1e-6)
    # ...and not a sphere's: the two differ by far more than our tolerance here.
    sphere = Geod(ellps="sphere").line_length(coords[:, 0], coords[:, 1])
    assert abs(sphere - reference) > 50


@pytest.mark.parametrize(("spread_deg", "within_m"), [(1e-4, 1e-8), (1e-2, 1e-8), (0.03, 1e-7),
                                                    (0.1, 1e-5)])
def test_geodesic_steps_are_pyprojs_geodesics(spread_deg, within_m):
    # Steps of ~10 m to ~10 km anywhere on Earth, in every direction (the network
    # import's lengths: OSM nodes are metres to a few kilometres apart).
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-180, 180, 2000), rng.uniform(-80, 80, 2000)
    lon2, lat2 = lon + rng.normal(0, spread_deg, 2000), lat + rng.normal(0, spread_deg, 2000)
    both_lon, both_lat = np.ravel([lon, lon2], order="F"), np.ravel([lat, lat2], order="F")
    ours = metrics.geodesic_steps(both_lon, both_lat)[0::2]
    _, _, reference = GEOD.inv(lon, lat, lon2, lat2)
    assert np.abs(ours - reference).max() < within_m
    assert metrics.geodesic_steps(np.array([25.6, 25.6]), np.array([42.4, 42.4]))[0] == 0


def test_ascent_of_a_hand_made_profile_counts_changes_beyond_three_metres():
    # 100 -> 110 up 10; -> 105 down 5; -> 130 up 25; -> 128 (2 m: ignored); -> 150 up 20
    ascent, descent = metrics.climb(np.array([100, 110, 105, 130, 128, 150.0]))
    assert (ascent, descent) == (55.0, 5.0)


def test_a_noisy_gps_climb_is_not_inflated_beyond_the_threshold():
    rng = np.random.default_rng(7)
    n = 2000  # a point every metre, as a GPS logging each second on foot does
    true = np.linspace(400, 500, n)  # 100 m of real climb
    noisy = true + rng.uniform(-1.4, 1.4, n)  # swings under the 3 m threshold
    naive = np.sum(np.clip(np.diff(noisy), 0, None))
    assert naive > 500  # summing every rise would report five times the climb
    ascent, descent = metrics.climb(noisy)
    assert 100 - metrics.ELEVATION_THRESHOLD_M <= ascent <= 100 + metrics.ELEVATION_THRESHOLD_M
    assert descent <= metrics.ELEVATION_THRESHOLD_M


def test_walking_time_of_a_known_slope_follows_toblers_function():
    xy = line_north(1000, 40)
    dist = np.array([0, *np.cumsum(GEOD.line_lengths(xy[:, 0], xy[:, 1]))])
    coords = np.column_stack([xy, 300 + 0.10 * dist])  # a steady 10 % climb
    expected_kmh = 6 * math.exp(-3.5 * abs(0.10 + 0.05))  # Tobler (1993)
    expected_min = 1.0 / expected_kmh * 60
    leg = metrics.leg_metrics(Mode.WALK, coords)
    assert leg.duration_min == pytest.approx(expected_min, rel=0.01)
    assert leg.ascent_m == pytest.approx(100, abs=0.5)
    assert leg.steepest_grade_pct == pytest.approx(10, abs=0.1)


def test_walking_on_the_flat_is_five_kilometres_an_hour():
    leg = metrics.leg_metrics(Mode.WALK, line_north(5000, 10))
    assert leg.duration_min == pytest.approx(5 / (6 * math.exp(-0.175)) * 60, rel=1e-6)


def test_cycling_speed_balances_the_riders_power():
    for slope in (-0.03, 0.0, 0.02, 0.06):
        v = float(metrics.bike_kmh(slope)[0]) / 3.6
        theta = math.atan(slope)
        power = v * metrics.CYCLIST_MASS_KG * metrics.G * (
            math.sin(theta) + metrics.ROLLING_RESISTANCE * math.cos(theta)) \
            + 0.5 * metrics.AIR_DENSITY * metrics.DRAG_AREA_M2 * v**3
        if metrics.MIN_BIKE_KMH < v * 3.6 < metrics.MAX_BIKE_KMH:
            assert power == pytest.approx(metrics.CYCLIST_W, abs=0.01)
    assert metrics.bike_kmh(0.06)[0] < metrics.bike_kmh(0.0)[0] < metrics.bike_kmh(-0.03)[0]
    assert metrics.bike_kmh(-0.15)[0] == metrics.MAX_BIKE_KMH


def test_motorised_legs_take_their_length_at_the_modes_speed():
    leg = metrics.leg_metrics(Mode.BUS, line_north(35_000, 5))
    assert leg.duration_min == pytest.approx(60, rel=1e-6)  # 35 km at 35 km/h


def _leg(mode, length_m, ascent_m=0.0, grade=None, known_m=None):
    """A leg with elevation all along (``known_m``: on so many metres of it only)."""
    return metrics.LegMetrics(mode=mode, length_m=length_m, duration_min=0,
                              ascent_m=ascent_m, steepest_grade_pct=grade,
                              elevation_known_m=length_m if known_m is None else known_m)


def test_difficulty_says_why():
    d = metrics.difficulty([_leg(Mode.WALK, 18_000, 1150, 12)])
    assert d.level == "hard" and d.decided_by == "effort"  # 18 + 11.5 effort-km
    from routes.difficulty import difficulty_reason
    assert difficulty_reason(d.as_dict(), "en") == "hard: 1,150 m of ascent over 18 km"


def test_a_steep_section_makes_a_short_walk_at_least_moderate():
    d = metrics.difficulty([_leg(Mode.WALK, 3000, 150, 18)])
    assert d.level == "moderate" and d.decided_by == "grade"
    assert metrics.difficulty([_leg(Mode.WALK, 3000, 150, 8)]).level == "easy"


def test_cycling_counts_a_quarter_of_walking_effort_and_driving_none():
    assert metrics.difficulty([_leg(Mode.BIKE, 60_000, 300)]).effort_km == pytest.approx(18)
    d = metrics.difficulty([_leg(Mode.CAR, 120_000)])
    assert (d.level, d.decided_by) == ("easy", "none")


def test_profile_shows_a_gap_where_a_leg_has_no_elevation():
    a = np.column_stack([line_north(1000, 4), [100, 110, 120, 130, 140]])
    b = line_north(2000, 1, start=tuple(a[-1][:2]))
    legs = [(a, metrics.leg_metrics(Mode.WALK, a)), (b, metrics.leg_metrics(Mode.CAR, b))]
    rows = metrics.profile(legs)
    assert rows[0][:2] == [0.0, 100.0] and rows[4][:2] == [1000.0, 140.0]
    assert rows[-1][0] == pytest.approx(3000, abs=0.1) and rows[-1][1] is None


def test_an_elevation_error_does_not_make_a_leg_last_for_ever():
    xy = line_north(1000, 200)
    z = np.full(len(xy), 200.0)
    z[100] = 2200.0  # one point 2 km up: a DEM spike
    leg = metrics.leg_metrics(Mode.WALK, np.column_stack([xy, z]))
    assert math.isfinite(leg.duration_min) and leg.duration_min < 12 * 60
