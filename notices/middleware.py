"""Remembering the language a signed-in user reads the site in, for their e-mail."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from geo.i18n import LANGUAGE_CODES
from notices.languages import reader_language_set

SESSION_KEY = "notices_language"


class RememberLanguage:
    """A signed-in user's explicit choice of language (``?lang=``, as the header's
    language links and shared links carry it) is kept for their e-mail. The session
    remembers what was kept, so a page in the same language writes nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.GET.get("lang")
        user = getattr(request, "user", None)
        if (lang in LANGUAGE_CODES and user is not None and user.is_authenticated
                and request.session.get(SESSION_KEY) != lang):
            reader_language_set(user=user, language=lang)
            request.session[SESSION_KEY] = lang
        return self.get_response(request)
