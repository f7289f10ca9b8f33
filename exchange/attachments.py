"""Documents and images attached to practices (by their partner's members) and study
visits (by their partners' members), kept by ``media``; nothing is stored when refused.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils.translation import gettext as _

from exchange import rules
from exchange.models import GoodPractice, StudyVisit
from geo.errors import Forbidden
from media.models import MediaItem
from media.services import attachment_add, media_delete


def may_attach(user: rules.AnyUser, owner: models.Model) -> bool:
    if isinstance(owner, GoodPractice):
        return rules.may_attach_to_practice(user, owner)
    if isinstance(owner, StudyVisit):
        return rules.may_edit_visit(user, owner)
    return False


def attachment_upload(*, user: rules.AnyUser, owner: GoodPractice | StudyVisit, data: bytes,
                      declared_type: str, filename: str, author: str, licence: str,
                      caption: str = "") -> MediaItem:
    """A document or an image attached to a practice (by its partner's members) or a
    visit (by its partners' members). Nothing is stored when it is refused."""
    if not may_attach(user, owner):
        raise Forbidden(_("Only the members of its partner attach files to a practice, and "
                          "those of its partners to a visit."))
    return attachment_add(owner=owner, data=data, declared_type=declared_type,
                          filename=filename, author=author, licence=licence, caption=caption,
                          uploaded_by=user if isinstance(user, User) else None)


@transaction.atomic
def attachment_remove(*, user: rules.AnyUser, item: MediaItem) -> None:
    owner = item.owner
    if owner is None or not may_attach(user, owner):
        raise Forbidden(_("Only the members of its partner attach files to a practice, and "
                          "those of its partners to a visit."))
    media_delete(item=item)

