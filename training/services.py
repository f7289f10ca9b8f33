"""Writing the training records: the first time counts, later ones change nothing."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from training.models import Kind, TrainingRecord, VisitorCount

# /help/<lang>/… is a translation of /help/…: one guide page, whatever its language.
_LANGUAGE_PREFIX = re.compile(r"^(bg|el|fr)/")


def guide_item(path: str) -> str | None:
    """The guide page a path under /help/ is ("guides/editor/"), or None for what is not
    a page (the search index, a picture, a style sheet)."""
    path = _LANGUAGE_PREFIX.sub("", path.lstrip("/"))
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    if path and not path.endswith("/"):
        return None
    return path or "/"


def record(user: AbstractBaseUser | AnonymousUser, kind: Kind, item: str) -> bool:
    """Keep that ``user`` read or completed ``item``; False when nobody is signed in."""
    if not user.is_authenticated:
        return False
    TrainingRecord.objects.bulk_create([TrainingRecord(user_id=user.pk, kind=kind, item=item)],
                                       ignore_conflicts=True)
    return True


def count_visitor(kind: Kind, item: str) -> None:
    """Count one completion of ``item`` by a visitor who is not signed in, in this month.
    Visitors that finish together are all counted: the row is made if missing (a
    conflict with another's insert is no error), then counted up in one statement."""
    month = timezone.localdate().replace(day=1)
    with transaction.atomic():
        VisitorCount.objects.bulk_create([VisitorCount(month=month, kind=kind, item=item)],
                                         ignore_conflicts=True)
        VisitorCount.objects.filter(month=month, kind=kind, item=item).update(
            count=F("count") + 1)
