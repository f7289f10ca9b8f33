"""The pilot routes API: list (GeoJSON), detail, elevation profile, downloads, and the
editors' composition preview."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import MultiLineString
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from geo import geojson
from geo.errors import BadParameter, Forbidden, InvalidFields
from geo.geojson import GEOJSON, page_link
from geo.params import choice, number, parse_lang, parse_page, refuse_unknown
from layers.admin import visible_layers
from layers.api import CQL, EXPORT_CRS, LANG
from layers.exports import check_crs, file_stem
from layers.models import Attraction, Partner
from layers.ogc.params import export_srid
from layers.params import DEFAULT_LIMIT, MAX_LIMIT
from routes import exports, selectors, services
from routes.difficulty import difficulty_reason
from routes.forms import TEXT_FIELDS, RouteForm, route_values
from routes.models import PilotRoute
from routes.params import ROUTE_LIST_PARAMS, parse_route_filters
from routes.profile import route_profile
from routes.vocabulary import PUBLIC_STATUSES, Mode, RouteStatus, StraightReason, Theme

ROUTE_FILTERS = [
    LANG,
    OpenApiParameter("theme", str, description="themes, comma-separated"),
    OpenApiParameter("partner", str, description="partner slug(s), comma-separated"),
    OpenApiParameter("season", str, description="months 1-12 or spring/summer/autumn/winter"),
    OpenApiParameter("days", str, description="duration in days, e.g. 1 or 1,2"),
    OpenApiParameter("max_hours", float, description="at most this total time (hours)"),
    OpenApiParameter("difficulty", str, description="easy, moderate, hard, very_hard"),
    OpenApiParameter("mode", str, description="routes using any of these modes"),
    OpenApiParameter("status", str, description="pilot and/or published (default both)"),
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat (WGS 84)"),
    OpenApiParameter("near", str, description="lon,lat: routes passing within `radius`"),
    OpenApiParameter("radius", float, description="metres, with near (default 5000)"),
    OpenApiParameter("q", str, description="title or summary in any language or script, "
                                           "as the features' q matches (typos, a "
                                           "partner's name as a place)"),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
    *CQL,
]


ROUTE_BODY = {"type": "object", "properties": {
    "slug": {"type": "string"},
    **{name: {"type": "string"} for name in TEXT_FIELDS},
    "themes": {"type": "array", "items": {"type": "string", "enum": list(Theme.values)}},
    "months": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
    "duration_days": {"type": "integer", "minimum": 1},
    "status": {"type": "string", "enum": list(RouteStatus.values)},
    "partners": {"type": "array", "items": {"type": "string"},
                 "description": "partner slugs, of partners the user edits"}}}


LIST_FIELDS = ("themes", "months", "partners")


def _form_data(raw: object) -> QueryDict | dict[str, Any]:
    if isinstance(raw, QueryDict):
        return raw
    if not isinstance(raw, dict):
        raise BadParameter("body", _("send a JSON object of the route's fields"))
    return raw


def _route_saved(request: Request, form: RouteForm, status: int) -> JsonResponse:
    if not form.is_valid():
        raise InvalidFields(form.errors)
    with transaction.atomic():
        route = form.save()
    return JsonResponse({"slug": route.slug, "status": route.status,
                         "url": request.build_absolute_uri(f"/routes/{route.slug}/")},
                        status=status)


class Routes(APIView):
    @extend_schema(request={"application/json": ROUTE_BODY},
                   responses={201: OpenApiTypes.OBJECT},
                   summary="Create a route (partner editors): its texts, themes, season, "
                           "days, status and partners; stops and legs by its composition")
    def post(self, request: Request) -> JsonResponse:
        if not services.route_manageable(user=request.user):
            raise Forbidden(_("Only partner editors create routes."))
        form = RouteForm(_form_data(request.data), user=request.user)
        return _route_saved(request, form, 201)

    @extend_schema(parameters=ROUTE_FILTERS, responses={(200, GEOJSON): OpenApiTypes.OBJECT},
                   summary="Public pilot routes (pilot and published)")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, ROUTE_LIST_PARAMS)
        lang = parse_lang(request.GET)
        filters = parse_route_filters(request.GET)
        limit, offset = parse_page(request.GET, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
        features, total = selectors.routes_page(filters=filters, lang=lang, limit=limit,
                                                offset=offset, request=request)
        nxt = page_link(request, offset + limit) if offset + len(features) < total else None
        prev = page_link(request, max(0, offset - limit)) if offset > 0 else None
        return geojson.response(geojson.collection(
            features, numberMatched=total, numberReturned=len(features), next=nxt,
            prev=prev), lang=lang)


def _along(request: Request) -> float:
    return number(request.GET, "along", low=0, high=selectors.ALONG_MAX_M,
                   default=selectors.ALONG_DEFAULT_M)


class RouteDetail(APIView):
    @extend_schema(parameters=[LANG, OpenApiParameter(
        "along", float, description="attractions within this many metres of the route "
                                    f"(default {selectors.ALONG_DEFAULT_M:g})")],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT},
        summary="A route with stops, legs, metrics and attractions along the way")
    def get(self, request: Request, slug: str) -> HttpResponse:
        refuse_unknown(request.GET, {"lang", "along"})
        lang = parse_lang(request.GET)
        detail = selectors.route_detail(slug=slug, lang=lang, along_m=_along(request),
                                        request=request,
                                        drafts=_manageable(request, slug) is not None)
        if detail is None:
            raise Http404
        return geojson.response(json.dumps(detail, ensure_ascii=False), lang=lang)

    @extend_schema(request={"application/json": ROUTE_BODY},
                   responses={200: OpenApiTypes.OBJECT},
                   summary="Change a route's description, season, status or partners "
                           "(its partners' editors); the fields not sent are kept")
    def patch(self, request: Request, slug: str) -> JsonResponse:
        route = _manageable(request, slug)
        if route is None:
            raise _refusal(request, slug)
        body = _form_data(request.data)
        if isinstance(body, QueryDict):
            body = {k: body.getlist(k) if k in LIST_FIELDS else body.get(k) for k in body}
        data = {**route_values(route, request.user), **body}
        data["slug"] = route.slug
        form = RouteForm(data, instance=route, user=request.user)
        return _route_saved(request, form, 200)

    @extend_schema(request=None, responses={204: None},
                   summary="Delete a route (an editor of all its partners)")
    def delete(self, request: Request, slug: str) -> HttpResponse:
        route = _manageable(request, slug)
        if route is None:
            raise _refusal(request, slug)
        services.route_delete(route=route, user=request.user)
        return HttpResponse(status=204)


def _manageable(request: Request, slug: str) -> PilotRoute | None:
    """The route ``slug`` if the user manages it (its partners' editors), else None."""
    route = PilotRoute.objects.filter(slug=slug).first()
    if route is None or not services.route_manageable(user=request.user, route=route):
        return None
    return route


def _refusal(request: Request, slug: str) -> Exception:
    """A draft of others is not there, for them; a public route is, and is not theirs."""
    if not PilotRoute.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).exists():
        return Http404()
    return Forbidden(_("You do not edit any of this route's partners."))


