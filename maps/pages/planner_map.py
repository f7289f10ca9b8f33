"""The planner's folium map: the basemap and a script that draws the analysis.

The choropleth, the reach and the gaps come from the coverage API whenever the
planner changes a parameter (maps/static/planner/planner.js); the page
embeds no data.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from folium.template import Template

from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap
from maps.elements import map_parts as shared_map_parts


class PlannerLayers(MacroElement):
    """Hands the map to the planner's script with its options (URLs, words, colours)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        AtlasPlanner.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, *, options: dict):
        super().__init__()
        self._name = "PlannerLayers"
        # </script> in a translated word must not end the page's script early.
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")


def planner_map(*, options: dict, interactive: bool = True) -> AtlasMap:
    """The planner's map; ``interactive=False`` for the printed report (no zoom controls)."""
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=True,
                    zoom_control=interactive, prefer_canvas=False)
    add_basemap(fmap)
    PlannerLayers(options=options).add_to(fmap)
    return fmap


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """The map's element and script for a page template; the page links the assets."""
    parts = shared_map_parts(fmap)
    return {"map_body": parts["map_body"], "map_script": parts["map_script"]}
