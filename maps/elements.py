"""folium building blocks whose assets the platform serves itself.

folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs;
our maps use Leaflet and Leaflet.markercluster from npm (see package.json),
served under /static/vendor/, plus our own script.
"""

from __future__ import annotations

import json
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from django.templatetags.static import static
from django.utils.translation import gettext as _
from folium.template import Template


class AtlasMap(folium.Map):
    """A folium map with local assets only, inside a page that sets its own viewport.

    folium's own header forbids pinch-zoom on phones (``user-scalable=no``) and
    stretches html/body over the window; our pages have a header and must let
    people zoom, so the map keeps only the size rules of its own element.
    """

    default_js = [("leaflet", "vendor/leaflet/leaflet.js")]
    default_css = [("leaflet_css", "vendor/leaflet/leaflet.css")]

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                #{{ this.get_name() }} {
                    position: {{this.position}};
                    width: {{this.width[0]}}{{this.width[1]}};
                    height: {{this.height[0]}}{{this.height[1]}};
                    left: {{this.left[0]}}{{this.left[1]}};
                    top: {{this.top[0]}}{{this.top[1]}};
                }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }} ></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{this.options|tojavascript}},
                    zoomControl: false
                }
            );
            (function (map, words) {
                {%- if this.atlas_zoom_control %}
                L.control.zoom({ position: {{ this.atlas_zoom_control|tojson }},
                                 zoomInTitle: words.zoomIn,
                                 zoomOutTitle: words.zoomOut }).addTo(map);
                {%- endif %}
                // The prefix, not the link drawn from it: each attribution added redraws it.
                var credits = map.attributionControl;
                if (credits && typeof credits.options.prefix === "string") {
                    var prefix = document.createElement("span");
                    prefix.innerHTML = credits.options.prefix;
                    var link = prefix.querySelector("a");
                    if (link) { link.title = words.leaflet; credits.setPrefix(prefix.innerHTML); }
                }
                map.on("popupopen", function (e) {
                    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
                    if (close) close.setAttribute("aria-label", words.closePopup);
                });
                map.atlasWords = words;
            })({{ this.get_name() }}, {{ this.words_json }});
            {%- if this.control_scale %}
            {#- Metres and kilometres only: the partners' and their visitors' units. #}
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Static URLs are resolved per instance: STATIC_URL may change (tests, whitenoise).
        self.default_js = [(name, static(path)) for name, path in type(self).default_js]
        self.default_css = [(name, static(path)) for name, path in type(self).default_css]
        super().__init__(*args, **kwargs)
        # Leaflet's controls say English words of their own: the zoom control is made here
        # with the page's words instead of Leaflet's, at the place folium would put it.
        zoom = kwargs.get("zoom_control", True)
        self.atlas_zoom_control = zoom if isinstance(zoom, str) else ("topleft" if zoom else "")
        self.words_json = json.dumps(leaflet_words(), ensure_ascii=False).replace("</", "<\\/")


def page_of(element: Element) -> Figure:
    """The page (branca's Figure) an element is drawn in: a map's, and its elements'."""
    root = element.get_root()
    assert isinstance(root, Figure), f"{element!r} is not in a page"
    return root


def leaflet_words() -> dict[str, str]:
    """What Leaflet's own controls say, in the active language (``map.atlasWords`` in JS)."""
    return {
        "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"), "layers": _("Layers"),
        "closePopup": _("Close popup"),
        # The title of the "Leaflet" link in the attribution.
        "leaflet": _("A JavaScript library for interactive maps"),
    }


class ModuleLink(folium.elements.JavascriptLink):
    """``<script type="module">``: an ES module, run once the page is parsed (deferred).

    Its imports are relative to it, so the module's folder is served as it is.
    """

    _template = Template('<script type="module" src="{{ this.url }}"></script>')


class RegionalFeatures(MacroElement):
    """Partners' boundaries and the regional layer, fetched from the API as the map moves.

    ``options`` go to ``AtlasExplorer.attach`` (maps/static/maps/explorer/main.js) as
    JSON, with the map folium made. That script is an ES module, which runs only once
    the page is parsed, after this inline start: the start waits for DOMContentLoaded,
    which comes after every module script has run.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        document.addEventListener("DOMContentLoaded", function () {
            AtlasExplorer.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        });
        {% endmacro %}
    """)

    def __init__(self, *, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "RegionalFeatures"
        # "</" would end the inline script early if a label ever contained it.
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca: Element.render gives str, MacroElement.render None
        figure = page_of(self)
        for name, path in (
                ("mc_css", "vendor/leaflet.markercluster/MarkerCluster.css"),
                ("mcd_css", "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
                ("atlas_explorer_css", "maps/explorer.css")):
            figure.header.add_child(folium.elements.CssLink(static(path)), name=name)
        figure.header.add_child(folium.elements.JavascriptLink(
            static("vendor/leaflet.markercluster/leaflet.markercluster.js")), name="mc_js")
        figure.header.add_child(ModuleLink(static("maps/explorer/main.js")),
                                name="atlas_explorer_js")
        super().render(**kwargs)


class PageScript(MacroElement):
    """Calls ``call(map, options)`` from a page's own script ``js`` once the map exists.

    ``options`` travel as JSON inside an inline script, with "</" escaped so that no
    text from the database (a name, a label) can end the script early.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.call }}({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, *, js: str, call: str, options: dict[str, Any],
                 requires: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._name = "PageScript"
        self.js = js
        self.requires = requires  # scripts ``js`` uses, loaded before it
        self.call = call
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca: Element.render gives str, MacroElement.render None
        for js in (*self.requires, self.js):
            page_of(self).header.add_child(folium.elements.JavascriptLink(static(js)), name=js)
        super().render(**kwargs)


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """A folium map cut into what a page template places: head, body and script."""
    root = page_of(fmap)
    root.render()
    return {"map_head": root.header.render(), "map_body": root.html.render(),
            "map_script": root.script.render()}
