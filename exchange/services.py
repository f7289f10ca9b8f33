"""Writes of the exchange: a practice, its evidence, and its way through review (its
places: ``exchange.places``).

Every function is keyword-only, typed and atomic, and refuses (``Forbidden``,
``Conflict``, ``InvalidFields``) what ``exchange.rules`` does not allow, whatever page or
API called it: a caller that forgot to ask still writes nothing it should not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchange import rules
from exchange.evidence import fill_from_planner
from exchange.models import (
    QUESTION_MAX,
    Endorsement,
    GoodPractice,
    Indicator,
    PracticeEvent,
    Question,
)
from exchange.places import PlaceSpec, practice_places_set
from exchange.vocabulary import (
    TRANSLATED_TEXTS,
    EndorsementKind,
    Origin,
    Status,
    TextStatus,
)
from geo.errors import Conflict, Forbidden, InvalidFields
from geo.i18n import LANGUAGE_CODES
from layers.models import Partner
from notices.languages import in_each_language
from notices.services import notice_send

PRACTICE_FIELDS = (
    "kind", "period_start", "period_end", "themes", "categories", "origin",
    "source_organisation", "source_country", "source_url", "source_licence",
    "contact_name", "contact_email", "contact_phone",
    *(f"{name}_{code}" for name in TRANSLATED_TEXTS for code in LANGUAGE_CODES))
"""What an author writes (the translated texts by language: ``title_bg`` …)."""


@dataclass(frozen=True)
class IndicatorSpec:
    """An evidence row; with a ``measure`` (one of the planner's) its values are taken
    from the planner for the practice's partner at its dates (exchange.evidence)."""

    name: str
    measure: str = ""
    unit: str = ""
    value_before: float | None = None
    value_after: float | None = None
    date_before: Any = None
    date_after: Any = None
    source: str = ""


def _text_status(practice: GoodPractice, given: Mapping[str, str]) -> dict[str, str]:
    """Each language that has a text, with its status: as given, else *original* for the
    first such language and *needs review* for the others (a text nobody vouched for)."""
    out: dict[str, str] = {}
    valid = {s.value for s in TextStatus}
    for code in LANGUAGE_CODES:
        if not any(getattr(practice, f"{name}_{code}") for name in TRANSLATED_TEXTS):
            continue
        status = given.get(code) or practice.text_status.get(code)
        if status not in valid:
            status = TextStatus.ORIGINAL if not out else TextStatus.REVIEW
        out[code] = str(status)
    return out


def _check(practice: GoodPractice) -> None:
    try:
        practice.full_clean(exclude=["partner", "author", "geom"])
    except ValidationError as exc:
        raise InvalidFields(exc.message_dict) from None
    if not any(getattr(practice, f"title_{code}") for code in LANGUAGE_CODES):
        raise InvalidFields({"title": [_("Give the practice a title in at least one "
                                         "language.")]})


def _indicators(practice: GoodPractice, indicators: Sequence[IndicatorSpec]) -> None:
    practice.indicators.all().delete()
    rows = []
    for order, spec in enumerate(indicators):
        row = Indicator(practice=practice, order=order, name=spec.name, measure=spec.measure,
                        unit=spec.unit, value_before=spec.value_before,
                        value_after=spec.value_after, date_before=spec.date_before,
                        date_after=spec.date_after, source=spec.source)
        try:
            row.full_clean(exclude=["practice"])
        except ValidationError as exc:
            raise InvalidFields({f"indicators[{order}].{k}": v
                                 for k, v in exc.message_dict.items()}) from None
        if spec.measure:
            if practice.origin == Origin.EXTERNAL:
                raise InvalidFields({f"indicators[{order}].measure": [
                    _("The planner measures the partners' territories only: type the "
                      "values of a practice found elsewhere.")]})
            fill_from_planner(row, territory=practice.partner,
                              field=f"indicators[{order}]")
        rows.append(row)
    Indicator.objects.bulk_create(rows)


def _record(practice: GoodPractice, *, user: rules.AnyUser, partner: Partner | None,
            from_status: str, comment: str = "") -> None:
    actor = user if isinstance(user, User) else None
    PracticeEvent.objects.create(
        practice=practice, actor=actor, actor_name=actor.get_username() if actor else "",
        partner=partner, from_status=from_status, to_status=practice.status, comment=comment)


def _write_texts(practice: GoodPractice, values: Mapping[str, Any],
                 text_status: Mapping[str, str] | None) -> None:
    """The fields of ``values`` set on ``practice``, checked, with each language's status,
    and saved."""
    for name in PRACTICE_FIELDS:
        if name in values:
            setattr(practice, name, values[name])
    _check(practice)
    practice.text_status = _text_status(practice, text_status or {})
    practice.save()


@transaction.atomic
def practice_create(*, user: rules.AnyUser, partner: Partner, values: Mapping[str, Any],
                    text_status: Mapping[str, str] | None = None,
                    places: Sequence[PlaceSpec] = (),
                    indicators: Sequence[IndicatorSpec] = (), demo: bool = False) -> GoodPractice:
    """A new draft of ``partner``'s, written by ``user`` (a member of it)."""
    if not rules.writing_partners(user).filter(pk=partner.pk).exists():
        raise Forbidden(_("You write practices only in the name of a partner you belong to."))
    practice = GoodPractice(partner=partner, author=cast(User, user), demo=demo)
    _write_texts(practice, values, text_status)
    practice_places_set(practice=practice, places=places)
    _indicators(practice, indicators)
    _record(practice, user=user, partner=partner, from_status="")
    practice.refresh_from_db()
    return practice


@transaction.atomic
def practice_update(*, user: rules.AnyUser, practice: GoodPractice, values: Mapping[str, Any],
                    text_status: Mapping[str, str] | None = None,
                    places: Sequence[PlaceSpec] | None = None,
                    indicators: Sequence[IndicatorSpec] | None = None) -> GoodPractice:
    """Change a draft (or a practice sent back for changes) of the user's partner."""
    practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    if not rules.may_edit(user, practice):
        raise Forbidden(_("Only members of the practice's partner change it, and only while "
                          "it is a draft or sent back for changes."))
    _write_texts(practice, values, text_status)
    if places is not None:
        practice_places_set(practice=practice, places=places)
    if indicators is not None:
        _indicators(practice, indicators)
    practice.refresh_from_db()
    return practice


def _move(practice: GoodPractice, *, to: str, user: rules.AnyUser, partner: Partner | None,
          comment: str) -> GoodPractice:
    before = practice.status
    practice.status = to
    if to == Status.PUBLISHED and practice.published_at is None:
        practice.published_at = timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    _record(practice, user=user, partner=partner, from_status=before, comment=comment)
    return practice


def _locked(practice: GoodPractice) -> GoodPractice:
    return GoodPractice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def practice_submit(*, user: rules.AnyUser, practice: GoodPractice,
                    comment: str = "") -> GoodPractice:
    """Send a draft (or a changed practice) to review by another partner's moderators."""
    practice = _locked(practice)
    if not rules.may_submit(user, practice):
        if practice.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
            raise Conflict(_("Only a draft or a practice sent back for changes is submitted."))
        raise Forbidden(_("Only members of the practice's partner submit it."))
    if not practice.places.exists():
        raise InvalidFields({"places": [_("Tie the practice to at least one place before "
                                          "submitting it.")]})
    if not (practice.summary or "").strip():
        raise InvalidFields({"summary": [_("Write a summary before submitting.")]})
    practice = _move(practice, to=Status.SUBMITTED, user=user, partner=practice.partner,
                     comment=comment)
    _tell(_reviewers(practice), practice,
          gettext_noop("A good practice waits for your review: %(title)s"))
    return practice


DECISIONS = {"publish": Status.PUBLISHED, "changes": Status.CHANGES_REQUESTED,
             "reject": Status.REJECTED}


@transaction.atomic
def practice_review(*, user: rules.AnyUser, practice: GoodPractice, decision: str,
                    comment: str = "") -> GoodPractice:
    """A moderator of another partner publishes a submitted practice, sends it back with
    questions and requested changes, or rejects it (the last two say why)."""
    practice = _locked(practice)
    if decision not in DECISIONS:
        raise InvalidFields({"decision": [_("Choose publish, changes or reject.")]})
    if practice.status != Status.SUBMITTED:
        raise Conflict(_("Only a submitted practice is reviewed."))
    partners = rules.reviewing_partners(user, practice)
    if not partners.exists():
        raise Forbidden(_("A practice is reviewed by a moderator of another partner."))
    if decision != "publish" and not comment.strip():
        raise InvalidFields({"comment": [_("Say what to change, or why it is rejected.")]})
    practice = _move(practice, to=DECISIONS[decision], user=user,
                     partner=partners.order_by("slug").first(), comment=comment)
    _tell(_authors(practice), practice, REVIEWED[decision])
    return practice


@transaction.atomic
def practice_feature(*, user: rules.AnyUser, practice: GoodPractice, featured: bool,
                     comment: str = "") -> GoodPractice:
    """A curator puts a published practice on the home page, or takes it off."""
    practice = _locked(practice)
    if not rules.is_curator(user):
        raise Forbidden(_("Only a curator features practices."))
    if not rules.may_feature(user, practice):
        raise Conflict(_("Only a published practice is featured."))
    target = Status.FEATURED if featured else Status.PUBLISHED
    if practice.status == target:
        return practice
    return _move(practice, to=target, user=user, partner=None, comment=comment)


@transaction.atomic
def practice_archive(*, user: rules.AnyUser, practice: GoodPractice,
                     comment: str = "") -> GoodPractice:
    """Its partner (or a curator) retires a practice: it leaves the public list, its
    record stays."""
    practice = _locked(practice)
    if not rules.may_archive(user, practice):
        raise Forbidden(_("Only the practice's partner or a curator archives it."))
    partner = practice.partner if rules.writing_partners(user).filter(
        pk=practice.partner_id).exists() else None
    return _move(practice, to=Status.ARCHIVED, user=user, partner=partner, comment=comment)


REVIEWED = {
    "publish": gettext_noop("Your good practice is published: %(title)s"),
    "changes": gettext_noop("Changes are asked for on your good practice: %(title)s"),
    "reject": gettext_noop("Your good practice was not accepted: %(title)s"),
}


def _title(practice: GoodPractice) -> str:
    # The title in the active language, else the fallback chain's (modeltranslation).
    return practice.title or str(practice.uid)


def _tell(users: Any, practice: GoodPractice, message: str) -> None:
    notice_send(users=users, message=message,
                values={"title": in_each_language(lambda: _title(practice))},
                url=f"/practices/{practice.uid}/")


def _reviewers(practice: GoodPractice) -> Any:
    """Who may review it: the other partners' moderators who do not belong to its partner;
    for a training sandbox's practice, the sandbox's own moderators but its author (a
    sandbox is never another partner's business, nor another's its: exchange.rules)."""
    own = practice.partner
    if own.sandbox:
        return (User.objects.filter(is_active=True, groups=own.moderators_id)
                .exclude(pk__in=[practice.author_id] if practice.author_id else []).distinct())
    others = Partner.objects.exclude(pk=practice.partner_id).exclude(sandbox=True)
    own_groups = [own.members_id, own.editors_id, own.moderators_id]
    return (User.objects.filter(is_active=True,
                                groups__in=others.values_list("moderators_id", flat=True))
            .exclude(groups__in=own_groups)
            .exclude(pk__in=[practice.author_id] if practice.author_id else []).distinct())


def _authors(practice: GoodPractice) -> list[User]:
    return [practice.author] if practice.author is not None else []


@transaction.atomic
def question_ask(*, user: rules.AnyUser, practice: GoodPractice, text: str,
                 parent: Question | None = None) -> Question:
    """A question on a published practice, or an answer to one, in the name of the
    writer's partner (the practice's own when they belong to it, so that answers come from
    it). Its author and, for an answer, the question's author are told."""
    if not rules.may_discuss(user, practice):
        raise Forbidden(_("Members of the partners ask and answer on published practices."))
    text = text.strip()
    if not text:
        raise InvalidFields({"text": [_("Write the question or the answer.")]})
    if len(text) > QUESTION_MAX:
        raise InvalidFields({"text": [_("At most %(n)d characters.") % {"n": QUESTION_MAX}]})
    if parent is not None and parent.practice_id != practice.pk:
        raise InvalidFields({"parent": [_("That question is about another practice.")]})
    if parent is not None and parent.hidden:
        raise InvalidFields({"parent": [_("That message was hidden by a moderator.")]})
    partners = rules.writing_partners(user)
    partner = (partners.filter(pk=practice.partner_id).first()
               or partners.order_by("slug").first())
    author = cast(User, user)
    question = Question.objects.create(practice=practice, parent=parent, author=author,
                                       author_name=author.get_username(), partner=partner,
                                       text=text)
    told = [u for u in (practice.author, parent.author if parent else None)
            if u is not None and u.pk != author.pk]
    _tell(told, practice, gettext_noop("A new question or answer on the good practice: "
                                       "%(title)s") if parent is None else
          gettext_noop("An answer in a discussion you take part in: %(title)s"))
    return question


@transaction.atomic
def endorsement_set(*, user: rules.AnyUser, practice: GoodPractice, kind: str,
                    on: bool = True) -> bool:
    """The user's partner endorses a published practice of another partner (``kind``:
    useful, plan or applied), or takes its endorsement back. Whether it changed."""
    if kind not in EndorsementKind.values:
        raise InvalidFields({"kind": [_("Choose useful, plan or applied.")]})
    partner = rules.endorsing_partners(user, practice).order_by("slug").first()
    if partner is None:
        raise Forbidden(_("Members of another partner endorse a published practice."))
    if not on:
        return Endorsement.objects.filter(practice=practice, partner=partner,
                                          kind=kind).delete()[0] > 0
    _row, created = Endorsement.objects.get_or_create(
        practice=practice, partner=partner, kind=kind, defaults={"user": cast(User, user)})
    if created:
        _tell(_authors(practice), practice,
              gettext_noop("Another partner endorsed your good practice: %(title)s"))
    return created
