"""Site-wide middleware."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from geo.errors import (
    OGC_PREFIX,
    AtlasError,
    BadParameter,
    as_atlas_error,
    database_unavailable,
    error_response,
    wants_json,
)
from geo.i18n import LANGUAGE_CODES


class LanguageFromQuery:
    """``?lang=bg`` chooses the interface language, and is remembered for the next pages.

    A shared link carries its language in the URL, so the person who opens it
    sees what the sender saw. Django's LocaleMiddleware (before this one) has
    already chosen from the cookie or Accept-Language; an explicit ``lang`` wins.
    Only HTML pages set the cookie: the API takes ``lang`` per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.GET.get("lang")
        if lang in LANGUAGE_CODES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        if (lang in LANGUAGE_CODES
                and response.get("Content-Type", "").startswith("text/html")
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != lang):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang,
                                max_age=settings.LANGUAGE_COOKIE_AGE,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                                secure=settings.LANGUAGE_COOKIE_SECURE)
        return response


class RefuseNulInQuery:
    """A NUL character in the path, or in any query parameter of the API, OGC API or
    tiles, is a 400.

    PostgreSQL text cannot hold NUL: a value reaching a query raised a DataError (500)
    — a collection named ``%00``, a slug in a page's path — and every parameter of every
    endpoint would otherwise need its own check. Each client gets the shape it reads
    (geo/errors.py).
    """

    PREFIXES = ("/api/", "/ogc/", "/tiles/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\0" in request.path:
            return error_response(request, BadParameter("path", "contains a NUL character"))
        if request.path.startswith(self.PREFIXES):
            for name, values in request.GET.lists():
                if "\0" in name or any("\0" in v for v in values):
                    shown = name.replace("\0", "\\0")
                    return error_response(request,
                                          BadParameter(shown, "contains a NUL character"))
        return self.get_response(request)


class AtlasErrors:
    """Every error a view lets escape, answered by ``geo.errors.error_response``: the
    family's anywhere, Django's 404 and 403 where the client reads JSON (a page's
    404 and 403 are Django's handlers', branded by the site's templates), and a database
    that refuses connections as a 503 everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # Under /ogc/ the site's error page too (a browser's): it varies on Accept.
        if isinstance(exc, AtlasError) or wants_json(request) or request.path.startswith(
                OGC_PREFIX):
            found = as_atlas_error(exc)
            if found is not None:
                return error_response(request, found)
        unavailable = database_unavailable(exc)
        if unavailable is not None:
            return error_response(request, unavailable)
        return None


class DatabaseTimeouts:
    """Bounds on what one web request may ask of the database: ``statement_timeout``
    (ATLAS_WEB_STATEMENT_TIMEOUT seconds) and ``lock_timeout`` (ATLAS_WEB_LOCK_TIMEOUT).

    A request that met a long statement or a held lock kept its gunicorn worker until the
    worker was killed, and the database went on for a client that was gone (Trust D5, D9):
    long work runs in the background worker (importers.jobs), which has no such bound. The
    statement cut is a 503 (``AtlasErrors``: the database's refusal), never a 500.

    Set once on each of the web process's pooled connections, just before the first query
    of the first request that takes it (a request that reads no database, as an error
    page, touches none), and kept with it: every request of the process runs under the
    same bounds, and a SET before and a RESET after each request were two round trips of
    a tile's few (issue 20, item 7). Other processes (the worker, commands) never pass
    here, so their connections stay unbounded. A SET made inside a transaction is undone
    with it if that rolls back: then it is not remembered, and the next request sets it
    again. A view that needs another bound sets it with ``SET LOCAL`` in its transaction.
    """

    SET = ("SELECT set_config('statement_timeout', %s, false), "
           "set_config('lock_timeout', %s, false)")
    # Each pooled connection (psycopg's, which the pool hands out again) and the bounds
    # it carries.
    _bounded: weakref.WeakKeyDictionary[Any, tuple[str, str]] = weakref.WeakKeyDictionary()

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        values = (f"{int(settings.ATLAS_WEB_STATEMENT_TIMEOUT * 1000)}ms",
                  f"{int(settings.ATLAS_WEB_LOCK_TIMEOUT * 1000)}ms")
        checked = False

        def first_sets_them(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                            context: dict[str, Any]) -> Any:
            nonlocal checked
            if not checked:
                checked = True  # before: the SET goes through this wrapper too
                raw = connection.connection
                if raw is None or self._bounded.get(raw) != values:
                    context["cursor"].execute(self.SET, list(values))
                    if raw is not None and not connection.in_atomic_block:
                        self._bounded[raw] = values
            return execute(sql, params, many, context)

        with connection.execute_wrapper(first_sets_them):
            return self.get_response(request)

    @classmethod
    def unbound(cls) -> None:
        """Take the bounds off every connection that requests left them on, if it is idle:
        for a process that serves requests and then does other work on the same pool (the
        test suite, whose jobs run in-process, unbounded as in the worker)."""
        import psycopg

        for raw in list(cls._bounded):
            cls._bounded.pop(raw, None)
            if (not raw.closed and raw.autocommit
                    and raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE):
                raw.execute("RESET statement_timeout; RESET lock_timeout")
