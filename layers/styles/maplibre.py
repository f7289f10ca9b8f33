"""A collection's MapLibre (Mapbox GL) style: its vector tiles over OpenStreetMap, drawn
as the platform's map draws them (lines under markers, colours by category, activity or
type)."""

from __future__ import annotations

from typing import Any

from layers import registry
from layers.styles.palette import KindStyle, kind_style

BASEMAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = ('© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                   "contributors")
SOURCE = "atlas"


def colour_expression(style: KindStyle) -> str | list[Any]:
    """The colour of a feature: a ``match`` on the style's property, or one colour."""
    if not style.property or not style.looks:
        return style.default.colour
    pairs: list[Any] = []
    for value, look in style.looks.items():
        pairs += [value, look.colour]
    return ["match", ["coalesce", ["get", style.property], ""], *pairs, style.default.colour]


def icon_expression(style: KindStyle) -> str | list[Any]:
    """The sprite's image of a feature's icon: a ``match`` on the style's property."""
    if not style.property or not style.looks:
        return style.default.icon
    pairs: list[Any] = []
    for value, look in style.looks.items():
        pairs += [value, look.icon or style.default.icon]
    return ["match", ["coalesce", ["get", style.property], ""], *pairs, style.default.icon]


def _icons(kind: str, style: KindStyle) -> dict[str, Any]:
    """The markers' icons, over their discs (the map's ``atlas-marker``)."""
    return {"id": f"{kind}s-icons", "type": "symbol", "source": SOURCE,
            "source-layer": f"{kind}s",
            "layout": {"icon-image": icon_expression(style), "icon-allow-overlap": True,
                       "icon-ignore-placement": True}}


def _layers(kind: str, style: KindStyle) -> list[dict[str, Any]]:
    drawn = [_layer(kind, style)]
    if not style.lines and style.default.icon:
        drawn.append(_icons(kind, style))
    return drawn


def _layer(kind: str, style: KindStyle) -> dict[str, Any]:
    source_layer = f"{kind}s"
    base = {"id": source_layer, "source": SOURCE, "source-layer": source_layer}
    if style.lines:
        paint: dict[str, Any] = {"line-color": colour_expression(style),
                                 "line-width": style.width, "line-opacity": style.opacity}
        if style.dash:
            # MapLibre measures dashes in line widths.
            paint["line-dasharray"] = [d / style.width for d in style.dash]
        return {**base, "type": "line", "layout": {"line-cap": "round", "line-join": "round"},
                "paint": paint}
    return {**base, "type": "circle", "paint": {
        "circle-radius": style.diameter / 2 - style.ring, "circle-color": style.fill,
        "circle-stroke-color": colour_expression(style),
        "circle-stroke-width": style.ring}}


def maplibre_style(*, name: str, kinds: tuple[str, ...], tilejson_url: str,
                   sprite_url: str, attribution: str) -> dict[str, Any]:
    """The style (MapLibre style spec version 8) of a collection of ``kinds``, whose
    tiles the TileJSON at ``tilejson_url`` (absolute) describes, with the icons of the
    sprite at ``sprite_url`` (absolute, without ``.json``/``.png``)."""
    ordered = sorted(kinds, key=lambda k: (not registry.kind(k).lines, registry.kind(k).order))
    return {
        "version": 8, "name": name, "sprite": sprite_url,
        "metadata": {"atlas:kinds": list(kinds)},
        "sources": {
            "osm": {"type": "raster", "tiles": [BASEMAP_TILES], "tileSize": 256,
                    "maxzoom": 19, "attribution": OSM_ATTRIBUTION},
            SOURCE: {"type": "vector", "url": tilejson_url, "attribution": attribution},
        },
        "layers": [{"id": "osm", "type": "raster", "source": "osm"},
                   *(x for k in ordered for x in _layers(k, kind_style(k)))],
    }
