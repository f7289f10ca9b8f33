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
