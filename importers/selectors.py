"""Reads of import runs, scoped to who asks."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from importers.models import ImportRun
from layers.permissions import editable_partners


def runs_of(user: User | AnonymousUser) -> QuerySet[ImportRun]:
    """The runs ``user`` may read and undo: those of the partners they edit, by the run's
    own partner id (a layer's slug can be taken by another partner after a rename)."""
    runs = ImportRun.objects.select_related("layer", "partner")
    if user.is_superuser:
        return runs
    return runs.filter(partner__in=editable_partners(user))


def run_editable(user: User | AnonymousUser, run: ImportRun) -> bool:
    """Whether ``user`` may cancel or undo ``run``: an editor of the run's own partner."""
    return run.partner_id is not None and editable_partners(user).filter(
        pk=run.partner_id).exists()
