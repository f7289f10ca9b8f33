"""What a client locked out by django-axes gets: the site's own 429, in its language and
shape (a page for a person at the sign-in form), with Retry-After."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from geo.errors import TooManyRequests, error_response


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else 3600
    minutes = max(1, math.ceil(seconds / 60))
    message = _("Too many failed sign-ins for this account from your address: signing in "
                "is locked for %(minutes)s minutes.") % {"minutes": minutes}
    return error_response(request, TooManyRequests(message, seconds))
