"""Pages of the exchange between partners around the practices: transfers (the list with
filters, a transfer's page with its plan, evidence and history, and its forms), study
visits (list, page, form with the practices' place picker) and the attachments of
practices and visits. Data and writes go through exchange's transfer selectors, rules
and services."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exchange import rules, transfer_selectors
from exchange.attachments import attachment_remove, attachment_upload
from exchange.models import GoodPractice, StudyVisit, Transfer
from exchange.params import TransferFilters, parse_transfer_filters, parse_visit_filters
from exchange.transfer_api import evidence_spec, step_specs, visit_spec
from exchange.transfers import (
    EvidenceSpec,
    StepSpec,
    transfer_evidence_add,
    transfer_move,
    transfer_open,
    transfer_plan_set,
)
from exchange.visits import visit_create as create_visit
from exchange.visits import visit_update as update_visit
from exchange.vocabulary import PUBLIC_STATUSES, PlannerMeasure, StepKind, TransferStatus
from geo.errors import AtlasError, BadParameter, InvalidFields
from geo.i18n import page_language
from layers.models import Partner
from maps.builders import REGION_CENTRE, add_basemap
from maps.elements import AtlasMap, PageScript, map_parts
from media.models import Licence, MediaItem
from media.services import attachment_bytes


def _labels() -> dict[str, Any]:
    return {"transfer_statuses": dict(TransferStatus.choices),
            "step_kinds": dict(StepKind.choices), "measures": dict(PlannerMeasure.choices)}


def _refuse(exc: AtlasError) -> None:
    if exc.status == 403:
        raise PermissionDenied(str(exc)) from None


@require_safe
def transfer_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    try:
        filters = parse_transfer_filters(request.GET)
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    qs = transfer_selectors.transfers(user=request.user, filters=filters)
    return render(request, "practices/transfers.html", {
        "transfers": [transfer_selectors.transfer_summary(t, lang=lang, user=request.user)
                      for t in qs[:200]],
        "total": qs.count(), "status_choices": TransferStatus.choices,
        "partners": [(p.slug, str(p)) for p in Partner.objects.all()],
        "selected": {k: request.GET.get(k, "") for k in ("partner", "from", "status")},
        **_labels()})


def _transfer(request: HttpRequest, uid: UUID) -> Transfer:
    transfer = Transfer.objects.select_related("practice", "practice__partner",
                                               "partner").filter(uid=uid).first()
    if transfer is None or not rules.may_view_transfer(request.user, transfer):
        raise Http404(_("No such transfer, or not one you may see."))
    return transfer


def _transfer_page(request: HttpRequest, transfer: Transfer, *, errors: dict | None = None,
                   status: int = 200) -> HttpResponse:
    lang = page_language()
    detail = transfer_selectors.transfer_detail(transfer, lang=lang, user=request.user)
    may_run = (rules.may_run_transfer(request.user, transfer)
               and transfer.status not in (TransferStatus.TRANSFERRED,
                                           TransferStatus.ABANDONED))
    moves = [(s.value, s.label) for s in TransferStatus if s != transfer.status]
    return render(request, "practices/transfer.html", {
        "transfer": transfer, "t": detail, "may_run": may_run, "moves": moves,
        "errors": {k: [str(m) for m in v] for k, v in (errors or {}).items()},
        "partners": [(p.slug, str(p)) for p in Partner.objects.all()],
        "measure_choices": PlannerMeasure.choices, "kind_choices": StepKind.choices,
        **_labels()}, status=status)


@require_safe
def transfer_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _transfer_page(request, _transfer(request, uid))


def _steps_of(transfer: Transfer) -> list[StepSpec]:
    return [StepSpec(title=s.title, kind=s.kind, due=s.due, done=s.done, people=s.people)
            for s in transfer.steps.all()]


def _evidence_of(transfer: Transfer) -> list[EvidenceSpec]:
    return [EvidenceSpec(name=i.name, territory=i.territory.slug, measure=i.measure,
                         unit=i.unit, value_before=i.value_before, value_after=i.value_after,
                         date_before=i.date_before, date_after=i.date_after, source=i.source)
            for i in transfer.indicators.select_related("territory")]


def _index(raw: str, size: int, field: str) -> int:
    if not raw.isdigit() or int(raw) >= size:
        raise InvalidFields({field: [_("No such row.")]})
    return int(raw)


@require_POST
@login_required
def transfer_act(request: HttpRequest, uid: UUID) -> HttpResponse:
    """The transfer page's forms: ``what`` is status, evidence (add), evidence-remove,
    step (add), step-done or plan."""
    transfer = _transfer(request, uid)
    what = request.POST.get("what", "")
    post = request.POST
    try:
        if what == "status":
            transfer_move(user=request.user, transfer=transfer, to=post.get("status", ""),
                          comment=post.get("comment", "")[:5000],
                          reason=post.get("reason", ""))
        elif what == "evidence":
            transfer_evidence_add(user=request.user, transfer=transfer,
                                  row=evidence_spec(post.dict(), "indicator"))
        elif what == "step":
            steps = _steps_of(transfer)
            steps += step_specs([{k: post.get(k, "") for k in ("title", "kind", "due",
                                                             "people")}])
            transfer_plan_set(user=request.user, transfer=transfer, steps=steps)
        elif what == "step-done":
            steps = _steps_of(transfer)
            index = _index(post.get("index", ""), len(steps), "index")
            done = step_specs([{"title": steps[index].title,
                                "done": post.get("done", "")}])[0].done
            steps[index] = replace(steps[index], done=done)
            transfer_plan_set(user=request.user, transfer=transfer, steps=steps)
        elif what == "evidence-remove":
            rows = _evidence_of(transfer)
            index = _index(post.get("index", ""), len(rows), "index")
            transfer_plan_set(user=request.user, transfer=transfer,
                              indicators=rows[:index] + rows[index + 1:])
        elif what == "plan":
            transfer_plan_set(user=request.user, transfer=transfer,
                              plan=post.get("plan", ""))
        else:
            raise InvalidFields({"what": [_("Choose status, evidence, step or plan.")]})
    except AtlasError as exc:
        _refuse(exc)
        transfer.refresh_from_db()
        fields = getattr(exc, "fields", None) or {"": [str(exc)]}
        return _transfer_page(request, transfer, errors=fields, status=exc.status)
    return HttpResponseRedirect(reverse("transfer-page", args=[uid]))


@require_POST
@login_required
def transfer_start(request: HttpRequest, uid: UUID) -> HttpResponse:
    """Open a transfer from a practice's page."""
    practice = GoodPractice.objects.select_related("partner").filter(uid=uid).first()
    if practice is None or not rules.may_view(request.user, practice):
        raise Http404(_("No such practice, or not one you may see."))
    partner = Partner.objects.filter(slug=request.POST.get("partner", "")).first()
    try:
        transfer = transfer_open(user=request.user, practice=practice, partner=partner,
                                 plan=request.POST.get("plan", "")[:10_000],
                                 comment=request.POST.get("comment", "")[:5000])
    except AtlasError as exc:
        _refuse(exc)
        existing = Transfer.objects.filter(practice=practice, partner=partner).exclude(
            status__in=(TransferStatus.TRANSFERRED, TransferStatus.ABANDONED)).first()
        if existing is not None:
            return HttpResponseRedirect(reverse("transfer-page", args=[existing.uid]))
        return render(request, "practices/refused.html", {"message": str(exc),
                      "back": reverse("practice-page", args=[uid])}, status=exc.status)
    return HttpResponseRedirect(reverse("transfer-page", args=[transfer.uid]))


