"""The API of transfers, study visits and attachments, under /api/practices/: lists with
filters (an unknown parameter is a 400 naming it, as on every list), one item, and the
writes, each through ``exchange.transfers``, ``exchange.visits`` or
``exchange.attachments`` (which refuse what ``exchange.rules`` does not allow)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from exchange import rules, transfer_selectors
from exchange.api import json_response, practice_or_404, write_body
from exchange.attachments import attachment_remove, attachment_upload
from exchange.forms import place_specs
from exchange.models import GoodPractice, StudyVisit, Transfer
from exchange.params import (
    TRANSFER_PARAMS,
    VISIT_PARAMS,
    parse_transfer_filters,
    parse_visit_filters,
)
from exchange.transfers import (
    EvidenceSpec,
    StepSpec,
    transfer_evidence_add,
    transfer_move,
    transfer_open,
    transfer_plan_set,
)
from exchange.visits import VisitSpec, visit_create, visit_update
from exchange.vocabulary import StepKind
from geo.errors import Forbidden, InvalidFields
from geo.geojson import page_link
from geo.params import parse_lang, parse_page, refuse_unknown
from layers.api import LANG
from layers.models import Partner
from layers.params import DEFAULT_LIMIT, MAX_LIMIT
from media.models import MediaItem
from media.services import attachment_bytes

TRANSFER_FILTERS = [
    LANG,
    OpenApiParameter("partner", str, description="receiving partners (slugs), comma-separated"),
    OpenApiParameter("from", str, description="the practices' partners (slugs)"),
    OpenApiParameter("status", str, description="exploring, adapting, piloting, transferred, "
                                                "abandoned (comma-separated)"),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]
VISIT_FILTERS = [
    LANG,
    OpenApiParameter("host", str, description="host partners (slugs), comma-separated"),
    OpenApiParameter("visitor", str, description="visiting partners (slugs)"),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]


def _date(value: Any, field: str) -> dt.date | None:
    try:
        return forms.DateField(required=False).clean(value or None)
    except forms.ValidationError:
        raise InvalidFields({field: [_("Not a date.")]}) from None


def _number(value: Any, field: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise InvalidFields({field: [_("Not a number.")]})
    return number


def _objects(raw: Any, field: str, limit: int) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise InvalidFields({field: [_("A list of objects is expected.")]})
    if len(raw) > limit:
        raise InvalidFields({field: [_("At most %(n)d.") % {"n": limit}]})
    return raw


def step_specs(raw: Any) -> list[StepSpec]:
    """``[{"title", "kind": "step"|"milestone", "due", "done", "people"}, …]``."""
    out = []
    for i, item in enumerate(_objects(raw, "steps", 50)):
        kind = str(item.get("kind") or StepKind.STEP)
        if kind not in StepKind.values:
            raise InvalidFields({f"steps[{i}].kind": [_("Choose step or milestone.")]})
        title = str(item.get("title") or "").strip()
        if not title:
            raise InvalidFields({f"steps[{i}].title": [_("Say what the step is.")]})
        out.append(StepSpec(title=title[:200], kind=kind,
                            due=_date(item.get("due"), f"steps[{i}].due"),
                            done=_date(item.get("done"), f"steps[{i}].done"),
                            people=str(item.get("people") or "")[:300]))
    return out


def evidence_spec(item: dict[str, Any], field: str) -> EvidenceSpec:
    name = str(item.get("name") or "").strip()
    if not name:
        raise InvalidFields({f"{field}.name": [_("Name the indicator.")]})
    return EvidenceSpec(
        name=name[:200], territory=str(item.get("territory") or ""),
        measure=str(item.get("measure") or ""), unit=str(item.get("unit") or "")[:40],
        value_before=_number(item.get("value_before"), f"{field}.value_before"),
        value_after=_number(item.get("value_after"), f"{field}.value_after"),
        date_before=_date(item.get("date_before"), f"{field}.date_before"),
        date_after=_date(item.get("date_after"), f"{field}.date_after"),
        source=str(item.get("source") or "")[:300])


def evidence_specs(raw: Any) -> list[EvidenceSpec]:
    return [evidence_spec(item, f"indicators[{i}]")
            for i, item in enumerate(_objects(raw, "indicators", 30))]


def _list_page(request: Request, rows: Any, summary: Any) -> HttpResponse:
    """A page of a list, as the practices' plain JSON: count, next, previous, results."""
    limit, offset = parse_page(request.GET, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    total = rows.count()
    page = list(rows[offset:offset + limit])
    nxt = page_link(request, offset + limit, limit) if offset + len(page) < total else None
    prev = page_link(request, max(0, offset - limit), limit) if offset > 0 else None
    return json_response({"count": total, "next": nxt, "previous": prev,
                          "results": [summary(r) for r in page]})


def _transfer(request: Request, uid: str) -> Transfer:
    transfer = Transfer.objects.select_related("practice", "practice__partner",
                                               "partner").filter(uid=uid).first()
    if transfer is None or not rules.may_view_transfer(request.user, transfer):
        raise Http404
    return transfer


class Transfers(APIView):
    @extend_schema(parameters=TRANSFER_FILTERS, responses={200: OpenApiTypes.OBJECT},
                   summary="Transfers of good practices between partners")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, TRANSFER_PARAMS)
        lang = parse_lang(request.GET)
        qs = transfer_selectors.transfers(user=request.user,
                                          filters=parse_transfer_filters(request.GET))
        return _list_page(request, qs, lambda t: transfer_selectors.transfer_summary(
            t, lang=lang, user=request.user))


