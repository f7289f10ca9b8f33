"""Site-wide middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

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
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


class RefuseNulInQuery:
    """A NUL character in any query parameter of the API, OGC API or tiles is a 400.

    PostgreSQL text cannot hold NUL: a value reaching a query raised a DataError (500),
    and every parameter of every endpoint would otherwise need its own check. OGC API
    clients get the OGC exception shape, the others the API's ``error``/``parameter``.
    """

    PREFIXES = ("/api/", "/ogc/", "/tiles/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.PREFIXES):
            for name, values in request.GET.lists():
                if "\0" in name or any("\0" in v for v in values):
                    shown = name.replace("\0", "\\0")
                    message = f"{shown}: contains a NUL character"
                    if request.path.startswith("/ogc/"):
                        return JsonResponse({"code": "InvalidParameterValue",
                                             "description": message}, status=400)
                    return JsonResponse({"error": message, "parameter": shown}, status=400)
        return self.get_response(request)
