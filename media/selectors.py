"""Reads: an owner's photos, as the pages and the API show them."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from geo.i18n import page_language
from media.models import MediaItem


def media_of(owner: models.Model) -> QuerySet[MediaItem]:
    return MediaItem.objects.filter(owner_type=ContentType.objects.get_for_model(owner),
                                    owner_id=owner.pk).order_by("position", "id")


def photo_card(item: MediaItem, lang: str | None = None) -> dict[str, Any]:
    """What a page or the API shows of a photo: its URLs, size, caption in ``lang`` (the
    page's by default, with the fallback chain) and its credit."""
    lang = lang or page_language()
    caption = getattr(item, f"caption_{lang}", "") or item.caption or ""
    return {"uid": str(item.uid), "url": item.url(),
            "sizes": {side: item.url(side) for side in item.renditions},
            "width": item.width, "height": item.height, "caption": caption,
            "author": item.author, "licence": item.licence,
            "licence_label": str(item.get_licence_display())}


def photos_of(owner: models.Model, lang: str | None = None) -> list[dict[str, Any]]:
    return [photo_card(item, lang) for item in media_of(owner)]


def first_photo_sql(owner_id_sql: str, app_label: str, model: str, size: str = "160") -> str:
    """SQL of the URL of the first photo's rendition ``size`` of the row whose id is
    ``owner_id_sql`` of model ``app_label.model`` (NULL when it has none): what lists,
    popups and cards show beside a name, read in the same query as the rest."""
    return (f"(SELECT '/media/' || m.uid || '/{size}' FROM media_mediaitem m "
            f"JOIN django_content_type ct ON ct.id = m.owner_type_id "
            f"WHERE ct.app_label = '{app_label}' AND ct.model = '{model}' "
            f"AND m.owner_id = {owner_id_sql} AND m.renditions ? '{size}' "
            f"ORDER BY m.position, m.id LIMIT 1)")
