"""What a partner's moderators moderate in the exchange, and the one way they hide a
message or an endorsement (Decidim's hide and unhide: taken out of sight, kept, shown
again by a moderator).

Scope — a moderator acts in their partner's name, on what concerns that partner:

- a **question or answer**, or an **endorsement**, is hidden and shown again by the
  moderators of the practice's partner (the discussion is on its page) and of the partner
  in whose name it was written (it speaks for that partner); a superuser's by anyone's.
  A training sandbox's are its own moderators' only, and a sandbox moderator moderates
  nothing outside it (docs/users/training.md);
- **practices, transfers and visits** are moderated with the steps ``exchange.rules``
  gives (review by another partner's moderator; a partner's members edit, submit,
  archive, run its transfers and record its visits): ``overview`` lists, for the
  moderation page, those of the moderator's partners — practices in every state,
  transfers in and out, visits hosted and made — and the messages and endorsements they
  may hide.

A hidden message or endorsement is left out of what everyone else reads (the page, the
API, the counts); the moderators who may show it again see it, marked, with who hid it
and why. Its writer is told, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchange.models import Endorsement, GoodPractice, Question, StudyVisit, Transfer
from exchange.rules import AnyUser, is_superuser
from geo.errors import Forbidden, InvalidFields
from layers.models import Partner
from layers.permissions import is_active_user, moderated_partners, sandbox_partners
from notices.languages import in_each_language
from notices.services import notice_send

REASON_MAX = 1000

Item = Question | Endorsement


def moderating_partners(user: AnyUser) -> QuerySet[Partner]:
    """The partners in whose name ``user`` moderates the exchange (none for a visitor)."""
    return moderated_partners(user)


def is_moderator(user: AnyUser) -> bool:
    return moderating_partners(user).exists()


def _scope(user: AnyUser, practice_field: str, partner_field: str) -> Q | None:
    """The condition on rows (a practice's partner at ``practice_field``, the writer's at
    ``partner_field``) that ``user`` moderates; None for everything (a superuser)."""
    if is_superuser(user):
        return None
    mine = list(moderating_partners(user).values_list("pk", flat=True))
    if sandbox_partners(user).exists():
        return Q(**{f"{practice_field}__in": mine}) & Q(**{f"{practice_field}__sandbox": True})
    return ((Q(**{f"{practice_field}__in": mine}) | Q(**{f"{partner_field}__in": mine}))
            & Q(**{f"{practice_field}__sandbox": False}))


def may_hide(user: AnyUser, item: Item) -> bool:
    """Whether ``user`` hides ``item`` and shows it again."""
    if not is_active_user(user):
        return False
    if is_superuser(user):
        return True
    practice = item.practice
    mine = moderating_partners(user)
    if practice.partner.sandbox:
        return mine.filter(pk=practice.partner_id).exists()
    if sandbox_partners(user).exists():
        return False
    return mine.filter(pk__in=[practice.partner_id, item.partner_id]).exists()


def _writer(item: Item) -> User | None:
    return item.author if isinstance(item, Question) else item.user


HIDDEN_NOTICE = gettext_noop("A moderator hid what you wrote on the good practice "
                             "%(title)s: %(reason)s")


@transaction.atomic
def item_hide(*, user: AnyUser, item: Item, hidden: bool, reason: str = "") -> bool:
    """Hide ``item`` (``reason`` required) or show it again; whether it changed. Its
    writer is told when it is hidden."""
    if not may_hide(user, item):
        raise Forbidden(_("The moderators of the practice's partner, or of the partner it "
                          "was written for, hide and show it."))
    reason = reason.strip()
    if hidden and not reason:
        raise InvalidFields({"reason": [_("Say why it is hidden: its writer is told.")]})
    if len(reason) > REASON_MAX:
        raise InvalidFields({"reason": [_("At most %(n)d characters.") % {"n": REASON_MAX}]})
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if hidden == item.hidden:
        return False
    moderator = cast(User, user)
    if hidden:
        item.hidden_at, item.hidden_by = timezone.now(), moderator
        item.hidden_by_name, item.hidden_reason = moderator.get_username(), reason
    else:
        item.hidden_at, item.hidden_by, item.hidden_by_name, item.hidden_reason = (
            None, None, "", "")
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_by_name", "hidden_reason"])
    writer = _writer(item)
    if hidden and writer is not None and writer.pk != moderator.pk:
        practice = item.practice
        notice_send(users=[writer], message=HIDDEN_NOTICE,
                    values={"title": in_each_language(lambda: practice.title
                                                      or str(practice.uid)),
                            "reason": reason},
                    url=f"/practices/{practice.uid}/")
    return True


def hidden_seen(user: AnyUser, practice: GoodPractice) -> bool:
    """Whether ``user`` sees the hidden messages and endorsements of ``practice`` (to show
    them again): a moderator of its partner, or a superuser. A moderator of another
    partner sees their own partner's (``may_hide`` on each)."""
    return is_active_user(user) and (is_superuser(user) or moderating_partners(user).exists())


def questions_moderated(user: AnyUser) -> QuerySet[Question]:
    """The questions and answers ``user`` may hide or show, newest first."""
    if not is_moderator(user):
        return Question.objects.none()
    qs = Question.objects.select_related("practice", "practice__partner", "partner")
    scope = _scope(user, "practice__partner", "partner")
    return (qs if scope is None else qs.filter(scope)).order_by("-created_at", "-id")


def endorsements_moderated(user: AnyUser) -> QuerySet[Endorsement]:
    """The endorsements ``user`` may hide or show, newest first."""
    if not is_moderator(user):
        return Endorsement.objects.none()
    qs = Endorsement.objects.select_related("practice", "practice__partner", "partner")
    scope = _scope(user, "practice__partner", "partner")
    return (qs if scope is None else qs.filter(scope)).order_by("-created_at", "-id")


@dataclass
class Overview:
    """What the moderation page lists for a moderator."""

    partners: list[Partner]
    practices: QuerySet[GoodPractice]
    transfers: QuerySet[Transfer]
    visits: QuerySet[StudyVisit]
    questions: QuerySet[Question]
    endorsements: QuerySet[Endorsement]


def overview(user: AnyUser) -> Overview:
    """Their partners' practices (every state), transfers (in and out), visits (hosted
    and made), and the messages and endorsements they may hide."""
    partners = moderating_partners(user)
    if not is_superuser(user):
        sandboxes = sandbox_partners(user)
        partners = (partners.filter(sandbox=True) if sandboxes.exists()
                    else partners.filter(sandbox=False))
    ids = list(partners.values_list("pk", flat=True))
    return Overview(
        partners=list(partners.order_by("slug")),
        practices=GoodPractice.objects.filter(partner_id__in=ids).select_related("partner")
        .order_by("partner__slug", "status", "-updated_at"),
        transfers=Transfer.objects.filter(Q(partner_id__in=ids)
                                          | Q(practice__partner_id__in=ids))
        .select_related("practice", "practice__partner", "partner").order_by("-updated_at"),
        visits=StudyVisit.objects.filter(Q(host_id__in=ids) | Q(visitors__in=ids))
        .select_related("host").distinct().order_by("-start"),
        questions=questions_moderated(user), endorsements=endorsements_moderated(user))
