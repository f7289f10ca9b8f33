"""The report of who was trained, per partner: how many people of each of its roles read
which guide or completed which tour, by month; and who may read it (a partner's
moderators, for their partner; a superuser, for every partner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from layers.models import Partner
from layers.permissions import moderated_partners
from training.models import TrainingRecord, VisitorCount

ROLES = ("editor", "moderator", "member")
VISITOR = "visitor"  # the report's role of those who were not signed in
ROLE_GROUPS = {"editor": "editors_id", "moderator": "moderators_id", "member": "members_id"}
CSV_COLUMNS = ("partner", "month", "role", "kind", "item", "people")


@dataclass(frozen=True)
class ReportRow:
    partner: str
    month: date
    role: str
    kind: str
    item: str
    people: int

    def csv(self) -> list[str]:
        return [self.partner, self.month.strftime("%Y-%m"), self.role, self.kind, self.item,
                str(self.people)]


def reportable_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """Partners whose report ``user`` may read: the ones they moderate (every partner for
    a superuser)."""
    return moderated_partners(user).order_by("slug")


def report(partner: Partner) -> list[ReportRow]:
    """The partner's rows, newest month first; a person with two roles counts in each. The
    roles are the ones people hold now (the groups)."""
    rows = []
    for role in ROLES:
        group = getattr(partner, ROLE_GROUPS[role])
        if group is None:
            continue
        counted = (TrainingRecord.objects.filter(user__groups=group, user__is_active=True)
                   .annotate(month=TruncMonth("at")).values("month", "kind", "item")
                   .annotate(people=Count("user", distinct=True)))
        rows += [ReportRow(partner.slug, c["month"].date(), role, c["kind"], c["item"],
                           c["people"]) for c in counted]
    return sorted(rows, key=lambda r: (-r.month.toordinal(), ROLES.index(r.role), r.kind,
                                       r.item))


def visitor_report() -> list[ReportRow]:
    """The tours that visitors who were not signed in completed, newest month first: one
    count for the whole platform (a visitor belongs to no partner), ``people`` being the
    browsers that finished the tour."""
    return [ReportRow("", c.month, VISITOR, c.kind, c.item, c.count)
            for c in VisitorCount.objects.order_by("-month", "kind", "item")]
