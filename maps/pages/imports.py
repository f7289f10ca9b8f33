"""The upload page: upload → preview (a dry run, with a small map) → confirm → report."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from geo.crs import identify
from geo.errors import Conflict
from importers import jobs, previews, services, undos
from importers.exceptions import Refused
from importers.forms import UploadForm
from importers.models import ImportPreview, ImportRun
from importers.pipeline.run.undo import latest_standing
from importers.selectors import run_editable, runs_of
from layers.models import Layer, Partner
from layers.permissions import editable_partners
from layers.vocabulary import LayerKind
from maps.builders import import_preview
from maps.elements import map_parts

SESSION_KEY = "atlas_pending_imports"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    partners = editable_partners(request.user)
    if not partners.exists():
        raise PermissionDenied(_("You are not an editor of any partner."))
    if request.method == "POST" and services.upload_too_large(request):
        return HttpResponse(_("The file is larger than the upload limit."), status=413)
    form = UploadForm(request.POST or None, request.FILES or None, partners=partners)
    layers = Layer.objects.filter(partner__in=partners).order_by("slug")
    try:
        services.upload_room_check(request)
        kept = (services.upload_store(upload=form.cleaned_data["file"])
                if request.method == "POST" and form.is_valid() else None)
    except services.NoRoom as exc:
        # The choices made, without the file's "required": the file did arrive.
        form = UploadForm(initial=request.POST.dict(), partners=partners)
        return render(request, "imports/upload.html", {
            "form": form, "layers": layers, "error": str(exc)}, status=exc.status)
    if kept is not None:
        token, path = kept
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "partner")}
        data["srs"] = data["srs"].label if data["srs"] else ""
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"path": str(path), "partner": form.cleaned_data["partner"].pk,
                          "data": data}
        request.session[SESSION_KEY] = pending
        return redirect("imports:preview", token=token)
    return render(request, "imports/upload.html", {"form": form, "layers": layers})


def _pending(request: HttpRequest, token: str) -> tuple[dict, Partner, dict]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        raise PermissionDenied(_("This upload is not yours or has expired; upload it again."))
    partner = get_object_or_404(editable_partners(request.user), pk=entry["partner"])
    data = dict(entry["data"])
    data["srs"] = identify(data["srs"]) if data.get("srs") else None
    data["kind_label"] = LayerKind(data["kind"]).label
    return entry, partner, data


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, token: str) -> HttpResponse:
    entry, partner, data = _pending(request, token)
    path = Path(entry["path"])
    if not path.exists():
        # Purged after ATLAS_UPLOAD_TTL_HOURS without a confirmation.
        request.session[SESSION_KEY].pop(token, None)
        request.session.modified = True
        partners = editable_partners(request.user)
        return render(request, "imports/upload.html", {
            "form": UploadForm(partners=partners),
            "layers": Layer.objects.filter(partner__in=partners).order_by("slug"),
            "error": _("This upload waited more than %(hours)s hours for a confirmation and "
                       "its file was deleted; upload it again.")
            % {"hours": f"{settings.ATLAS_UPLOAD_TTL_HOURS:g}"}}, status=410)
    if request.method == "POST":
        if "cancel" in request.POST:
            services.upload_discard(token=token)
            ImportPreview.objects.filter(token=token, partner=partner).delete()
            request.session[SESSION_KEY].pop(token, None)
            request.session.modified = True
            return redirect("imports:upload")
        # The import itself runs in the background worker (importers.jobs): the report
        # page follows it, however long it takes (Trust D9).
        try:
            run = jobs.import_enqueue(path=path, token=token, partner=partner, data=data,
                                      user=request.user)
        except Refused as exc:
            return render(request, "imports/preview.html", {
                "partner": partner, "data": data, "error": str(exc), "issues": [],
                "token": token})
        request.session[SESSION_KEY].pop(token, None)
        request.session.modified = True
        return redirect("imports:report", pk=run.pk)
    # The dry run runs in the background worker (importers.previews): this page waits
    # for it, however long the file takes to read (Trust D9).
    found = ImportPreview.objects.filter(token=token, partner=partner).first()
    context: dict[str, Any] = {"partner": partner, "data": data, "token": token,
                               "file_name": path.name}
    if found is None:
        try:
            found = previews.preview_enqueue(path=path, token=token, partner=partner,
                                             data=data, user=request.user)
        except Refused as exc:
            context.update(error=str(exc), issues=[])
            return render(request, "imports/preview.html", context)
    if found.status in ImportPreview.UNFINISHED:
        context.update(pending=True, stage=preview_stage_text(found))
        return render(request, "imports/preview.html", context)
    texts = found.translated()
    if found.status == ImportPreview.Status.FAILED:
        context.update(error=texts["error"], issues=texts["error_issues"])
        return render(request, "imports/preview.html", context)
    context.update(report=found.report, texts=texts, columns=_preview_columns(found.report),
                   **map_parts(import_preview(features=previews.map_features(found))))
    return render(request, "imports/preview.html", context)


def preview_stage_text(preview: ImportPreview) -> str:
    """Where a preview is, as its page says it while it waits."""
    if preview.status == ImportPreview.Status.QUEUED:
        return _("Queued: waiting for the import worker")
    return _stage_words(preview.stage, preview.stage_count, writing=_(
        "Counting what %(count)s features would change"))


def _stage_words(stage: str, stage_count: int | None, *, writing: str) -> str:
    """A running job's stage in words: reading, checking n features, then ``writing``
    (with its count)."""
    count = formats.number_format(stage_count or 0, force_grouping=True)
    if stage == "normalising":
        return _("Checking %(count)s features") % {"count": count}
    if stage == "writing":
        return writing % {"count": count}
    return _("Reading the file")


@login_required
def preview_state(request: HttpRequest, token: str) -> JsonResponse:
    """What the preview page's script polls while the dry run is unfinished."""
    _entry, partner, _data = _pending(request, token)
    found = get_object_or_404(ImportPreview, token=token, partner=partner)
    return JsonResponse({"status": found.status, "stage": preview_stage_text(found),
                         "finished": found.status not in ImportPreview.UNFINISHED})


