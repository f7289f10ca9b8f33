"""Imports as background jobs: queued by the web (page and API), run by the worker.

An import can take minutes (a 40,000-row re-import, a file of 100,000 columns); inside a
web request it was cut at gunicorn's timeout with no run recorded, and the database went
on writing for a client that was gone (Trust D9, D5). Now the request keeps the upload,
records the run as *queued* and defers a job on Procrastinate (the PostgreSQL the site
already has: ``importers/tasks.py``); the worker (``manage.py procrastinate worker``) runs
it and tells the run where it is. Whoever waits reads the run: the report page polls it,
the API's GET gives it.

- ``import_enqueue``: the run and its job, in one transaction (both or neither);
- ``import_execute``: what the worker does with a run: the pipeline, with its stages kept on
  the run, and a failure or a cancel recorded on it;
- ``import_cancel``: a queued run is cancelled at once; a running one is asked to stop
  between stages, and the statement it runs is cancelled (``pg_cancel_backend``): the
  write is one transaction, so a cancelled import has written nothing.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
from procrastinate.contrib.django import app

from geo.crs import identify
from geo.errors import Conflict
from importers import services
from importers.exceptions import Refused, RowErrors
from importers.messages import Message
from importers.models import ImportRun
from importers.pipeline import ImportRequest, import_check, run_import
from importers.pipeline.prepare import sha256
from layers.models import Partner

log = logging.getLogger(__name__)

QUEUE = "imports"
TASK = "importers.import_run"  # importers/tasks.py


class Cancelled(Exception):
    """The run's cancel was asked for: raised between stages, inside the worker."""


def application_name(run_id: int) -> str:
    """What the worker's database session is called while it runs ``run_id``: how a
    cancel finds the backend to interrupt, whichever worker and connection runs it."""
    return f"atlas-import-{run_id}"


def import_enqueue(*, path: Path, token: str, partner: Partner, data: dict[str, Any],
                   user: User | AnonymousUser) -> ImportRun:
    """Record a queued run of the upload at ``path`` (kept under ``token``) and defer its
    job; the worker deletes the upload when it is done with it. What can be refused before
    the file is read is refused now (``Refused``), recorded as a failed run."""
    request = services.import_request_build(path=path, partner=partner, data=data, user=user,
                                            dry_run=False)
    import_check(request)  # Refused at once, recorded: another partner's layer
    with transaction.atomic():
        # The job's row is written through the same connection: both commit or neither.
        run = ImportRun.objects.create(
            partner=partner, layer_slug=request.layer_slug, user=request.user,
            status=ImportRun.Status.QUEUED, started_at=timezone.now(),
            file_name=path.name, sha256=sha256(path), file_size=path.stat().st_size,
            options=options_of(request), upload_token=token)
        # By the task's name: importers/tasks.py imports this module.
        app.configure_task(TASK, queue=QUEUE).defer(run_id=run.pk)
    return run


def options_of(request: ImportRequest) -> dict[str, Any]:
    """A request's choices as a queued run or preview keeps them (JSON): the worker
    rebuilds the request from them (``request_from``). The pipeline keeps the same keys
    on the runs it records (importers.pipeline.run)."""
    return {"kind": request.kind, "encoding": request.encoding,
            "srs": request.srs.label if request.srs else None, "map": request.field_map,
            "id_field": request.id_field, "skip_invalid": request.skip_invalid,
            "sync": request.sync, "source_layer": request.source_layer,
            "keep_duplicate_routes": request.keep_duplicate_routes,
            "allow_outside": request.allow_outside,
            "new_layer_public": request.new_layer_public}


def request_from(*, options: dict[str, Any], path: Path, partner: Partner, layer_slug: str,
                 file_name: str, user: User | None, dry_run: bool = False) -> ImportRequest:
    """The request a queued run or preview was made from (``options_of``)."""
    return ImportRequest(
        path=path, partner=partner, layer_slug=layer_slug, kind=options["kind"],
        file_name=file_name, encoding=options.get("encoding"),
        srs=identify(options["srs"]) if options.get("srs") else None,
        field_map=options.get("map") or {}, id_field=options.get("id_field"),
        source_layer=options.get("source_layer"),
        skip_invalid=bool(options.get("skip_invalid")), sync=bool(options.get("sync")),
        keep_duplicate_routes=bool(options.get("keep_duplicate_routes")), user=user,
        dry_run=dry_run, allow_outside=bool(options.get("allow_outside")),
        # Runs queued before uploads started unpublished: as they were then.
        new_layer_public=bool(options.get("new_layer_public", True)))


