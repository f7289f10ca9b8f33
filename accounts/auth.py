"""Token sign-in for the API: django-rest-knox's hashed, expiring tokens, with a scope.

- A token of the read scope reads: any other method is refused (403) whatever the view,
  so a leaked read token can neither import, undo nor compose (Trust D16).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.models import Scope
from geo.errors import Forbidden


class ScopedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.authenticate_header(request).encode().lower():
            return None
        found = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        if token.scope != Scope.WRITE and request.method not in SAFE_METHODS:
            raise Forbidden(_("this token may only read: a token with the write scope "
                              "imports, undoes and composes"))
        return user, token
