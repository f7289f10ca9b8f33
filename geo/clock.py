"""The site's clock: now, unless a test fixes it (settings.ATLAS_NOW, ISO 8601 with its
offset), so that "open now" and "what is on today" can be checked for a given moment."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    """The current moment (aware), or the one a test set in ``ATLAS_NOW``."""
    fixed = getattr(settings, "ATLAS_NOW", None)
    return datetime.fromisoformat(fixed) if fixed else timezone.now()