def practice_exchange_context(request: HttpRequest, practice: GoodPractice) -> dict[str, Any]:
    """What a practice's page shows of its transfers and attachments, and the forms the
    user may use (the practice page's view adds it to its context)."""
    lang = page_language()
    filters = TransferFilters(practice=str(practice.uid))
    return {
        "transfers": [transfer_selectors.transfer_summary(t, lang=lang, user=request.user)
                      for t in transfer_selectors.transfers(user=request.user,
                                                            filters=filters)],
        "transfer_partners": list(rules.transfer_opening_partners(request.user, practice)),
        "attachments": transfer_selectors.attachments(practice, lang=lang),
        "may_attach": rules.may_attach_to_practice(request.user, practice),
        "licence_choices": Licence.choices,
        "attachments_public": practice.status in PUBLIC_STATUSES,
        "transfer_statuses": dict(TransferStatus.choices),
    }


def _attach(request: HttpRequest, owner: GoodPractice | StudyVisit, back: str) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidFields({"file": [_("Choose a file.")]})
        attachment_upload(user=request.user, owner=owner, data=attachment_bytes(upload),
                          declared_type=upload.content_type or "", filename=upload.name or "",
                          author=request.POST.get("author", ""),
                          licence=request.POST.get("licence", ""),
                          caption=request.POST.get("caption", "")[:500])
    except AtlasError as exc:
        _refuse(exc)
        return render(request, "practices/refused.html", {
            "message": str(exc), "back": back}, status=exc.status)
    return HttpResponseRedirect(back + "#attachments")


