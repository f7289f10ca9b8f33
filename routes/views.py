"""Route pages: the list with filters, a route's page (and its embed), and the editor."""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from jinja2 import Template

from layers.admin import editable_partners
from layers.exceptions import BadParameter
from layers.i18n import LANGUAGE_CODES
from layers.models import Partner
from layers.vocabulary import Difficulty
from maps.builders import OSM_ATTRIBUTION, REGION_CENTRE
from maps.elements import AtlasMap
from routes import selectors
from routes.metrics import format_minutes
from routes.models import PilotRoute
from routes.params import parse_route_filters
from routes.vocabulary import SEASON_MONTHS, Mode, Season, Theme


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
    lang = _lang(request)
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


def _lang(request: HttpRequest | None = None) -> str:
    """``?lang=`` when it names one of ours (a shared link keeps its language), else the
    language LocaleMiddleware chose; activated for the page's own text too."""
    asked = request.GET.get("lang") if request is not None else None
    lang = asked if asked in LANGUAGE_CODES else get_language()
    lang = lang if lang in LANGUAGE_CODES else "en"
    translation.activate(lang)
    return lang


def _tiles(fmap: AtlasMap) -> None:
    folium.TileLayer(tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                     attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19,
                     control=False).add_to(fmap)


class RoutePageScript(MacroElement):
    """Loads the route(s) from the API onto the map (routes/route-page.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        AtlasRoutePage.{{ this.entry }}({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, entry: str, options: dict):
        super().__init__()
        self._name = "RoutePageScript"
        self.entry = entry
        self.options_json = json.dumps(options, ensure_ascii=False)

    def render(self, **kwargs):
        self.get_root().header.add_child(folium.elements.JavascriptLink(
            static("routes/route-page.js")), name="route_page_js")
        super().render(**kwargs)


def _map_parts(fmap: AtlasMap) -> dict:
    root = fmap.get_root()
    root.render()
    return {"map_head": root.header.render(), "map_body": root.html.render(),
            "map_script": root.script.render()}


def _mode_labels() -> dict:
    return {m.value: str(m.label) for m in Mode}


@require_GET
def route_list(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    try:
        filters = parse_route_filters(request)
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    features, total = selectors.routes_page(filters=filters, lang=lang, limit=200, offset=0)
    query = request.GET.copy()
    query["lang"] = lang
    query["limit"] = "200"
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=5, tiles=None, control_scale=True,
                    height="100%")
    _tiles(fmap)
    RoutePageScript("list", {"routesUrl": reverse("routes") + "?" + query.urlencode()}
                    ).add_to(fmap)
    partners = Partner.objects.all()
    return render(request, "routes/list.html", {
        "routes": [_display(f["properties"]) for f in features], "total": total,
        "themes": Theme.choices, "difficulties": Difficulty.choices, "seasons": Season.choices,
        "partners": [(p.slug, str(p)) for p in partners], "modes": _mode_labels(),
        "theme_labels": dict(Theme.choices), "difficulty_labels": dict(Difficulty.choices),
        "selected": {k: request.GET.get(k, "") for k in
                     ("theme", "partner", "difficulty", "season", "days", "q")},
        **_map_parts(fmap)})


def _display(p: dict) -> dict:
    """Numbers as people read them on a page."""
    p["length_km"] = (p["length_m"] or 0) / 1000
    p["duration_text"] = format_minutes(p["duration_min"] or 0)
    for leg in p.get("legs", []):
        leg["length_km"] = (leg["length_m"] or 0) / 1000
        leg["duration_text"] = format_minutes(leg["duration_min"] or 0)
    for a in p.get("along_the_way", []):
        a["position_km"] = a["position_m"] / 1000
    return p


def _month_names(months: list[int]) -> list[str]:
    return [str(MONTHS[m]) for m in months]


def _route_page(request: HttpRequest, slug: str, *, embed: bool) -> HttpResponse:
    lang = _lang(request)
    detail = selectors.route_detail(slug=slug, lang=lang)
    if detail is None:
        raise Http404
    p = detail["properties"]
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=6, tiles=None, control_scale=True,
                    height="100%")
    _tiles(fmap)
    RoutePageScript("detail", {
        "detailUrl": reverse("route-detail", args=[slug]) + f"?lang={lang}",
        "profileUrl": reverse("route-profile", args=[slug]),
        "labels": {"distance": _("Distance"), "elevation": _("Elevation"),
                   "profile": _("Elevation profile"), "noElevation": _(
                       "No elevation on this part (a straight or motorised leg)."),
                   "along": _("Along the way")},
    }).add_to(fmap)
    return render(request, "routes/detail.html", {
        "route": _display(p), "embed": embed, "modes": _mode_labels(),
        "theme_labels": dict(Theme.choices), "difficulty_labels": dict(Difficulty.choices),
        "months": _month_names(p["months"]), "all_year": not p["months"],
        "season_months": SEASON_MONTHS, **_map_parts(fmap)})


@require_GET
def route_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _route_page(request, slug, embed=False)


@require_GET
@xframe_options_exempt
def route_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The route page without the site's header, for partners' websites (iframes)."""
    return _route_page(request, slug, embed=True)