class PracticeTransfers(APIView):
    @extend_schema(parameters=TRANSFER_FILTERS, responses={200: OpenApiTypes.OBJECT},
                   summary="The transfers of one practice")
    def get(self, request: Request, uid: str) -> HttpResponse:
        refuse_unknown(request.GET, TRANSFER_PARAMS)
        practice = practice_or_404(request, uid)
        lang = parse_lang(request.GET)
        filters = parse_transfer_filters(request.GET)
        filters.practice = str(practice.uid)
        qs = transfer_selectors.transfers(user=request.user, filters=filters)
        return _list_page(request, qs, lambda t: transfer_selectors.transfer_summary(
            t, lang=lang, user=request.user))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Open a transfer of a published practice in your partner's name "
                           "(`{\"partner\", \"plan\", \"steps\", \"comment\"}`)")
    def post(self, request: Request, uid: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        data = write_body(request)
        partner = None
        if data.get("partner"):
            partner = Partner.objects.filter(slug=str(data["partner"])).first()
            if partner is None:
                raise InvalidFields({"partner": [_("No such partner.")]})
        transfer = transfer_open(user=request.user, practice=practice, partner=partner,
                                 plan=str(data.get("plan") or ""),
                                 steps=step_specs(data.get("steps")),
                                 comment=str(data.get("comment") or "")[:5000])
        return json_response(transfer_selectors.transfer_detail(
            transfer, lang=parse_lang(request.GET), user=request.user), status=201)


class TransferDetail(APIView):
    @extend_schema(parameters=[LANG], responses={200: OpenApiTypes.OBJECT},
                   summary="A transfer: its plan, steps, evidence and history")
    def get(self, request: Request, uid: str) -> HttpResponse:
        transfer = _transfer(request, uid)
        return json_response(transfer_selectors.transfer_detail(
            transfer, lang=parse_lang(request.GET), user=request.user))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Change an open transfer's plan, steps or evidence "
                           "(`{\"plan\", \"steps\", \"indicators\"}`, lists replaced whole)")
    def patch(self, request: Request, uid: str) -> HttpResponse:
        transfer = _transfer(request, uid)
        data = write_body(request)
        transfer = transfer_plan_set(
            user=request.user, transfer=transfer,
            plan=str(data["plan"]) if "plan" in data else None,
            steps=step_specs(data["steps"]) if "steps" in data else None,
            indicators=evidence_specs(data["indicators"]) if "indicators" in data else None)
        return json_response(transfer_selectors.transfer_detail(
            transfer, lang=parse_lang(request.GET), user=request.user))


class TransferStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Move a transfer on (`{\"status\", \"comment\", \"reason\"}`): "
                           "abandoned needs a reason, transferred needs evidence measured "
                           "in the receiving partner's territory")
    def post(self, request: Request, uid: str) -> HttpResponse:
        transfer = _transfer(request, uid)
        data = write_body(request)
        transfer = transfer_move(user=request.user, transfer=transfer,
                                 to=str(data.get("status") or ""),
                                 comment=str(data.get("comment") or "")[:5000],
                                 reason=str(data.get("reason") or ""))
        return json_response(transfer_selectors.transfer_detail(
            transfer, lang=parse_lang(request.GET), user=request.user))


