"""The audit's background jobs, on Procrastinate (found by its Django app's autodiscovery
of ``tasks`` modules; run by ``manage.py procrastinate worker``)."""

from __future__ import annotations

from django.db import connection
from procrastinate.contrib.django import app

from audit.services import denials_prune


@app.periodic(cron="17 3 * * *")
@app.task(name="audit.denials_prune", queueing_lock="denials_prune")
def denials_prune_job(timestamp: int) -> None:
    """Each night, the refused attempts past their retention go (audit.services)."""
    try:
        denials_prune()
    finally:
        connection.close()
