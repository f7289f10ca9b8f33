"""Writing the training records: the first time counts, later ones change nothing."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from training.models import Kind, TrainingRecord

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
