"""folium building blocks whose assets the platform serves itself.

folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs;
our maps use Leaflet and Leaflet.markercluster from npm (see package.json),
served under /static/vendor/, plus our own script.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from django.templatetags.static import static
from jinja2 import Template


class AtlasMap(folium.Map):
    """A folium map with local assets only."""

    default_js = [("leaflet", "vendor/leaflet/leaflet.js")]
    default_css = [("leaflet_css", "vendor/leaflet/leaflet.css")]

    def __init__(self, *args, **kwargs):
        # Static URLs are resolved per instance: STATIC_URL may change (tests, whitenoise).
        self.default_js = [(name, static(path)) for name, path in type(self).default_js]
        self.default_css = [(name, static(path)) for name, path in type(self).default_css]
        super().__init__(*args, **kwargs)


class RegionalFeatures(MacroElement):
    """Partners' boundaries and the regional layer, fetched from the API as the map moves."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        AtlasExplorer.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, *, partners_url: str, features_url: str, lang: str, labels: dict):
        super().__init__()
        self._name = "RegionalFeatures"
        self.options_json = json.dumps({
            "partnersUrl": partners_url,
            "featuresUrl": features_url,
            "lang": lang,
            "labels": labels,
        }, ensure_ascii=False)

    def render(self, **kwargs):
        figure = self.get_root()
        figure.header.add_child(folium.elements.CssLink(
            static("vendor/leaflet.markercluster/MarkerCluster.css")), name="mc_css")
        figure.header.add_child(folium.elements.CssLink(
            static("vendor/leaflet.markercluster/MarkerCluster.Default.css")), name="mcd_css")
        figure.header.add_child(folium.elements.JavascriptLink(
            static("vendor/leaflet.markercluster/leaflet.markercluster.js")), name="mc_js")
        figure.header.add_child(folium.elements.JavascriptLink(
            static("maps/explorer.js")), name="atlas_explorer_js")
        super().render(**kwargs)
