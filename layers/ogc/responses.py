"""How every answer goes out: JSON with absolute links, and a bad parameter or a missing
collection or item as an OGC exception, not an HTML page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from layers.exceptions import BadParameter

GEOJSON = "application/geo+json"


def _url(request: HttpRequest, name: str, *args, query: str = "") -> str:
    return request.build_absolute_uri(reverse(name, args=args)) + (f"?{query}" if query else "")


def _json(data, request: HttpRequest, status: int = 200, content_type="application/json"):
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), status=status,
                        content_type=content_type)


def _bad(exc: BadParameter) -> JsonResponse:
    return JsonResponse({"code": "InvalidParameterValue", "description": str(exc)}, status=400)


def _not_found(exc: Http404) -> JsonResponse:
    return JsonResponse({"code": "NotFound", "description": str(exc) or "not found"},
                        status=404)


def ogc_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A bad parameter or a missing collection or item as an OGC exception (JSON with
    ``code`` and ``description``), not Django's HTML page: OGC API clients read the JSON."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return _bad(exc)
        except Http404 as exc:
            return _not_found(exc)
    return wrapped
