"""One import, start to end, and its undo.

- ``request``: what an import is asked to do, and what it gives back;
- ``read``: the file read, normalised and checked whole, before anything is written;
- ``undo``: a layer as it was before its latest import;
- ``run_import`` reads, then writes in one transaction and keeps the run's record.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pghistory
import shapely
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from importers.exceptions import Refused, RowErrors
from importers.messages import Message
from importers.models import ImportRun
from importers.pipeline import public_ids, writer
from importers.pipeline.normalise import Rows
from importers.pipeline.prepare import sha256
from importers.pipeline.run import stream, undo
from importers.pipeline.run.read import check_layer, open_file, read_and_check
from importers.pipeline.run.request import STAGES, ImportRequest, ImportResult, Progress
from layers.models import Layer
from layers.signals import layer_written
from layers.vocabulary import Visibility

__all__ = ["STAGES", "ImportRequest", "ImportResult", "Progress", "import_check",
           "import_refused", "run_import", "undo_last_import"]

import_refused = Signal()
"""Sent when an import into another partner's layer is refused (``user``, ``partner``,
``layer_slug``, ``reason``): the audit keeps it among the refused attempts (Trust D11)."""


def undo_last_import(*, layer: Layer, run: ImportRun | None = None) -> ImportRun:
    """Undo the layer's latest successful run (``undo.undo_last_import``); the audit's
    events of the undo say so."""
    with pghistory.context(undo_of_layer=layer.pk):
        return undo.undo_last_import(layer=layer, run=run)


def _preview(rows: Rows, n: int = 5) -> list[dict[str, Any]]:
    out = []
    for i in range(min(n, len(rows))):
        wkt = shapely.to_wkt(rows.geoms[i], rounding_precision=6, trim=True)
        out.append({"row": int(rows.rows[i]), "source_id": rows.source_ids[i],
                    **{k: v for k, v in rows.values(i).items() if v not in (None, "")},
                    "geometry": wkt if len(wkt) <= 120 else wkt[:117] + "...",
                    "properties": rows.properties(i)})
    return out


def _ensure_layer(request: ImportRequest) -> Layer:
    layer = Layer.objects.filter(slug=request.layer_slug).select_for_update().first()
    if layer is None:
        layer, _created = Layer.objects.get_or_create(
            slug=request.layer_slug,
            defaults={"partner": request.partner, "kind": request.kind,
                      "title_en": request.layer_slug.replace("-", " ").capitalize(),
                      "visibility": (Visibility.PUBLIC if request.new_layer_public
                                     else Visibility.PARTNERS)})
        layer = Layer.objects.select_for_update().get(pk=layer.pk)
    check_layer(request, layer)
    return layer


def run_import(request: ImportRequest, progress: Progress | None = None, *,
               queued: ImportRun | None = None) -> ImportResult:
    """Import ``request.path``; on any error nothing is written (see ImportRun for the log).

    ``queued`` is the run a background job was given (importers.jobs): the import fills it
    in rather than keeping a new one, so that whoever waits for it finds it by its id.
    """
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    run_info = _run_info(request)
    try:
        with tempfile.TemporaryDirectory(prefix="atlas-import-") as tmp:
            opened = open_file(request, Path(tmp), say)
            streamed = stream.open_stream(request, opened)
            if streamed is not None:
                with streamed:
                    # Said before the transaction, as every stage (importers.jobs): the
                    # batches are normalised and written inside it, one stage for both.
                    say(f"normalising {streamed.count:,} features in batches of "
                        f"{streamed.size:,}")
                    return _write(request, None, run_info, t0, queued, streamed=streamed)
            result = read_and_check(request, say, opened)
        say(f"writing {len(result.rows):,} features")
        return _write(request, result, run_info, t0, queued)
    except (Refused, RowErrors) as exc:
        # The write's transaction, if it began, is rolled back: the failure is kept.
        _failed(request, run_info, exc, time.perf_counter() - t0, queued)
        raise


def import_check(request: ImportRequest) -> None:
    """Refuse at once what can be refused before the file is read — another partner's
    layer, a layer of the other kind — recorded as ``run_import`` records a refusal: an
    import queued for the background worker would only fail there."""
    existing = Layer.objects.filter(slug=request.layer_slug).select_related("partner").first()
    try:
        check_layer(request, existing)
    except Refused as exc:
        _failed(request, _run_info(request), exc, 0.0, None)
        raise


def _run_info(request: ImportRequest) -> dict[str, Any]:
    return {
        "partner": request.partner, "layer_slug": request.layer_slug, "user": request.user,
        "started_at": timezone.now(),
        "file_name": request.file_name or request.path.name, "sha256": sha256(request.path),
        "file_size": request.path.stat().st_size,
        "options": {"kind": request.kind, "encoding": request.encoding,
                    "srs": request.srs.label if request.srs else None,
                    "map": request.field_map, "id_field": request.id_field,
                    "skip_invalid": request.skip_invalid, "sync": request.sync,
                    "source_layer": request.source_layer,
                    "keep_duplicate_routes": request.keep_duplicate_routes,
                    "allow_outside": request.allow_outside,
                    "new_layer_public": request.new_layer_public},
    }


def _failed(request: ImportRequest, run_info: dict[str, Any], exc: Refused | RowErrors,
            duration_s: float, queued: ImportRun | None) -> None:
    if Layer.objects.filter(slug=request.layer_slug).exclude(partner=request.partner).exists():
        import_refused.send(sender=run_import, user=request.user, partner=request.partner,
                            layer_slug=request.layer_slug, reason=exc.message.english)
    if request.dry_run:
        return
    failed = {**run_info, "status": ImportRun.Status.FAILED, "error": exc.message.english,
              "messages": {"error": exc.message.as_json()}, "duration_s": duration_s,
              "issues": [i.as_dict() for i in getattr(exc, "issues", [])],
              "layer": Layer.objects.filter(slug=request.layer_slug,
                                            partner=request.partner).first()}
    if queued is None:
        ImportRun.objects.create(**failed)
    else:
        ImportRun.objects.filter(pk=queued.pk).update(**failed)


def _match_public_ids(request: ImportRequest, result: ImportResult, layer: Layer) -> None:
    """Match the rows to the layer's features by the platform's public ids the file
    carries, under the layer's lock; refuse rows two of which would update one feature
    (unless --skip-invalid)."""
    assert result.public_id_column is not None, "the rows carry public ids: they have a column"
    found, matched = public_ids.resolve(result.rows, layer=layer,
                                        column=result.public_id_column,
                                        id_field=result.id_field)
    result.issues.extend(found)
    errors = [i for i in result.issues if i.severity == "error"]
    if any(i.severity == "error" for i in found) and not request.skip_invalid:
        raise RowErrors(errors)
    result.counts["skipped"] = len({(i.file, i.row) for i in errors})
    result.notes.append(Message(
        _("%(file)s: column %(column)s holds the platform's public ids: %(count)s feature(s) "
          "of layer %(layer)s matched by them; not stored as an attribute"),
        file=result.label, column=repr(result.public_id_column), count=matched,
        layer=repr(layer.slug)))


def _write(request: ImportRequest, result: ImportResult | None, run_info: dict[str, Any],
           t0: float, queued: ImportRun | None = None, *,
           streamed: stream.Stream | None = None) -> ImportResult:
    """Write ``result``'s rows; or, with ``streamed``, read, stage and check the file's
    batches first, under the layer's lock (``result`` is then None)."""
    # A dry run writes too, and rolls back: its counts are the ones the import would give.
    with transaction.atomic():
        layer_existed = Layer.objects.filter(slug=request.layer_slug).exists()
        layer = _ensure_layer(request)
        if streamed is not None:
            result = streamed.stage(layer)
        assert result is not None, "read whole, or staged"
        if result.uninvited:
            _keep_out_of_public(layer, result, created=not layer_existed)
        previous_id_field = layer.import_settings.get("id_field") if layer_existed else None
        run_info["options"]["layer_created"] = not layer_existed
        if result.rows.public_ids is not None:
            _match_public_ids(request, result, layer)
        fields = {**run_info, "layer": layer, "status": ImportRun.Status.SUCCEEDED,
                  "format": result.format, "encoding": result.encoding, "crs": result.crs,
                  "mapping": result.mapping, "issues": [i.as_dict() for i in result.issues],
                  **_kept_messages(result), "layer_settings_before": layer.import_settings}
        if queued is None or request.dry_run:
            run = ImportRun.objects.create(**fields)
        else:
            # Written at the end of the transaction, not now: the row's lock would stop
            # a cancel request (an UPDATE of the row) for the whole write.
            run = queued
            for name, value in fields.items():
                setattr(run, name, value)
        # The audit's events of this write name the run and who ran it (a request's
        # context, if there is one, gains these keys).
        with pghistory.context(import_run=run.pk, layer=layer.pk,
                               user=getattr(request.user, "pk", None)):
            outcome = (streamed.upsert(layer_id=layer.pk, run_id=run.pk, sync=request.sync)
                       if streamed is not None else writer.write(
                rows=result.rows, layer_id=layer.pk, run_id=run.pk, sync=request.sync,
                text_limit=(result.text_limit, result.encoding) if result.text_limit else None))
        result.counts.update(outcome.counts)
        result.notes.extend(_write_notes(
            outcome, result, layer,
            result.id_field if result.public_id_column else previous_id_field))
        result.preview = _preview(result.rows)
        if request.dry_run:
            transaction.set_rollback(True)
            return result
        layer_written.send(sender=run_import, layer=layer)
        run.counts = result.counts
        run.duration_s = time.perf_counter() - t0
        messages = _kept_messages(result)
        run.notes, run.messages = messages["notes"], messages["messages"]
        if run is queued:
            # Not the cancel request, which the web may have set since the run was read.
            run.save(update_fields=[*fields, "counts", "duration_s", "notes", "messages"])
        else:
            run.save(update_fields=["counts", "duration_s", "notes", "messages"])
        if result.public_id_column is None:
            # Remembered for the partner's next file. An export of the platform names
            # its columns after the fields, whatever the partner's file named them.
            layer.import_settings = {"mapping": result.mapping, "id_field": result.id_field}
        layer.save(update_fields=["import_settings", "updated_at"])
    result.run = run
    return result


