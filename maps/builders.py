"""folium map builders for the platform's pages."""

from __future__ import annotations

import folium
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from layers.vocabulary import Activity, Category
from maps.elements import AtlasMap, RegionalFeatures

OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# Centre of the four partners (Drôme to eastern Bulgaria) until their boundaries load.
REGION_CENTRE = (43.3, 14.5)


def regional_explorer(*, lang: str) -> AtlasMap:
    """The regional map: partners' boundaries, attractions and trails, in ``lang``."""
    with translation.override(lang):
        labels = {
            "categories": {c.value: str(c.label) for c in Category},
            "activities": {a.value: str(a.label) for a in Activity},
            "ui": {"partners": _("Partners"), "attractions": _("Attractions"),
                   "trails": _("Trails")},
        }
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=True,
                    prefer_canvas=False)
    folium.TileLayer(
        tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, control=False,
    ).add_to(fmap)
    RegionalFeatures(
        partners_url=reverse("partners"), features_url=reverse("regional-layer"),
        lang=lang, labels=labels,
    ).add_to(fmap)
    return fmap


PREVIEW_FEATURES = 500


def import_preview(*, features: dict) -> AtlasMap:
    """A small map of the first features of an import preview (at most PREVIEW_FEATURES).

    These are not in the database yet, so they cannot come from the API: the
    sample is part of the page, bounded in size.
    """
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=True,
                    height="320px")
    folium.TileLayer(tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                     attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19,
                     control=False).add_to(fmap)
    if features["features"]:
        layer = folium.GeoJson(
            features, name="preview",
            style_function=lambda _f: {"color": "#a93226", "weight": 3},
            marker=folium.CircleMarker(radius=6, color="#fff", weight=2, fill=True,
                                       fill_color="#a93226", fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
        fmap.fit_bounds(layer.get_bounds())
    return fmap
