"""Who may do what with actors' submissions: the one answer the pages, the API and the
services ask. An actor sees and edits only their own submissions (and only while they are
a draft or sent back); a partner's moderators see and decide those in their partner's
territory; a superuser moderates everywhere."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from actors.models import Actor, Listing, Submission
from actors.vocabulary import ListingStatus, SubmissionState
from layers.models import Attraction
from layers.permissions import editable_partners, is_active_user, moderated_partners


def actor_of(user: Any) -> Actor | None:
    """``user``'s actor profile, if they signed up as one and are active."""
    if not is_active_user(user):
        return None
    return Actor.objects.filter(user_id=user.pk).first()


def verified_actor(user: Any) -> Actor | None:
    """``user``'s actor profile once its e-mail address is verified: who may submit."""
    actor = actor_of(user)
    return actor if actor is not None and actor.verified else None


def may_view_submission(user: Any, submission: Submission) -> bool:
    actor = actor_of(user)
    if actor is not None and submission.actor_id == actor.pk:
        return True
    # A draft is its actor's alone until it is sent.
    return submission.partner_id is not None and submission.state != SubmissionState.DRAFT \
        and moderated_partners(user).filter(pk=submission.partner_id).exists()


def may_edit_submission(user: Any, submission: Submission) -> bool:
    actor = verified_actor(user)
    return actor is not None and submission.actor_id == actor.pk and submission.editable


def may_moderate(user: Any, submission: Submission) -> bool:
    return submission.state == SubmissionState.PENDING and submission.partner_id is not None \
        and moderated_partners(user).filter(pk=submission.partner_id).exists()


def may_change_listing(user: Any, listing: Listing) -> bool:
    """Whether ``user`` may propose changes to (or ask to withdraw) ``listing``: it is
    their actor's, by their submission or their approved claim."""
    actor = verified_actor(user)
    return actor is not None and listing.actor_id == actor.pk \
        and listing.status == ListingStatus.PUBLISHED


def may_see_listing(user: Any, listing: Listing) -> bool:
    """Whether ``user`` sees ``listing`` (its photos) while it is not public — a draft, a
    withdrawn one: its partner's editors, who write it, and moderators, who approve it, and
    the actor whose listing it is."""
    actor = actor_of(user)
    if actor is not None and listing.actor_id == actor.pk:
        return True
    return is_active_user(user) and listing.partner_id is not None and (
        editable_partners(user).filter(pk=listing.partner_id).exists()
        or moderated_partners(user).filter(pk=listing.partner_id).exists())


def may_change_attraction(user: Any, attraction: Attraction) -> bool:
    """Whether ``user`` may propose changes to ``attraction``: their claim of it was
    approved."""
    actor = verified_actor(user)
    return actor is not None and actor.attractions.filter(pk=attraction.pk).exists()


def moderation_queue(user: Any) -> QuerySet[Submission]:
    """The submissions waiting for ``user``'s decision, oldest first."""
    return (Submission.objects.filter(partner__in=moderated_partners(user),
                                      state=SubmissionState.PENDING)
            .select_related("actor", "partner", "listing", "attraction")
            .order_by("updated_at", "id"))
