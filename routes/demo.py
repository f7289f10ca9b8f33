"""The demo pilot routes (fixtures/data/routes.json), composed from the demo attractions.

Run after the layers' demo data; loading twice changes nothing and keeps each
route's public id. Legs are composed as an editor would: walking and cycling
legs follow the partners' trails where the network joins the stops.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from layers.i18n import LANGUAGE_CODES
from layers.models import Attraction, Partner
from routes.models import PilotRoute
from routes.services import StopSpec, route_compose

TRANSLATED = ("title", "summary", "description")


@transaction.atomic
def load_demo_routes(directory: Path) -> int:
    specs = json.loads((directory / "routes.json").read_text(encoding="utf-8"))
    for spec in specs:
        route, _created = PilotRoute.objects.update_or_create(slug=spec["slug"], defaults={
            "status": spec["status"], "themes": spec["themes"], "months": spec["months"],
            "duration_days": spec["duration_days"],
            **{f"{name}_{code}": spec.get(f"{name}_{code}", "")
               for name in TRANSLATED for code in LANGUAGE_CODES},
        })
        route.partners.set(Partner.objects.filter(slug__in=spec["partners"]))
        stops = []
        for stop in spec["stops"]:
            attraction = Attraction.objects.get(layer__partner__slug=stop["partner"],
                                                source_id=stop["source_id"])
            stops.append(StopSpec(attraction, stop["minutes"], {
                code: stop[f"note_{code}"] for code in LANGUAGE_CODES if f"note_{code}" in stop}))
        route_compose(route=route, stops=stops, modes=spec["modes"])
    return len(specs)
