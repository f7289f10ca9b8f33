"""How each kind of feature looks on the platform's map, in one place for every style
format: a point kind's markers (a white disc ringed in its family's colour, with a Maki
icon), a line kind's colour, width and dashes, each varying by one property (an
attraction's category, a trail's activity, a listing's type).

Layers' own kinds are here; a kind registered by a higher app registers its look with
``register_style`` beside its ``register`` (routes, actors, exchange).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from layers import registry
from layers.vocabulary import Activity, Category

FAMILY_COLOURS = {
    "culture": "#8e44ad", "history": "#a04000", "religion": "#1f618d",
    "nature": "#1e8449", "water": "#2e86c1", "leisure": "#27ae60", "service": "#566573",
    "listing": "#00897b", "wine": "#922b21",
}
"""An attraction's family -> its marker's ring (maps/static/maps/explorer.css)."""

CATEGORY_ICONS = {
    "museum": ("museum", "culture"), "gallery": ("art-gallery", "culture"),
    "attraction": ("attraction", "culture"), "viewpoint": ("viewpoint", "leisure"),
    "artwork": ("paint", "culture"), "theme_park": ("amusement-park", "leisure"),
    "zoo": ("zoo", "leisure"), "picnic_site": ("picnic-site", "leisure"),
    "camp_site": ("campsite", "leisure"), "alpine_hut": ("shelter", "leisure"),
    "information": ("information", "service"),
    "archaeological_site": ("historic", "history"), "castle": ("castle", "history"),
    "monument": ("monument", "history"), "memorial": ("landmark", "history"),
    "ruins": ("monument-JP", "history"), "monastery": ("place-of-worship", "religion"),
    "church": ("religious-christian", "religion"), "tomb": ("cemetery", "history"),
    "fort": ("castle-JP", "history"), "city_gate": ("gate", "history"),
    "manor": ("building-alt1", "history"), "bridge": ("bridge", "history"),
    "peak": ("mountain", "nature"), "cave_entrance": ("entrance-alt1", "nature"),
    "waterfall": ("waterfall", "water"), "spring": ("drinking-water", "water"),
    "rock": ("natural", "nature"), "gorge": ("triangle-stroked", "nature"),
    "hot_spring": ("hot-spring", "water"), "valley": ("landuse", "nature"),
    "park": ("park", "leisure"), "nature_reserve": ("park-alt1", "nature"),
    "garden": ("garden", "leisure"), "winery": ("alcohol-shop", "wine"),
}
"""An attraction's category -> (Maki icon, family) (style.js CATEGORY_ICONS)."""

ACTIVITY_COLOURS = {
    "walking": "#e67e22", "hiking": "#a04000", "running": "#c0392b", "cycling": "#2471a3",
    "mountain_biking": "#117864", "horse_riding": "#7d6608",
    "cross_country_skiing": "#5b2c6f", "snowshoeing": "#566573",
}
# Trails coloured by difficulty, the map's other choice, is not a style yet.
DIFFICULTY_COLOURS = {
    "easy": "#27ae60", "moderate": "#d4ac0d", "hard": "#cb4335", "very_hard": "#1b2631",
    "": "#839192",
}
TRAIL_COLOUR = "#884400"  # a trail of no known activity (style.js lineStyle)


@dataclass(frozen=True)
class Look:
    """One value's look: its colour (a marker's ring, a line's stroke), its Maki icon
    (markers), and its label (a lazy translation)."""

    colour: str
    icon: str = ""
    label: Any = ""


@dataclass(frozen=True)
class KindStyle:
    """How the features of a kind look, by the value of ``property`` (none: all alike)."""

    default: Look
    lines: bool = False
    property: str = ""
    looks: Mapping[str, Look] = field(default_factory=dict)
    width: float = 4.0  # lines: pixels
    opacity: float = 0.9
    dash: tuple[float, ...] = ()  # lines: dash and gap, pixels
    fill: str = "#ffffff"  # markers: the disc
    ring: float = 3.0  # markers: the ring's width, pixels
    diameter: float = 28.0  # markers: pixels
    icon_size: float = 15.0  # markers: pixels

    def look(self, value: str | None) -> Look:
        return self.looks.get(value or "", self.default)


ATTRACTION_STYLE = KindStyle(
    default=Look(FAMILY_COLOURS["culture"], "marker"), property="category",
    looks={c.value: Look(FAMILY_COLOURS[CATEGORY_ICONS[c.value][1]],
                         CATEGORY_ICONS[c.value][0], c.label) for c in Category})
TRAIL_STYLE = KindStyle(
    default=Look(TRAIL_COLOUR), lines=True, property="activity",
    looks={a.value: Look(ACTIVITY_COLOURS[a.value], label=a.label) for a in Activity})

_STYLES: dict[str, KindStyle] = {"attraction": ATTRACTION_STYLE, "trail": TRAIL_STYLE}


def register_style(kind: str, style: KindStyle) -> None:
    """Say how a kind registered by a higher app looks (from its app's ``ready``)."""
    _STYLES[kind] = style


def kind_style(kind: str) -> KindStyle:
    """How ``kind`` looks; a grey marker or line for a kind that registered no look."""
    if kind in _STYLES:
        return _STYLES[kind]
    return KindStyle(default=Look("#566573", "marker"), lines=registry.kind(kind).lines)
