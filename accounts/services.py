"""Writes of API tokens: made for a user, revoked by their owner."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Scope


def token_days_check(days: int | None) -> int:
    """The days a new token lives: the default, or those asked within the maximum."""
    if days is None:
        return int(settings.ATLAS_API_TOKEN_DAYS)
    if not 1 <= days <= settings.ATLAS_API_TOKEN_MAX_DAYS:
        raise ValueError(f"1 to {settings.ATLAS_API_TOKEN_MAX_DAYS} days")
    return days


@transaction.atomic
def token_create(*, user: User, scope: str = Scope.READ, name: str = "",
                 days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user``: (the kept record, the token itself, shown only now)."""
    token, text = ApiToken.objects.create(user=user, expiry=timedelta(days=token_days_check(days)),
                                          scope=Scope(scope), name=name)
    return token, text


@transaction.atomic
def token_revoke(*, user: User, key: str) -> bool:
    """Revoke ``user``'s token named by ``key`` (its first characters); False if they have
    none by that name (another user's token is not theirs to revoke)."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=key).delete()
    return deleted > 0


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """``user``'s tokens that have not expired, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())
