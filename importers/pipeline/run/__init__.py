"""One import, start to end, and its undo."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _
from shapely.geometry import shape

from geo.crs import Identified, sample_points, suggest
from importers import mapping as m
from importers.exceptions import Refused, RowErrors
from importers.formats.base import ReadOptions, SourceData
from importers.messages import Message, word
from importers.models import ImportRun
from importers.pipeline import writer
from importers.pipeline.normalise import Issue, Rows, choose_id_field, normalise
from importers.pipeline.prepare import sha256, working_copy
from importers.safety import Limits
from importers.signals import layer_written
from layers.models import Layer, Partner
from layers.vocabulary import LayerKind

Progress = Callable[[str], None]
"""Told each stage as it starts: reading, normalising N features, writing N features."""
STAGES = ("reading", "normalising", "writing")


@dataclass
class ImportRequest:
    path: Path
    partner: Partner
    layer_slug: str
    kind: str
    file_name: str | None = None  # the name the user gave the file (uploads)
    encoding: str | None = None
    srs: Identified | None = None
    field_map: dict[str, str] = field(default_factory=dict)  # explicit field -> column
    id_field: str | None = None
    source_layer: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    sync: bool = False
    keep_duplicate_routes: bool = False
    user: Any = None


@dataclass
class ImportResult:
    format: str
    label: str
    encoding: str
    encoding_reason: Message | None
    crs: str
    crs_reason: Message
    mapping: dict[str, str]
    id_field: str | None
    counts: dict[str, int]
    issues: list[Issue]
    notes: list[Message]
    preview: list[dict[str, Any]]
    run: ImportRun | None = None
    rows: Rows | None = field(default=None, repr=False)
    # A DBF cuts text at this many bytes (in ``encoding``): what looks cut is not an edit.
    text_limit: int | None = None

    @property
    def skipped(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def _preview(rows: Rows, n: int = 5) -> list[dict[str, Any]]:
    out = []
    for i in range(min(n, len(rows))):
        wkt = shapely.to_wkt(rows.geoms[i], rounding_precision=6, trim=True)
        out.append({"row": int(rows.rows[i]), "source_id": rows.source_ids[i],
                    **{k: v for k, v in rows.values(i).items() if v not in (None, "")},
                    "geometry": wkt if len(wkt) <= 120 else wkt[:117] + "...",
                    "properties": rows.properties(i)})
    return out


def _resolve_crs(source: SourceData, partner: Partner) -> None:
    if source.crs is not None:
        return
    present = [g for g in source.geometries if g is not None and not g.is_empty]
    territory = shape(json.loads(partner.boundary.geojson))
    hints = suggest(sample_points(np.asarray(source.geometries, dtype=object)), territory)
    where = partner.name or partner.slug
    details = []
    if present:
        minx, miny, maxx, maxy = shapely.total_bounds(present)
        details.append(Message(_("its coordinates span x %(x)s, y %(y)s"),
                               x=f"{minx:.6g}..{maxx:.6g}", y=f"{miny:.6g}..{maxy:.6g}"))
    details.append(
        Message(_("these would place the data inside %(territory)s: %(crs)s"), territory=where,
                crs=", ".join(h.label for h in hints[:4])) if hints else
        Message(_("none of the usual CRSs places it inside %(territory)s"), territory=where))
    raise Refused(Message(source.no_crs or _("%(file)s: the file does not say its coordinate "
                                             "reference system (no .prj); give it with --srs "
                                             "EPSG:n; %(details)s"),
                          file=source.label, details=Message.join(details)))


def _ensure_layer(request: ImportRequest) -> Layer:
    layer = Layer.objects.filter(slug=request.layer_slug).select_for_update().first()
    if layer is None:
        layer, _created = Layer.objects.get_or_create(
            slug=request.layer_slug,
            defaults={"partner": request.partner, "kind": request.kind,
                      "title_en": request.layer_slug.replace("-", " ").capitalize()})
        layer = Layer.objects.select_for_update().get(pk=layer.pk)
    _check_layer(request, layer)
    return layer


def _check_layer(request: ImportRequest, layer: Layer | None) -> None:
    """Refuse a layer of another partner or of the other kind (before reading, and again
    under the lock)."""
    if layer is None:
        return
    if layer.partner_id != request.partner.pk:
        raise Refused(Message(_("layer %(layer)s belongs to partner %(owner)s, not "
                                "%(partner)s"), layer=repr(layer.slug),
                              owner=repr(layer.partner.slug), partner=repr(request.partner.slug)))
    if layer.kind != request.kind:
        raise Refused(Message(_("layer %(layer)s holds %(held)s, not %(kind)s"),
                              layer=repr(layer.slug), held=word(layer.kind),
                              kind=word(request.kind)))


def run_import(request: ImportRequest, progress: Progress | None = None) -> ImportResult:
    """Import ``request.path``; on any error nothing is written (see ImportRun for the log)."""
    say = progress or (lambda _msg: None)
    started = timezone.now()
    t0 = time.perf_counter()
    file_name = request.file_name or request.path.name
    run_info: dict[str, Any] = {
        "layer_slug": request.layer_slug, "user": request.user, "started_at": started,
        "file_name": file_name, "sha256": sha256(request.path),
        "file_size": request.path.stat().st_size,
        "options": {"kind": request.kind, "encoding": request.encoding,
                    "srs": request.srs.label if request.srs else None,
                    "map": request.field_map, "id_field": request.id_field,
                    "skip_invalid": request.skip_invalid, "sync": request.sync,
                    "source_layer": request.source_layer,
                    "keep_duplicate_routes": request.keep_duplicate_routes},
    }
    try:
        result = _run(request, say)
    except (Refused, RowErrors) as exc:
        if not request.dry_run:
            ImportRun.objects.create(
                **run_info, status=ImportRun.Status.FAILED, error=exc.message.english,
                messages={"error": exc.message.as_json()},
                duration_s=time.perf_counter() - t0,
                issues=[i.as_dict() for i in getattr(exc, "issues", [])],
                layer=Layer.objects.filter(slug=request.layer_slug).first())
        raise
    say(f"writing {len(result.rows):,} features")
    # A dry run writes too, and rolls back: its counts are the ones the import would give.
    with transaction.atomic():
        layer_existed = Layer.objects.filter(slug=request.layer_slug).exists()
        layer = _ensure_layer(request)
        previous_id_field = layer.import_settings.get("id_field") if layer_existed else None
        run_info["options"]["layer_created"] = not layer_existed
        run = ImportRun.objects.create(
            **run_info, layer=layer, status=ImportRun.Status.SUCCEEDED, format=result.format,
            encoding=result.encoding, crs=result.crs, mapping=result.mapping,
            issues=[i.as_dict() for i in result.issues], **_kept_messages(result),
            layer_settings_before=layer.import_settings)
        outcome = writer.write(
            rows=result.rows, layer_id=layer.pk, run_id=run.pk, sync=request.sync,
            text_limit=(result.text_limit, result.encoding) if result.text_limit else None)
        result.counts.update(outcome.counts)
        result.notes.extend(_write_notes(outcome, result, layer, previous_id_field))
        result.preview = _preview(result.rows)
        if request.dry_run:
            transaction.set_rollback(True)
            return result
        layer_written.send(sender=run_import, layer=layer)
        run.counts = result.counts
        run.duration_s = time.perf_counter() - t0
        messages = _kept_messages(result)
        run.notes, run.messages = messages["notes"], messages["messages"]
        run.save(update_fields=["counts", "duration_s", "notes", "messages"])
        layer.import_settings = {"mapping": result.mapping, "id_field": result.id_field}
        layer.save(update_fields=["import_settings", "updated_at"])
    result.run = run
    return result


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
        where = {"file": result.label, "count": len(result.rows), "layer": repr(layer.slug),
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


def _run(request: ImportRequest, say: Progress) -> ImportResult:
    limits = Limits.from_settings()
    kind = LayerKind(request.kind)
    existing = Layer.objects.filter(slug=request.layer_slug).select_related("partner").first()
    _check_layer(request, existing)
    saved = existing.import_settings if existing else {}
    main_language = request.partner.main_language
    with tempfile.TemporaryDirectory(prefix="atlas-import-") as tmp:
        say("reading")
        path, label, fmt = working_copy(request.path, Path(tmp), limits, request.source_layer)
        label = label if request.file_name is None else label.replace(
            request.path.name, request.file_name, 1)
        options = ReadOptions(encoding=request.encoding, srs=request.srs,
                              prefer_language=main_language, source_layer=request.source_layer,
                              keep_duplicate_routes=request.keep_duplicate_routes)
        sources = fmt.read(path, options, label=label)
    if not sources or all(len(s) == 0 for s in sources):
        why = [n for s in sources for n in s.notes]
        raise Refused(Message(_("%(file)s: the file holds no features (%(why)s)"), file=label,
                              why=Message.join(why)) if why else
                      Message(_("%(file)s: the file holds no features"), file=label))
    issues: list[Issue] = []
    notes: list[Message] = [n for s in sources for n in s.notes]
    say(f"normalising {sum(len(s) for s in sources):,} features")
    all_rows: Rows | None = None
    field_map: dict[str, str] = {}
    id_field = None
    for source in sources:
        _resolve_crs(source, request.partner)
        columns = list(source.columns)
        field_map = _field_map(request, saved, columns, kind, main_language, label)
        id_field = choose_id_field(source.columns,
                                   request.id_field or saved.get("id_field"))
        if id_field and id_field not in source.columns:
            raise Refused(Message(_("%(file)s: no column %(column)s for the id; it has "
                                    "%(columns)s"), file=label, column=repr(id_field),
                                  columns=", ".join(repr(c) for c in columns)))
        rows = normalise(source, kind=kind, field_map=field_map, id_field=id_field,
                         issues=issues, notes=notes)
        all_rows = rows if all_rows is None else _concat(all_rows, rows)
    assert all_rows is not None
    outside = _outside_territory(all_rows, request.partner)
    if outside:
        notes.append(Message(_("%(count)s of %(total)s features lie outside the territory of "
                               "%(partner)s: check the CRS and that this is the right partner"),
                             count=outside, total=len(all_rows),
                             partner=request.partner.name or request.partner.slug))
    errors = [i for i in issues if i.severity == "error"]
    if errors and not request.skip_invalid:
        raise RowErrors(errors)
    if len(all_rows) == 0:
        raise Refused(Message(_("%(file)s: no feature can be imported as %(kind)s (%(why)s)"),
                              file=label, kind=word(kind), why=notes[-1]) if notes else
                      Message(_("%(file)s: no feature can be imported as %(kind)s"),
                              file=label, kind=word(kind)))
    first = sources[0]
    result = ImportResult(
        format=fmt.name, label=label,
        encoding=first.encoding.encoding if first.encoding else "",
        encoding_reason=first.encoding.reason if first.encoding else None,
        crs=first.crs.label, crs_reason=first.crs_reason, mapping=field_map, id_field=id_field,
        # Every feature read is counted once: stored (created, updated, unchanged),
        # skipped for an error, or left out as the other kind of feature.
        counts={"read": sum(len(s) for s in sources),
                "skipped": len({(i.file, i.row) for i in errors}),
                "left_out": all_rows.left_out},
        # The sample rows are taken after writing (run_import): a text the DBF cut may
        # be put back there.
        issues=issues, notes=notes, preview=[],
        text_limit=first.text_limit)
    result.rows = all_rows
    return result


def _field_map(request: ImportRequest, saved: dict, columns: list[str], kind: str,
               main_language: str, label: str) -> dict[str, str]:
    explicit = request.field_map or saved.get("mapping") or {}
    allowed = set(m.target_fields(kind))
    for fld, col in request.field_map.items():
        if fld not in allowed:
            raise Refused(Message(_("--map %(mapping)s: %(field)s is not a field of %(kind)s; "
                                    "use one of %(fields)s"), mapping=f"{fld}={col}",
                                  field=repr(fld), kind=word(kind),
                                  fields=", ".join(sorted(allowed))))
        if col not in columns:
            raise Refused(Message(_("--map %(mapping)s: %(file)s has no column %(column)s; it "
                                    "has %(columns)s"), mapping=f"{fld}={col}", file=label,
                                  column=repr(col), columns=", ".join(repr(c) for c in columns)))
    mapping = m.auto_mapping(columns, kind, main_language)
    taken = {col for fld, col in explicit.items() if col in columns}
    mapping = {f: c for f, c in mapping.items() if c not in taken}
    mapping.update({f: c for f, c in explicit.items() if c in columns})
    return mapping


def _outside_territory(rows: Rows, partner: Partner) -> int:
    if not len(rows):
        return 0
    # ~2 km of slack (in degrees) for features drawn on the border.
    territory = shape(json.loads(partner.boundary.geojson)).buffer(0.02)
    shapely.prepare(territory)
    return int((~shapely.intersects(territory, rows.geoms)).sum())


def _concat(a: Rows, b: Rows) -> Rows:
    """One Rows from two sources of the same file (KML folders)."""
    def join(x: dict, y: dict, n_x: int, n_y: int, blank=lambda key: None) -> dict:
        out = {}
        for key in dict.fromkeys([*x, *y]):
            left = x.get(key, np.full(n_x, blank(key), dtype=object))
            right = y.get(key, np.full(n_y, blank(key), dtype=object))
            out[key] = np.concatenate([left.astype(object), right.astype(object)])
        return out

    return Rows(kind=a.kind, label=a.label, rows=np.concatenate([a.rows, b.rows]),
                source_ids=np.concatenate([a.source_ids, b.source_ids]),
                geoms=np.concatenate([a.geoms, b.geoms]),
                fields=join(a.fields, b.fields, len(a), len(b),
                            blank=lambda key: None if key == "fee" else ""),
                props=join(a.props, b.props, len(a), len(b)),
                unknown=join(a.unknown, b.unknown, len(a), len(b)),
                left_out=a.left_out + b.left_out)


@transaction.atomic
def undo_last_import(*, layer: Layer) -> ImportRun:
    """Undo the layer's latest successful run: the layer is as it was before it."""
    if not Layer.objects.select_for_update().filter(pk=layer.pk).exists():
        raise Refused(Message(_("layer %(layer)s no longer exists: there is no import left to "
                                "undo"), layer=repr(layer.slug)))
    # Runs after the latest succeeded one are all undone already, so undoing
    # it returns the layer to its state before it (undo can be repeated).
    run = layer.import_runs.filter(status=ImportRun.Status.SUCCEEDED).first()
    if run is None:
        raise Refused(Message(_("layer %(layer)s has no import left to undo"),
                              layer=repr(layer.slug)))
    try:
        # Checked now rather than at commit, so that the refusal can say what blocks it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            writer.undo(run_id=run.pk, kind=layer.kind)
    except IntegrityError as exc:
        table = getattr(getattr(exc.__cause__, "diag", None), "table_name", None)
        where = {"layer": repr(layer.slug), "run": str(run.pk)}
        raise Refused(
            Message(_("layer %(layer)s: import run %(run)s cannot be undone: features it "
                      "created are now used in %(table)s (stops of pilot routes: take them out "
                      "of those routes first)"), table=table, **where)
            if table == "routes_routestop" else
            Message(_("layer %(layer)s: import run %(run)s cannot be undone: features it "
                      "created are now used in %(table)s"), table=table, **where) if table else
            Message(_("layer %(layer)s: import run %(run)s cannot be undone: features it "
                      "created are now used in another table"), **where)) from None
    layer_written.send(sender=undo_last_import, layer=layer)
    run.status = ImportRun.Status.UNDONE
    run.save(update_fields=["status"])
    if run.options.get("layer_created") and not layer.import_runs.filter(
            status=ImportRun.Status.SUCCEEDED).exists() and not (
            layer.attractions.exists() or layer.trails.exists()):
        layer.delete()  # the run created the layer: before it, there was none
    else:
        layer.import_settings = run.layer_settings_before
        layer.save(update_fields=["import_settings"])
    return run
