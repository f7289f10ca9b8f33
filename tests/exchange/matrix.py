"""The exchange's permission matrices (role × action through the real views and API):
an action, and what each role's attempts at all of them came to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.test import Client


@dataclass
class Action:
    name: str
    run: Callable[[Client, dict], int]  # the response's status
    wrote: Callable[[dict], bool]  # afterwards: did it change what it aimed at?
    allowed: frozenset[str]


def outcomes(client: Client, actions: list[Action], data: dict, role: str
             ) -> tuple[list[str], list[str], list[str]]:
    """Each action tried by ``client`` (signed in as ``role``) and rolled back: the writes
    it should not have made, the ones refused though allowed, and the 500s."""
    forbidden_writes, refused_rightly_allowed, errors = [], [], []
    for action in actions:
        with transaction.atomic():
            status = action.run(client, data)
            wrote = action.wrote(data)
            ok = status < 400 and wrote  # a page's redirect after a write is success
            transaction.set_rollback(True)
        if status >= 500:
            errors.append(action.name)
        allowed = role in action.allowed
        if ok and not allowed:
            forbidden_writes.append(f"{action.name} ({status})")
        if allowed and not ok:
            refused_rightly_allowed.append(f"{action.name} ({status})")
    return forbidden_writes, refused_rightly_allowed, errors
