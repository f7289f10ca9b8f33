"""Layers' own kinds on the regional layer: attractions and trails (see layers/registry.py).

Registered by ``LayersConfig.ready``.
"""

from __future__ import annotations

from geo.i18n import LANGUAGE_CODES
from layers.display import display_sql
from layers.registry import Column, FeatureKind, register
from layers.vocabulary import Category
from media.selectors import first_photo_sql

ATTRACTION_TEXTS = ("category", "address", "website", "phone", "opening_hours", "wheelchair",
                    "hours_as_given", "email", "booking_url")
# The practical fields a list shows (and the OGC API filters on): their SQL is written the
# same by the stored pages' trigger (layers migration 0027), which a test compares.
ATTRACTION_PRACTICAL = (
    ("opening_hours", "NULLIF(x.opening_hours, '')"),
    ("wheelchair", "NULLIF(x.wheelchair, '')"),
    ("fee", "x.fee"),
    ("price_from", "x.price_from"),
    ("price_to", "x.price_to"),
    # No price, no currency: the column's default says nothing of the place.
    ("currency", "CASE WHEN x.price_from IS NULL AND x.price_to IS NULL THEN NULL "
                 "ELSE x.currency END"),
)

ATTRACTION = FeatureKind(
    name="attraction", table="layers_attraction", geom="location", order=0,
    collection="all-attractions", title="All attractions",
    description="The public attractions of every partner",
    own_filters=("category",),
    properties=(("category", "x.category"), *ATTRACTION_PRACTICAL,
                ("photo", first_photo_sql("x.id", "layers", "attraction"))),
    schema={"category": "string", "opening_hours": "string", "wheelchair": "string",
            "fee": "boolean", "price_from": "number", "price_to": "number",
            "currency": "string", "photo": "string"},
    tile_properties=(("category", "x.category", "String"),),
    export_columns=(*(Column(f, f"NULLIF(x.{f}::text, '')", "text") for f in ATTRACTION_TEXTS),
                    Column("fee", "x.fee", "boolean"),
                    Column("price_from", "x.price_from::float8", "float8"),
                    Column("price_to", "x.price_to::float8", "float8"),
                    Column("currency", "CASE WHEN x.price_from IS NULL AND x.price_to IS NULL "
                                       "THEN NULL ELSE x.currency END", "text"),
                    Column("season_months",
                           "NULLIF(array_to_string(x.season_months, ','), '')", "text"),
                    Column("languages", "NULLIF(array_to_string(x.languages, ','), '')",
                           "text"),
                    *(Column(f"accessibility_{code}", f"NULLIF(x.accessibility_{code}, '')",
                             "text") for code in LANGUAGE_CODES)),
    # A footprint, when the partner drew one, is the attraction's shape; its point stays
    # where the map shows it (a GPX waypoint).
    export_sources={"geom": "COALESCE(x.footprint, x.location)", "point": "x.location"},
    gpx_type="category", category_sql="x.category",
    category_values=tuple(Category.values),
)

TRAIL = FeatureKind(
    name="trail", table="layers_trail", geom="geom", order=1,
    collection="all-trails", title="All trails",
    description="The public trails of every partner",
    own_filters=("activity", "difficulty"),
    properties=(("activity", "x.activity"), ("difficulty", "NULLIF(x.difficulty, '')"),
                ("length_m", "round(x.length_m::numeric, 1)"),
                ("ascent_m", "round(x.ascent_m::numeric, 1)"),
                ("descent_m", "round(x.descent_m::numeric, 1)"),
                ("duration_min", "x.duration_min"), ("is_loop", "x.is_loop")),
    schema={"activity": "string", "difficulty": "string", "length_m": "number",
            "ascent_m": "number", "descent_m": "number", "duration_min": "integer",
            "is_loop": "boolean"},
    tile_properties=(("activity", "x.activity", "String"),
                     ("difficulty", "NULLIF(x.difficulty, '')", "String"),
                     ("length_m", "round(x.length_m)", "Number")),
    export_columns=tuple(Column(f, f"NULLIF(x.{f}::text, '')", "text")
                         for f in ("activity", "difficulty")),
    lines=True, gpx_type="activity", display_geom=display_sql("x"),
    # The longest first: at a low zoom, the trails that cross the view.
    tile_order="x.length_m DESC NULLS LAST, x.id",
)


def register_kinds() -> None:
    register(ATTRACTION)
    register(TRAIL)
