"""Sub-areas as a partner's files bring them: national files with the neighbours' areas
too, and areas without a name."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.gis.geos import GEOSGeometry

from geo.crs import WGS84
from planner.models import AreaLayer
from planner.params import CoverageQuery
from planner.selectors import analyse
from tests.factories import make_attraction, make_layer
from tests.planner.world import EAST, WEST, lonlat, polygon_wkt

pytestmark = pytest.mark.django_db

R_KM = 4.0
# Beyond the territory's east edge (x = 30 km) but for a 2 km strip: a neighbour's.
NEIGHBOUR = [(28, 0), (44, 0), (44, 12), (28, 12)]


def _areas(world, shapes: dict[str, list], **names):
    layer = make_layer(world.partner, slug="testland-municipalities")
    for key, corners in shapes.items():
        (lon, lat), = lonlat([corners[0]])
        make_attraction(layer, lon, lat, source_id=key, category="attraction",
                        name_bg=names.get(key, ""), name_en="",
                        footprint=GEOSGeometry(polygon_wkt(corners), srid=WGS84))
    AreaLayer.objects.create(layer=layer)


def test_a_neighbours_area_in_the_partners_file_is_not_its_sub_area(world):
    _areas(world, {"W": WEST, "E": EAST, "N": NEIGHBOUR},
           W="Запад", E="Изток", N="Съседна")
    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    assert {a.name for a in result.sub_areas} == {"Запад", "Изток"}
    touched = {t["name"] for g in result.gaps for t in g.touches}
    assert "Съседна" not in touched and touched <= {"Запад", "Изток"}


def test_each_gap_names_the_sub_areas_it_overlaps_once(world):
    # Cut at x = 14 km: a gap wholly west of the line touches the west only.
    _areas(world, {"W": WEST, "E": EAST}, W="Запад", E="Изток")
    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    for gap in result.gaps:
        names = [t["name"] for t in gap.touches]
        assert names, gap
        assert len(names) == len(set(names))
    assert any(len(g.touches) == 1 for g in result.gaps)


def test_sub_areas_without_a_name_are_named_by_their_key_in_the_gaps_and_their_csv(
        world, client):
    _areas(world, {"W": WEST, "E": EAST})
    result = analyse(CoverageQuery(radius_km=R_KM), "en")
    keys = {a.key for a in result.sub_areas}
    assert {a.name for a in result.sub_areas} == keys
    assert all(t["name"] in keys for g in result.gaps for t in g.touches)
    response = client.get("/api/coverage/", {"format": "csv", "table": "gaps",
                                             "radius_km": R_KM})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(result.gaps) + 1
    assert "None" not in response.content.decode("utf-8-sig")
