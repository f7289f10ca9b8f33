"""Tourism actors' accounts: signing up, verifying the e-mail address by a link, and the
profile. Each write is keyword-only and atomic; the link is mailed once it commits."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from actors.models import Actor
from geo.errors import Forbidden

log = logging.getLogger(__name__)


class VerificationTokens(PasswordResetTokenGenerator):
    """Links that verify an actor's e-mail address: Django's signed, expiring tokens
    (PASSWORD_RESET_TIMEOUT), with their own salt, and made from the address and the
    verified state, so that a link works once and not for another address."""

    # The salt links were made with when this lived in actors.services: they keep working.
    key_salt = "actors.services.VerificationTokens"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        actor = Actor.objects.filter(user_id=user.pk).first()
        verified = actor.verified_at.isoformat() if actor and actor.verified_at else ""
        return f"{user.pk}{timestamp}{user.email}{verified}"


verification_tokens = VerificationTokens()


def verification_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("actor-verify", args=[uid, verification_tokens.make_token(user)])


def _verification_mail(user: User, organisation: str, lang: str | None) -> None:
    with translation.override(lang):
        link = settings.ATLAS_SITE_URL.rstrip("/") + verification_path(user)
        subject = _("Confirm your e-mail address for the Regional Tourism Atlas")
        body = _("Hello %(organisation)s,\n\nTo confirm this address and start listing your "
                 "services, open this link:\n\n%(link)s\n\nIf you did not sign up, ignore "
                 "this message.") % {"organisation": organisation, "link": link}
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except OSError:
        # The actor asks for the link again from their dashboard.
        log.exception("actors: the verification e-mail to user %s was not sent", user.pk)


def verification_send(*, user: User, organisation: str) -> None:
    """Send the link, once the transaction commits, in the active language."""
    lang = translation.get_language()
    transaction.on_commit(lambda: _verification_mail(user, organisation, lang))


@transaction.atomic
def actor_sign_up(*, email: str, password: str, values: Mapping[str, Any]) -> Actor:
    """A new account (named by its address, not yet verified) and its actor profile;
    ``values`` are the profile's fields (SignUpForm's cleaned data)."""
    user = User.objects.create_user(email, email, password)
    actor = Actor(user=user, **{k: v for k, v in values.items()
                                if k not in ("email", "password1", "password2")})
    actor.save()
    verification_send(user=user, organisation=actor.organisation)
    return actor


@transaction.atomic
def actor_verify(*, user: User, token: str) -> Actor:
    """Mark ``user``'s address verified, if ``token`` is a valid link for it."""
    actor = Actor.objects.select_for_update().filter(user=user).first()
    if actor is None or not verification_tokens.check_token(user, token):
        raise Forbidden(_("This link is not valid, or has expired, or was used already. "
                          "Sign in and ask for a new one."))
    actor.verified_at = timezone.now()
    actor.save(update_fields=["verified_at"])
    return actor


@transaction.atomic
def actor_profile_update(*, actor: Actor, values: Mapping[str, Any]) -> Actor:
    """Write the profile's fields (ProfileForm's cleaned data)."""
    for name, value in values.items():
        setattr(actor, name, value)
    actor.save()
    return actor
