"""The feature endpoints' own parameters (filters, kinds), read with geo.params."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from geo.errors import BadParameter
from geo.params import BBox, Query, choices, number, parse_bbox, parse_when, single
from layers.registry import choice_filters
from layers.vocabulary import Activity, Category, Difficulty

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_RADIUS_M = 200_000
DEFAULT_RADIUS_M = 5000.0


@dataclass
class FeatureFilters:
    """What the feature endpoints filter on; every value already validated."""

    bbox: BBox | None = None
    near: tuple[float, float] | None = None
    radius_m: float = DEFAULT_RADIUS_M  # with near
    partner: list[str] = field(default_factory=list)
    layer: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    activity: list[str] = field(default_factory=list)
    difficulty: list[str] = field(default_factory=list)
    updated_since: datetime | None = None
    updated_before: datetime | None = None  # inclusive
    q: str | None = None
    uid: str | None = None
    # Filters a higher app's kind declares (registry.ChoiceFilter): parameter -> values.
    chosen: dict[str, list[str]] = field(default_factory=dict)
    # Only these public ids (a filter a higher app computed, e.g. listings open on a day).
    uids: list[str] | None = None
    # A CQL2 filter (CQL2 JSON, coordinates in CRS84: layers/ogc/filter.py) and the kinds
    # whose queryables it may name (layers/selectors/cql.py).
    cql: Any = None
    cql_kinds: tuple[str, ...] = ()
    # Layers in ``layer`` that are not public, which the reader may see by name (their
    # partner's people on the layer's page: layers.permissions.unpublished_layers_seen).
    unpublished_layer: list[str] = field(default_factory=list)


FILTER_PARAMS = frozenset({"bbox", "near", "radius", "partner", "layer", "category",
                           "activity", "difficulty", "updated_since", "q"})
"""What ``parse_filters`` reads: every feature list and export takes them all."""
LIST_PARAMS = FILTER_PARAMS | {"lang", "limit", "offset"}
EXPORT_PARAMS = FILTER_PARAMS | {"format", "lang", "crs"}


def partner_slugs() -> set[str]:
    from layers.models import Partner  # params are parsed before the apps' models load

    return set(Partner.objects.values_list("slug", flat=True))


def public_layer_slugs() -> set[str]:
    """Layers a client may name: a private layer is as unknown as a misspelt one."""
    from layers.models import Layer
    from layers.vocabulary import Visibility

    return set(Layer.objects.filter(visibility=Visibility.PUBLIC)
               .values_list("slug", flat=True))


def parse_kinds(query: Query, offered: list[str]) -> list[str]:
    """The kinds ``?kind=`` keeps of those an endpoint ``offered`` (all when absent)."""
    chosen = choices(query, "kind", set(offered))
    return [k for k in offered if k in chosen] if chosen else offered


def parse_filters(query: Query, reader: Any = None) -> FeatureFilters:
    """The filters of ``query``; ``reader`` (the request's user), when given, may also name
    the unpublished layers it sees."""
    f = FeatureFilters(bbox=parse_bbox(single(query, "bbox")))
    seen: set[str] = set()

    def known_layers() -> set[str]:
        if reader is not None:
            from layers.permissions import unpublished_layers_seen

            seen.update(unpublished_layers_seen(reader).values_list("slug", flat=True))
        return public_layer_slugs() | seen

    near = single(query, "near")
    if near:
        parts = near.split(",")
        try:
            lon, lat = (float(p) for p in parts)
        except ValueError:
            raise BadParameter("near", "expected lon,lat in WGS 84 degrees") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BadParameter("near", "longitude must lie in [-180, 180], latitude in [-90, 90]")
        f.near = (lon, lat)
        f.radius_m = number(query, "radius", low=1, high=MAX_RADIUS_M, default=DEFAULT_RADIUS_M)
    elif single(query, "radius"):
        raise BadParameter("radius", "goes with near=lon,lat")
    f.partner = choices(query, "partner", partner_slugs)
    f.layer = choices(query, "layer", known_layers, listed_at="/api/layers/")
    f.unpublished_layer = [slug for slug in f.layer if slug in seen]
    f.category = choices(query, "category", {c.value for c in Category})
    f.activity = choices(query, "activity", {a.value for a in Activity})
    f.difficulty = choices(query, "difficulty", {d.value for d in Difficulty})
    for name, values in choice_filters().items():
        picked = choices(query, name, set(values))
        if picked:
            f.chosen[name] = picked
    since = single(query, "updated_since")
    if since:
        f.updated_since = parse_when(since, "updated_since")
    q = (single(query, "q") or "").strip()
    if q:
        if len(q) > 200:
            raise BadParameter("q", "at most 200 characters")
        f.q = q
    return f
