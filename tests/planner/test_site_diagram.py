"""The Voronoi diagram of the sites, kept between analyses (``planner.services``): it
finds the gaps a diagram drawn for the query finds, and every write that changes the
sites is in the next analysis."""

from __future__ import annotations

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from geo.crs import WGS84
from layers.models import Attraction
from layers.vocabulary import Visibility
from planner.models import AreaLayer, SiteCell
from planner.params import CoverageQuery
from planner.selectors import coverage_gaps
from planner.services import site_diagram_update
from tests.factories import make_layer, make_partner
from tests.planner.world import (
    KM,
    TERRITORY,
    X0,
    Y0,
    parts,
    place,
    polygon_wkt,
    shape_laea,
    tolerance_km2,
)

pytestmark = pytest.mark.django_db

R_KM = 4.0


def assert_gaps_match(found, reference, radius_km: float, slug: str = "testland") -> None:
    tol = tolerance_km2(reference, radius_km)
    expected = sorted((g.area / 1e6 for g in parts(reference)), reverse=True)
    assert [g.area_km2 for g in found.gaps if g.partner == slug] == pytest.approx(
        expected, abs=tol)
    # The discs reach round the circles, never short of them: no gap is made up.
    assert found.gap_km2[slug] <= reference.area / 1e6 + 1e-6


def lonely_partner(slug: str, shift_km: float = 0.0):
    corners = [(x + shift_km, y) for x, y in TERRITORY]
    partner = make_partner(slug, country="GR", name_en=slug.title())
    partner.boundary = GEOSGeometry(polygon_wkt(corners), srid=WGS84)
    partner.save()
    return partner, corners


@pytest.mark.parametrize("radius_km", [1.5, 4.0, 9.0])
def test_the_kept_diagram_finds_the_gaps_of_one_drawn_for_the_query(world, radius_km):
    query = CoverageQuery(radius_km=radius_km)
    kept = coverage_gaps(query, "en", kept=True)
    drawn = coverage_gaps(query, "en", kept=False)
    reference = world.reference(radius_km)
    assert_gaps_match(kept, reference, radius_km)
    assert_gaps_match(drawn, reference, radius_km)
    assert SiteCell.objects.count() == len(world.sites_km)


def test_the_diagram_is_drawn_once_and_again_after_a_write(world):
    assert site_diagram_update().drawn
    assert not site_diagram_update().drawn
    coverage_gaps(CoverageQuery(radius_km=R_KM), "en")
    assert not site_diagram_update().drawn

    place(world.places, "New museum", (10, 10))
    assert site_diagram_update().drawn
    assert not site_diagram_update().drawn


def test_an_attraction_placed_in_the_largest_gap_covers_it_in_the_next_analysis(world):
    query = CoverageQuery(radius_km=R_KM)
    before = coverage_gaps(query, "en")
    largest = max(parts(world.reference(R_KM)), key=lambda g: g.area)
    x, y = largest.representative_point().coords[0]
    xy_km = ((x - X0) / KM, (y - Y0) / KM)
    place(world.places, "New museum", xy_km)
    world.sites_km["New museum"] = xy_km

    after = coverage_gaps(query, "en")
    reference = world.reference(R_KM)
    assert_gaps_match(after, reference, R_KM)
    assert after.gap_km2["testland"] < before.gap_km2["testland"] - 5


@pytest.mark.parametrize("change", ["retired", "layer made private", "layer of sub-areas"])
def test_sites_that_stop_counting_stop_covering_in_the_next_analysis(world, change):
    query = CoverageQuery(radius_km=R_KM)
    coverage_gaps(query, "en")
    if change == "retired":
        Attraction.objects.filter(name_en="Peak").update(retired_at=timezone.now())
        gone = ["A3"]
    elif change == "layer made private":
        world.places.visibility = Visibility.PRIVATE
        world.places.save()
        gone = ["A1", "A2", "A3", "A4"]
    else:
        AreaLayer.objects.create(layer=world.places)
        gone = ["A1", "A2", "A3", "A4"]
    reference = world.reference(R_KM, sites=[n for n in world.sites_km if n not in gone])

    assert_gaps_match(coverage_gaps(query, "en"), reference, R_KM)


def test_a_partner_beyond_the_diagram_gets_cells_drawn_over_it(world):
    coverage_gaps(CoverageQuery(radius_km=R_KM), "en")
    _, corners = lonely_partner("farland", shift_km=600)
    # Nothing reaches it: the whole territory is one gap.
    found = coverage_gaps(CoverageQuery(partners=("farland",), radius_km=R_KM), "en")
    assert [g.area_km2 for g in found.gaps] == pytest.approx(
        [shape_laea(corners).area / 1e6], rel=1e-6)


def test_with_no_site_anywhere_the_whole_territory_is_one_gap(db):
    _, corners = lonely_partner("emptyland")
    found = coverage_gaps(CoverageQuery(radius_km=R_KM), "en")
    assert found.gap_km2["emptyland"] == pytest.approx(shape_laea(corners).area / 1e6,
                                                        rel=1e-6)
    assert site_diagram_update().sites == 0


def test_a_lone_site_covers_its_disc_and_sites_in_one_place_share_a_cell(db):
    partner, corners = lonely_partner("oneland")
    layer = make_layer(partner)
    place(layer, "Museum", (6, 8))
    reference = shape_laea(corners).difference(
        shapely.Point(X0 + 6 * KM, Y0 + 8 * KM).buffer(R_KM * KM, quad_segs=256))
    query = CoverageQuery(radius_km=R_KM)

    assert_gaps_match(coverage_gaps(query, "en"), reference, R_KM, "oneland")
    place(layer, "Museum shop", (6, 8))
    assert_gaps_match(coverage_gaps(query, "en"), reference, R_KM, "oneland")
    assert site_diagram_update().sites == 1


@pytest.mark.parametrize("radius_km", [0.3, 1.0])
def test_a_small_reach_finds_the_same_gaps_by_both_diagrams(world, radius_km):
    # Below the sites' spacing nearly every cell is open: the kept path must not fall
    # behind the drawn one there (it did, merging thousands of holed pieces).
    query = CoverageQuery(radius_km=radius_km)
    kept = coverage_gaps(query, "en", kept=True)
    drawn = coverage_gaps(query, "en", kept=False)
    assert kept.gap_km2["testland"] == pytest.approx(drawn.gap_km2["testland"], abs=1e-3)
    assert len(kept.gaps) == len(drawn.gaps) == 1  # the territory with holes
    assert_gaps_match(kept, world.reference(radius_km), radius_km)
