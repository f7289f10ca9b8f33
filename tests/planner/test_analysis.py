"""The analysis against values worked out in the test with shapely and pyproj."""

from __future__ import annotations

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry

from geo.crs import WGS84
from planner.params import CoverageQuery
from planner.selectors import analyse, coverage_gaps
from tests.factories import make_layer, make_partner
from tests.planner.world import (
    EAST,
    GEOD,
    T1,
    T2,
    TERRITORY,
    TO_LAEA,
    WEST,
    geodesic_km,
    lonlat,
    partner,
    parts,
    place,
    polygon_wkt,
    shape_laea,
    tolerance_km2,
)

pytestmark = pytest.mark.django_db

R_KM = 4.0


def reference_part(reference, gap):
    """The reference's gap holding the point the analysis gives inside ``gap``."""
    point = shapely.Point(*TO_LAEA.transform(*gap.centre))
    holding = [g for g in parts(reference) if g.buffer(1).contains(point)]
    assert len(holding) == 1, gap
    return holding[0]


def test_share_within_reach_and_gap_areas_match_round_circles(world):
    reference = world.reference(R_KM)
    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    testland = partner(result)
    territory_km2 = shape_laea(TERRITORY).area / 1e6
    tol = tolerance_km2(reference, R_KM)

    assert testland.area_km2 == pytest.approx(territory_km2, rel=1e-9)
    assert testland.gap_km2 == pytest.approx(reference.area / 1e6, abs=tol)
    assert testland.covered_share == pytest.approx(1 - reference.area / 1e6 / territory_km2,
                                                   abs=tol / territory_km2)
    # Our discs reach round the circles, never short of them: no gap is made up.
    assert testland.gap_km2 <= reference.area / 1e6 + 1e-6

    expected = sorted((g.area / 1e6 for g in parts(reference)), reverse=True)
    gaps = [g for g in result.gaps if g.partner == "testland"]
    assert [g.rank for g in gaps] == list(range(1, len(expected) + 1))
    assert [g.area_km2 for g in gaps] == pytest.approx(expected, abs=tol)
    assert testland.gaps == len(expected) >= 3


def test_each_gap_is_where_the_reference_puts_it(world):
    reference = world.reference(R_KM)
    found = coverage_gaps(CoverageQuery(radius_km=R_KM), "en", geometry=True).gaps
    for gap in found:
        expected = reference_part(reference, gap)
        outline = shapely.transform(shapely.geometry.shape(gap.geometry),
                                    lambda xy: shapely.get_coordinates(shapely.points(
                                        *TO_LAEA.transform(xy[:, 0], xy[:, 1]))))
        # The outline as published (lon/lat, 5 decimals) still covers the same ground.
        assert outline.symmetric_difference(expected).area / expected.area < 0.01


def test_densities_count_public_current_attractions_inside_the_territory(world):
    testland = partner(analyse(CoverageQuery(radius_km=R_KM), "en"))
    territory_km2 = shape_laea(TERRITORY).area / 1e6
    # Museum, church and peak: the attraction over the border, the private ones and the
    # demolished one do not count.
    assert testland.by_category == {"museum": 1, "church": 1, "peak": 1}
    assert testland.attractions_per_100km2 == pytest.approx(3 / territory_km2 * 100)


def test_trail_km_are_measured_on_the_spheroid_inside_the_territory(world):
    testland = partner(analyse(CoverageQuery(radius_km=R_KM), "en"))
    inside = geodesic_km(lonlat(T1)) + geodesic_km(lonlat([T2[0], (30, 6)]))
    territory_km2 = shape_laea(TERRITORY).area / 1e6
    assert testland.trails == 2
    assert testland.trail_km == pytest.approx(inside, abs=0.002)
    assert testland.trail_km_per_100km2 == pytest.approx(inside / territory_km2 * 100,
                                                         abs=0.001)


def test_only_published_routes_count(world):
    assert partner(analyse(CoverageQuery(radius_km=R_KM), "en")).routes == 1


def test_the_equal_area_territory_has_its_area_on_the_ellipsoid(world):
    lon, lat = zip(*lonlat([*TERRITORY, TERRITORY[0]]), strict=True)
    geodesic, _perimeter = GEOD.polygon_area_perimeter(lon, lat)
    area = partner(analyse(CoverageQuery(radius_km=R_KM), "en")).area_km2
    assert area == pytest.approx(abs(geodesic) / 1e6, rel=5e-4)


@pytest.mark.parametrize(("kinds", "sites", "route"), [
    (("attractions",), ["A1", "A2", "A3", "A4"], False),
    (("trails",), ["T1 start", "T1 end", "T2 start", "T2 end"], False),
    (("routes",), [], True),
    (("attractions", "routes"), ["A1", "A2", "A3", "A4"], True),
])
def test_kinds_choose_what_covers(world, kinds, sites, route):
    reference = world.reference(R_KM, sites=sites, route=route)
    got = partner(analyse(CoverageQuery(radius_km=R_KM, kinds=kinds), "en"))
    assert got.gap_km2 == pytest.approx(reference.area / 1e6,
                                        abs=tolerance_km2(reference, R_KM))
    # Whatever covers, discs or a route's band, no gap is made up.
    assert got.gap_km2 <= reference.area / 1e6 + 1e-6


