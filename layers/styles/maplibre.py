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
                   attribution: str) -> dict[str, Any]:
    """The style (MapLibre style spec version 8) of a collection of ``kinds``, whose
    tiles the TileJSON at ``tilejson_url`` (absolute) describes."""
    ordered = sorted(kinds, key=lambda k: (not registry.kind(k).lines, registry.kind(k).order))
    return {
        "version": 8, "name": name,
        "metadata": {"atlas:kinds": list(kinds)},
        "sources": {
            "osm": {"type": "raster", "tiles": [BASEMAP_TILES], "tileSize": 256,
                    "maxzoom": 19, "attribution": OSM_ATTRIBUTION},
            SOURCE: {"type": "vector", "url": tilejson_url, "attribution": attribution},
        },
        "layers": [{"id": "osm", "type": "raster", "source": "osm"},
                   *(_layer(k, kind_style(k)) for k in ordered)],
    }
