"""Listings on the regional layer: the feature kind ``service`` (see layers/registry.py),
registered by ``ActorsConfig.ready``. A listing is no layer's: its partner is the one
whose territory holds it, and it is public once published."""

from __future__ import annotations

from actors.vocabulary import ListingStatus, ListingType
from layers.registry import ChoiceFilter, Column, FeatureKind, register
from layers.styles import KindStyle, Look, register_style
from layers.styles.palette import FAMILY_COLOURS
from media.selectors import first_photo_sql

PARTNER_SLUG = "(SELECT p.slug FROM layers_partner p WHERE p.id = x.partner_id)"
TEXTS = ("type", "address", "opening_hours", "wheelchair", "phone", "email", "website",
         "booking_url", "currency")

SERVICE = FeatureKind(
    name="service", table="actors_listing", geom="location", order=3,
    collection="all-services", title="Services and events",
    description="Accommodation, food and drink, guides, experiences, local products, "
                "rentals, information centres and events listed in every partner's territory",
    choice_filters=(ChoiceFilter("type", "x.type", tuple(ListingType.values)),),
    properties=(("type", "x.type"), ("opening_hours", "NULLIF(x.opening_hours, '')"),
                ("wheelchair", "NULLIF(x.wheelchair, '')"),
                ("price_from", "x.price_from"), ("price_to", "x.price_to"),
                ("currency", "x.currency"),
                ("starts_on", "x.starts_on"), ("ends_on", "x.ends_on"),
                ("url", "'/services/' || x.uid || '/'"),
                ("photo", first_photo_sql("x.id", "actors", "listing"))),
    schema={"type": "string", "photo": "string", "opening_hours": "string", "wheelchair": "string",
            "price_from": "number", "price_to": "number", "currency": "string",
            "starts_on": "string", "ends_on": "string", "url": "string"},
    tile_properties=(("type", "x.type", "String"),),
    export_columns=(
        *(Column(f, f"NULLIF(x.{f}::text, '')", "text") for f in TEXTS),
        Column("price_from", "x.price_from::float8", "float8"),
        Column("price_to", "x.price_to::float8", "float8"),
        Column("season_months", "NULLIF(array_to_string(x.season_months, ','), '')", "text"),
        Column("languages", "NULLIF(array_to_string(x.languages, ','), '')", "text"),
        Column("capacity", "x.capacity::integer", "integer"),
        Column("starts_on", "x.starts_on::text", "text"),
        Column("ends_on", "x.ends_on::text", "text")),
    gpx_type="type",
    layered=False, partner_sql=PARTNER_SLUG,
    partner_filter=("EXISTS (SELECT 1 FROM layers_partner p WHERE p.id = x.partner_id "
                    "AND p.slug = ANY(%s))"),
    public=f"x.status = '{ListingStatus.PUBLISHED.value}'",
)


SERVICE_ICONS = {
    "accommodation": "lodging", "food_drink": "restaurant", "guide": "attraction",
    "experience": "star", "local_product": "shop", "rental_transport": "bicycle",
    "information": "information", "event": "theatre",
}
"""A listing's type -> its Maki icon (style.js SERVICE_ICONS), all of one family."""
SERVICE_STYLE = KindStyle(
    default=Look(FAMILY_COLOURS["listing"], "marker"), property="type",
    looks={t.value: Look(FAMILY_COLOURS["listing"], SERVICE_ICONS[t.value], t.label)
           for t in ListingType})


def register_kind() -> None:
    register(SERVICE)
    register_style("service", SERVICE_STYLE)