def test_categories_choose_which_attractions_count(world):
    reference = world.reference(R_KM, sites=["A1", "A4"], route=False)
    got = partner(analyse(CoverageQuery(radius_km=R_KM, categories=("museum",),
                                        kinds=("attractions",)), "en"))
    assert got.by_category == {"museum": 1}
    assert got.gap_km2 == pytest.approx(reference.area / 1e6,
                                        abs=tolerance_km2(reference, R_KM))


@pytest.mark.parametrize("radius_km", [0.5, 2.5, 9.0])
def test_the_radius_is_the_planners(world, radius_km):
    reference = world.reference(radius_km)
    got = partner(analyse(CoverageQuery(radius_km=radius_km), "en"))
    assert got.gap_km2 == pytest.approx(reference.area / 1e6,
                                        abs=tolerance_km2(reference, radius_km))


def test_a_territory_with_nothing_in_reach_is_one_gap(world):
    # Only categories nobody has, and no trails or routes: nothing covers.
    got = analyse(CoverageQuery(radius_km=R_KM, categories=("zoo",),
                                kinds=("attractions",)), "en")
    testland = partner(got)
    assert testland.covered_share == 0
    assert [g.area_km2 for g in got.gaps] == pytest.approx([testland.area_km2])


def test_a_single_site_covers_its_disc(world):
    reference = world.reference(R_KM, sites=["A3"], route=False)
    got = partner(analyse(CoverageQuery(radius_km=R_KM, categories=("peak",),
                                        kinds=("attractions",)), "en"))
    assert got.gap_km2 == pytest.approx(reference.area / 1e6,
                                        abs=tolerance_km2(reference, R_KM))


def test_sub_areas_have_their_own_counts_reach_and_gaps(world, sub_areas):
    reference = world.reference(R_KM)
    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    by_name = {a.name: a for a in result.sub_areas}
    assert set(by_name) == {"Запад", "Изток"}  # named in the partner's language
    territory = shape_laea(TERRITORY)
    for name, corners in (("Запад", WEST), ("Изток", EAST)):
        shape = shape_laea(corners).intersection(territory)
        got = by_name[name]
        assert got.area_km2 == pytest.approx(shape.area / 1e6, rel=1e-6)
        gap = reference.intersection(shape).area / 1e6
        assert got.gap_km2 == pytest.approx(gap, abs=tolerance_km2(reference, R_KM))
        assert got.covered_share == pytest.approx(1 - gap / (shape.area / 1e6), abs=0.002)
    assert by_name["Запад"].by_category == {"museum": 1, "church": 1}
    assert by_name["Изток"].by_category == {"peak": 1}
    assert by_name["Запад"].routes == by_name["Изток"].routes == 1
    # The municipalities' polygons are not attractions.
    assert partner(result).by_category == {"museum": 1, "church": 1, "peak": 1}
    # Each gap names the sub-areas it lies in.
    west, east = shape_laea(WEST), shape_laea(EAST)
    for gap in result.gaps:
        expected = reference_part(reference, gap)
        assert [s["name"] for s in gap.touches] == [
            n for n, s in (("Запад", west), ("Изток", east)) if expected.intersects(s)]


def test_neighbours_have_their_own_gaps_and_share_the_sites_along_their_border(world):
    # Eastland borders Testland along x = 30 km: the sites near that border (the
    # attraction over it, the trail crossing it) reach into both.
    east = [(30, 0), (44, 0), (44, 12), (30, 12)]
    eastland = make_partner("eastland", country="BG", name_en="Eastland")
    eastland.boundary = GEOSGeometry(polygon_wkt(east), srid=WGS84)
    eastland.save()
    place(make_layer(eastland), "Old bridge", (40, 8), category="bridge")
    world.sites_km["E1"] = (40, 8)

    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    for slug, territory in (("testland", TERRITORY), ("eastland", east)):
        reference = world.reference(R_KM, territory=territory)
        got = partner(result, slug)
        assert reference.area > 0, slug
        assert got.gap_km2 == pytest.approx(reference.area / 1e6,
                                            abs=tolerance_km2(reference, R_KM)), slug
        assert got.gap_km2 <= reference.area / 1e6 + 1e-6, slug
        gaps = [g for g in result.gaps if g.partner == slug]
        assert len(gaps) == len(parts(reference)), slug


def test_another_partners_features_inside_a_territory_are_counted_apart(world):
    # Trust D14: another partner's import inside Testland's territory changed Testland's
    # statistics (20 → 1,612 attractions in the report) with only a warning.
    intruder = make_partner("elsewhere", bbox=(10.0, 40.0, 10.5, 40.5), name_en="Elsewhere")
    theirs = make_layer(intruder)
    for i in range(5):
        place(theirs, f"Their kiosk {i}", (2 + i, 18), category="shop")
    trails = make_layer(intruder, "trails")
    from tests.planner.world import trail
    trail(trails, [(2, 10), (6, 10)])

    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    testland = partner(result, "testland")
    assert testland.by_category == {"museum": 1, "church": 1, "peak": 1}
    assert testland.others_attractions == 5
    assert testland.trails == 2 and testland.others_trails == 1
    assert testland.others_trail_km == pytest.approx(geodesic_km(lonlat([(2, 10), (6, 10)])),
                                                     abs=0.002)
    # A category only another partner's features have in Testland is not Testland's.
    assert "shop" not in testland.by_category
