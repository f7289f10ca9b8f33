"""Who made a change, and which requests were refused.

Every write request runs inside pghistory's context: the events the triggers record carry
the user's id, the address and the method. A user that the REST framework authenticates
only in the view (a token) is added when it is set on the request, as pghistory's own
middleware does. A 403 answer, from the admin, the API or a page, is kept as a refused
attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pghistory
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponseBase

from audit.services import denial_record

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _TracksUser(WSGIRequest):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "user":
            pghistory.context(user=getattr(value, "pk", None))
        super().__setattr__(name, value)


class AuditContext:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in WRITES:
            user = getattr(request, "user", None)
            with pghistory.context(user=getattr(user, "pk", None), url=request.path,
                                   method=request.method):
                if type(request) is WSGIRequest:
                    request.__class__ = _TracksUser
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if response.status_code == 403:
            denial_record(user=getattr(request, "user", None), request=request, status=403,
                          what=_reason(response))
        return response


def _reason(response: HttpResponseBase) -> str:
    """What the answer said, when it said it briefly (an API's error), else nothing."""
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        return str(data.get("error") or data.get("detail") or "")[:500]
    return ""
