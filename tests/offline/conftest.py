"""A short walk out of Sliven near a bus stop: a route with three stops, a partner's
layers with their licence, and a small GTFS feed whose stop Karandila is by the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.models import Layer
from layers.vocabulary import LayerKind
from routes.models import PilotRoute
from routes.services import StopSpec, route_compose
from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer, make_partner
from tests.transit.conftest import WITH_RETURN, make_zip
from transit.services import feed_import

# Along the road up from Karandila stop (26.3565 E, 42.6586 N), about 2.4 km in all.
STOPS = [("Karandila gate", 26.3572, 42.6590), ("Stone bridge", 26.3650, 42.6660),
         ("Hut on the ridge", 26.3740, 42.6700)]


def build_route(tmp_path: Path) -> dict:
    partner = make_partner("sliven", bbox=(25.9, 42.4, 26.8, 43.0))
    places = make_layer(partner, LayerKind.ATTRACTIONS)
    Layer.objects.filter(pk=places.pk).update(licence="CC-BY-4.0")
    stops = [make_attraction(places, lon, lat, name_en=name, name_bg=f"{name} (bg)")
             for name, lon, lat in STOPS]
    route = PilotRoute.objects.create(
        slug="karandila-walk", status=RouteStatus.PUBLISHED, months=[5, 6, 7, 8, 9, 10],
        title_en="Karandila ridge walk",
        summary_en="From the Karandila bus stop up to the ridge hut.")
    route.partners.add(partner)
    route_compose(route=route, stops=[StopSpec(s) for s in stops], modes=["walk", "walk"])
    feed = feed_import(partner=partner, path=make_zip(tmp_path / "sliven.zip", WITH_RETURN),
                       name="city-buses", licence="CC BY 4.0",
                       attribution="Obshtina Sliven").feed
    return {"partner": partner, "route": route, "stops": stops, "feed": feed,
            "layer": places}


@pytest.fixture
def walk(db, tmp_path, settings):
    settings.ATLAS_OFFLINE_PACK_DIR = str(tmp_path / "packs")
    return build_route(tmp_path)
