"""Who may do what with announcements: the one answer, asked by the pages, the API and the
services (which refuse whatever the caller forgot to ask).

- A partner's editors (staff of its editors group) and moderators write its
  announcements: create them, and change or delete them while they are drafts.
- What the public sees, a moderator has let out: a partner's moderators (and superusers)
  publish and withdraw its announcements, and change or delete published ones.
- A route goes on the home page by a moderator of one of its partners, or a curator
  (``exchange.rules.is_curator``), as practices are featured by curators.
- Members who are neither editors nor moderators, other partners' people and visitors
  read what is shown, as anyone does.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from campaigns.models import Announcement
from campaigns.vocabulary import Status
from exchange.rules import is_curator
from layers.models import Partner
from layers.permissions import editable_partners, moderated_partners
from routes.models import PilotRoute

AnyUser = User | AnonymousUser


def writing_partners(user: AnyUser) -> QuerySet[Partner]:
    """Partners whose announcements ``user`` writes: those they edit or moderate."""
    return (editable_partners(user) | moderated_partners(user)).distinct()


def may_create(user: AnyUser) -> bool:
    return writing_partners(user).exists()


def may_publish(user: AnyUser, announcement: Announcement) -> bool:
    return moderated_partners(user).filter(pk=announcement.partner_id).exists()


def may_edit(user: AnyUser, announcement: Announcement) -> bool:
    if announcement.status == Status.PUBLISHED:
        return may_publish(user, announcement)
    return writing_partners(user).filter(pk=announcement.partner_id).exists()


def may_delete(user: AnyUser, announcement: Announcement) -> bool:
    return may_edit(user, announcement)


def visible(user: AnyUser) -> QuerySet[Announcement]:
    """The announcements ``user`` manages (every state): their partners'."""
    return Announcement.objects.filter(partner__in=writing_partners(user))


def may_feature(user: AnyUser, route: PilotRoute) -> bool:
    return (is_curator(user)
            or moderated_partners(user).filter(pk__in=route.partners.all()).exists())


def featurable_routes(user: AnyUser) -> QuerySet[PilotRoute]:
    """The routes ``user`` may put on the home page (or take off it)."""
    if is_curator(user):
        return PilotRoute.objects.all()
    return PilotRoute.objects.filter(partners__in=moderated_partners(user)).distinct()
