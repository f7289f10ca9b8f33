"""Partners' announcements (information campaigns) and the routes featured on the home
page.

An announcement is shown to the public while it is published and today lies within its
period (both days included). Its image is a photo of the ``media`` app, attached by the
generic relation. What it links to (places, routes, practices) is one row per link,
audited like the announcement itself.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.vocabulary import Status
from exchange.models import GoodPractice
from layers.models import Attraction, Partner
from media.models import MediaItem
from routes.models import PilotRoute

if TYPE_CHECKING:
    import modeltranslation.manager  # noqa: F401

TITLE_MAX = 120
TEXT_MAX = 5000


class Announcement(models.Model):
    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT,
                                related_name="announcements", verbose_name=_("partner"))
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    # Plain text, never markup: shown escaped, its paragraphs and web addresses kept.
    text = models.TextField(_("text"), blank=True)
    starts_on = models.DateField(_("shown from"))
    ends_on = models.DateField(_("shown until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    demo = models.BooleanField(default=False, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    images = GenericRelation(MediaItem, content_type_field="owner_type",
                             object_id_field="owner_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["status", "starts_on", "ends_on"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="announcement_period_in_order")]

    def __str__(self) -> str:
        return self.title or str(self.uid)


class AnnouncementLink(models.Model):
    """One thing an announcement points to: exactly one of an attraction, a route or a
    practice."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE,
                                     related_name="links")
    position = models.PositiveSmallIntegerField(default=0)
    attraction = models.ForeignKey(Attraction, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    route = models.ForeignKey(PilotRoute, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    practice = models.ForeignKey(GoodPractice, null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["announcement", "position", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(attraction__isnull=False, route__isnull=True,
                                practice__isnull=True)
                       | models.Q(attraction__isnull=True, route__isnull=False,
                                  practice__isnull=True)
                       | models.Q(attraction__isnull=True, route__isnull=True,
                                  practice__isnull=False)),
            name="announcement_link_one_target")]

    def __str__(self) -> str:
        return str(self.attraction_id or self.route_id or self.practice_id)


class FeaturedRoute(models.Model):
    """A route on the home page, put there by a moderator of one of its partners or a
    curator."""

    route = models.OneToOneField(PilotRoute, on_delete=models.CASCADE, related_name="+")
    featured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    featured_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-featured_at", "-id"]

    def __str__(self) -> str:
        return str(self.route_id)