def _keep_out_of_public(layer: Layer, result: ImportResult, *, created: bool) -> None:
    """Features inside another partner's territory, without its welcome, are never public:
    a layer this import creates is made visible to partners only; a public layer refuses
    them (Trust D14: another partner's import changed a territory's public figures)."""
    where = Message.join(Message(_("%(count)s in the territory of %(partner)s"), count=n,
                                 partner=name) for name, n in result.uninvited.items())
    if layer.visibility == Visibility.PUBLIC and not created:
        raise Refused(Message(
            _("%(file)s: layer %(layer)s is public, and features lie in territories whose "
              "partners have not welcomed %(importer)s's public features there (%(where)s): "
              "import them into a layer visible to partners only, or ask those partners to "
              "add %(importer)s to the partners they welcome (their partner page in the "
              "admin)"), file=result.label, layer=repr(layer.slug),
            importer=layer.partner.name or layer.partner.slug, where=where))
    if layer.visibility == Visibility.PUBLIC:
        layer.visibility = Visibility.PARTNERS
        layer.save(update_fields=["visibility"])
    result.notes.append(Message(
        _("layer %(layer)s is visible to partners only: features lie in territories whose "
          "partners have not welcomed %(importer)s's public features there (%(where)s)"),
        layer=repr(layer.slug), importer=layer.partner.name or layer.partner.slug,
        where=where))


