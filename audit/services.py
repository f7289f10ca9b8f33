"""Writes of the audit: a refused attempt recorded, and the old ones let go."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from audit.models import Denial


def denial_record(*, user: Any, what: str, request: HttpRequest | None = None,
                  status: int | None = None) -> Denial:
    """Keep a refused attempt: who (None for an anonymous visitor), what, and where from."""
    return Denial.objects.create(
        user=user if getattr(user, "pk", None) else None, what=what[:2000], status=status,
        method=request.method or "" if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "")


def denials_prune(*, older_than_days: int | None = None) -> int:
    """Delete the refused attempts older than ``older_than_days`` (by default the
    retention setting, ATLAS_DENIAL_RETENTION_DAYS); how many went. The events of the
    partners' data are the history itself and are never pruned."""
    days = settings.ATLAS_DENIAL_RETENTION_DAYS if older_than_days is None else older_than_days
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_denial WHERE at < now() - make_interval(days => %s)",
                    [days])
        return cur.rowcount
