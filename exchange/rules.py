"""Who may do what with a practice: the one answer, asked by the pages, the API and the
services (which refuse whatever the caller forgot to ask).

- A practice is written by members of its partner (any role: layers.permissions
  ``member_partners``), and only while it is a draft or sent back for changes.
- It is reviewed by a moderator of *another* partner: a moderator never reviews a
  practice of a partner they belong to, nor their own.
- A curator (a superuser, or a member of the group ``ATLAS_CURATORS_GROUP``) features a
  published practice and takes it off the home page again.
- Published and featured practices are public; the others are seen by their partner's
  members, and those under review by the moderators who may review them.
- The contact person is shown to signed-in users only.
- A training partner's (``Partner.sandbox``) practices are its accounts' only, whatever
  their state: never public, reviewed, discussed and endorsed inside the sandbox (a
  sandbox's moderator reviews its other trainees' practices, there being no other partner
  to do it), and a sandbox account acts on no other partner's practice
  (docs/users/training.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from exchange.models import GoodPractice
from exchange.vocabulary import EDITABLE_STATUSES, PUBLIC_STATUSES, Status
from layers.models import Partner
from layers.permissions import (
    is_active_user,
    member_partners,
    moderated_partners,
    sandbox_partners,
)

AnyUser = User | AnonymousUser

REVIEW_STATUSES = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED)
"""States in which the reviewers (other partners' moderators) see a practice."""


def is_superuser(user: AnyUser) -> bool:
    return is_active_user(user) and bool(getattr(user, "is_superuser", False))


def is_curator(user: AnyUser) -> bool:
    if not is_active_user(user):
        return False
    return is_superuser(user) or user.groups.filter(
        name=settings.ATLAS_CURATORS_GROUP).exists()


def writing_partners(user: AnyUser) -> QuerySet[Partner]:
    """Partners in whose name ``user`` writes practices."""
    return member_partners(user)


def partner_users(partners: Iterable[Partner]) -> QuerySet[User]:
    """The active people of ``partners`` (members, editors, moderators): those the
    exchange tells of a transfer or a visit between partners."""
    groups = [g for p in partners for g in (p.members_id, p.editors_id, p.moderators_id)]
    return User.objects.filter(is_active=True, groups__in=groups).distinct()


def reviewing_partners(user: AnyUser, practice: GoodPractice) -> QuerySet[Partner]:
    """Partners in whose name ``user`` may review ``practice``: those they moderate, other
    than the practice's own; none when they belong to the practice's partner in any role
    or wrote it (a superuser reviews anyone's but their own)."""
    if not is_active_user(user) or practice.author_id == user.pk:
        return Partner.objects.none()
    if practice.partner.sandbox:
        return moderated_partners(user).filter(pk=practice.partner_id)
    if sandbox_partners(user).exists():
        return Partner.objects.none()
    if not is_superuser(user) and member_partners(user).filter(pk=practice.partner_id).exists():
        return Partner.objects.none()
    return moderated_partners(user).exclude(pk=practice.partner_id)


def may_view(user: AnyUser, practice: GoodPractice) -> bool:
    if practice.partner.sandbox:
        return is_superuser(user) or member_partners(user).filter(pk=practice.partner_id).exists()
    if practice.status in PUBLIC_STATUSES:
        return True
    if not is_active_user(user):
        return False
    if is_superuser(user) or member_partners(user).filter(pk=practice.partner_id).exists():
        return True
    return practice.status in REVIEW_STATUSES and reviewing_partners(user, practice).exists()


def visible(user: AnyUser) -> QuerySet[GoodPractice]:
    """Every practice ``user`` may see (the queryset form of ``may_view``)."""
    public = Q(status__in=PUBLIC_STATUSES) & Q(partner__sandbox=False)
    if not is_active_user(user):
        return GoodPractice.objects.filter(public)
    if is_superuser(user):
        return GoodPractice.objects.all()
    own = list(member_partners(user).values_list("pk", flat=True))
    seen = public | Q(partner_id__in=own)
    if moderated_partners(user).exists() and not sandbox_partners(user).exists():
        seen |= (Q(status__in=REVIEW_STATUSES) & ~Q(partner_id__in=own) & ~Q(author_id=user.pk)
                 & Q(partner__sandbox=False))
    return GoodPractice.objects.filter(seen)


def may_create(user: AnyUser) -> bool:
    return writing_partners(user).exists()


def may_edit(user: AnyUser, practice: GoodPractice) -> bool:
    return (practice.status in EDITABLE_STATUSES
            and writing_partners(user).filter(pk=practice.partner_id).exists())


def may_submit(user: AnyUser, practice: GoodPractice) -> bool:
    return may_edit(user, practice)


def may_review(user: AnyUser, practice: GoodPractice) -> bool:
    return practice.status == Status.SUBMITTED and reviewing_partners(user, practice).exists()


def may_feature(user: AnyUser, practice: GoodPractice) -> bool:
    return practice.status in PUBLIC_STATUSES and is_curator(user)


def may_archive(user: AnyUser, practice: GoodPractice) -> bool:
    if practice.status == Status.ARCHIVED:
        return False
    return (writing_partners(user).filter(pk=practice.partner_id).exists()
            or is_curator(user))


def may_see_contact(user: AnyUser) -> bool:
    return is_active_user(user)


def review_queue(user: AnyUser) -> QuerySet[GoodPractice]:
    """Submitted practices ``user`` may review, oldest first."""
    if not moderated_partners(user).exists():
        return GoodPractice.objects.none()
    queue = GoodPractice.objects.filter(status=Status.SUBMITTED).exclude(author_id=user.pk)
    sandboxes = sandbox_partners(user)
    if sandboxes.exists():
        return queue.filter(partner__in=moderated_partners(user).filter(sandbox=True)).order_by(
            "updated_at", "id")
    queue = queue.exclude(partner__sandbox=True)
    if not is_superuser(user):
        queue = queue.exclude(partner__in=member_partners(user))
    return queue.order_by("updated_at", "id")


def may_discuss(user: AnyUser, practice: GoodPractice) -> bool:
    """Ask or answer on a published practice: any partner's member."""
    if practice.status not in PUBLIC_STATUSES:
        return False
    if practice.partner.sandbox or sandbox_partners(user).exists():
        return writing_partners(user).filter(pk=practice.partner_id).exists()
    return writing_partners(user).exists()


def endorsing_partners(user: AnyUser, practice: GoodPractice) -> QuerySet[Partner]:
    """Partners in whose name ``user`` may endorse ``practice``: theirs, but not the
    practice's own (a partner does not vouch for itself)."""
    if practice.status not in PUBLIC_STATUSES:
        return Partner.objects.none()
    if practice.partner.sandbox or sandbox_partners(user).exists():
        # In the sandbox, its trainees vouch for each other's practice in its own name.
        return writing_partners(user).filter(pk=practice.partner_id, sandbox=True)
    return writing_partners(user).exclude(pk=practice.partner_id)


# Transfers -----------------------------------------------------------------------------
# A transfer is partner B's: its members (any role) open it in B's name, move it on, plan
# it and add its evidence. The practice's own partner (A) follows it and is told, but does
# not run another partner's transfer. A superuser may do what B's members do. Transfers of
# a public practice are public (the strategy pages count them); the people named in a
# plan are shown to signed-in users only, as a practice's contact person.


def transfer_opening_partners(user: AnyUser, practice: GoodPractice) -> QuerySet[Partner]:
    """Partners in whose name ``user`` may open a transfer of ``practice``: their own,
    other than the practice's (a superuser: any other)."""
    if practice.status not in PUBLIC_STATUSES or not is_active_user(user):
        return Partner.objects.none()
    if is_superuser(user):
        return Partner.objects.exclude(pk=practice.partner_id)
    return writing_partners(user).exclude(pk=practice.partner_id)


def may_run_transfer(user: AnyUser, transfer: Any) -> bool:
    """Whether ``user`` changes ``transfer``'s status, plan and evidence."""
    return is_superuser(user) or writing_partners(user).filter(
        pk=transfer.partner_id).exists()


def may_view_transfer(user: AnyUser, transfer: Any) -> bool:
    return may_view(user, transfer.practice)


# Study visits ----------------------------------------------------------------------------
# A visit is written by the members of its host partner or of a visiting partner (in the
# name of one of them); a superuser too. Visits are public records.


def visit_partners(user: AnyUser) -> QuerySet[Partner]:
    """Partners in whose name ``user`` records a visit (host or visitor)."""
    if is_superuser(user):
        return Partner.objects.all()
    return writing_partners(user)


def may_edit_visit(user: AnyUser, visit: Any) -> bool:
    if not is_active_user(user):
        return False
    if is_superuser(user):
        return True
    involved = {visit.host_id, *visit.visitors.values_list("pk", flat=True)}
    return writing_partners(user).filter(pk__in=involved).exists()


# Attachments -----------------------------------------------------------------------------


def may_attach_to_practice(user: AnyUser, practice: GoodPractice) -> bool:
    """A practice's documents and images are added and removed by its partner's members
    (in any state: a published practice gets its report later) and a superuser."""
    return is_superuser(user) or writing_partners(user).filter(
        pk=practice.partner_id).exists()
