"""Rate limits for what the REST framework does not serve itself."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.throttles import TILES, AnonThrottle, AtlasThrottle, UserThrottle, check
from geo.errors import TooManyRequests, error_response


class ThrottleRequests:
    """Pages, the OGC API and tiles counted against the client's limits (the API's views
    count their own requests, after their authentication), answered 429 over them in the
    client's shape (geo/errors.py).

    Tiles have a scope of their own: a map asks for dozens at each move, and they must
    neither eat a visitor's budget for pages and the API nor go unbounded (Trust D7).
    Static files are served before this (WhiteNoise) and never counted.
    """

    UNCOUNTED = ("/api/", "/static/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.UNCOUNTED):
            try:
                if request.path.startswith("/tiles/"):
                    check(request, AtlasThrottle(TILES))
                else:
                    check(request, AnonThrottle(), UserThrottle())
            except TooManyRequests as exc:
                return error_response(request, exc)
        return self.get_response(request)