def _preview_columns(report: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for row in report.get("preview", []):
        for key in row:
            if key not in keys and key != "properties":
                keys.append(key)
    return keys


def stage_text(run: ImportRun) -> str:
    """Where a run is, as its report page says it: queued, reading, writing n features,
    done, failed, cancelled."""
    if run.status == ImportRun.Status.QUEUED:
        return _("Queued: waiting for the import worker")
    if run.status == ImportRun.Status.UNDOING:
        return (_("Undoing the import") if run.stage == undos.TAKEN
                else _("Undo queued: waiting for the import worker"))
    if run.status != ImportRun.Status.RUNNING:
        return str(run.get_status_display())
    if run.cancel_requested:
        return _("Cancelling")
    return _stage_words(run.stage, run.stage_count,
                        writing=_("Writing %(count)s features"))


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(runs_of(request.user), pk=pk)
    latest = latest_standing(run.layer) if run.layer else None
    undoing = run.status == ImportRun.Status.UNDOING
    unfinished = run.status in ImportRun.UNFINISHED or undoing
    return render(request, "imports/report.html", {
        "run": run, "texts": run.translated(), "unfinished": unfinished, "undoing": undoing,
        "stage": stage_text(run),
        "can_cancel": unfinished and not run.cancel_requested and run_editable(
            request.user, run),
        "can_undo": (latest is not None and latest.pk == run.pk
                     and run.status == ImportRun.Status.SUCCEEDED)})


@login_required
def state(request: HttpRequest, pk: int) -> JsonResponse:
    """What the report page's script polls while the run is unfinished."""
    run = get_object_or_404(runs_of(request.user), pk=pk)
    return JsonResponse({"status": run.status, "stage": stage_text(run),
                         "finished": run.status not in (*ImportRun.UNFINISHED,
                                                        ImportRun.Status.UNDOING)})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(runs_of(request.user), pk=pk)
    if not run_editable(request.user, run):
        raise Http404
    with contextlib.suppress(Conflict):  # it ended meanwhile: its report says how
        jobs.import_cancel(run=run)
    return redirect("imports:report", pk=run.pk)


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(runs_of(request.user), pk=pk, status=ImportRun.Status.SUCCEEDED)
    if run.layer is None or not editable_partners(request.user).filter(
            pk=run.layer.partner_id).exists():
        raise Http404
    # The worker undoes it (importers.undos); the report page waits for it. A later
    # import came meanwhile: the report says the run stands, and why.
    with contextlib.suppress(Conflict):
        undos.undo_enqueue(run=run, user=request.user)
    return redirect("imports:report", pk=run.pk)
