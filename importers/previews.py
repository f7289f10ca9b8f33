"""Import previews as background jobs: the dry run an editor reads before confirming.

A preview reads and checks the whole file and counts what the import would create,
update and retire, which takes as long as the import's own reading: minutes for a large
file, longer than a web request may last (Trust D9). So the page and the API keep the
upload, record a *queued* preview and defer a job (``importers/tasks.py``); the worker
runs the dry run and keeps its report on the preview (messages as ids and values, shown
in the reader's language), and whoever waits reads it: the preview page polls it, the
API's GET gives it. The upload stays for the confirmation (or the TTL's purge).
"""

from __future__ import annotations

import html
import json
import logging
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import shapely
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _
from procrastinate.contrib.django import app

from geo import geojson
from importers import services
from importers.exceptions import Refused, RowErrors
from importers.jobs import (
    QUEUE,
    options_of,
    request_from,
    running_without_session,
    session_reset,
)
from importers.messages import Message
from importers.models import ImportPreview
from importers.pipeline import ImportResult, import_check, run_import
from layers.models import Partner

log = logging.getLogger(__name__)

TASK = "importers.import_preview"  # importers/tasks.py
# How many of the file's features the preview draws on its map: the page carries them.
PREVIEW_FEATURES = 500


def application_name(preview_id: int) -> str:
    """The worker's database session while it runs a preview: how the sweep of stalled
    previews knows one whose worker died."""
    return f"atlas-preview-{preview_id}"


def preview_enqueue(*, path: Path, token: str, partner: Partner, data: dict[str, Any],
                    user: User | AnonymousUser) -> ImportPreview:
    """Record a queued preview of the upload at ``path`` (kept under ``token``) and defer
    its job. What can be refused before the file is read is refused now (``Refused``):
    another partner's layer, a layer of another kind."""
    request = services.import_request_build(path=path, partner=partner, data=data, user=user,
                                            dry_run=True)
    import_check(request)
    with transaction.atomic():
        preview, _created = ImportPreview.objects.update_or_create(token=token, defaults={
            "partner": partner, "user": request.user, "layer_slug": request.layer_slug,
            "file_name": path.name, "options": options_of(request),
            "status": ImportPreview.Status.QUEUED, "stage": "", "stage_count": None,
            "report": {}, "error": {}, "finished_at": None})
        app.configure_task(TASK, queue=QUEUE).defer(preview_id=preview.pk)
    return preview


def _plain(value: Any) -> Any:
    """A stored row's value as JSON keeps it (numpy scalars, dates, decimals)."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _features(result: ImportResult) -> dict[str, Any]:
    """The first rows' geometries (2-D) with a label, for the preview's small map."""
    rows = result.rows
    features = []
    for i in range(min(PREVIEW_FEATURES, len(rows))):
        values = rows.values(i)
        label = next((values[f"name_{c}"] for c in ("bg", "el", "fr", "en")
                      if values.get(f"name_{c}")), f"#{rows.rows[i]}")
        features.append(geojson.feature(
            id=None, properties={"label": str(label)},
            geometry=json.loads(shapely.to_geojson(shapely.force_2d(rows.geoms[i])))))
    return geojson.collection_value(features)


def report_of(result: ImportResult) -> dict[str, Any]:
    """What a preview keeps of a dry run: facts, counts, messages (as ids and values),
    the first rows as they would be stored, and the map's features."""
    reason = result.encoding_reason
    return {
        "format": result.format, "file": result.label, "encoding": result.encoding,
        "encoding_reason": reason.as_json() if reason else None,
        "crs": result.crs, "crs_reason": result.crs_reason.as_json(),
        "mapping": result.mapping, "id_field": result.id_field, "features": result.feature_count,
        "counts": result.counts, "notes": [n.as_json() for n in result.notes],
        # With the sentence the page shows: where (file, layer, row, field) and what.
        "issues": [{**i.as_dict(), "text": i.message.as_json()} for i in result.issues],
        "preview": [{str(k): _plain(v) for k, v in row.items()} for row in result.preview],
        "map": _features(result),
        # The features beyond the partner's territory, which the user confirms or not.
        "outside": result.outside, "outside_count": result.outside_count,
    }


def _progress(preview_id: int) -> Any:
    def say(message: str) -> None:
        stage, _sep, rest = message.partition(" ")
        count = rest.split(" ")[0].replace(",", "") if rest else ""
        ImportPreview.objects.filter(pk=preview_id).update(
            stage=stage[:20], stage_count=int(count) if count.isdigit() else None)
    return say


def preview_execute(*, preview_id: int) -> ImportPreview | None:
    """Run the queued preview ``preview_id`` (the worker's task); one no longer queued is
    left as it is."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('application_name', %s, false)",
                       [application_name(preview_id)])
    taken = ImportPreview.objects.filter(
        pk=preview_id, status=ImportPreview.Status.QUEUED).update(
        status=ImportPreview.Status.RUNNING)
    preview = ImportPreview.objects.select_related("partner", "user").filter(
        pk=preview_id).first()
    if preview is None or not taken:
        session_reset()
        return preview
    done: dict[str, Any] = {"finished_at": timezone.now()}
    try:
        request = request_from(options=preview.options,
                               path=services.pending_dir() / preview.token / preview.file_name,
                               partner=preview.partner, layer_slug=preview.layer_slug,
                               file_name=preview.file_name, user=preview.user, dry_run=True)
        result = run_import(request, _progress(preview_id))
        done.update(status=ImportPreview.Status.DONE, report=report_of(result))
    except (Refused, RowErrors) as exc:
        done.update(status=ImportPreview.Status.FAILED, error={
            "message": exc.message.as_json(),
            "issues": [i.as_dict() for i in getattr(exc, "issues", [])]})
    except Exception:
        log.exception("import preview %s failed", preview_id)
        # Not the error's text, which may hold SQL: the operators read it in the log.
        message = Message(_("the preview stopped on an error of the platform; its "
                            "administrators can read why in its log"))
        done.update(status=ImportPreview.Status.FAILED, error={"message": message.as_json()})
        raise
    finally:
        ImportPreview.objects.filter(pk=preview_id).update(**done)
        session_reset()
    preview.refresh_from_db()
    return preview


def previews_stalled_fail() -> list[int]:
    """Mark failed the previews left *running* by a worker that died (no database
    session carries their name any more); their ids. Run with the runs' sweep."""
    message = Message(_("the import worker stopped while it checked this file; upload it "
                        "again"))
    stalled = running_without_session(ImportPreview.objects.filter(
        status=ImportPreview.Status.RUNNING), application_name)
    ImportPreview.objects.filter(pk__in=stalled, status=ImportPreview.Status.RUNNING).update(
        status=ImportPreview.Status.FAILED, error={"message": message.as_json()},
        finished_at=timezone.now())
    return stalled


def map_features(preview: ImportPreview) -> dict[str, Any]:
    """The preview map's features with their labels escaped: folium's tooltip puts the
    value in as HTML, and the labels are the file's."""
    collection = (preview.report or {}).get("map") or geojson.collection_value([])
    for feature in collection.get("features", []):
        feature["properties"] = {"label": html.escape(feature["properties"].get("label", ""))}
    return collection
