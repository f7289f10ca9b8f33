"""Published pilot routes on the regional layer, beside what they visit (see
layers/registry.py). Registered by ``RoutesConfig.ready``, with what an undo of an import
must know about the routes' stops."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from layers.registry import SANDBOX_SLUGS, Column, FeatureKind, register, register_feature_use
from layers.styles import KindStyle, Look, register_style
from routes.vocabulary import RouteStatus

# A route belongs to one or more partners: its first partner's slug names it in lists.
PARTNER_SLUG = ("(SELECT min(p.slug) FROM routes_pilotroute_partners rp JOIN layers_partner p "
                "ON p.id = rp.partner_id WHERE rp.pilotroute_id = x.id)")


def partner_condition(alias: str) -> str:
    """SQL true when pilot route ``alias`` belongs to one of the partners ``%s`` (slugs)."""
    return ("EXISTS (SELECT 1 FROM routes_pilotroute_partners rp JOIN layers_partner p "
            f"ON p.id = rp.partner_id WHERE rp.pilotroute_id = {alias}.id "
            "AND p.slug = ANY(%s))")


def in_sandbox(alias: str) -> str:
    """SQL true when pilot route ``alias`` is a training partner's (``Partner.sandbox``):
    whatever its status, it is never public."""
    return partner_condition(alias).replace("%s", SANDBOX_SLUGS)


ROUTE = FeatureKind(
    name="route", table="routes_pilotroute", geom="geom", order=2,
    collection="all-routes", title="Pilot routes",
    description="The published pilot routes of every partner",
    own_filters=("difficulty",),
    properties=(("slug", "x.slug"), ("themes", "x.themes"),
                ("transport_modes", "x.transport_modes"),
                ("difficulty", "NULLIF(x.difficulty, '')"),
                ("length_m", "round(x.length_m::numeric)"),
                ("ascent_m", "round(x.ascent_m::numeric)"), ("duration_min", "x.duration_min"),
                ("duration_days", "x.duration_days"), ("url", "'/routes/' || x.slug || '/'")),
    schema={"slug": "string", "themes": "array", "transport_modes": "array",
            "difficulty": "string", "length_m": "number", "ascent_m": "number",
            "duration_min": "integer", "duration_days": "integer", "url": "string"},
    tile_properties=(("slug", "x.slug", "String"),
                     ("difficulty", "NULLIF(x.difficulty, '')", "String"),
                     ("length_m", "round(x.length_m)", "Number")),
    # A route has no source file: its stable name (slug), its themes and modes as
    # comma-separated words, and its computed length (m) and duration (days) go out.
    export_columns=(
        Column("slug", "x.slug", "text"),
        Column("difficulty", "NULLIF(x.difficulty, '')", "text"),
        Column("themes", "NULLIF(array_to_string(x.themes, ','), '')", "text"),
        Column("transport_modes", "NULLIF(array_to_string(x.transport_modes, ','), '')",
               "text"),
        Column("length_m", "round(x.length_m)::integer", "integer"),
        Column("duration_days", "x.duration_days::integer", "integer")),
    export_sources={"source_id": "x.slug"},
    lines=True, gpx_type="transport_modes",
    layered=False, name_field="title", description_field="summary",
    partner_sql=PARTNER_SLUG, partner_filter=partner_condition("x"),
    public=f"x.status = '{RouteStatus.PUBLISHED.value}'",
)


# As the map draws a route (maps/static/maps/explorer/style.js): dashed, magenta.
ROUTE_STYLE = KindStyle(default=Look("#c2185b"), lines=True, width=5, dash=(10, 6))


def register_kind() -> None:
    register(ROUTE)
    register_style("route", ROUTE_STYLE)
    register_feature_use(
        table="routes_routestop",
        message=_("layer %(layer)s: import run %(run)s cannot be undone: features it created "
                  "are now used in %(table)s (stops of pilot routes: take them out of those "
                  "routes first)"))
