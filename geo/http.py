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
