"""The partners' demo data in fixtures/data, loaded idempotently.

Every row is upserted by its slug or (layer, source id), so loading twice
changes nothing and keeps every public id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPolygon, Point
from django.db import transaction

from geo.crs import WGS84
from importers.formats.base import ReadOptions
from importers.formats.gpx import GPX
from layers import services
from layers.i18n import LANGUAGE_CODES
from layers.models import Attraction, Layer, Partner, Trail
from layers.vocabulary import LayerKind, Visibility

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "data"
DEMO_LICENCE = "CC-BY-4.0"
DEMO_SOURCE = "Regional Tourism Atlas demo data (fixtures/data)"

LAYER_TITLES = {
    LayerKind.ATTRACTIONS: {"bg": "Забележителности", "el": "Αξιοθέατα", "fr": "Sites à visiter",
                            "en": "Attractions"},
    LayerKind.TRAILS: {"bg": "Маршрути и пътеки", "el": "Μονοπάτια", "fr": "Sentiers",
                       "en": "Trails"},
}


@dataclass
class LoadReport:
    partners: int = 0
    created: dict[str, int] = field(default_factory=lambda: {"attraction": 0, "trail": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"attraction": 0, "trail": 0})


def _translations(props: dict, name: str) -> dict[str, str]:
    return {f"{name}_{code}": props.get(f"{name}_{code}") or "" for code in LANGUAGE_CODES}


def _multipolygon(geometry: dict) -> MultiPolygon:
    geom = GEOSGeometry(json.dumps(geometry), srid=WGS84)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=WGS84)


def gpx_multilinestring(path: Path) -> MultiLineString:
    """The GPX file's first track, read by the importers' GPX reader, as a GEOS geometry."""
    source = GPX().read(path, ReadOptions())[0]
    tracks = [g for g, kind in zip(source.geometries, source.columns["gpx_type"], strict=True)
              if kind == "track"]
    if not tracks:
        raise ValueError(f"{path}: no track with two or more points")
    return GEOSGeometry(tracks[0].wkb_hex, srid=WGS84)


def _partner_layer(partner: Partner, kind: LayerKind) -> Layer:
    titles = LAYER_TITLES[kind]
    return services.layer_upsert(
        slug=f"{partner.slug}-{kind.value}", partner=partner,
        defaults={
            "kind": kind, "visibility": Visibility.PUBLIC, "licence": DEMO_LICENCE,
            "source": DEMO_SOURCE,
            **{f"title_{code}": f"{titles[code]} — {getattr(partner, f'name_{code}') or ''}"
               for code in LANGUAGE_CODES},
        },
    )


@transaction.atomic
def load_demo(directory: Path = DEMO_DIR) -> LoadReport:
    report = LoadReport()
    partners_fc = json.loads((directory / "partners.geojson").read_text(encoding="utf-8"))
    partners: dict[str, Partner] = {}
    for feat in partners_fc["features"]:
        props = feat["properties"]
        partners[props["slug"]] = services.partner_upsert(slug=props["slug"], defaults={
            **_translations(props, "name"),
            "country": props["country"], "languages": props["languages"],
            "website": props.get("website", ""), "boundary": _multipolygon(feat["geometry"]),
        })
    report.partners = len(partners)

    attraction_layers = {s: _partner_layer(p, LayerKind.ATTRACTIONS) for s, p in partners.items()}
    trail_layers = {s: _partner_layer(p, LayerKind.TRAILS) for s, p in partners.items()}

    attractions_fc = json.loads((directory / "attractions.geojson").read_text(encoding="utf-8"))
    for feat in attractions_fc["features"]:
        props = feat["properties"]
        lon, lat = feat["geometry"]["coordinates"][:2]
        _, created = services.feature_upsert(
            model=Attraction, layer=attraction_layers[props["partner"]],
            source_id=props["source_id"],
            values={
                **_translations(props, "name"), **_translations(props, "description"),
                "category": props["category"], "location": Point(lon, lat, srid=WGS84),
                "website": props.get("website", ""), "address": props.get("address", ""),
                "opening_hours": props.get("opening_hours", ""),
                "wheelchair": props.get("wheelchair", ""), "fee": props.get("fee"),
            },
        )
        (report.created if created else report.updated)["attraction"] += 1

    for meta in json.loads((directory / "trails.json").read_text(encoding="utf-8")):
        _, created = services.feature_upsert(
            model=Trail, layer=trail_layers[meta["partner"]], source_id=meta["source_id"],
            values={
                **_translations(meta, "name"), **_translations(meta, "description"),
                "activity": meta["activity"], "difficulty": meta.get("difficulty", ""),
                "geom": gpx_multilinestring(directory / meta["file"]),
            },
        )
        (report.created if created else report.updated)["trail"] += 1
    return report
