"""Rate limits: how many requests a client may make in a window, per scope, over the site.

The REST framework's throttle interface (``allow_request``, ``wait``), with the counts
kept in PostgreSQL (``RateCount``) and counted up by one atomic statement: every gunicorn
worker sees the same counts, and requests that arrive together are all counted. (The
framework's own throttles read a list from a cache and write it back: concurrent requests
overwrite each other's counts, and a browser's parallel requests were counted half.)
A window is fixed: it starts with a client's first request and ends ``period`` later.

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
from contextlib import nullcontext
from typing import Any

from django.conf import settings
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


def hit(key: str, seconds: int) -> tuple[int, float]:
    """Count one request of ``key`` in its window of ``seconds``: (requests in the window,
    this one included; seconds until the window ends). A database that answers but cannot
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
                VALUES (%s, clock_timestamp() + make_interval(secs => %s), 1)
                ON CONFLICT (key) DO UPDATE SET
                    hits = CASE WHEN c.window_end <= clock_timestamp() THEN 1
                                ELSE c.hits + 1 END,
                    window_end = CASE WHEN c.window_end <= clock_timestamp()
                                      THEN EXCLUDED.window_end ELSE c.window_end END
                RETURNING hits, EXTRACT(EPOCH FROM window_end - clock_timestamp())::float
                """, [key, seconds])
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
        hits, self.left = hit(f"{self.scope}:{client}", seconds)
        return hits <= limit

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
