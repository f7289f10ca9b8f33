"""The platform's one error family, and the one place that shapes an error for a client.

Code anywhere raises an ``AtlasError`` (or Django's ``Http404``/``PermissionDenied``);
``error_response`` answers in the shape its client reads, chosen by the path:

- ``/ogc/``: an OGC API exception, ``{"code": ..., "description": ...}``;
- ``/api/`` and ``/tiles/``: the API's ``{"error": ..., "parameter": ...}``;
- pages: the site's HTML error page (templates ``400.html``, ``403.html``, ``404.html``,
  ``429.html``, ``503.html``), in the page's language.

``geo.middleware.AtlasErrors`` sends every error a view lets escape here; the REST
framework's views reach it through ``drf_exception_handler`` (REST_FRAMEWORK's
EXCEPTION_HANDLER), and unknown URLs through ``config.urls.handler404``.

A database that refuses connections, or drops them (stopped, restarting, out of
connections, the pool's wait over), is a 503 with ``Retry-After`` in every shape, wherever
it was met: in a view, or in the middleware (``config.urls.handler500`` asks
``database_unavailable``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.response import Response

from geo.http import prefers_html

log = logging.getLogger(__name__)
JSON_PREFIXES = ("/api/", "/tiles/")
OGC_PREFIX = "/ogc/"
# Seconds: a restarting database is back in a few, an overload over in less.
RETRY_AFTER = "30"


class AtlasError(Exception):
    """An answer other than success that the client can act on. ``str()`` is the message
    in the active language (a message may be a lazy or an importers ``Message``)."""

    status = 400
    ogc_code = "InvalidParameterValue"

    def __init__(self, message: Any):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)

    def body(self) -> dict[str, Any]:
        """What the JSON answer carries besides ``error``."""
        return {}


class BadParameter(AtlasError, ValueError):
    """A request parameter a client got wrong; the message names it and says why."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.reason = message

    def body(self) -> dict[str, Any]:
        return {"parameter": self.param}


class Refused(AtlasError, ValueError):
    """The request as a whole cannot be done (a file that cannot be imported, a layer of
    another kind); the message says why and what to do."""


class RowErrors(AtlasError, ValueError):
    """Some rows of an input are invalid, and nothing was written; ``issues`` lists them
    (file, row, field, reason)."""

    def __init__(self, message: Any, issues: list):
        super().__init__(message)
        self.issues = issues

    def body(self) -> dict[str, Any]:
        return {"issues": [i.shown() if hasattr(i, "shown") else i for i in self.issues]}


class InvalidFields(AtlasError, ValueError):
    """A form's fields, some invalid: ``fields`` maps each to its messages."""

    def __init__(self, fields: Mapping[str, Sequence[object]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in fields.items()))
        self.fields = fields

    def body(self) -> dict[str, Any]:
        return {"fields": self.fields}


class Forbidden(AtlasError):
    status = 403
    ogc_code = "Forbidden"


class NotFound(AtlasError):
    status = 404
    ogc_code = "NotFound"


class TooLarge(AtlasError):
    status = 413
    ogc_code = "PayloadTooLarge"


class Conflict(AtlasError):
    status = 409
    ogc_code = "Conflict"


class TooManyRequests(AtlasError):
    """A client over its rate limit, or locked out after failed sign-ins: try again after
    ``retry_after`` seconds (the Retry-After header says so)."""

    status = 429
    ogc_code = "TooManyRequests"

    def __init__(self, message: Any, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, retry_after)

    def body(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


class ServerError(AtlasError):
    """Our fault: logged where it happened, never shown (its text may hold SQL)."""

    status = 500
    ogc_code = "ServerError"


class Unavailable(AtlasError):
    """The database (or another part the answer needs) is down: try again later."""

    status = 503
    ogc_code = "ServiceUnavailable"


def database_unavailable(exc: BaseException | None) -> Unavailable | None:
    """The database's refusal as a 503 (None: another error). It is logged here, once: an
    operator needs to know, the client only to come back."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    log.error("database unavailable: %s", str(exc).strip())
    return Unavailable(_("The database is unavailable; please try again in a minute."))


def as_atlas_error(exc: Exception) -> AtlasError | None:
    """Django's own refusals as the family's (None: not an error for a client)."""
    if isinstance(exc, AtlasError):
        return exc
    if isinstance(exc, Http404):
        return NotFound(str(exc) or "not found")
    if isinstance(exc, PermissionDenied):
        return Forbidden(str(exc) or "forbidden")
    return None


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith(OGC_PREFIX):
        # The OGC API answers a browser in HTML (``f=html``), and its errors too.
        return not prefers_html(request)
    return request.path.startswith(JSON_PREFIXES)


def json_body(request: HttpRequest, exc: AtlasError) -> dict[str, Any]:
    """The error as the JSON its client reads (the OGC API's, or the API's)."""
    if request.path.startswith(OGC_PREFIX):
        return {"code": exc.ogc_code, "description": str(exc)}
    return {"error": str(exc), **exc.body()}


def error_response(request: HttpRequest, exc: AtlasError) -> HttpResponse:
    """One error, in the shape and language its client reads."""
    if wants_json(request):
        response: HttpResponse = JsonResponse(json_body(request, exc), status=exc.status)
    else:
        html: str
        try:
            if exc.status >= 500:
                # Without the context processors: they read the user, and so the
                # database, which may be what failed.
                html = loader.get_template(f"{exc.status}.html").render(
                    {"reason": str(exc), "request": request})
            else:
                html = render_to_string(f"{exc.status}.html", {"reason": str(exc)},
                                        request=request)
        except TemplateDoesNotExist:
            html = f"<!DOCTYPE html><title>{exc.status}</title><p>{exc.status}</p>"
        response = HttpResponse(html, status=exc.status)
    if exc.status == 503:
        response["Retry-After"] = RETRY_AFTER
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    if request.path.startswith(OGC_PREFIX):
        patch_vary_headers(response, ["Accept"])  # the page or the exception, by Accept
    return response


def drf_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The REST framework's errors: the family's as everywhere else; a database error is
    logged and never shown (its text may hold SQL); the framework's own (authentication,
    parsing, methods) as it shapes them."""
    if isinstance(exc, RecursionError):
        # A JSON body nested thousands deep: Python's parser gives up, the client's fault.
        exc = BadParameter("body", "nested too deeply")
    if isinstance(exc, Throttled):
        seconds = math.ceil(getattr(exc, "wait", None) or 1)
        exc = TooManyRequests(_("too many requests: try again in %(seconds)s s")
                              % {"seconds": seconds}, seconds)
    found = as_atlas_error(exc)
    request = context.get("request")
    if found is None:
        found = database_unavailable(exc)
    if found is not None and request is not None:
        response = Response(json_body(request, found), status=found.status)
        if found.status == 503:
            response["Retry-After"] = RETRY_AFTER
        if isinstance(found, TooManyRequests):
            response["Retry-After"] = str(found.retry_after)
        return response
    if isinstance(exc, DatabaseError):
        log.exception("database error in %s", context.get("view"))
        return Response({"error": "internal error; it has been logged"}, status=500)
    # Imported here: rest_framework.views reads the authentication classes when it is
    # imported, and ours answer with this module's errors.
    from rest_framework.views import exception_handler as rest_exception_handler

    return rest_exception_handler(exc, context)
