"""Writes of a transfer between partners: partner B re-uses partner A's practice, with a
plan, steps and milestones, a status and evidence measured in B's territory (study visits:
``exchange.visits``; attachments: ``exchange.attachments``).

As in ``exchange.services``: keyword-only, typed, atomic, and refusing (``Forbidden``,
``Conflict``, ``InvalidFields``) what ``exchange.rules`` does not allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchange import rules
from exchange.evidence import fill_from_planner
from exchange.models import (
    GoodPractice,
    Transfer,
    TransferEvent,
    TransferIndicator,
    TransferStep,
)
from exchange.vocabulary import (
    PUBLIC_STATUSES,
    TRANSFER_ENDS,
    StepKind,
    TransferStatus,
)
from geo.errors import Conflict, Forbidden, InvalidFields
from layers.models import Partner
from notices.languages import in_each_language
from notices.services import notice_send

PLAN_MAX = 10_000
REASON_MAX = 5000
MAX_STEPS = 50
MAX_EVIDENCE = 30


@dataclass(frozen=True)
class StepSpec:
    title: str
    kind: str = StepKind.STEP
    due: dt.date | None = None
    done: dt.date | None = None
    people: str = ""


@dataclass(frozen=True)
class EvidenceSpec:
    """An evidence row; ``territory`` is a partner's slug (the receiving partner's when
    empty); ``measure`` names one of the planner's indicators, or is empty."""

    name: str
    territory: str = ""
    measure: str = ""
    unit: str = ""
    value_before: float | None = None
    value_after: float | None = None
    date_before: dt.date | None = None
    date_after: dt.date | None = None
    source: str = ""


def _tell_transfer(transfer: Transfer, *, actor: rules.AnyUser, message: str) -> None:
    """Tell the members of both partners (A, whose practice it is, and B), but not the
    one who acted."""
    users = rules.partner_users([transfer.practice.partner, transfer.partner])
    if isinstance(actor, User):
        users = users.exclude(pk=actor.pk)
    notice_send(users=users, message=message,
                values={"title": in_each_language(
                            lambda: transfer.practice.title or str(transfer.practice.uid)),
                        "partner": in_each_language(lambda: str(transfer.partner))},
                url=f"/practices/transfers/{transfer.uid}/")


def _record(transfer: Transfer, *, user: rules.AnyUser, partner: Partner | None,
            from_status: str, comment: str = "") -> None:
    actor = user if isinstance(user, User) else None
    TransferEvent.objects.create(
        transfer=transfer, actor=actor, actor_name=actor.get_username() if actor else "",
        partner=partner, from_status=from_status, to_status=transfer.status,
        comment=comment[:5000])


def _acting_partner(user: rules.AnyUser, transfer: Transfer) -> Partner | None:
    """The partner in whose name ``user`` acts on ``transfer``: B when they belong to it
    (a superuser who does not acts in no partner's name)."""
    return transfer.partner if rules.writing_partners(user).filter(
        pk=transfer.partner_id).exists() else None


def _steps(transfer: Transfer, steps: Sequence[StepSpec]) -> None:
    if len(steps) > MAX_STEPS:
        raise InvalidFields({"steps": [_("At most %(n)d.") % {"n": MAX_STEPS}]})
    transfer.steps.all().delete()
    rows = []
    for order, spec in enumerate(steps):
        row = TransferStep(transfer=transfer, order=order, kind=spec.kind,
                           title=spec.title.strip(), due=spec.due, done=spec.done,
                           people=spec.people.strip())
        try:
            row.full_clean(exclude=["transfer"])
        except ValidationError as exc:
            raise InvalidFields({f"steps[{order}].{k}": v
                                 for k, v in exc.message_dict.items()}) from None
        rows.append(row)
    TransferStep.objects.bulk_create(rows)