class TransferEvidence(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Add an evidence row (`{\"name\", \"territory\", \"measure\", "
                           "\"unit\", \"value_before\", \"value_after\", \"date_before\", "
                           "\"date_after\", \"source\"}`)")
    def post(self, request: Request, uid: str) -> HttpResponse:
        transfer = _transfer(request, uid)
        transfer_evidence_add(user=request.user, transfer=transfer,
                              row=evidence_spec(write_body(request), "indicator"))
        return json_response(transfer_selectors.transfer_detail(
            transfer, lang=parse_lang(request.GET), user=request.user), status=201)


def visit_spec(data: dict[str, Any]) -> VisitSpec:
    """A visit as the API's JSON and the page's form send it."""
    def slugs(key: str) -> list[str]:
        raw = data.get(key) or []
        if isinstance(raw, str):
            raw = [s for s in raw.split(",") if s.strip()]
        if not isinstance(raw, list):
            raise InvalidFields({key: [_("A list is expected.")]})
        return [str(s).strip() for s in raw]
    return VisitSpec(title=str(data.get("title") or ""), host=str(data.get("host") or ""),
                     visitors=slugs("visitors"), start=_date(data.get("start"), "start"),
                     end=_date(data.get("end"), "end"), notes=str(data.get("notes") or ""),
                     practices=slugs("practices"), places=place_specs(data.get("places")))


def _visit(uid: str) -> StudyVisit:
    visit = StudyVisit.objects.select_related("host").filter(uid=uid).first()
    if visit is None:
        raise Http404
    return visit


class Visits(APIView):
    @extend_schema(parameters=VISIT_FILTERS, responses={200: OpenApiTypes.OBJECT},
                   summary="Study visits between the partners")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, VISIT_PARAMS)
        lang = parse_lang(request.GET)
        qs = transfer_selectors.visits(filters=parse_visit_filters(request.GET))
        return _list_page(request, qs, lambda v: transfer_selectors.visit_summary(
            v, lang=lang))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Record a study visit (`{\"title\", \"host\", \"visitors\", "
                           "\"start\", \"end\", \"notes\", \"practices\", \"places\"}`)")
    def post(self, request: Request) -> HttpResponse:
        if not rules.is_active_user(request.user):
            raise Forbidden(_("Sign in to record a study visit."))
        visit = visit_create(user=request.user, spec=visit_spec(write_body(request)))
        return json_response(transfer_selectors.visit_detail(
            visit, lang=parse_lang(request.GET), user=request.user), status=201)


class VisitDetail(APIView):
    @extend_schema(parameters=[LANG], responses={200: OpenApiTypes.OBJECT},
                   summary="A study visit: places, practices seen, notes, attachments")
    def get(self, request: Request, uid: str) -> HttpResponse:
        return json_response(transfer_selectors.visit_detail(
            _visit(uid), lang=parse_lang(request.GET), user=request.user))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Change a study visit (the whole record)")
    def put(self, request: Request, uid: str) -> HttpResponse:
        visit = visit_update(user=request.user, visit=_visit(uid),
                             spec=visit_spec(write_body(request)))
        return json_response(transfer_selectors.visit_detail(
            visit, lang=parse_lang(request.GET), user=request.user))


ATTACHMENT_FORM = OpenApiTypes.OBJECT


def upload(request: Request, owner: GoodPractice | StudyVisit) -> HttpResponse:
    """An attachment from a multipart form: ``file``, ``author``, ``licence``,
    ``caption``."""
    upload_file = request.FILES.get("file")
    if upload_file is None:
        raise InvalidFields({"file": [_("Choose a file.")]})
    fields = request.data if isinstance(request.data, dict) else {}
    item = attachment_upload(
        user=request.user, owner=owner, data=attachment_bytes(upload_file),
        declared_type=upload_file.content_type or "", filename=upload_file.name or "",
        author=str(fields.get("author") or ""), licence=str(fields.get("licence") or ""),
        caption=str(fields.get("caption") or "")[:500])
    return json_response(transfer_selectors.attachment_card(item), status=201)


class PracticeAttachments(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT},
                   summary="A practice's documents and images")
    def get(self, request: Request, uid: str) -> HttpResponse:
        practice = practice_or_404(request, uid)
        return json_response(transfer_selectors.attachments(practice, lang=parse_lang(request.GET)))

    @extend_schema(request={"multipart/form-data": ATTACHMENT_FORM},
                   responses={201: OpenApiTypes.OBJECT},
                   summary="Attach a document (PDF, ODT, DOCX) or an image (JPEG, PNG, "
                           "WebP): `file`, `author`, `licence`, `caption`")
    def post(self, request: Request, uid: str) -> HttpResponse:
        return upload(request, practice_or_404(request, uid))


class VisitAttachments(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": ATTACHMENT_FORM},
                   responses={201: OpenApiTypes.OBJECT},
                   summary="Attach a report (PDF, ODT, DOCX) or a photo to a study visit")
    def post(self, request: Request, uid: str) -> HttpResponse:
        return upload(request, _visit(uid))


class AttachmentDetail(APIView):
    @extend_schema(responses={204: None}, summary="Remove an attachment")
    def delete(self, request: Request, uid: str) -> HttpResponse:
        item = MediaItem.objects.filter(uid=uid).first()
        owner = item.owner if item is not None else None
        if item is None or not isinstance(owner, GoodPractice | StudyVisit) or (
                isinstance(owner, GoodPractice) and not rules.may_view(request.user, owner)):
            raise Http404
        attachment_remove(user=request.user, item=item)
        return HttpResponse(status=204)
