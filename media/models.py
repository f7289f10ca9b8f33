"""Photos and documents attached to any object of any app.

An item belongs to its owner by a generic relation (contenttypes): the apps whose objects
have photos (layers' attractions, actors' listings) name no table of this app, and this
app, on the floor just above geo, names none of theirs. The files live under MEDIA_ROOT
(``images/<uid>/``) and are served by the platform (media/views.py), never linked from
elsewhere.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import modeltranslation.manager  # noqa: F401


class MediaKind(models.TextChoices):
    IMAGE = "image", _("image")
    # PDF, ODT, DOCX: checked by their bytes (media/documents.py), kept as sent, served
    # as a download.
    DOCUMENT = "document", _("document")


class Licence(models.TextChoices):
    CC0 = "CC0-1.0", _("CC0 1.0 (public domain dedication)")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", _("CC BY-NC-SA 4.0")
    CC_BY_ND = "CC-BY-ND-4.0", _("CC BY-ND 4.0")
    PERMISSION = "permission", _("All rights reserved, used with permission")


class MediaItem(models.Model):
    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=MediaKind.choices, default=MediaKind.IMAGE)
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    mime_type = models.CharField(max_length=100, editable=False)
    # Paths under MEDIA_ROOT: the original as kept (metadata stripped) and the renditions
    # by their longest side in pixels ({"160": "images/<uid>/160.webp", …}).
    original = models.CharField(max_length=300, editable=False)
    renditions = models.JSONField(default=dict, editable=False)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    author = models.CharField(_("author"), max_length=200)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    # A document's name as sent (its folder and stored name are the item's uid only).
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_type", "owner_id", "position", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or f"{self.get_kind_display()} {self.uid}"

    def url(self, size: str = "original") -> str:
        """Where the platform serves the original or a rendition (media/urls.py)."""
        return f"/media/{self.uid}/{size}"
