"""A password validator for the platform's accounts (AUTH_PASSWORD_VALIDATORS).

Django's own refuse short, common and numeric passwords; this one refuses what an
attacker of this platform would try first: the partners' and the platform's own names
with digits or punctuation around them (``sliven2024``, ``Larissa!1``, ``atlas-2026``),
in any script (``Сливен2024`` folds to the same letters).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from layers.search import fold

# Words anyone can guess from the site itself.
SITE_WORDS = ("atlas", "tourism", "tourist", "regional", "partner", "password", "admin")


class GuessableNameValidator:
    """Refuses a password that is, once its digits and punctuation are taken away, a
    partner's slug or name (in any of its languages) or a word of the site."""

    def _names(self) -> set[str]:
        from layers.models import Partner  # validators load with the settings, before apps

        words = set(SITE_WORDS)
        for partner in Partner.objects.all():
            names = [partner.slug, *(getattr(partner, f"name_{c}") or ""
                                     for c in ("bg", "el", "fr", "en"))]
            words.update(fold(n) for n in names if n)
        return {_letters(w) for w in words if w}

    def validate(self, password: str, user: Any = None) -> None:
        letters = _letters(fold(password))
        if letters and letters in self._names():
            raise ValidationError(
                _("This password is a partner's or the site's name with digits or signs "
                  "around it: it is among the first an attacker tries."),
                code="password_guessable_name")

    def get_help_text(self) -> str:
        return _("Your password can't be a partner's or the site's name with a few digits.")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)
