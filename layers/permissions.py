"""Who may write partners' data: the one answer, asked by the admin, the import page and
API, the route editor and its API, and the planner's admin.

A partner's editors are the *staff* members of its editors group (or a superuser).
Membership alone is not enough: taking someone's staff status away must take their write
access with it, whatever groups they are still in (Trust D16). A signed-in member who is
not staff reads what any visitor reads.

Two more roles per partner, also groups (``Partner.moderators``, ``Partner.members``):
``member_partners`` (any role: who takes part in the exchange in a partner's name) and
``moderated_partners`` (who reviews and moderates). They are active users' roles on the
site's pages; neither gives access to the admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from layers.models import Layer, Partner
from layers.vocabulary import Visibility

if TYPE_CHECKING:
    from rest_framework.views import APIView


def may_edit_data(user: User | AnonymousUser) -> bool:
    """Whether ``user`` may write any partner's data at all: active, and staff."""
    return bool(user.is_authenticated and user.is_active
                and (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)))


def editable_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """Partners whose data ``user`` may edit: every partner for an active superuser, the
    partners whose editors group an active staff member belongs to, else none."""
    if not may_edit_data(user):
        return Partner.objects.none()
    if getattr(user, "is_superuser", False):
        return Partner.objects.all()
    return Partner.objects.filter(editors__user=cast(User, user))


def is_active_user(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def member_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """Partners ``user`` belongs to in any role (member, editor or moderator): those whose
    practices they write and in whose name they ask, endorse and transfer. Staff status is
    not needed: the exchange happens on the site's pages, not in the admin."""
    if not is_active_user(user):
        return Partner.objects.none()
    if getattr(user, "is_superuser", False):
        return Partner.objects.all()
    user = cast(User, user)
    return Partner.objects.filter(
        Q(members__user=user) | Q(editors__user=user) | Q(moderators__user=user)).distinct()


def moderated_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """Partners ``user`` moderates: every partner for an active superuser, the partners
    whose moderators group an active user belongs to, else none. A moderator reviews other
    partners' practices and moderates the listings in their own partner's territory."""
    if not is_active_user(user):
        return Partner.objects.none()
    if getattr(user, "is_superuser", False):
        return Partner.objects.all()
    return Partner.objects.filter(moderators__user=cast(User, user))


def sandbox_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """The training partners (``Partner.sandbox``) ``user`` belongs to in any role. A
    sandbox account acts on its sandbox only: what it writes, reviews, asks or endorses
    stays there (docs/users/training.md); a superuser is nobody's sandbox account."""
    if not is_active_user(user) or getattr(user, "is_superuser", False):
        return Partner.objects.none()
    return member_partners(user).filter(sandbox=True)


def unpublished_layers_seen(user: User | AnonymousUser) -> QuerySet[Layer]:
    """Layers not public (partners only, private, a sandbox's) whose features ``user`` sees
    when asking for the layer by name: its partner's people in any role, whose moderators
    review a layer before they publish it, and a superuser. The regional layer and every
    list that does not name the layer stay the public's for them too."""
    if not is_active_user(user):
        return Layer.objects.none()
    hidden = Layer.objects.exclude(visibility=Visibility.PUBLIC)
    if getattr(user, "is_superuser", False):
        return hidden
    return hidden.filter(partner__in=member_partners(user))


def unpublished_layer_ids(user: User | AnonymousUser) -> list[int]:
    """The ids of ``unpublished_layers_seen(user)`` (none asked of a visitor)."""
    if not is_active_user(user):
        return []
    return list(unpublished_layers_seen(user).values_list("pk", flat=True))


def is_sandbox_account(user: User | AnonymousUser) -> bool:
    return sandbox_partners(user).exists()


class IsPartnerEditor(BasePermission):
    """The REST framework's door for writes to partners' data: a partner's editor.

    Which partner a request may touch is still the view's to check (by the partner's id,
    through ``editable_partners``); this refuses everyone who edits no partner at all.
    """

    message = _("Only a partner's editors (staff members of its editors group) may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return editable_partners(request.user).exists()
