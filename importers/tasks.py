"""The importers' background jobs, on Procrastinate (found by its Django app's autodiscovery
of ``tasks`` modules; run by ``manage.py procrastinate worker``)."""

from __future__ import annotations

from django.db import connection
from procrastinate.contrib.django import app

from importers import jobs, previews, undos


@app.task(name=jobs.TASK, queue=jobs.QUEUE)
def import_run_job(run_id: int) -> None:
    """Run the queued import ``run_id`` (importers.jobs.import_execute)."""
    try:
        jobs.import_execute(run_id=run_id)
    finally:
        # The worker runs each job in a thread of its own: its connection goes back to the
        # pool, or the next job's thread would wait for one.
        connection.close()


@app.task(name=previews.TASK, queue=jobs.QUEUE)
def import_preview_job(preview_id: int) -> None:
    """Run the queued preview ``preview_id`` (importers.previews.preview_execute)."""
    try:
        previews.preview_execute(preview_id=preview_id)
    finally:
        connection.close()


@app.task(name=undos.TASK, queue=jobs.QUEUE)
def import_undo_job(run_id: int) -> None:
    """Undo the import run ``run_id`` (importers.undos.undo_execute)."""
    try:
        undos.undo_execute(run_id=run_id)
    finally:
        connection.close()


@app.periodic(cron="* * * * *")
@app.task(name="importers.runs_stalled", queue=jobs.QUEUE, queueing_lock="runs_stalled")
def runs_stalled_job(timestamp: int) -> None:
    """Runs and previews left running by a worker that died are marked failed, and undos
    it had taken are put back (nothing of them was written)."""
    try:
        jobs.runs_stalled_fail()
        previews.previews_stalled_fail()
        undos.undos_stalled_fail()
    finally:
        connection.close()
