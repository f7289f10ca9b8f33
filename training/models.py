"""Who was trained: each user's first reading of a guide page and first completion of a
page's tour, the facts the partners' report of "users trained" counts (docs/users/
training.md); and how many visitors who were not signed in completed each tour, by month
(a count, with nothing about who)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GUIDE = "guide", _("Guide read")
    TOUR = "tour", _("Tour completed")


class TrainingRecord(models.Model):
    """One thing a user learnt, once: the first time counts (its month is the report's)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="training_records")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A tour's page name ("explorer", "imports:upload") or a guide page's path under
    # /help/ in the guides' source language ("guides/editor/").
    item = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "item"],
                                               name="training_record_once")]
        indexes = [models.Index(fields=["at"])]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.item}"


class VisitorCount(models.Model):
    """How many times visitors who were not signed in completed a tour in a month. Their
    browsers post a tour once (tour.js remembers it): a count of browsers, not of people,
    and nothing kept of who they are."""

    month = models.DateField(_("month"))  # its first day
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    item = models.CharField(_("what"), max_length=200)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "kind", "item"],
                                               name="visitor_count_once")]
        verbose_name = _("visitors' count")
        verbose_name_plural = _("visitors' counts")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.item}: {self.count}"
