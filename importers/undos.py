"""Undoing an import as a background job.

An undo writes back every feature the import created, updated or retired: for a large
layer that is as long as the import's own write, and inside a web request it met the
request's ``statement_timeout`` (30 s) and became a 503 that undid nothing (Trust: long
work off the request). Now the page and the API mark the run *being undone* and defer a
job (``importers/tasks.py``); the worker undoes it, or puts the run back to *succeeded*
with the reason it could not (``messages["undo_refused"]``, shown in the reader's
language). Whoever waits reads the run: the report page polls it, the API's GET gives it.

The command line (``manage.py undo_import``) undoes at once, as before: it has no
request's bounds.
"""

from __future__ import annotations

import logging

import pghistory
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
from procrastinate.contrib.django import app

from geo.errors import Conflict
from importers.exceptions import Refused
from importers.jobs import QUEUE, running_without_session, session_reset
from importers.messages import Message
from importers.models import ImportRun
from importers.pipeline import undo_last_import
from importers.pipeline.run.undo import latest_standing
from layers.models import Layer

log = logging.getLogger(__name__)

TASK = "importers.import_undo"  # importers/tasks.py
# ``stage`` of a run the worker has taken (before: its job waits in the queue).
TAKEN = "undoing"


def application_name(run_id: int) -> str:
    """The worker's database session while it undoes ``run_id``: a run being undone with a
    taken job and no such session is one whose worker died."""
    return f"atlas-undo-{run_id}"


def undo_enqueue(*, run: ImportRun, user: User | AnonymousUser) -> ImportRun:
    """Mark ``run`` being undone in ``user``'s name and defer its job, in one transaction;
    ``Conflict`` when it is not its layer's latest import still in force. The layer is
    locked while it is checked: an import writing it holds it, and the request waits at
    most the web's ``lock_timeout`` (a 503 then)."""
    with transaction.atomic():
        layer = (Layer.objects.select_for_update().filter(pk=run.layer_id).first()
                 if run.layer_id is not None else None)
        locked = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
        if (layer is None or locked is None or locked.status != ImportRun.Status.SUCCEEDED
                or latest_standing(layer) != locked):
            raise Conflict(gettext("only the layer's latest import can be undone"))
        kept = {k: v for k, v in (locked.messages or {}).items() if k != "undo_refused"}
        ImportRun.objects.filter(pk=locked.pk).update(
            status=ImportRun.Status.UNDOING, stage="", stage_count=None, messages=kept,
            undo_user=user if user.is_authenticated else None)
        # By the task's name: importers/tasks.py imports this module.
        app.configure_task(TASK, queue=QUEUE).defer(run_id=locked.pk)
    locked.refresh_from_db()
    return locked


def _refused(run_id: int, message: Message) -> None:
    """Put a run whose undo could not be done back in force, with the reason."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(
            pk=run_id, status=ImportRun.Status.UNDOING).first()
        if run is None:
            return
        run.status = ImportRun.Status.SUCCEEDED
        run.stage = ""
        run.messages = {**(run.messages or {}), "undo_refused": message.as_json()}
        run.save(update_fields=["status", "stage", "messages"])


def undo_execute(*, run_id: int) -> ImportRun | None:
    """Undo the run ``run_id`` marked being undone (the worker's task). A run no longer
    marked so is left as it is."""
    with connection.cursor() as cursor:
        # Named before the run is marked taken (see importers.jobs.import_execute).
        cursor.execute("SELECT set_config('application_name', %s, false)",
                       [application_name(run_id)])
    try:
        taken = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.UNDOING,
                                         stage="").update(stage=TAKEN)
        run = ImportRun.objects.select_related("layer").filter(pk=run_id).first()
        if run is None or not taken:
            return run
        if run.layer is None:
            _refused(run_id, Message(_("layer %(layer)s no longer exists: there is no import "
                                       "left to undo"), layer=repr(run.layer_slug)))
        else:
            try:
                with pghistory.context(user=run.undo_user_id):
                    undo_last_import(layer=run.layer, run=run)
            except Refused as exc:
                message = exc.message
                _refused(run_id, message if isinstance(message, Message)
                         else Message(str(message)))
            except Exception as exc:
                log.exception("undo of import run %s failed", run_id)
                _refused(run_id, Message(_("the undo stopped on an error of the platform and "
                                           "changed nothing; its administrators can read why "
                                           "in its log")))
                if not isinstance(exc, DatabaseError):
                    raise  # the job's failure is also Procrastinate's, for the operators
        run.refresh_from_db()
        return run
    finally:
        session_reset()


def undos_stalled_fail() -> list[int]:
    """Put back in force the runs whose undo a dead worker had taken: its transaction died
    with its session, so nothing was changed (the worker's sweep, every minute)."""
    stalled = running_without_session(ImportRun.objects.filter(
        status=ImportRun.Status.UNDOING, stage=TAKEN), application_name)
    for run_id in stalled:
        _refused(run_id, Message(_("the import worker stopped while it undid this import; "
                                   "nothing was changed: undo it again")))
    return stalled
