"""Route pages: the list with filters, a route's page (and its embed), and the editor."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.practical import ROUTE_CORRIDOR_M, practical_near
from geo.clock import now
from geo.errors import BadParameter
from geo.i18n import page_language
from geo.units import duration_text
from layers.models import Partner
from layers.permissions import editable_partners
from layers.vocabulary import Difficulty
from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap, PageScript, map_parts
from maps.pages.offline import offline_options
from maps.pages.practical import practical_groups
from maps.pages.transit_block import route_transit
from routes import selectors, services
from routes.api import composes
from routes.forms import RouteForm
from routes.models import PilotRoute
from routes.params import ROUTE_FILTER_PARAMS, parse_route_filters
from routes.vocabulary import PUBLIC_STATUSES, Mode, RouteStatus, Season, StraightReason, Theme


@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    route = get_object_or_404(PilotRoute, slug=slug)
    if not composes(request.user, route):
        raise PermissionDenied(_("You do not edit any of this route's partners."))
    lang = page_language()
    partners = list(route.partners.values_list("slug", flat=True))
    stops = [{"id": str(s.attraction.uid), "name": str(s.attraction),
              "suggested_min": s.suggested_min}
             for s in route.stops.select_related("attraction").order_by("order")]
    fmap = _map(zoom_start=6)
    PageScript(js="routes/editor.js", call="AtlasRouteEditor.attach", options={
        "lang": lang,
        "attractionsUrl": reverse("attractions") + f"?limit=10000&lang={lang}&partner="
        + ",".join(partners),
        "trailsUrl": reverse("trails") + f"?limit=10000&lang={lang}&partner=" + ",".join(partners),
        "previewUrl": reverse("route-preview") + f"?lang={lang}",
        "saveUrl": reverse("route-composition", args=[route.slug]) + f"?lang={lang}",
        "partners": partners,
        "stops": stops,
        "modes": list(route.legs.order_by("order").values_list("mode", flat=True)),
        "modeLabels": _mode_labels(),
        "labels": {
            "add": _("Add as stop"), "remove": _("Remove"), "up": _("Move up"),
            "down": _("Move down"), "minutes": _("minutes here"),
            "length": _("Length"), "ascent": _("Ascent"), "duration": _("Duration"),
            "difficulty": _("Difficulty"),
            "saved": _("Saved."), "needTwo": _("Pick at least two stops on the map."),
            "routed": _("along trails"), "straight": _("straight line, no trail"),
            "network": _("along paths and roads (OpenStreetMap)"),
            "trail": _("on a trail"), "drawn": _("drawn"), "error": _("Could not compute: "),
        },
    }).add_to(fmap)
    return render(request, "routes/editor.html", {"route": route, **map_parts(fmap)})


def _map(*, zoom_start: int) -> AtlasMap:
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=zoom_start, tiles=None,
                    control_scale=True, height="100%")
    add_basemap(fmap)
    return fmap


def _mode_labels() -> dict:
    return {m.value: str(m.label) for m in Mode}


@require_GET
def route_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    try:
        filters = parse_route_filters(request.GET)
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    features, total = selectors.routes_page(filters=filters, lang=lang, limit=200, offset=0)
    # The page takes any query (a shared link may carry utm_source…); the API refuses what
    # it does not read, so only the filters go through.
    query = QueryDict(mutable=True)
    for name in ROUTE_FILTER_PARAMS & set(request.GET):
        query.setlist(name, request.GET.getlist(name))
    query["lang"] = lang
    query["limit"] = "200"
    fmap = _map(zoom_start=5)
    PageScript(js="routes/route-page.js", call="AtlasRoutePage.list",
               options={"routesUrl": reverse("routes") + "?" + query.urlencode()}).add_to(fmap)
    partners = Partner.objects.filter(sandbox=False)
    manages = services.route_manageable(user=request.user)
    drafts = (PilotRoute.objects.filter(status=RouteStatus.DRAFT,
                                        partners__in=editable_partners(request.user))
              .distinct().order_by("slug") if manages else PilotRoute.objects.none())
    managed = (set(PilotRoute.objects.filter(partners__in=editable_partners(request.user))
                   .values_list("slug", flat=True)) if manages else set())
    return render(request, "routes/list.html", {
        "manages": manages, "drafts": drafts, "managed": managed,
        "routes": [_display(f["properties"]) for f in features], "total": total,
        "themes": Theme.choices, "difficulties": Difficulty.choices, "seasons": Season.choices,
        "partners": [(p.slug, str(p)) for p in partners], "modes": _mode_labels(),
        "selected": {k: request.GET.get(k, "") for k in
                     ("theme", "partner", "difficulty", "season", "days", "q")},
        **map_parts(fmap)})


def _display(p: dict) -> dict:
    """Numbers as people read them on a page."""
    p["length_km"] = (p["length_m"] or 0) / 1000
    p["duration_text"] = duration_text(p["duration_min"] or 0)
    for leg in p.get("legs", []):
        leg["length_km"] = (leg["length_m"] or 0) / 1000
        reason = leg.get("straight_reason")
        leg["why_straight"] = str(StraightReason(reason).label) if reason else ""
        leg["duration_text"] = duration_text(leg["duration_min"] or 0)
    for a in p.get("along_the_way", []):
        a["position_km"] = a["position_m"] / 1000
    return p


def _month_names(months: list[int]) -> list[str]:
    return [str(MONTHS[m]) for m in months]


def _route_page(request: HttpRequest, slug: str, *, embed: bool) -> HttpResponse:
    lang = page_language()
    route = PilotRoute.objects.filter(slug=slug).first()
    manages = (not embed and route is not None
               and services.route_manageable(user=request.user, route=route))
    detail = selectors.route_detail(slug=slug, lang=lang, drafts=manages)
    if detail is None or route is None:
        raise Http404
    p = detail["properties"]
    fmap = _map(zoom_start=6)
    PageScript(js="routes/route-page.js", call="AtlasRoutePage.detail", options={
        "detailUrl": reverse("route-detail", args=[slug]) + f"?lang={lang}",
        "profileUrl": reverse("route-profile", args=[slug]),
        "labels": {"distance": _("Distance"), "elevation": _("Elevation"),
                   "profile": _("Elevation profile"), "noElevation": _(
                       "No elevation on this part: only the partners' trails carry it."),
                   "along": _("Along the way"),
                   "gapsTitle": _("Where the profile has no elevation"),
                   "gap": _("From km %(from)s to km %(to)s (leg %(leg)s): %(why)s."),
                   "noneHere": _("no elevation here"),
                   "why": {
                       "network": _("paths and roads from OpenStreetMap carry no elevation, "
                                    "and no partner's trail with elevation runs beside them"),
                       "routed": _("the partner's trail here has no elevation"),
                       "trail": _("the partner's trail here has no elevation"),
                       "drawn": _("the line was drawn without elevation"),
                       "straight": _("a straight line between the stops, not a path"),
                       "transit": _("by bus or train"),
                   }},
    }).add_to(fmap)
    # Kept for the road: only what the public may see (a draft's pack is a 404).
    offline = not embed and route.status in PUBLIC_STATUSES
    if offline:
        PageScript(js="offline/save.js", call="AtlasOffline.route", requires=("offline/sync.js",),
                   options=offline_options(slug, lang)).add_to(fmap)
    return render(request, "routes/detail.html", {
        "route": _display(p), "embed": embed, "modes": _mode_labels(),
        "theme_labels": dict(Theme.choices),
        "months": _month_names(p["months"]), "all_year": not p["months"],
        "manages": manages, "draft": route.status not in PUBLIC_STATUSES, "offline": offline,
        # Near the line the public sees (the detail's: without hidden legs).
        "practical": practical_groups(practical_near(
            geom=GEOSGeometry(json.dumps(detail["geometry"])) if detail.get("geometry")
            else None, within_m=ROUTE_CORRIDOR_M, when=now()), lang),
        "practical_within_km": ROUTE_CORRIDOR_M / 1000,
        "deletable": manages and services.route_deletable(user=request.user, route=route),
        # OpenStreetMap's licence (ODbL) asks for its credit wherever its ways are shown.
        "on_osm": any(leg["source"] == "network" for leg in p.get("legs", [])),
        "transit": route_transit(request, slug), **map_parts(fmap)})


@login_required
@require_http_methods(["GET", "POST"])
def route_new(request: HttpRequest) -> HttpResponse:
    """A new route, described here; its stops and legs are then the editor's."""
    if not services.route_manageable(user=request.user):
        raise PermissionDenied(_("Only partner editors create routes."))
    form = RouteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            route = form.save()
        return redirect("route-page", slug=route.slug)
    return render(request, "routes/form.html", {"form": form, "route": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def route_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A route's description, season, days, status (publication) and partners."""
    route = get_object_or_404(PilotRoute, slug=slug)
    if not services.route_manageable(user=request.user, route=route):
        raise PermissionDenied(_("You do not edit any of this route's partners."))
    form = RouteForm(request.POST or None, instance=route, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        return redirect("route-page", slug=route.slug)
    return render(request, "routes/form.html", {
        "form": form, "route": route,
        "deletable": services.route_deletable(user=request.user, route=route)},
        status=400 if form.errors else 200)


@login_required
@require_POST
def route_delete(request: HttpRequest, slug: str) -> HttpResponse:
    route = get_object_or_404(PilotRoute, slug=slug)
    if not services.route_manageable(user=request.user, route=route):
        raise PermissionDenied(_("You do not edit any of this route's partners."))
    services.route_delete(route=route, user=request.user)
    return redirect("route-list")


@require_GET
def route_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _route_page(request, slug, embed=False)


@require_GET
@xframe_options_exempt
def route_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The route page without the site's header, for partners' websites (iframes)."""
    return _route_page(request, slug, embed=True)
