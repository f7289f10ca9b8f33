"""What is new for a user: one row per user and event, read or not.

A notice keeps its text as an English template and its values (``message`` and
``values``), so that it is read in whatever language the reader chooses later, as the
importers keep their reports (importers/messages.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext


def values_in(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """A notice's values for a reader of ``lang``: a value given in each language
    (``notices.languages.in_each_language``) as that language's, the others as they
    are."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = value.get(lang or "") or value.get("en") or next(iter(value.values()), "")
        out[key] = value
    return out


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notices")
    message = models.CharField(max_length=300)  # a gettext_noop'd template, %(name)s values
    values = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        """The notice in the active language."""
        try:
            return gettext(self.message) % values_in(self.values, get_language())
        except (KeyError, ValueError, TypeError):
            return gettext(self.message)


class Reader(models.Model):
    """The language a user last chose on the site (or signed in with): their e-mail is
    written in it, whoever's action sent it (notices.services)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="notice_reader")
    language = models.CharField(max_length=8)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
