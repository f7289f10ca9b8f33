"""Whose photos the platform serves to anyone: an owner's app says when its object is
public (``register_public``), since this app knows no owner's model. A photo whose owner
is not public (a draft listing, an attraction of a private layer) is a 404, as the owner
itself is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

PUBLIC: dict[type[models.Model], Callable[[Any], bool]] = {}


def register_public(model: type[models.Model], is_public: Callable[[Any], bool]) -> None:
    PUBLIC[model] = is_public


def owner_is_public(owner: models.Model | None) -> bool:
    """False for a missing owner; True for an owner whose app registered no rule."""
    if owner is None:
        return False
    rule = PUBLIC.get(type(owner))
    return rule is None or bool(rule(owner))
