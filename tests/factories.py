"""Small builders for test data; each test makes what it asserts on."""

from __future__ import annotations

from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon

from geo.crs import WGS84
from layers import services
from layers.models import Attraction, Layer, Partner, Trail
from layers.vocabulary import LayerKind, Visibility


def make_partner(slug: str = "stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), **kw) -> Partner:
    defaults = {"name_en": slug.replace("-", " ").title(), "country": "BG",
                "languages": ["bg", "en"],
                "boundary": MultiPolygon(Polygon.from_bbox(bbox), srid=WGS84), **kw}
    return services.partner_upsert(slug=slug, defaults=defaults)


def make_layer(partner: Partner, kind: str = LayerKind.ATTRACTIONS,
               visibility: str = Visibility.PUBLIC, slug: str | None = None) -> Layer:
    return services.layer_upsert(
        slug=slug or f"{partner.slug}-{kind}", partner=partner,
        defaults={"kind": kind, "visibility": visibility, "title_en": f"{partner.slug} {kind}"})


def make_attraction(layer: Layer, lon: float, lat: float, **kw) -> Attraction:
    values = {"category": "museum", "name_en": "Somewhere", **kw}
    return Attraction.objects.create(layer=layer, location=Point(lon, lat, srid=WGS84), **values)


def make_trail(layer: Layer, coords, **kw) -> Trail:
    values = {"activity": "hiking", "name_en": "A trail", **kw}
    geom = MultiLineString(LineString(coords, srid=WGS84), srid=WGS84)
    return Trail.objects.create(layer=layer, geom=geom, **values)
