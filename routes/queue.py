"""Routes waiting to be recomputed when the current transaction commits.

Signals (``routes/signals.py``) put here the routes that a change touched; each is
recomputed once, at commit. A route recomputed in the meantime (``route_recompute``)
leaves the queue. The recompute itself is ``touched.routes_refresh``, which
``routes/signals.py`` connects: the services use this queue, not the other way round.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.db import transaction

_state = threading.local()
_refresh: Callable[[list[int]], None] | None = None


def connect(refresh: Callable[[list[int]], None]) -> None:
    """What recomputes the routes when the queue is flushed."""
    global _refresh
    _refresh = refresh


def _pending() -> set[int]:
    if not hasattr(_state, "ids"):
        _state.ids = set()
    return _state.ids


def schedule(route_ids: Iterable[int]) -> None:
    """Recompute these routes when the current transaction commits (at once outside one)."""
    pending = _pending()
    new = set(route_ids) - pending
    if not new:
        return
    pending.update(new)
    transaction.on_commit(_flush)


def done(route_id: int) -> None:
    """The route was just recomputed: it need not be again at commit."""
    _pending().discard(route_id)


def _flush() -> None:
    pending = _pending()
    ids = sorted(pending)
    pending.clear()
    if ids and _refresh is not None:
        _refresh(ids)
