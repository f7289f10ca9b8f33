"""Published good practices on the regional layer, beside what they are about (see
layers/registry.py): a point on each of a practice's places. Registered by
``ExchangeConfig.ready``, with what an undo of an import must know about the places."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from exchange.vocabulary import PUBLIC_STATUSES, Status
from layers.registry import Column, FeatureKind, register, register_feature_use
from layers.styles import KindStyle, Look, register_style

PUBLIC_SQL = "x.status IN (" + ", ".join(f"'{s.value}'" for s in PUBLIC_STATUSES) + ")"

PRACTICE = FeatureKind(
    name="practice", table="exchange_goodpractice", geom="geom", order=4,
    collection="all-practices", title="Good practices",
    description="The partners' published good practices, a point on each of their places",
    # ``kind`` is the feature's kind on the regional layer: the practice's own kind
    # (practice or lesson from a failure) is ``practice_kind``.
    properties=(("practice_kind", "x.kind"), ("themes", "x.themes"),
                ("categories", "x.categories"), ("origin", "x.origin"),
                ("featured", f"x.status = '{Status.FEATURED.value}'"),
                ("published_at", "x.published_at"),
                ("url", "'/practices/' || x.uid || '/'")),
    schema={"practice_kind": "string", "themes": "array", "categories": "array",
            "origin": "string", "featured": "boolean", "published_at": "string",
            "url": "string"},
    tile_properties=(("practice_kind", "x.kind", "String"), ("origin", "x.origin", "String"),
                     ("themes", "array_to_string(x.themes, ',')", "String")),
    export_columns=(
        Column("practice_kind", "x.kind", "text"),
        Column("themes", "NULLIF(array_to_string(x.themes, ','), '')", "text"),
        Column("categories", "NULLIF(array_to_string(x.categories, ','), '')", "text"),
        Column("origin", "x.origin", "text"),
        Column("source_url", "NULLIF(x.source_url, '')", "text")),
    # A GPX waypoint (and a KML placemark's point) is one point: the first place's.
    export_sources={"point": "ST_GeometryN(x.geom, 1)"},
    layered=False, name_field="title", description_field="summary",
    partner_sql="(SELECT p.slug FROM layers_partner p WHERE p.id = x.partner_id)",
    partner_filter=("EXISTS (SELECT 1 FROM layers_partner p WHERE p.id = x.partner_id "
                    "AND p.slug = ANY(%s))"),
    public=PUBLIC_SQL,
)


# As the map draws a practice's places (style.js): a purple dot ringed in white.
PRACTICE_STYLE = KindStyle(default=Look("#ffffff"), fill="#7d3c98", ring=2, diameter=14)


def register_kind() -> None:
    register(PRACTICE)
    register_style("practice", PRACTICE_STYLE)
    register_feature_use(
        table="exchange_practiceplace",
        message=_("layer %(layer)s: import run %(run)s cannot be undone: features it created "
                  "are now places of good practices (%(table)s: take them out of those "
                  "practices first)"))
