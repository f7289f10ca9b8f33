"""Writes of study visits between partners: a visit recorded by its host or a visiting
partner, the practices seen and the places visited.

As in ``exchange.services``: keyword-only, typed, atomic, and refusing (``Forbidden``,
``InvalidFields``) what ``exchange.rules`` does not allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchange import rules
from exchange.models import TITLE_MAX, GoodPractice, StudyVisit
from exchange.places import PlaceSpec, visit_places_set
from exchange.vocabulary import PUBLIC_STATUSES
from geo.errors import Forbidden, InvalidFields
from layers.models import Partner
from notices.services import notice_send


@dataclass(frozen=True)
class VisitSpec:
    title: str
    host: str  # partner slug
    visitors: Sequence[str]  # partner slugs
    start: dt.date | None
    end: dt.date | None
    notes: str = ""
    practices: Sequence[str] = ()  # practice uids
    places: Sequence[PlaceSpec] = ()


def _visit_checked(user: rules.AnyUser, spec: VisitSpec
                   ) -> tuple[Partner, list[Partner], list[GoodPractice]]:
    problems: dict[str, list[Any]] = {}
    host = Partner.objects.filter(slug=spec.host).first()
    if host is None:
        problems["host"] = [_("Choose the host partner.")]
    visitors = list(Partner.objects.filter(slug__in=list(spec.visitors)))
    if len(visitors) != len(set(spec.visitors)) or not visitors:
        problems["visitors"] = [_("Choose the visiting partners.")]
    elif host is not None and host in visitors:
        problems["visitors"] = [_("The host partner does not visit itself.")]
    if not spec.title.strip():
        problems["title"] = [_("Give the visit a title.")]
    elif len(spec.title) > TITLE_MAX:
        problems["title"] = [_("At most %(n)d characters.") % {"n": TITLE_MAX}]
    if spec.start is None:
        problems["start"] = [_("Give the first day of the visit.")]
    if spec.end is None:
        problems["end"] = [_("Give the last day of the visit.")]
    elif spec.start is not None and spec.end < spec.start:
        problems["end"] = [_("The end comes before the start.")]
    if len(spec.notes) > 20_000:
        problems["notes"] = [_("At most %(n)d characters.") % {"n": 20_000}]
    seen = list(rules.visible(user).filter(status__in=PUBLIC_STATUSES,
                                           uid__in=list(spec.practices)))
    if len(seen) != len(set(spec.practices)):
        problems["practices"] = [_("Name published practices only.")]
    if problems:
        raise InvalidFields(problems)
    assert host is not None
    return host, visitors, seen


def _visit_write(user: rules.AnyUser, visit: StudyVisit, spec: VisitSpec) -> StudyVisit:
    host, visitors, seen = _visit_checked(user, spec)
    if not rules.visit_partners(user).filter(pk__in=[host.pk, *(v.pk for v in visitors)]
                                            ).exists():
        raise Forbidden(_("A visit is recorded by members of its host or of a visiting "
                          "partner."))
    visit.title, visit.host = spec.title.strip(), host
    # _visit_checked refused a visit without both dates.
    visit.start, visit.end = cast(dt.date, spec.start), cast(dt.date, spec.end)
    visit.notes = spec.notes.strip()
    visit.save()
    visit.visitors.set(visitors)
    visit.practices.set(seen)
    visit_places_set(visit=visit, places=spec.places)
    return visit


@transaction.atomic
def visit_create(*, user: rules.AnyUser, spec: VisitSpec, demo: bool = False) -> StudyVisit:
    """A study visit recorded by a member of its host or of a visiting partner; the
    members of its partners are told."""
    if not rules.visit_partners(user).exists():
        raise Forbidden(_("A visit is recorded by members of its host or of a visiting "
                          "partner."))
    visit = StudyVisit(created_by=cast(User, user), demo=demo)
    visit = _visit_write(user, visit, spec)
    # The partners on the visit learn it is on the record (its report can follow).
    users = rules.partner_users([visit.host, *visit.visitors.all()])
    if isinstance(user, User):
        users = users.exclude(pk=user.pk)
    notice_send(users=users, message=gettext_noop("A study visit was recorded: %(title)s"),
                values={"title": visit.title}, url=f"/practices/visits/{visit.uid}/")
    return visit


@transaction.atomic
def visit_update(*, user: rules.AnyUser, visit: StudyVisit, spec: VisitSpec) -> StudyVisit:
    visit = StudyVisit.objects.select_for_update().get(pk=visit.pk)
    if not rules.may_edit_visit(user, visit):
        raise Forbidden(_("A visit is changed by members of its host or of a visiting "
                          "partner."))
    return _visit_write(user, visit, spec)