@require_POST
@login_required
def practice_attach(request: HttpRequest, uid: UUID) -> HttpResponse:
    practice = GoodPractice.objects.filter(uid=uid).first()
    if practice is None or not rules.may_view(request.user, practice):
        raise Http404(_("No such practice, or not one you may see."))
    return _attach(request, practice, reverse("practice-page", args=[uid]))


@require_POST
@login_required
def visit_attach(request: HttpRequest, uid: UUID) -> HttpResponse:
    visit = _visit(uid)
    return _attach(request, visit, reverse("visit-page", args=[uid]))


@require_POST
@login_required
def attachment_delete(request: HttpRequest, uid: UUID) -> HttpResponse:
    item = MediaItem.objects.filter(uid=uid).first()
    owner = item.owner if item is not None else None
    if item is None or not isinstance(owner, GoodPractice | StudyVisit) or (
            isinstance(owner, GoodPractice) and not rules.may_view(request.user, owner)):
        raise Http404(_("No such attachment."))
    back = (reverse("practice-page", args=[owner.uid]) if isinstance(owner, GoodPractice)
            else reverse("visit-page", args=[owner.uid]))
    try:
        attachment_remove(user=request.user, item=item)
    except AtlasError as exc:
        _refuse(exc)
        raise
    return HttpResponseRedirect(back + "#attachments")


# Study visits ----------------------------------------------------------------------------


def _visit(uid: UUID) -> StudyVisit:
    visit = StudyVisit.objects.select_related("host").filter(uid=uid).first()
    if visit is None:
        raise Http404(_("No such study visit."))
    return visit


def _map(zoom_start: int = 6) -> AtlasMap:
    fmap = AtlasMap(location=REGION_CENTRE, zoom_start=zoom_start, tiles=None,
                    control_scale=True, height="100%")
    add_basemap(fmap)
    return fmap


@require_safe
def visit_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    try:
        filters = parse_visit_filters(request.GET)
    except BadParameter as exc:
        raise Http404(str(exc)) from None
    qs = transfer_selectors.visits(filters=filters)
    return render(request, "practices/visits.html", {
        "visits": [transfer_selectors.visit_summary(v, lang=lang) for v in qs[:200]],
        "total": qs.count(), "may_create": rules.visit_partners(request.user).exists(),
        "partners": [(p.slug, str(p)) for p in Partner.objects.all()],
        "selected": {k: request.GET.get(k, "") for k in ("host", "visitor")}})


