"""Whose photos and attachments the platform serves: an owner's app says when its object
is public and who else may see it while it is not (``register_public``), since this app
knows no owner's model. A file whose owner is not public (a draft practice or listing, an
attraction of an unpublished layer) is served to those who may see the owner — its
partner's people, its actor — and is a 404 to everyone else, as the owner itself is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

PUBLIC: dict[type[models.Model], Callable[[Any], bool]] = {}
READERS: dict[type[models.Model], Callable[[Any, Any], bool]] = {}


def register_public(model: type[models.Model], is_public: Callable[[Any], bool],
                    may_see: Callable[[Any, Any], bool] | None = None) -> None:
    """``is_public(owner)``: its files are everyone's; ``may_see(owner, user)``: ``user``
    sees them while the owner is not public (none but a superuser when not given)."""
    PUBLIC[model] = is_public
    if may_see is not None:
        READERS[model] = may_see


def owner_is_public(owner: models.Model | None) -> bool:
    """False for a missing owner; True for an owner whose app registered no rule."""
    if owner is None:
        return False
    rule = PUBLIC.get(type(owner))
    return rule is None or bool(rule(owner))


def owner_seen_by(owner: models.Model | None, user: Any) -> bool:
    """Whether ``user`` may see the files of ``owner``, which is not public: its app's rule,
    else only an active superuser."""
    if owner is None or not (user.is_authenticated and user.is_active):
        return False
    if getattr(user, "is_superuser", False):
        return True
    rule = READERS.get(type(owner))
    return rule is not None and bool(rule(owner, user))
