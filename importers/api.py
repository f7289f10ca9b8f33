"""Imports through the API, for scripts: a partner editor's token with the write scope
(``manage.py api_token create``, or POST /api/tokens/).

POST /api/imports/ (multipart: file, partner, layer, kind, and the options of
import_layer) queues an import for the background worker and answers 202 with the run's
URL (``Location``); with ``dry_run=true`` it queues a preview instead (nothing written)
and answers 202 with its URL: GET /api/imports/previews/{token}/ gives its status, then
what the import would do; GET /api/imports/{id}/
reads a run: its status (queued, running, succeeded, failed, cancelled), its stage while
it runs, its report when it has ended; DELETE /api/imports/{id}/ or POST
/api/imports/{id}/cancel/ cancels a queued or running run (nothing is written); POST
/api/imports/{id}/undo/ queues the undo of the layer's latest run and answers 202: the run
says "undoing", then "undone" — or "succeeded" again, with ``undo_refused`` saying why it
could not be undone.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.errors import Forbidden, InvalidFields, NotFound, TooLarge
from importers import jobs, previews, services, undos
from importers.forms import UploadForm
from importers.models import ImportPreview, ImportRun
from importers.selectors import run_editable, runs_of
from layers.permissions import IsPartnerEditor, editable_partners


def run_report(run: ImportRun) -> dict[str, Any]:
    """A run as the API gives it: reasons, notes and issues in the request's language."""
    texts = run.translated()
    issues = [{k: v for k, v in issue.items() if k not in ("message", "severity_label")}
              for issue in texts["issues"]]
    return {
        "id": run.pk, "status": run.status, "layer": run.layer_slug,
        "file_name": run.file_name, "sha256": run.sha256, "started_at": run.started_at,
        "duration_s": run.duration_s, "format": run.format,
        "encoding": {"name": run.encoding, "reason": texts["encoding_reason"]},
        "crs": {"name": run.crs, "reason": texts["crs_reason"]}, "mapping": run.mapping,
        "counts": run.counts, "issues": issues, "notes": texts["notes"],
        "error": texts["error"], "user": run.user.get_username() if run.user else None,
        "stage": ({"name": run.stage, "features": run.stage_count}
                  if run.status == ImportRun.Status.RUNNING and run.stage else None),
        "cancel_requested": run.cancel_requested,
        "undo_refused": texts["undo_refused"] or None,
    }


def preview_report(preview: ImportPreview) -> dict[str, Any]:
    """A preview as the API gives it: its status, and once done what the import would do
    (or why the file cannot be imported), in the request's language."""
    texts = preview.translated()
    out: dict[str, Any] = {"dry_run": True, "status": preview.status,
                           "layer": preview.layer_slug, "file_name": preview.file_name}
    if preview.status in ImportPreview.UNFINISHED:
        return {**out, "stage": ({"name": preview.stage, "features": preview.stage_count}
                                 if preview.stage else None)}
    if preview.status == ImportPreview.Status.FAILED:
        issues = [{k: v for k, v in issue.items() if k != "message"}
                  for issue in texts["error_issues"]]
        return {**out, "error": texts["error"], "issues": issues}
    report = preview.report
    issues = [{k: v for k, v in issue.items() if k not in ("message", "severity_label", "text")}
              for issue in texts["issues"]]
    return {**out, "format": report["format"], "file": report["file"],
            "encoding": {"name": report["encoding"], "reason": texts["encoding_reason"]},
            "crs": {"name": report["crs"], "reason": texts["crs_reason"]},
            "mapping": report["mapping"], "id_field": report["id_field"],
            "features": report["features"], "counts": report["counts"], "issues": issues,
            "notes": texts["notes"], "preview": report["preview"]}


class ImportCreate(APIView):
    permission_classes = [IsPartnerEditor]
    throttle_scope = "imports"  # settings.ATLAS_THROTTLE_RATES
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request: Request) -> Response:
        if services.upload_too_large(request):
            raise TooLarge(_("file: larger than the upload limit"))
        partners = editable_partners(request.user)
        data = cast(QueryDict, request.data)  # what the parsers above give
        form = UploadForm(data, request.FILES, partners=partners)
        services.upload_room_check(request)
        if not form.is_valid():
            if "partner" in form.errors and "partner" in data:
                raise Forbidden(_("partner: you are not an editor of this partner"))
            raise InvalidFields(form.errors)
        dry_run = str(data.get("dry_run", "")).lower() in ("1", "true", "yes")
        # Both the import and its dry run (which reads the whole file too) are the
        # worker's: the run (importers.jobs) or the preview (importers.previews) is queued.
        enqueue = previews.preview_enqueue if dry_run else jobs.import_enqueue
        token, path = services.upload_store(upload=form.cleaned_data["file"])
        try:
            queued = enqueue(path=path, token=token, partner=form.cleaned_data["partner"],
                             data=form.cleaned_data, user=request.user)
        except BaseException:
            services.upload_discard(token=token)
            raise
        if isinstance(queued, ImportPreview):
            url = reverse("import-preview", kwargs={"token": queued.token})
            report = preview_report(queued)
        else:
            url = reverse("import-detail", kwargs={"pk": queued.pk})
            report = run_report(queued)
        return Response({**report, "url": request.build_absolute_uri(url)},
                        status=status.HTTP_202_ACCEPTED, headers={"Location": url})


def _run_for(request: Request, pk: int) -> ImportRun:
    # Another partner's run is a 404, as a missing one: a refusal would confirm it exists.
    run = runs_of(request.user).filter(pk=pk).first()
    if run is None:
        raise NotFound("no such import run")
    return run


class ImportPreviewDetail(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, token: str) -> Response:
        # Another partner's preview is a 404, as a missing one.
        preview = ImportPreview.objects.filter(
            token=token, partner__in=editable_partners(request.user)).first()
        if preview is None:
            raise NotFound("no such import preview")
        return Response(preview_report(preview))


class ImportDetail(APIView):
    def get_permissions(self) -> list[Any]:
        # Reading a run needs a sign-in; cancelling it is a write.
        return [IsPartnerEditor() if self.request.method == "DELETE" else IsAuthenticated()]

    def get(self, request: Request, pk: int) -> Response:
        return Response(run_report(_run_for(request, pk)))

    def delete(self, request: Request, pk: int) -> Response:
        return _cancel(request, pk)


def _cancel(request: Request, pk: int) -> Response:
    run = _run_for(request, pk)
    if not run_editable(request.user, run):
        raise NotFound("no such import run")
    run = jobs.import_cancel(run=run)
    done = run.status == ImportRun.Status.CANCELLED
    return Response(run_report(run),
                    status=status.HTTP_200_OK if done else status.HTTP_202_ACCEPTED)


class ImportCancel(APIView):
    permission_classes = [IsPartnerEditor]

    def post(self, request: Request, pk: int) -> Response:
        return _cancel(request, pk)


class ImportUndo(APIView):
    permission_classes = [IsPartnerEditor]
    throttle_scope = "imports"  # settings.ATLAS_THROTTLE_RATES

    def post(self, request: Request, pk: int) -> Response:
        run = _run_for(request, pk)
        # The worker undoes it (importers.undos): the run says "undoing" until it has,
        # then "undone", or "succeeded" again with ``undo_refused`` saying why not.
        run = undos.undo_enqueue(run=run, user=request.user)
        return Response(run_report(run), status=status.HTTP_202_ACCEPTED,
                        headers={"Location": reverse("import-detail", kwargs={"pk": run.pk})})
