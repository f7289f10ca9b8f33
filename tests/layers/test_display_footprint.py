"""An attraction's footprint of many vertices is kept whole, and drawn thinned (Trust
section 6: a vertex cap per feature at import, the original kept).

Before: trails had their thinned copy (test_display_geometry), footprints none: a park's
boundary surveyed to the centimetre went whole into its page, as many megabytes as it had
vertices.
"""

from __future__ import annotations

import json
import math

import pytest
import shapely
from django.db import connection

from importers.pipeline import ImportRequest, run_import, undo_last_import
from layers.models import Attraction
from tests.factories import make_attraction, make_layer, make_partner
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

VERTICES = 100_000
CAP = 2_000


def _survey(n: int, east: float = 25.5) -> shapely.Polygon:
    """A park of some 5 km across, its boundary a point every 15 cm or so, wavy."""
    ring = [(east + 0.03 * math.cos(2 * math.pi * i / n) * (1 + 0.02 * math.sin(i / 50)),
             42.4 + 0.02 * math.sin(2 * math.pi * i / n) * (1 + 0.02 * math.sin(i / 50)))
            for i in range(n)]
    return shapely.Polygon(ring)


@pytest.fixture
def park(tmp_path, settings):
    settings.ATLAS_DISPLAY_MAX_VERTICES = CAP
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    path = write_shapefile(tmp_path, "parks", [_survey(VERTICES)],
                           {"ID": ["park"], "NAME": ["The surveyed park"]}, epsg=4326)
    run_import(ImportRequest(path=path, partner=partner, layer_slug="sz-parks",
                             kind="attractions", field_map={"name_en": "NAME"}, id_field="ID"))
    return Attraction.objects.get(layer__slug="sz-parks")


def _vertices(geometry: dict) -> int:
    return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)


def test_a_surveyed_footprint_is_kept_whole_and_its_page_draws_it_thinned(client, park):
    with connection.cursor() as cur:
        cur.execute("""
            SELECT ST_NPoints(footprint), ST_NPoints(display_footprint),
                   ST_Area(display_footprint::geography) / ST_Area(footprint::geography)
            FROM layers_attraction WHERE id = %s""", [park.pk])
        whole, drawn, area = cur.fetchone()
    assert whole == VERTICES + 1 and drawn <= CAP
    assert area == pytest.approx(1, abs=0.01)  # the same park, to the eye

    page = client.get(f"/attractions/{park.uid}/").content.decode()
    assert len(page) < 400_000
    # The API gives it whole: what a GIS client asks for.
    detail = client.get(f"/api/attractions/{park.uid}/").json()
    assert _vertices(detail["properties"]["footprint"]) == VERTICES + 1


def test_an_undo_and_an_edit_within_the_cap_keep_the_copy_true(park, tmp_path):
    # A second import replaces the survey with a small outline: the copy goes.
    path = write_shapefile(tmp_path, "parks2", [_survey(200)],
                           {"ID": ["park"], "NAME": ["The surveyed park"]}, epsg=4326)
    run_import(ImportRequest(path=path, partner=park.layer.partner, layer_slug="sz-parks",
                             kind="attractions", field_map={"name_en": "NAME"}, id_field="ID"))
    park.refresh_from_db()
    assert park.display_footprint is None
    # Its undo brings back the survey, and the copy with it.
    undo_last_import(layer=park.layer)
    park.refresh_from_db()
    assert park.footprint.num_coords == VERTICES + 1
    assert park.display_footprint is not None and park.display_footprint.num_coords <= CAP


def test_a_footprint_saved_past_the_cap_gets_its_copy(settings):
    settings.ATLAS_DISPLAY_MAX_VERTICES = CAP
    layer = make_layer(make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9)))
    site = make_attraction(layer, 25.5, 42.4, name_en="Walls")
    site.footprint = shapely.to_wkt(shapely.MultiPolygon([_survey(CAP * 3)]))
    site.save()
    assert site.display_footprint is not None
    assert json.loads(site.display_footprint.geojson)["type"] == "MultiPolygon"
    assert site.display_footprint.num_coords <= CAP