class RouteProfile(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT},
                   summary="Elevation profile: distance along the route vs elevation")
    def get(self, request: Request, slug: str) -> JsonResponse:
        refuse_unknown(request.GET, ())
        profile = route_profile(slug=slug)
        if profile is None:
            raise Http404
        return JsonResponse(profile)


class RouteExport(APIView):
    @extend_schema(parameters=[LANG, OpenApiParameter("format", str,
                                                      enum=list(exports.EXPORT_FORMATS)),
                               EXPORT_CRS],
                   responses={200: OpenApiTypes.BINARY},
                   summary="Download a route as GPX 1.1, KML or GeoJSON")
    def get(self, request: Request, slug: str) -> HttpResponse:
        refuse_unknown(request.GET, {"format", "lang", "crs"})
        fmt = choice(request.GET, "format", exports.EXPORT_FORMATS, default="gpx")
        srid = export_srid(request.GET)
        check_crs(fmt, srid)
        lang = parse_lang(request.GET)
        route = (PilotRoute.objects.filter(slug=slug, status__in=PUBLIC_STATUSES)
                 .exclude(partners__sandbox=True).first())
        detail = (selectors.route_detail(slug=slug, lang=lang, along_m=None, request=request)
                  if route is not None else None)
        if route is None or detail is None:
            raise Http404
        page = request.build_absolute_uri(f"/routes/{slug}/")
        body = exports.export(detail, route.pk, fmt, page, srid)
        content_type, ext = exports.EXPORT_FORMATS[fmt]
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{file_stem(slug, srid)}.{ext}"')
        return response


