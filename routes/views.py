"""The route editor page: partner editors compose a route on a map."""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from jinja2 import Template

from layers.admin import editable_partners
from layers.i18n import LANGUAGE_CODES
from maps.builders import OSM_ATTRIBUTION, REGION_CENTRE
from maps.elements import AtlasMap
from routes.models import PilotRoute
from routes.vocabulary import Mode


class RouteEditor(MacroElement):
    """Attractions to pick from, the stops, modes, preview and save (routes/editor.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        AtlasRouteEditor.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, options: dict):
        super().__init__()
        self._name = "RouteEditor"
        self.options_json = json.dumps(options, ensure_ascii=False)

    def render(self, **kwargs):
        self.get_root().header.add_child(folium.elements.JavascriptLink(
            static("routes/editor.js")), name="route_editor_js")
        super().render(**kwargs)


@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    route = get_object_or_404(PilotRoute, slug=slug)
    if not route.partners.filter(pk__in=editable_partners(request.user)).exists():
        raise PermissionDenied("You do not edit any of this route's partners.")
    lang = get_language() if get_language() in LANGUAGE_CODES else "en"
    partners = list(route.partners.values_list("slug", flat=True))
    stops = [{"id": str(s.attraction.uid), "name": str(s.attraction),
              "suggested_min": s.suggested_min}
             for s in route.stops.select_related("attraction").order_by("order")]
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=6, tiles=None, control_scale=True,
                    height="100%")
    folium.TileLayer(tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                     attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19,
                     control=False).add_to(fmap)
    RouteEditor({
        "lang": lang,
        "attractionsUrl": reverse("attractions") + f"?limit=10000&lang={lang}&partner="
        + ",".join(partners),
        "trailsUrl": reverse("trails") + f"?limit=10000&lang={lang}&partner=" + ",".join(partners),
        "previewUrl": reverse("route-preview") + f"?lang={lang}",
        "saveUrl": reverse("route-composition", args=[route.slug]) + f"?lang={lang}",
        "partners": partners,
        "stops": stops,
        "modes": list(route.legs.order_by("order").values_list("mode", flat=True)),
        "modeLabels": {m.value: str(m.label) for m in Mode},
        "labels": {
            "add": _("Add as stop"), "remove": _("Remove"), "up": _("Move up"),
            "down": _("Move down"), "minutes": _("minutes here"),
            "length": _("Length"), "ascent": _("Ascent"), "duration": _("Duration"),
            "difficulty": _("Difficulty"),
            "saved": _("Saved."), "needTwo": _("Pick at least two stops on the map."),
            "routed": _("along trails"), "straight": _("straight line, no trail"),
            "trail": _("on a trail"), "drawn": _("drawn"), "error": _("Could not compute: "),
        },
    }).add_to(fmap)
    root = fmap.get_root()
    root.render()
    return render(request, "routes/editor.html", {
        "route": route, "map_head": root.header.render(), "map_body": root.html.render(),
        "map_script": root.script.render()})
