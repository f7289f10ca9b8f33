"""Pages of features cut two ways (whole rows sorted, or ids first) agree with each other."""

from __future__ import annotations

import json
import random

import pytest
from django.contrib.gis.geos import Point

from geo.crs import WGS84
from layers.models import Attraction
from layers.params import FeatureFilters
from layers.selectors import features_page
from layers.selectors.pages import WHOLE_ROWS_FROM
from layers.vocabulary import LayerKind
from tests.factories import make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db

N = WHOLE_ROWS_FROM + 44


@pytest.fixture
def many():
    partner = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    layer = make_layer(partner)
    rng = random.Random(7)
    Attraction.objects.bulk_create(
        Attraction(layer=layer, category="museum", name_en=f"Site {i}",
                   location=Point(25.3 + rng.random() * 0.7, 42.2 + rng.random() * 0.5,
                                  srid=WGS84))
        for i in range(N))
    trails = make_layer(partner, kind=LayerKind.TRAILS)
    for i in range(5):
        make_trail(trails, [(25.4 + i / 10, 42.3), (25.45 + i / 10, 42.35)], name_en=f"T{i}")


def _ids(kinds, filters, limit, offset=0):
    body, total, returned = features_page(kinds=kinds, filters=filters, lang="en",
                                          limit=limit, offset=offset)
    features = json.loads(body)
    assert len(features) == returned
    return [f["id"] for f in features], total


@pytest.mark.parametrize("filters", [
    FeatureFilters(),
    FeatureFilters(bbox=(25.3, 42.2, 25.7, 42.5)),
    FeatureFilters(near=(25.6, 42.4), radius_m=20_000),
], ids=["all", "bbox", "near"])
def test_small_pages_are_slices_of_a_whole_page(many, filters):
    """Pages of 60 (cut from ids) follow each other exactly as one page of 300 (whole rows
    sorted) lists them, with the same total, past the last page too."""
    whole, total = _ids(["attraction"], filters, limit=N)
    assert 0 < total <= N and len(whole) == total
    pieces = []
    for offset in range(0, total + 60, 60):
        ids, page_total = _ids(["attraction"], filters, limit=60, offset=offset)
        assert page_total == total
        pieces += ids
    assert pieces == whole


def test_kinds_interleave_the_same_on_small_and_large_pages(many):
    everything, total = _ids(["attraction", "trail"], FeatureFilters(), limit=1000)
    assert total == N + 5 and len(everything) == total
    pieces = []
    for offset in range(0, total, 7):
        pieces += _ids(["attraction", "trail"], FeatureFilters(), limit=7, offset=offset)[0]
    assert pieces == everything
