"""Token sign-in for the API: django-rest-knox's hashed, expiring tokens, with a scope, and
a limit on failed attempts.

- A token of the read scope reads: any other method is refused (403) whatever the view,
  so a leaked read token can neither import, undo nor compose (Trust D16).
- An address that sent ``token_failures`` wrong tokens within the window is answered 429
  without its tokens being looked at, until the window has passed (Trust D7).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework.authentication import BasicAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.models import Scope
from accounts.throttles import FailedTokens
from geo.errors import Forbidden


class ScopedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.authenticate_header(request).encode().lower():
            return None
        failures = FailedTokens()
        failures.check(request)
        try:
            found = super().authenticate(request)
        except AuthenticationFailed:
            failures.record(request)
            raise
        if found is None:
            return None
        user, token = found
        if token.scope != Scope.WRITE and request.method not in SAFE_METHODS:
            raise Forbidden(_("this token may only read: a token with the write scope "
                              "imports, undoes and composes"))
        return user, token


class PasswordAuthentication(BasicAuthentication):
    """A username and password (HTTP Basic), for a user's own tokens only (/api/tokens/):
    how a script gets its first token. Each attempt is counted by django-axes as the
    sign-in form's are, so a locked-out pair is answered 429 here too."""

    def authenticate_credentials(self, userid: str, password: str,
                                 request: Any = None) -> tuple[Any, Any]:
        # axes marks the request it is given as locked out, and its middleware reads the
        # mark on Django's request, which the REST framework's wraps.
        django_request = getattr(request, "_request", request)
        return super().authenticate_credentials(userid, password, django_request)
