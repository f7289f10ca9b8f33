"""Writes of tourism actors: submitting listings and changes, claims and withdrawals, and
the moderators' decisions (signing up and verifying the address: ``actors.accounts``).

Each is keyword-only and atomic; each decision is recorded (``Decision``: who, when, why)
and told to those it concerns, in the app and by e-mail once it has committed
(notices.services)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors import rules
from actors.forms import (
    ATTRACTION_FIELDS,
    FIELDS,
    AttractionForm,
    ListingForm,
    attraction_values,
    form_data,
    listing_values,
)
from actors.models import Actor, Decision, Listing, Submission
from actors.vocabulary import DecisionAction, ListingStatus, SubmissionKind, SubmissionState
from geo.errors import Conflict, Forbidden, InvalidFields, NotFound
from layers.models import Attraction
from media.access import owner_is_public
from media.models import MediaItem
from media.services import image_add
from notices.services import notice_send

log = logging.getLogger(__name__)

MAX_NOTE = 5000


def _require_actor(user: Any) -> Actor:
    actor = rules.verified_actor(user)
    if actor is None:
        raise Forbidden(_("Only tourism actors whose e-mail address is verified submit "
                          "listings."))
    return actor


def _moderators(submission: Submission) -> list[User]:
    if submission.partner is None:
        return []
    return list(User.objects.filter(groups=submission.partner.moderators, is_active=True))


def submission_title(submission: Submission) -> str:
    """What a submission is about, in a few words: the listing's or attraction's name."""
    for target in (submission.listing, submission.attraction):
        if target is not None:
            return str(target)
    for key in ("name_en", "name_bg", "name_el", "name_fr"):
        if submission.values.get(key):
            return str(submission.values[key])
    return str(submission)


def _record(submission: Submission, action: str, user: User, comment: str) -> Decision:
    return Decision.objects.create(submission=submission, action=action, by=user,
                                   comment=comment)


def target_form(listing: Listing | None, attraction: Attraction | None,
                 values: Mapping[str, str]) -> ListingForm | AttractionForm:
    """The form that checks values for ``listing`` (or a new one) or ``attraction``, bound
    to a fresh copy of it, so that a refused form changes nothing in memory either."""
    if attraction is not None:
        return AttractionForm(data=form_data(dict(values)),
                              instance=Attraction.objects.get(pk=attraction.pk))
    instance = Listing.objects.get(pk=listing.pk) if listing else Listing()
    return ListingForm(data=form_data(dict(values)), instance=instance)


def target_values(listing: Listing | None, attraction: Attraction | None) -> dict[str, str]:
    """What a change starts from: the target's values now as the form's text."""
    if attraction is not None:
        return attraction_values(Attraction.objects.get(pk=attraction.pk))
    return listing_values(Listing.objects.get(pk=listing.pk)) if listing else {}


@transaction.atomic
def submission_save(*, user: Any, data: Mapping[str, str],
                    submission: Submission | None = None,
                    listing: Listing | None = None,
                    attraction: Attraction | None = None) -> Submission:
    """Create or update a draft: a new listing, or a change to a published listing of the
    actor's (``listing``) or to an attraction they claimed (``attraction``). ``data`` is
    the form's text, whole or in part (it is laid over what the draft, or the target,
    holds). Refused with ``InvalidFields`` when the result would be invalid; nothing is
    kept then."""
    actor = _require_actor(user)
    if submission is not None:
        if not rules.may_edit_submission(user, submission):
            raise Forbidden(_("Only its actor edits a submission, and only while it is a "
                              "draft or sent back for changes."))
        if submission.kind not in (SubmissionKind.NEW, SubmissionKind.CHANGE):
            raise Conflict(_("A claim or a withdrawal has no listing values to edit."))
        listing, attraction = submission.listing, submission.attraction
    elif listing is not None and not rules.may_change_listing(user, listing):
        raise Forbidden(_("Only the actor whose listing it is proposes changes to it."))
    elif attraction is not None and not rules.may_change_attraction(user, attraction):
        raise Forbidden(_("Only an actor whose claim of the attraction was approved "
                          "proposes changes to it."))
    fields = ATTRACTION_FIELDS if attraction is not None else FIELDS
    unknown = sorted(k for k in data if k not in fields and k != "note")
    if unknown:
        raise InvalidFields({k: [_("This field cannot be changed here.")] for k in unknown})
    current = target_values(listing, attraction)
    merged = {**current, **(submission.values if submission else {}),
              **{k: str(v) for k, v in data.items() if k != "note"}}
    form = target_form(listing, attraction, merged)
    if not form.is_valid():
        raise InvalidFields({k: [str(m) for m in v] for k, v in form.errors.items()})
    proposed = form.values()
    if listing is not None or attraction is not None:
        values = {k: v for k, v in proposed.items() if v != current.get(k, "")}
        if not values:
            raise InvalidFields({"__all__": [_("Nothing differs from the published "
                                               "listing.")]})
    else:
        values = {k: v for k, v in proposed.items() if v}
    if submission is None:
        changing = listing is not None or attraction is not None
        submission = Submission(actor=actor, listing=listing, attraction=attraction,
                                kind=SubmissionKind.CHANGE if changing else SubmissionKind.NEW)
    submission.values = values
    if attraction is not None:
        submission.partner = attraction.layer.partner
    else:
        submission.partner = form.instance.partner
    if "note" in data:
        submission.note = str(data["note"])[:MAX_NOTE]
    submission.save()
    return submission


def submission_photo_add(*, user: Any, submission: Submission, data: bytes,
                         declared_type: str, author: str, licence: str,
                         caption: str = "") -> MediaItem:
    """A photo for a draft; it goes to the listing when the submission is approved."""
    if not rules.may_edit_submission(user, submission):
        raise Forbidden(_("Only its actor edits a submission, and only while it is a draft "
                          "or sent back for changes."))
    lang = translation.get_language() or "en"
    captions = {lang[:2]: caption} if caption else None
    return image_add(owner=submission, data=data, declared_type=declared_type, author=author,
                     licence=licence, captions=captions, uploaded_by=user)


@transaction.atomic
def submission_submit(*, user: Any, submission: Submission, note: str = "") -> Submission:
    """Send a draft (or one sent back) to the moderators of its partner."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not rules.may_edit_submission(user, submission):
        raise Forbidden(_("Only its actor sends a submission, and only while it is a draft "
                          "or sent back for changes."))
    if submission.partner_id is None:
        raise Conflict(_("This submission has no place inside a partner's territory."))
    submission.state = SubmissionState.PENDING
    if note:
        submission.note = note[:MAX_NOTE]
    submission.save()
    _record(submission, DecisionAction.SUBMIT, user, note[:MAX_NOTE])
    _tell_moderators(submission)
    return submission


