"""Refused attempts are kept for the retention period, then the nightly job lets them go."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import Denial
from audit.services import denials_prune

pytestmark = pytest.mark.django_db


def _denial(days_ago: int) -> Denial:
    denial = Denial.objects.create(what=f"{days_ago} days ago", status=403)
    with connection.cursor() as cur:  # `at` is set on creation: age it as time would
        cur.execute("UPDATE audit_denial SET at = now() - make_interval(days => %s) "
                    "WHERE id = %s", [days_ago, denial.pk])
    return denial


def test_the_nightly_job_deletes_only_the_attempts_past_their_retention(settings):
    settings.ATLAS_DENIAL_RETENTION_DAYS = 30
    for days in (0, 29, 31, 400):
        _denial(days)
    assert denials_prune() == 2  # what the nightly job calls (audit/tasks.py)
    assert sorted(Denial.objects.values_list("what", flat=True)) == [
        "0 days ago", "29 days ago"]


def test_the_job_is_scheduled_every_night():
    from procrastinate.contrib.django import app

    from audit.tasks import denials_prune_job

    periodic = {task.task.name: task.cron for task in
                app.periodic_registry.periodic_tasks.values()}
    assert periodic.get("audit.denials_prune") == "17 3 * * *"
    assert app.tasks["audit.denials_prune"] is denials_prune_job
