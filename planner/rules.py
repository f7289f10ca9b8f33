"""Who may enter a partner's indicators: its members in any role (member, editor,
moderator: ``layers.permissions.member_partners``) and superusers. Everyone reads them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from layers.models import Partner
from layers.permissions import member_partners


def may_enter_indicators(user: User | AnonymousUser, partner: Partner) -> bool:
    return member_partners(user).filter(pk=partner.pk).exists()
