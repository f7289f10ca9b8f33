"""Rate limits: how many requests a client may make in a window, per scope, over the site.

The REST framework's throttle interface (``allow_request``, ``wait``), with the counts
kept in PostgreSQL (``RateCount``) and counted up by one atomic statement: every gunicorn
worker sees the same counts, and requests that arrive together are all counted. (The
framework's own throttles read a list from a cache and write it back: concurrent requests
overwrite each other's counts, and a browser's parallel requests were counted half.)
A window is fixed: it starts with a client's first request and ends ``period`` later.

Each process takes a client's requests from the shared count in leases (``take``): while
the client is far below its limit, one statement counts several requests at once, and the
process serves the next ones from what it took without a round trip (the count was a
write on every tile and page, 0.4–0.6 ms of a tile's few; issue 20, item 7). A lease is at
most 1/32 of what is left of the budget (16 at most), and one request near the limit: no
client is ever served beyond its limit, and one whose requests a process had taken but
another served is refused at most that much early. Once the count has reached the limit,
the process refuses the client until the window ends without asking again.

The same classes serve the API (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES, and a view's
``throttle_scope``) and the plain Django views and pages (``accounts.middleware``): one
set of rates, ``settings.ATLAS_THROTTLE_RATES``, read on each request.

A client is a signed-in user (by id) or, signed out, an address: the connection's, or the
one a trusted proxy puts in X-Forwarded-For (REST_FRAMEWORK's NUM_PROXIES).
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from geo.errors import TooManyRequests

log = logging.getLogger(__name__)
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TILES, TOKEN_FAILURES = "tiles", "token_failures"


def client_ip(request: Any) -> str:
    """The client's address, as the throttles and the sign-in lockout (django-axes) see it."""
    ident = BaseThrottle().get_ident(request) or ""
    return ident.replace("\0", "")[:100]


def parse_rate(rate: str) -> tuple[int, int]:
    """"300/min" → (300, 60): requests, seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def rate_of(scope: str) -> tuple[int, int] | None:
    rate = settings.ATLAS_THROTTLE_RATES.get(scope)
    return parse_rate(rate) if rate else None


def hit(key: str, seconds: int, n: int = 1) -> tuple[int, float]:
    """Count ``n`` requests of ``key`` in its window of ``seconds``: (requests in the
    window, these included; seconds until the window ends). A database that answers but cannot
    count (read-only) counts nothing rather than refuse everyone; one that cannot be
    reached raises its error at once, the request's 503."""
    try:
        # One statement, atomic by itself: no transaction around it (its BEGIN and COMMIT
        # were two more round trips on every counted request); a savepoint only inside
        # a caller's transaction, so that a refusal here leaves that one usable.
        with (transaction.atomic() if connection.in_atomic_block else nullcontext()), \
                connection.cursor() as cur:
            cur.execute("""
                INSERT INTO accounts_ratecount AS c (key, window_end, hits)
                VALUES (%s, clock_timestamp() + make_interval(secs => %s), %s)
                ON CONFLICT (key) DO UPDATE SET
                    hits = CASE WHEN c.window_end <= clock_timestamp() THEN EXCLUDED.hits
                                ELSE c.hits + EXCLUDED.hits END,
                    window_end = CASE WHEN c.window_end <= clock_timestamp()
                                      THEN EXCLUDED.window_end ELSE c.window_end END
                RETURNING hits, EXTRACT(EPOCH FROM window_end - clock_timestamp())::float
                """, [key, seconds, n])
            hits, left = cur.fetchone()
            # Now and then, the windows long over go (a row per client and scope).
            if random.random() < 0.001:
                cur.execute("DELETE FROM accounts_ratecount "
                            "WHERE window_end < clock_timestamp() - interval '1 hour'")
    except DatabaseError as exc:
        if connection.connection is None:
            # No connection at all: the database is down and the pool's wait is over. The
            # request cannot be served either, and going on would wait for the pool a
            # second time in the view before the same 503 (geo.errors.database_unavailable).
            raise
        # Not a warning: a database that cannot count (read-only, say) cannot serve the
        # request either, and says so where it fails.
        log.info("rate limit not counted for %s: %s", key, exc)
        return 0, 0.0
    return hits, left


@dataclass
class Lease:
    """Requests of one client this process has counted and not served yet."""

    left: int
    ends: float  # time.monotonic() at the end of the window they were counted in
    size: int  # how many the next lease counts
    spent: bool = False  # the window's count has reached the limit: none served until it ends


LEASE_MAX = 16
_leases: dict[tuple[str, int, int], Lease] = {}
_leases_lock = threading.Lock()


