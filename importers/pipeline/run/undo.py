"""Undoing a layer's latest import: its rows as they were before it, and no layer at
all if that import made the layer."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_noop as _

from importers.exceptions import Refused
from importers.messages import Message
from importers.models import ImportRun
from importers.pipeline import writer
from layers.models import Layer
from layers.registry import FEATURE_USES
from layers.signals import layer_written


def latest_standing(layer: Layer) -> ImportRun | None:
    """The layer's latest import still in force (succeeded, or being undone). Runs after
    it are all undone already, so undoing it returns the layer to its state before it
    (undo can be repeated)."""
    return layer.import_runs.filter(status__in=ImportRun.STANDING).first()


@transaction.atomic
def undo_last_import(*, layer: Layer, run: ImportRun | None = None) -> ImportRun:
    """Undo the layer's latest successful run (``run``, when the caller names the one it
    means: refused if another import came after it): the layer is as it was before it."""
    if not Layer.objects.select_for_update().filter(pk=layer.pk).exists():
        raise Refused(Message(_("layer %(layer)s no longer exists: there is no import left to "
                                "undo"), layer=repr(layer.slug)))
    latest = latest_standing(layer)
    if latest is None:
        raise Refused(Message(_("layer %(layer)s has no import left to undo"),
                              layer=repr(layer.slug)))
    if run is not None and run.pk != latest.pk:
        raise Refused(Message(_("layer %(layer)s: import run %(run)s cannot be undone: a "
                                "later import (run %(latest)s) changed the layer since; undo "
                                "that one first"),
                              layer=repr(layer.slug), run=str(run.pk), latest=str(latest.pk)))
    run = latest
    try:
        # Checked now rather than at commit, so that the refusal can say what blocks it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            writer.undo(run_id=run.pk, kind=layer.kind)
    except IntegrityError as exc:
        table = getattr(getattr(exc.__cause__, "diag", None), "table_name", None)
        where = {"layer": repr(layer.slug), "run": str(run.pk)}
        raise Refused(
            # A higher app that refers to features says what to do (layers.registry).
            Message(FEATURE_USES[table], table=table, **where) if table in FEATURE_USES else
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
