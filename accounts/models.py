"""API tokens: hashed (django-rest-knox keeps only a SHA-512 digest and the first 15
characters), expiring, scoped to reading or writing, and revocable by their owner."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiToken(AbstractAuthToken):
    """A user's token for scripts. ``token_key`` (its first characters) names it in lists;
    the token itself is shown once, when it is made, and never kept."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices,
                             default=Scope.READ)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user}, {self.scope})"


class RateCount(models.Model):
    """How many requests one client made in one scope's current window (accounts.throttles):
    a row per client and scope, counted up by one atomic statement whichever worker serves
    the request."""

    key = models.TextField(primary_key=True)
    window_end = models.DateTimeField()
    hits = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} until {self.window_end:%H:%M:%S}"