def _write_notes(outcome: writer.Outcome, result: ImportResult, layer: Layer,
                 previous_id_field: str | None) -> list[Message]:
    """What only writing tells: texts the DBF cut, ids that match nothing in the layer."""
    notes = []
    if outcome.kept_cut_texts:
        notes.append(Message(
            _("%(file)s: %(count)s text value(s) are the layer's stored text cut at the "
              "shapefile's limit of %(limit)s bytes: the full stored text was kept, and "
              "features that differ only by that count as unchanged"),
            file=result.label, count=outcome.kept_cut_texts, limit=result.text_limit))
    if outcome.unmatched_existing:
        where = {"file": result.label, "count": result.feature_count, "layer": repr(layer.slug),
                 "existing": outcome.unmatched_existing,
                 "id": result.id_field or Message(_("a hash of the geometry"))}
        head = Message(_("%(file)s: none of its %(count)s feature ids (%(id)s) matches one of "
                         "the %(existing)s features layer %(layer)s has: every feature is "
                         "created again beside them"), **where)
        if previous_id_field == result.id_field:
            advice = Message(_("is this the right layer? --sync would retire the features "
                               "the file does not have"))
        elif previous_id_field:
            advice = Message(_("the layer was imported with --id-field %(previous)s: import "
                               "with it again, or use --sync to retire the features the file "
                               "does not have"), previous=previous_id_field)
        else:
            advice = Message(_("the layer's features were identified by a hash of their "
                               "geometry: import without --id-field, or use --sync to retire "
                               "the features the file does not have"))
        notes.append(Message(_("warning: %(what)s; %(advice)s"), what=head, advice=advice))
    return notes


def _kept_messages(result: ImportResult) -> dict[str, Any]:
    """The reasons and notes as English text, and as messages to show in other languages."""
    reason = result.encoding_reason
    return {
        "encoding_reason": reason.english if reason else "",
        "crs_reason": result.crs_reason.english,
        "notes": [n.english for n in result.notes],
        "messages": {"encoding_reason": reason.as_json() if reason else None,
                     "crs_reason": result.crs_reason.as_json(),
                     "notes": [n.as_json() for n in result.notes]},
    }
