"""Which language a person's e-mail is written in: the one they signed in with or chose on
their notices page, else
what a higher app knows of them (the exchange registers a partner's main language for
its members), else the site's default.

A notice itself is stored as a template and read in whatever language the reader has
when they open the list; an e-mail is written once, so it must be in the recipient's
language, not in that of the person whose action sent it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from geo.i18n import LANGUAGE_CODES
from notices.models import Reader

Fallback = Callable[[list[int]], dict[int, str]]
"""User ids -> the language a higher app knows for some of them."""

_FALLBACKS: list[Fallback] = []


def register_fallback(fallback: Fallback) -> None:
    """A higher app's answer for the users who never chose a language."""
    if fallback not in _FALLBACKS:
        _FALLBACKS.append(fallback)


def recipient_languages(users: Iterable[User]) -> dict[int, str]:
    """User id -> the language to write to them in (one of the interface languages)."""
    ids = [u.pk for u in users]
    chosen = dict(Reader.objects.filter(user_id__in=ids, language__in=LANGUAGE_CODES)
                  .values_list("user_id", "language"))
    missing = [i for i in ids if i not in chosen]
    for fallback in _FALLBACKS:
        if not missing:
            break
        found = {k: v for k, v in fallback(missing).items() if v in LANGUAGE_CODES}
        chosen.update(found)
        missing = [i for i in missing if i not in found]
    default = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGE_CODES else "en"
    return {i: chosen.get(i, default) for i in ids}


def reader_language_set(*, user: User, language: str) -> None:
    """Remember the language ``user`` chose (ignored unless an interface language)."""
    if language in LANGUAGE_CODES and user.pk is not None:
        Reader.objects.update_or_create(user=user, defaults={"language": language})


def in_each_language(make: Callable[[], str]) -> dict[str, str]:
    """``make()`` with each interface language active: a value of a notice (a practice's
    title, a partner's name) that its reader sees in their own language."""
    out = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            out[code] = make()
    return out