def _evidence_row(transfer: Transfer, spec: EvidenceSpec, order: int) -> TransferIndicator:
    field = f"indicators[{order}]"
    territory = transfer.partner
    if spec.territory and spec.territory != transfer.partner.slug:
        found = Partner.objects.filter(slug=spec.territory).first()
        if found is None:
            raise InvalidFields({f"{field}.territory": [_("No such partner.")]})
        territory = found
    if spec.date_before and spec.date_after and spec.date_after < spec.date_before:
        raise InvalidFields({f"{field}.date_after": [
            _("The measure after comes before the measure before.")]})
    row = TransferIndicator(transfer=transfer, order=order, territory=territory,
                            name=spec.name.strip(), measure=spec.measure, unit=spec.unit,
                            value_before=spec.value_before, value_after=spec.value_after,
                            date_before=spec.date_before, date_after=spec.date_after,
                            source=spec.source)
    if spec.measure:
        fill_from_planner(row, territory=territory, field=field)
    try:
        row.full_clean(exclude=["transfer", "territory"])
    except ValidationError as exc:
        raise InvalidFields({f"{field}.{k}": v for k, v in exc.message_dict.items()}) from None
    return row


def _evidence(transfer: Transfer, rows: Sequence[EvidenceSpec]) -> None:
    if len(rows) > MAX_EVIDENCE:
        raise InvalidFields({"indicators": [_("At most %(n)d.") % {"n": MAX_EVIDENCE}]})
    built = [_evidence_row(transfer, spec, i) for i, spec in enumerate(rows)]
    transfer.indicators.all().delete()
    TransferIndicator.objects.bulk_create(built)


def is_evidence_in_territory(row: TransferIndicator, transfer: Transfer) -> bool:
    """Whether ``row`` shows a measured change in the receiving partner's territory: both
    values and both dates, the second measure after the first."""
    return (row.territory_id == transfer.partner_id and row.value_before is not None
            and row.value_after is not None and row.date_before is not None
            and row.date_after is not None and row.date_after > row.date_before)