def _request_of(run: ImportRun) -> ImportRequest:
    assert run.partner is not None, "a queued run keeps its partner"
    return request_from(options=run.options,
                        path=services.pending_dir() / run.upload_token / run.file_name,
                        partner=run.partner, layer_slug=run.layer_slug,
                        file_name=run.file_name, user=run.user)


_STAGE = re.compile(r"(?P<stage>[a-z]+)(?: (?P<count>[\d,]+) features)?")


def _progress(run_id: int) -> Any:
    def say(message: str) -> None:
        # Outside the write's transaction (the pipeline says each stage before it):
        # each stage is committed at once, for whoever polls the run.
        match = _STAGE.match(message)
        stage = match["stage"] if match else message[:20]
        count = int(match["count"].replace(",", "")) if match and match["count"] else None
        ImportRun.objects.filter(pk=run_id).update(stage=stage, stage_count=count)
        if ImportRun.objects.filter(pk=run_id, cancel_requested=True).exists():
            raise Cancelled()
    return say


def import_execute(*, run_id: int) -> ImportRun | None:
    """Run the queued import ``run_id`` (the worker's task). A run no longer queued —
    cancelled while it waited, or taken by another worker — is left as it is."""
    with connection.cursor() as cursor:
        # A session setting on the worker's own connection, reset below: the pool's next
        # user must not be taken for this run. Set before the run is marked running, so
        # that a running run without its session is one whose worker died (runs_stalled).
        cursor.execute("SELECT set_config('application_name', %s, false)",
                       [application_name(run_id)])
    taken = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, stage="", stage_count=None)
    run = ImportRun.objects.select_related("partner", "user").filter(pk=run_id).first()
    if run is None or not taken:
        session_reset()
        return run
    t0 = time.perf_counter()
    try:
        run_import(_request_of(run), _progress(run_id), queued=run)
    except (Refused, RowErrors):
        pass  # the pipeline recorded the failure on the run, with its reason
    except Exception as exc:
        cancelled = ImportRun.objects.filter(pk=run_id, cancel_requested=True).exists()
        if cancelled:
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.CANCELLED, duration_s=time.perf_counter() - t0)
        else:
            log.exception("import run %s failed", run_id)
            # Not the error's text, which may hold SQL: the operators read it in the log.
            message = Message(_("the import stopped on an error of the platform and wrote "
                                "nothing; its administrators can read why in its log"))
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.FAILED, error=message.english,
                messages={"error": message.as_json()}, duration_s=time.perf_counter() - t0)
        if not isinstance(exc, (Cancelled, DatabaseError)):
            raise  # the job's failure is also Procrastinate's, for the operators
    finally:
        services.upload_discard(token=run.upload_token)
        session_reset()
    run.refresh_from_db()
    return run


def session_reset() -> None:
    """The worker's connection as the pool's next user must find it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET application_name")
    except DatabaseError:
        connection.close()  # a broken connection: the pool discards it


def running_without_session(running: QuerySet[Any], name_of: Callable[[int], str]) -> list[int]:
    """The ids of ``running`` whose worker's database session (named ``name_of(id)``) is
    gone: the job died with its worker."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT application_name FROM pg_stat_activity "
                       "WHERE application_name = ANY(%s)",
                       [[name_of(pk) for pk in running.values_list("pk", flat=True)]])
        alive = {name for (name,) in cursor.fetchall()}
    return [pk for pk in running.values_list("pk", flat=True) if name_of(pk) not in alive]


def runs_stalled_fail() -> list[int]:
    """Mark failed the runs left *running* by a worker that died (``kill -9``, a lost
    machine): no database session carries their name any more. Their write, one
    transaction, died with the session: nothing of them was written. The worker runs this
    every minute (importers/tasks.py); their ids."""
    message = Message(_("the import worker stopped while it ran this import; nothing was "
                        "written: import the file again"))
    stalled = running_without_session(ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING), application_name)
    ImportRun.objects.filter(pk__in=stalled, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, error=message.english,
        messages={"error": message.as_json()})
    return stalled


def import_cancel(*, run: ImportRun) -> ImportRun:
    """Cancel a queued or running run; ``Conflict`` for one that has ended."""
    if ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
            status=ImportRun.Status.CANCELLED, cancel_requested=True):
        # Its job finds it cancelled and does nothing; the upload goes now.
        services.upload_discard(token=run.upload_token)
    elif ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
            cancel_requested=True):
        # The flag first, committed: the worker that sees its statement cancelled must
        # find it, or it would record a failure. pg_cancel_backend asks for no more rights
        # than the worker's own role (the site's) has.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                           "WHERE application_name = %s", [application_name(run.pk)])
    else:
        raise Conflict(gettext("this import has ended: it can no longer be cancelled"))
    run.refresh_from_db()
    return run
