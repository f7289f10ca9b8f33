"""The methods a read-only endpoint answers: GET and HEAD (RFC 9110 §9.3.2: a server
that answers GET answers HEAD), and OPTIONS with what it allows.

A browser's CORS preflight is answered before any view (``corsheaders`` in the
settings); a plain OPTIONS reaches the view, which says which methods it takes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

View = Callable[..., HttpResponse]


def read_only(view: View) -> View:
    """Let ``view`` answer GET and HEAD (the GET's headers, its length, no body), OPTIONS
    with ``Allow``, and any other method with a 405 that says what it allows."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(SAFE_METHODS)
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming:
            # Not every WSGI server drops a HEAD's body by itself.
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapped


HTML = "text/html"
# What a data client asks for, in the order a tie goes: a client that names no type
# (OWSLib sends */*, curl and scripts nothing) gets JSON, as before HTML existed.
DATA_TYPES = ("application/json", "application/geo+json")


def prefers_html(request: HttpRequest, param: str = "f") -> bool:
    """Whether the client asks for the HTML representation: ``?f=html``, or (no ``f``) an
    Accept header that puts ``text/html`` above JSON, as browsers do. GDAL (``Accept:
    application/json`` or ``application/geo+json, application/json``), QGIS and OWSLib
    (``*/*``) get JSON."""
    asked = request.GET.get(param)
    if asked is not None:
        return asked == "html"
    return request.get_preferred_type([*DATA_TYPES, HTML]) == HTML