@require_safe
def visit_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    lang = page_language()
    visit = _visit(uid)
    detail = transfer_selectors.visit_detail(visit, lang=lang, user=request.user)
    fmap = _map()
    PageScript(js="practices/practices.js", call="AtlasPractices.detail", options={
        "url": reverse("visit-detail", args=[visit.uid]) + f"?lang={lang}",
    }).add_to(fmap)
    return render(request, "practices/visit.html", {
        "visit": visit, "v": detail, "may_edit": rules.may_edit_visit(request.user, visit),
        "licence_choices": Licence.choices, **map_parts(fmap)})


def _visit_form(request: HttpRequest, visit: StudyVisit | None) -> HttpResponse:
    if visit is None and not rules.visit_partners(request.user).exists():
        raise PermissionDenied(_("A visit is recorded by members of its host or of a "
                                 "visiting partner."))
    if visit is not None and not rules.may_edit_visit(request.user, visit):
        raise PermissionDenied(_("A visit is changed by members of its host or of a "
                                 "visiting partner."))
    lang = page_language()
    errors: dict[str, list[str]] = {}
    if visit is not None:
        values: dict[str, Any] = {
            "title": visit.title, "host": visit.host.slug, "start": visit.start.isoformat(),
            "end": visit.end.isoformat(), "notes": visit.notes,
            "visitors": list(visit.visitors.values_list("slug", flat=True)),
            "practices": [str(u) for u in visit.practices.values_list("uid", flat=True)]}
        places_json = json.dumps([{k: v for k, v in (
            ("attraction", p.attraction and str(p.attraction.uid)),
            ("trail", p.trail and str(p.trail.uid)), ("route", p.route and p.route.slug),
            ("geometry", p.drawn and json.loads(p.drawn.geojson)), ("label", p.label)) if v}
            for p in visit.places.select_related("attraction", "trail", "route")])
    else:
        mine = rules.visit_partners(request.user).first()
        values = {"title": "", "host": mine.slug if mine else "", "start": "", "end": "",
                  "notes": "", "visitors": [], "practices": []}
        places_json = "[]"
    if request.method == "POST":
        post = request.POST
        values = {"title": post.get("title", ""), "host": post.get("host", ""),
                  "start": post.get("start", ""), "end": post.get("end", ""),
                  "notes": post.get("notes", ""), "visitors": post.getlist("visitors"),
                  "practices": post.getlist("practices")}
        places_json = post.get("places", "[]")
        try:
            spec = visit_spec({**values, "places": places_json})
            saved = (create_visit(user=request.user, spec=spec) if visit is None
                     else update_visit(user=request.user, visit=visit, spec=spec))
            return HttpResponseRedirect(reverse("visit-page", args=[saved.uid]))
        except AtlasError as exc:
            _refuse(exc)
            errors = {k: [str(m) for m in v] for k, v in
                      (getattr(exc, "fields", None) or {"": [str(exc)]}).items()}
    fmap = _map()
    PageScript(js="practices/practices.js", call="AtlasPractices.editor", options={
        "attractionsUrl": reverse("attractions") + f"?limit=2000&lang={lang}&partner=",
        "trailsUrl": reverse("trails") + f"?limit=1000&lang={lang}&partner=",
        "routesUrl": reverse("routes") + f"?limit=500&lang={lang}&partner=",
        "partner": values["host"],
        "labels": {"add": _("Add"), "remove": _("Remove"), "drawn": _("Point drawn on the map"),
                   "noPlace": _("No place yet: add attractions or trails from the list, or "
                                "click the map to put a point."),
                   "filter": _("Find a place by name")},
    }).add_to(fmap)
    published = rules.visible(request.user).filter(status__in=PUBLIC_STATUSES).select_related(
        "partner").order_by("partner__slug", "id")
    return render(request, "practices/visit_form.html", {
        "visit": visit, "values": values, "errors": errors, "places_json": places_json,
        "partners": [(p.slug, str(p)) for p in Partner.objects.all()],
        "practice_choices": [(str(p.uid), f"{p.title or p.uid} ({p.partner})")
                             for p in published],
        **map_parts(fmap)}, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    return _visit_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, uid: UUID) -> HttpResponse:
    return _visit_form(request, _visit(uid))