def _locked(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update().select_related(
        "practice", "practice__partner", "partner").get(pk=transfer.pk)


@transaction.atomic
def transfer_open(*, user: rules.AnyUser, practice: GoodPractice, partner: Partner | None,
                  plan: str = "", steps: Sequence[StepSpec] = (), comment: str = "",
                  demo: bool = False) -> Transfer:
    """Partner B (``partner``, one the user belongs to; their only one when None) starts
    to transfer partner A's published practice. A's members and B's are told."""
    allowed = rules.transfer_opening_partners(user, practice)
    if not allowed.exists():
        if practice.status not in PUBLIC_STATUSES:
            raise Conflict(_("Only a published practice is transferred."))
        raise Forbidden(_("Members of another partner than the practice's open a transfer "
                          "of it."))
    if partner is None:
        if allowed.count() != 1:
            raise InvalidFields({"partner": [_("Name the partner (its slug) that takes the "
                                               "practice over.")]})
        partner = cast(Partner, allowed.first())
    elif not allowed.filter(pk=partner.pk).exists():
        raise Forbidden(_("You open a transfer only in the name of a partner you belong to, "
                          "other than the practice's."))
    if len(plan) > PLAN_MAX:
        raise InvalidFields({"plan": [_("At most %(n)d characters.") % {"n": PLAN_MAX}]})
    if Transfer.objects.filter(practice=practice, partner=partner).exclude(
            status__in=TRANSFER_ENDS).exists():
        raise Conflict(_("%(partner)s already has a transfer of this practice under way.")
                       % {"partner": partner})
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(practice=practice, partner=partner,
                                               opened_by=cast(User, user), plan=plan.strip(),
                                               demo=demo)
    except IntegrityError:
        # Two openings at once: the constraint keeps one.
        raise Conflict(_("%(partner)s already has a transfer of this practice under way.")
                       % {"partner": partner}) from None
    _steps(transfer, steps)
    _record(transfer, user=user, partner=partner, from_status="", comment=comment)
    _tell_transfer(transfer, actor=user,
                   message=gettext_noop("%(partner)s opened a transfer of the good practice: "
                                        "%(title)s"))
    return transfer


def _check_open(user: rules.AnyUser, transfer: Transfer) -> None:
    if not rules.may_run_transfer(user, transfer):
        raise Forbidden(_("Only members of the receiving partner run a transfer."))
    if transfer.status in TRANSFER_ENDS:
        raise Conflict(_("This transfer is closed (transferred or abandoned)."))


@transaction.atomic
def transfer_plan_set(*, user: rules.AnyUser, transfer: Transfer, plan: str | None = None,
                      steps: Sequence[StepSpec] | None = None,
                      indicators: Sequence[EvidenceSpec] | None = None) -> Transfer:
    """Change an open transfer's plan, steps and milestones, or evidence (each list
    replaced whole when given)."""
    transfer = _locked(transfer)
    _check_open(user, transfer)
    if plan is not None:
        if len(plan) > PLAN_MAX:
            raise InvalidFields({"plan": [_("At most %(n)d characters.") % {"n": PLAN_MAX}]})
        transfer.plan = plan.strip()
        transfer.save(update_fields=["plan", "updated_at"])
    if steps is not None:
        _steps(transfer, steps)
    if indicators is not None:
        _evidence(transfer, indicators)
    return transfer


@transaction.atomic
def transfer_evidence_add(*, user: rules.AnyUser, transfer: Transfer,
                          row: EvidenceSpec) -> TransferIndicator:
    """One more evidence row on an open transfer."""
    transfer = _locked(transfer)
    _check_open(user, transfer)
    order = transfer.indicators.count()
    if order >= MAX_EVIDENCE:
        raise InvalidFields({"indicators": [_("At most %(n)d.") % {"n": MAX_EVIDENCE}]})
    built = _evidence_row(transfer, row, order)
    built.save()
    transfer.save(update_fields=["updated_at"])
    return built


MOVED: dict[str, str] = {
    TransferStatus.TRANSFERRED: gettext_noop("%(partner)s has transferred the good practice: "
                                             "%(title)s"),
    TransferStatus.ABANDONED: gettext_noop("%(partner)s abandoned its transfer of the good "
                                           "practice: %(title)s"),
}
MOVED_ON = gettext_noop("%(partner)s moved its transfer of the good practice on: %(title)s")


@transaction.atomic
def transfer_move(*, user: rules.AnyUser, transfer: Transfer, to: str, comment: str = "",
                  reason: str = "") -> Transfer:
    """Move an open transfer to another state. *Abandoned* needs a reason; *transferred*
    needs evidence measured in the receiving partner's territory (both values and
    dates). Both partners' members are told."""
    if to not in TransferStatus.values:
        raise InvalidFields({"status": [_("Choose exploring, adapting, piloting, "
                                          "transferred or abandoned.")]})
    transfer = _locked(transfer)
    _check_open(user, transfer)
    if to == transfer.status:
        raise Conflict(_("The transfer is in that state already."))
    reason = reason.strip()
    if to == TransferStatus.ABANDONED:
        if not reason:
            raise InvalidFields({"reason": [_("Say why the transfer is abandoned.")]})
        if len(reason) > REASON_MAX:
            raise InvalidFields({"reason": [_("At most %(n)d characters.")
                                            % {"n": REASON_MAX}]})
        transfer.reason = reason
    if to == TransferStatus.TRANSFERRED and not any(
            is_evidence_in_territory(row, transfer) for row in transfer.indicators.all()):
        raise InvalidFields({"indicators": [
            _("A practice counts as transferred only with evidence measured in "
              "%(partner)s: add an indicator there with its values and dates before and "
              "after.") % {"partner": transfer.partner}]})
    before = transfer.status
    transfer.status = to
    transfer.save(update_fields=["status", "reason", "updated_at"])
    _record(transfer, user=user, partner=_acting_partner(user, transfer),
            from_status=before, comment=comment or reason)
    _tell_transfer(transfer, actor=user, message=MOVED.get(to, MOVED_ON))
    return transfer
