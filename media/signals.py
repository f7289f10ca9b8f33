"""An item's files go when its row goes, by whatever path (its owner's deletion through a
GenericRelation, the admin, a script), once the deletion is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from media.models import MediaItem
from media.services import files_remove


@receiver(post_delete, sender=MediaItem)
def remove_files(sender: type[MediaItem], instance: MediaItem, **kwargs: Any) -> None:
    transaction.on_commit(lambda: files_remove(instance))
