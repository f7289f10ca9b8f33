"""Writes of the audit: a refused attempt recorded."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audit.models import Denial


def denial_record(*, user: Any, what: str, request: HttpRequest | None = None,
                  status: int | None = None) -> Denial:
    """Keep a refused attempt: who (None for an anonymous visitor), what, and where from."""
    return Denial.objects.create(
        user=user if getattr(user, "pk", None) else None, what=what[:2000], status=status,
        method=request.method or "" if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "")
