"""How every answer goes out: JSON with absolute links. (A bad parameter or a missing
collection or item becomes an OGC exception in geo/errors.py.)"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def absolute_url(request: HttpRequest, name: str, *args: str | int, query: str = "") -> str:
    return request.build_absolute_uri(reverse(name, args=args)) + (f"?{query}" if query else "")


def json_response(data: object, request: HttpRequest, status: int = 200,
                  content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), status=status,
                        content_type=content_type)