def _tell_moderators(submission: Submission) -> None:
    notice_send(
        users=_moderators(submission),
        message=gettext_noop("%(actor)s asks for your moderation: %(title)s"),
        values={"actor": submission.actor.organisation,
                "title": submission_title(submission)},
        url=reverse("actor-submission", args=[submission.pk]))


def _open_request(actor: Actor, kind: str, *, listing: Listing | None = None,
                  attraction: Attraction | None = None) -> bool:
    return Submission.objects.filter(actor=actor, kind=kind, listing=listing,
                                     attraction=attraction,
                                     state__in=(SubmissionState.PENDING, SubmissionState.DRAFT,
                                                SubmissionState.CHANGES)).exists()


@transaction.atomic
def claim_request(*, user: Any, listing: Listing | None = None,
                  attraction: Attraction | None = None, note: str = "") -> Submission:
    """Ask the partner's moderators to make a published listing, or a public attraction,
    the actor's (the museum claims the museum)."""
    actor = _require_actor(user)
    if (listing is None) == (attraction is None):
        raise InvalidFields({"target": [_("Claim one listing or one attraction.")]})
    if listing is not None:
        if listing.status != ListingStatus.PUBLISHED:
            raise NotFound(_("No such listing."))
        if listing.actor_id == actor.pk:
            raise Conflict(_("This listing is yours already."))
        partner = listing.partner
    else:
        assert attraction is not None
        if not owner_is_public(attraction):
            raise NotFound(_("No such attraction."))
        if actor.attractions.filter(pk=attraction.pk).exists():
            raise Conflict(_("This attraction is yours already."))
        partner = attraction.layer.partner
    if _open_request(actor, SubmissionKind.CLAIM, listing=listing, attraction=attraction):
        raise Conflict(_("You have asked for this already; the moderators will answer."))
    submission = Submission.objects.create(
        actor=actor, kind=SubmissionKind.CLAIM, listing=listing, attraction=attraction,
        partner=partner, state=SubmissionState.PENDING, note=note[:MAX_NOTE])
    _record(submission, DecisionAction.SUBMIT, user, note[:MAX_NOTE])
    _tell_moderators(submission)
    return submission


@transaction.atomic
def withdraw_request(*, user: Any, listing: Listing, note: str = "") -> Submission:
    """Ask the partner's moderators to take the actor's listing off the site."""
    actor = _require_actor(user)
    if not rules.may_change_listing(user, listing):
        raise Forbidden(_("Only the actor whose listing it is asks to withdraw it."))
    if _open_request(actor, SubmissionKind.WITHDRAW, listing=listing):
        raise Conflict(_("You have asked for this already; the moderators will answer."))
    submission = Submission.objects.create(
        actor=actor, kind=SubmissionKind.WITHDRAW, listing=listing, partner=listing.partner,
        state=SubmissionState.PENDING, note=note[:MAX_NOTE])
    _record(submission, DecisionAction.SUBMIT, user, note[:MAX_NOTE])
    _tell_moderators(submission)
    return submission