def _composition(request: Request) -> tuple[list[services.StopSpec], list[str]]:
    data = request.data if isinstance(request.data, dict) else {}
    stops = _stop_specs(data.get("stops"), request.user)
    modes = data.get("modes")
    if not isinstance(modes, list) or len(modes) != len(stops) - 1:
        raise BadParameter("modes", _("give one mode per leg: %(legs)s for %(stops)s stops")
                           % {"legs": len(stops) - 1, "stops": len(stops)})
    for i, mode in enumerate(modes):
        if mode not in Mode.values:
            raise BadParameter("modes", _("leg %(leg)s: unknown mode %(mode)s; use one of "
                                          "%(modes)s") % {"leg": i + 1, "mode": repr(mode),
                                                          "modes": ", ".join(Mode.values)})
    return stops, modes


def composes(user: User | AnonymousUser, route: PilotRoute | None = None) -> bool:
    """Whether ``user`` may compose routes (``route``, when given): a staff member who
    edits one of its partners. Write access follows group membership *and* staff status,
    as in the admin: a member of an editors group who is not staff only reads
    (``layers.permissions``, the one place that decides it)."""
    return services.route_manageable(user=user, route=route)


class IsPartnerEditor(IsAuthenticated):
    message = gettext_lazy("Only partner editors compose routes.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and composes(request.user)


COMPOSITION = {"type": "object", "properties": {
    "stops": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "suggested_min": {"type": "integer"}}}},
    "modes": {"type": "array", "items": {"type": "string", "enum": list(Mode.values)}}}}


class RoutePreview(APIView):
    """Metrics of a composition before it is saved (for editors)."""

    permission_classes = [IsPartnerEditor]

    @extend_schema(request={"application/json": COMPOSITION}, responses={200: OpenApiTypes.OBJECT},
                   summary="Preview a composition: stops (attraction ids) and leg modes")
    def post(self, request: Request) -> JsonResponse:
        lang = parse_lang(request.GET)
        stops, modes = _composition(request)
        data = request.data if isinstance(request.data, dict) else {}
        partners = _partner_ids(data.get("partners"), stops)
        result, geom = services.route_preview(stops=stops, modes=modes, partner_ids=partners)
        return JsonResponse(preview_body(result, geom, lang))


def _partner_ids(slugs: object, stops: list[services.StopSpec]) -> list[int]:
    """The partners whose trails legs may follow: those named, else the stops' partners."""
    if slugs:
        if not isinstance(slugs, list):
            raise BadParameter("partners", _("a list of partner slugs"))
        return list(Partner.objects.filter(slug__in=slugs).values_list("id", flat=True))
    return sorted({s.attraction.layer.partner_id for s in stops})


