"""The practices API: the list (GeoJSON, or plain JSON with ``f=json``), a practice, and
its writes (create, edit, submit, review, feature, archive) for signed-in users and
write tokens. Every write goes through ``exchange.services``, which refuses what
``exchange.rules`` does not allow."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from exchange import rules, selectors, services, transfer_selectors
from exchange.forms import PracticeForm, indicator_specs, place_specs
from exchange.models import GoodPractice, Question
from exchange.params import PRACTICE_PARAMS, TransferFilters, parse_practice_filters
from geo import geojson
from geo.errors import BadParameter, Forbidden, InvalidFields
from geo.geojson import page_link
from geo.params import choice, parse_lang, parse_page, refuse_unknown
from layers.api import LANG
from layers.models import Partner
from layers.params import DEFAULT_LIMIT, MAX_LIMIT

PRACTICE_FILTERS = [
    LANG,
    OpenApiParameter("theme", str, description="themes, comma-separated"),
    OpenApiParameter("partner", str, description="partner slug(s), comma-separated"),
    OpenApiParameter("kind", str, description="practice and/or lesson"),
    OpenApiParameter("category", str, description="attraction categories it concerns"),
    OpenApiParameter("origin", str, description="own and/or external"),
    OpenApiParameter("status", str, description="states (default published and featured; "
                                                "others only those who may see them get)"),
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat (WGS 84)"),
    OpenApiParameter("q", str, description="words of the title, summary, problem, what "
                                           "was done or lessons, in any language or script"),
    OpenApiParameter("has_transfers", bool, description="true: only practices another "
                     "partner has opened a transfer of; false: only those with none"),
    OpenApiParameter("f", str, enum=["geojson", "json"],
                     description="GeoJSON of the places (default) or plain JSON"),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]


def json_response(data: Any, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False},
                        safe=False)


def practice_or_404(request: Request, uid: str) -> GoodPractice:
    practice = GoodPractice.objects.select_related("partner").filter(uid=uid).first()
    if practice is None or not rules.may_view(request.user, practice):
        raise Http404
    return practice


def write_body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise InvalidFields({"body": [_("Send a JSON object.")]})
    return data


class Practices(APIView):
    @extend_schema(parameters=PRACTICE_FILTERS, responses={(200, geojson.GEOJSON):
                                                           OpenApiTypes.OBJECT},
                   summary="Good practices: published ones, and what else you may see")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, PRACTICE_PARAMS)
        lang = parse_lang(request.GET)
        filters = parse_practice_filters(request.GET)
        fmt = choice(request.GET, "f", ("geojson", "json"), default="geojson")
        limit, offset = parse_page(request.GET, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
        qs = selectors.practices(user=request.user, filters=filters)
        total = qs.count()
        rows = list(qs[offset:offset + limit])
        props = [selectors.practice_properties(p, lang=lang, user=request.user) for p in rows]
        nxt = page_link(request, offset + limit, limit) if offset + len(rows) < total else None
        prev = page_link(request, max(0, offset - limit), limit) if offset > 0 else None
        if fmt == "json":
            return json_response({"count": total, "next": nxt, "previous": prev, "results": props})
        features = [geojson.feature(id=p["id"], geometry=selectors.geometry(row), properties=p)
                    for p, row in zip(props, rows, strict=True)]
        return geojson.response(geojson.collection(
            features, numberMatched=total, numberReturned=len(features), next=nxt,
            prev=prev), lang=lang)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Write a new practice (a draft of a partner you belong to)")
    def post(self, request: Request) -> HttpResponse:
        if not rules.is_active_user(request.user):
            raise Forbidden(_("Sign in to write a practice."))
        data = write_body(request)
        partner = Partner.objects.filter(slug=str(data.get("partner", ""))).first()
        if partner is None:
            raise InvalidFields({"partner": [_("Name the partner (its slug) you write for.")]})
        form = PracticeForm(data=data)
        if not form.is_valid():
            raise InvalidFields(form.errors)
        practice = services.practice_create(
            user=request.user, partner=partner, values=form.values(),
            text_status=form.text_status(), places=place_specs(data.get("places")),
            indicators=indicator_specs(data.get("indicators")))
        lang = parse_lang(request.GET)
        return json_response(selectors.practice_detail(practice, lang=lang, user=request.user),
                     status=201)


class PracticeDetail(APIView):
    @extend_schema(parameters=[LANG], responses={(200, geojson.GEOJSON): OpenApiTypes.OBJECT},
                   summary="A practice as a GeoJSON Feature: its places whole, its texts, "
                           "evidence and (signed in) contact and history")
    def get(self, request: Request, uid: str) -> HttpResponse:
        lang = parse_lang(request.GET)
        practice = practice_or_404(request, uid)
        detail = selectors.practice_detail(practice, lang=lang, user=request.user)
        detail["transfers"] = [
            transfer_selectors.transfer_summary(t, lang=lang, user=request.user)
            for t in transfer_selectors.transfers(
                user=request.user, filters=TransferFilters(practice=str(practice.uid)))]
        shapes = [p["geometry"] for p in detail["places"] if p["geometry"]]
        body = geojson.feature(id=detail["id"], geometry=(
            {"type": "GeometryCollection", "geometries": shapes} if shapes else None),
            properties=detail)
        return geojson.response(json.dumps(body, ensure_ascii=False), lang=lang)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Change a draft (or a practice sent back for changes)")
    def patch(self, request: Request, uid: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        data = write_body(request)
        form = PracticeForm(data=data, partial=True)
        if not form.is_valid():
            raise InvalidFields(form.errors)
        practice = services.practice_update(
            user=request.user, practice=practice, values=form.values(),
            text_status=form.text_status(),
            places=place_specs(data["places"]) if "places" in data else None,
            indicators=indicator_specs(data["indicators"]) if "indicators" in data else None)
        return json_response(selectors.practice_detail(practice, lang=parse_lang(request.GET),
                                               user=request.user))


class PracticeQuestions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Ask a question on a published practice, or answer one "
                           "(`{\"text\", \"parent\"}`), in your partner's name")
    def post(self, request: Request, uid: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        data = write_body(request)
        parent = None
        if data.get("parent") not in (None, ""):
            parent = Question.objects.filter(
                pk=data["parent"] if str(data["parent"]).isdigit() else 0,
                practice=practice).first()
            if parent is None:
                raise InvalidFields({"parent": [_("That question is about another practice.")]})
        question = services.question_ask(user=request.user, practice=practice, parent=parent,
                                         text=str(data.get("text", "")))
        return json_response({"id": question.pk, "partner": question.partner.slug
                      if question.partner else None}, status=201)


class PracticeEndorsements(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Endorse a published practice in your partner's name "
                           "(`{\"kind\": \"useful\" | \"plan\" | \"applied\", "
                           "\"on\": true | false}`)")
    def post(self, request: Request, uid: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        data = write_body(request)
        services.endorsement_set(user=request.user, practice=practice,
                                 kind=str(data.get("kind", "")), on=data.get("on", True)
                                 is not False)
        return json_response(selectors.endorsements(practice))


ACTIONS = ("submit", "publish", "changes", "reject", "feature", "unfeature", "archive")


class PracticeAction(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH,
                                                enum=list(ACTIONS))],
                   summary="Move a practice on: submit it, review it (publish, changes, "
                           "reject), feature it, archive it; with a comment")
    def post(self, request: Request, uid: str, action: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        comment = str(write_body(request).get("comment", ""))[:5000]
        practice = transition(request.user, practice, action, comment)
        return json_response(selectors.practice_detail(practice, lang=parse_lang(request.GET),
                                               user=request.user))


def transition(user: Any, practice: GoodPractice, action: str, comment: str) -> GoodPractice:
    """One of ``ACTIONS`` by ``user`` (the API's and the pages' one way to do them)."""
    if action == "submit":
        return services.practice_submit(user=user, practice=practice, comment=comment)
    if action in services.DECISIONS:
        return services.practice_review(user=user, practice=practice, decision=action,
                                        comment=comment)
    if action in ("feature", "unfeature"):
        return services.practice_feature(user=user, practice=practice,
                                         featured=action == "feature", comment=comment)
    if action == "archive":
        return services.practice_archive(user=user, practice=practice, comment=comment)
    raise BadParameter("action", "use one of " + ", ".join(ACTIONS))