def _move_photos(submission: Submission, listing: Listing | Attraction) -> None:
    source = ContentType.objects.get_for_model(Submission)
    target = ContentType.objects.get_for_model(type(listing))
    last = MediaItem.objects.filter(owner_type=target, owner_id=listing.pk) \
        .aggregate(m=Max("position"))["m"]
    start = 0 if last is None else last + 1
    for offset, item in enumerate(MediaItem.objects.filter(owner_type=source,
                                                           owner_id=submission.pk)):
        item.owner_type, item.owner_id, item.position = target, listing.pk, start + offset
        item.save(update_fields=["owner_type", "owner_id", "position"])


def _apply_to_attraction(submission: Submission, target: Attraction) -> None:
    attraction = Attraction.objects.select_for_update().get(pk=target.pk)
    current = attraction_values(attraction)
    submission.before = {k: current.get(k, "") for k in submission.values}
    form = AttractionForm(data=form_data({**current, **submission.values}), instance=attraction)
    if not form.is_valid():
        raise InvalidFields({k: [str(m) for m in v] for k, v in form.errors.items()})
    form.save()
    _move_photos(submission, attraction)


def _apply(submission: Submission) -> None:
    """What an approval does, inside the decision's transaction."""
    kind = submission.kind
    if kind == SubmissionKind.CHANGE and submission.attraction is not None:
        _apply_to_attraction(submission, submission.attraction)
    elif kind in (SubmissionKind.NEW, SubmissionKind.CHANGE):
        if kind == SubmissionKind.NEW:
            listing = Listing(status=ListingStatus.PUBLISHED, actor=submission.actor)
            current: dict[str, str] = {}
        else:
            assert submission.listing is not None
            listing = Listing.objects.select_for_update().get(pk=submission.listing.pk)
            current = listing_values(listing)
            submission.before = {k: current.get(k, "") for k in submission.values}
        form = ListingForm(data=form_data({**current, **submission.values}), instance=listing)
        if not form.is_valid():
            raise InvalidFields({k: [str(m) for m in v] for k, v in form.errors.items()})
        listing = form.save()
        _move_photos(submission, listing)
        submission.listing = listing
    elif kind == SubmissionKind.CLAIM:
        if submission.listing is not None:
            Listing.objects.filter(pk=submission.listing.pk).update(actor=submission.actor)
        elif submission.attraction is not None:
            submission.actor.attractions.add(submission.attraction)
    elif kind == SubmissionKind.WITHDRAW and submission.listing is not None:
        listing = Listing.objects.select_for_update().get(pk=submission.listing.pk)
        listing.status = ListingStatus.WITHDRAWN
        listing.save(update_fields=["status", "updated_at"])


DECISIONS = {DecisionAction.APPROVE: SubmissionState.APPROVED,
             DecisionAction.CHANGES: SubmissionState.CHANGES,
             DecisionAction.REJECT: SubmissionState.REJECTED}
TOLD = {
    DecisionAction.APPROVE: gettext_noop("Your submission was approved: %(title)s"),
    DecisionAction.CHANGES: gettext_noop("Changes are asked to your submission %(title)s: "
                                         "%(comment)s"),
    DecisionAction.REJECT: gettext_noop("Your submission was rejected: %(title)s. "
                                        "%(comment)s"),
}


@transaction.atomic
def submission_decide(*, user: Any, submission: Submission, action: str,
                      comment: str = "") -> Submission:
    """A moderator's decision: approve (applies it, all at once), request changes or
    reject (both with a comment saying why)."""
    submission = Submission.objects.select_for_update(of=("self",)).select_related(
        "actor__user", "partner", "listing", "attraction").get(pk=submission.pk)
    if action not in DECISIONS:
        raise InvalidFields({"action": [_("Use approve, changes or reject.")]})
    if not rules.may_moderate(user, submission):
        if submission.state != SubmissionState.PENDING and rules.may_view_submission(
                user, submission):
            raise Conflict(_("This submission is not waiting for a decision."))
        raise Forbidden(_("Only the moderators of the partner whose territory holds the "
                          "place decide on this submission."))
    comment = comment.strip()[:MAX_NOTE]
    if action != DecisionAction.APPROVE and not comment:
        raise InvalidFields({"comment": [_("Say why, so that the actor knows what to do.")]})
    if action == DecisionAction.APPROVE:
        _apply(submission)
    submission.state = DECISIONS[DecisionAction(action)]
    submission.save()
    _record(submission, action, user, comment)
    notice_send(users=[submission.actor.user], message=TOLD[DecisionAction(action)],
                values={"title": submission_title(submission), "comment": comment},
                url=reverse("actor-submission", args=[submission.pk]))
    return submission