class RouteComposition(APIView):
    """Save a route's stops and leg modes; legs are routed and metrics computed."""

    permission_classes = [IsPartnerEditor]

    @extend_schema(request={"application/json": COMPOSITION}, responses={200: OpenApiTypes.OBJECT},
                   summary="Replace a route's stops and legs (partner editors)")
    def put(self, request: Request, slug: str) -> JsonResponse:
        route = PilotRoute.objects.filter(slug=slug).first()
        if route is None:
            raise Http404
        if not composes(request.user, route):
            raise Forbidden(_("You do not edit any of this route's partners."))
        lang = parse_lang(request.GET)
        stops, modes = _composition(request)
        with transaction.atomic():
            route = services.route_compose(route=route, stops=stops, modes=modes)
        return JsonResponse(saved_body(route, lang))


def saved_body(route: PilotRoute, lang: str) -> dict[str, Any]:
    """What the editor shows after saving: the same keys as a preview."""
    legs = list(route.legs.order_by("order"))
    return {
        "slug": route.slug, "status": route.status, "saved": True,
        "geometry": json.loads(route.geom.geojson) if route.geom else None,
        "length_m": _round(route.length_m), "ascent_m": _round(route.ascent_m),
        "descent_m": _round(route.descent_m), "moving_min": route.moving_min,
        "stops_min": route.stops_min, "duration_min": route.duration_min,
        "duration_by_mode": route.duration_by_mode, "difficulty": route.difficulty,
        "difficulty_reason": difficulty_reason(route.difficulty_basis, lang),
        "legs": [{"order": leg.order, "mode": leg.mode, "source": leg.source,
                  "straight_reason": leg.straight_reason or None,
                  "why_straight": why_straight(leg.straight_reason),
                  "transit_line": leg.transit_line or None,
                  "length_m": _round(leg.length_m), "duration_min": _round(leg.duration_min)}
                 for leg in legs],
    }


def _stop_specs(raw: object, user: User | AnonymousUser) -> list[services.StopSpec]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise BadParameter("stops", _("give at least two stops: attraction ids in order"))
    specs = []
    # Public attractions, and the editor's own partners' unpublished ones (D3): another
    # partner's is answered as one that does not exist, so the answer confirms nothing.
    visible = Attraction.objects.select_related("layer").filter(
        layer__in=visible_layers(user), retired_at__isnull=True)
    for i, item in enumerate(raw, start=1):
        uid = item.get("id") if isinstance(item, dict) else item
        minutes = item.get("suggested_min", 30) if isinstance(item, dict) else 30
        attraction = visible.filter(uid=str(uid)).first() if _is_uuid(uid) else None
        if attraction is None:
            raise BadParameter("stops", _("stop %(stop)s: no attraction with id %(id)s")
                               % {"stop": i, "id": repr(uid)})
        if not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
            raise BadParameter("stops", _("stop %(stop)s: suggested_min must be 0 to 1440 "
                                          "minutes") % {"stop": i})
        specs.append(services.StopSpec(attraction, minutes))
    return specs


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def preview_body(result: services.Computed, geom: MultiLineString | None,
                 lang: str) -> dict[str, Any]:
    return {
        "geometry": json.loads(geom.geojson) if geom is not None else None,
        "length_m": round(result.length_m), "ascent_m": _round(result.ascent_m),
        "descent_m": _round(result.descent_m), "moving_min": round(result.moving_min),
        "stops_min": result.stops_min, "duration_min": result.duration_min,
        "duration_by_mode": result.duration_by_mode,
        "difficulty": result.difficulty.level,
        "difficulty_reason": difficulty_reason(result.difficulty.as_dict(), lang),
        "legs": [{"order": i, "mode": plan.mode, "source": plan.source,
                  "straight_reason": plan.straight_reason or None,
                  "why_straight": why_straight(plan.straight_reason),
                  "transit_line": plan.transit_line or None,
                  "length_m": round(m.length_m), "duration_min": round(m.duration_min)}
                 for i, (plan, m) in enumerate(result.legs, start=1)],
    }


def why_straight(reason: str) -> str | None:
    """Why a leg is straight, in the active language (None when it is not)."""
    return str(StraightReason(reason).label) if reason else None


def _round(v: float | None) -> int | None:
    return None if v is None else round(v)