def take(key: str, limit: int, seconds: int) -> tuple[bool, float]:
    """One request of ``key``, at most ``limit`` in a window of ``seconds`` over every
    process: (served, seconds until the window ends). From this process's lease when it
    holds one; else one statement counts a new lease (``hit``)."""
    lease_key = (key, limit, seconds)
    now = time.monotonic()
    with _leases_lock:
        lease = _leases.get(lease_key)
        if lease is not None and now < lease.ends:
            if lease.left > 0:
                lease.left -= 1
                return True, lease.ends - now
            if lease.spent:  # counts only grow in a window: no statement to learn it again
                return False, lease.ends - now
        size = lease.size if lease is not None and now < lease.ends else 1
    hits, left = hit(key, seconds, size)
    # Those of the lease that fall within the limit; none when it was reached before.
    served = max(0, min(size, limit - (hits - size)))
    following = max(1, min(LEASE_MAX, (limit - hits) // 32))
    with _leases_lock:
        lease = _leases.get(lease_key)
        if lease is None or now >= lease.ends or len(_leases) > 10_000:
            if len(_leases) > 10_000:
                for stale in [k for k, v in _leases.items() if v.ends <= now]:
                    del _leases[stale]
            lease = _leases[lease_key] = Lease(0, now + left, following)
        # Added, not replaced: another thread's lease taken meanwhile is served too.
        lease.left += max(0, served - 1)
        lease.size, lease.spent = following, hits >= limit
    return served > 0, left


def _forget_leases(*, setting: str, **_: Any) -> None:
    if setting == "ATLAS_THROTTLE_RATES":
        with _leases_lock:
            _leases.clear()


setting_changed.connect(_forget_leases)


def hits_now(key: str) -> tuple[int, float]:
    """The requests of ``key`` in its current window, without counting one."""
    with connection.cursor() as cur:
        cur.execute("SELECT hits, EXTRACT(EPOCH FROM window_end - clock_timestamp())::float "
                    "FROM accounts_ratecount WHERE key = %s "
                    "AND window_end > clock_timestamp()", [key])
        row = cur.fetchone()
    return (row[0], row[1]) if row else (0, 0.0)


class AtlasThrottle(BaseThrottle):
    """The limit of one scope for every client."""

    scope = "anon"

    def __init__(self, scope: str | None = None) -> None:
        if scope is not None:
            self.scope = scope
        self.left = 0.0

    def client(self, request: Any, view: Any) -> str | None:
        """Who is counted (None: this throttle does not count the request)."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user-{user.pk}"
        return f"ip-{client_ip(request)}"

    def allow_request(self, request: Any, view: Any) -> bool:
        rate, client = rate_of(self.scope), self.client(request, view)
        if rate is None or client is None:
            return True
        limit, seconds = rate
        served, self.left = take(f"{self.scope}:{client}", limit, seconds)
        return served

    def wait(self) -> float | None:
        return self.left


class AnonThrottle(AtlasThrottle):
    """Every request of a signed-out client (rate "anon")."""

    scope = "anon"

    def client(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        return None if user is not None and user.is_authenticated else \
            super().client(request, view)


class UserThrottle(AtlasThrottle):
    """Every request of a signed-in client (rate "user"): more than a visitor's, as a
    partner's scripts and editors work through many pages of the API."""

    scope = "user"

    def client(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        return super().client(request, view) if user is not None and \
            user.is_authenticated else None


class ScopeThrottle(AtlasThrottle):
    """The stricter limit of a costly API view, named by its ``throttle_scope`` ("exports",
    "imports"), on top of the client's general one."""

    def allow_request(self, request: Any, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None)
        if scope is None:
            return True
        self.scope = scope
        return super().allow_request(request, view)


def refused(wait: float | None) -> TooManyRequests:
    seconds = max(1, math.ceil(wait or 1))
    return TooManyRequests(_("too many requests: try again in %(seconds)s s")
                           % {"seconds": seconds}, seconds)


def check(request: HttpRequest, *throttles: AtlasThrottle) -> None:
    """Count the request against each throttle; over one, raise ``TooManyRequests``."""
    for throttle in throttles:
        if not throttle.allow_request(request, None):
            raise refused(throttle.wait())


class FailedTokens:
    """Failed token sign-ins of one address: after ``token_failures`` of them in the
    window, that address's tokens are not even looked at until the window ends, so that
    guessing tokens costs the guesser time (Trust D7). A right token is not counted."""

    def key(self, request: Any) -> str:
        return f"{TOKEN_FAILURES}:ip-{client_ip(request)}"

    def check(self, request: Any) -> None:
        """Refuse (429) an address already at its limit of failures."""
        rate = rate_of(TOKEN_FAILURES)
        if rate is not None:
            hits, left = hits_now(self.key(request))
            if hits >= rate[0]:
                raise refused(left)

    def record(self, request: Any) -> None:
        rate = rate_of(TOKEN_FAILURES)
        if rate is not None:
            hit(self.key(request), rate[1])
