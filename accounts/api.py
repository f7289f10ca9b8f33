"""A user's own API tokens: list, make, revoke (GET/POST /api/tokens/,
DELETE /api/tokens/{key}/). Signed in by a token (a write token to make or revoke one), the
site's session, or a username and password (HTTP Basic, counted by the sign-in lockout)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.auth import PasswordAuthentication, ScopedTokenAuthentication
from accounts.models import ApiToken, Scope
from geo.errors import BadParameter, NotFound


def token_dict(token: ApiToken) -> dict[str, Any]:
    return {"key": token.token_key, "name": token.name, "scope": token.scope,
            "created": token.created, "expiry": token.expiry}


SIGN_INS = [ScopedTokenAuthentication, SessionAuthentication, PasswordAuthentication]


class Tokens(APIView):
    authentication_classes = SIGN_INS
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Your API tokens")
    def get(self, request: Request) -> Response:
        tokens = services.tokens_of(cast(User, request.user))
        return Response({"tokens": [token_dict(t) for t in tokens]})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Make an API token: name, scope (read or write), days")
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        scope = data.get("scope", Scope.READ)
        if scope not in Scope.values:
            raise BadParameter("scope", _("read or write"))
        name = data.get("name", "")
        if not isinstance(name, str) or len(name) > 100:
            raise BadParameter("name", _("a text of at most 100 characters"))
        days = data.get("days")
        try:
            days = services.token_days_check(None if days in (None, "") else int(days))
        except (TypeError, ValueError):
            raise BadParameter("days", _("a whole number of days from 1 to %(max)s")
                               % {"max": settings.ATLAS_API_TOKEN_MAX_DAYS}) from None
        token, text = services.token_create(user=cast(User, request.user), scope=scope, name=name,
                                            days=days)
        return Response({"token": text, **token_dict(token)}, status=201)


class TokenDetail(APIView):
    authentication_classes = SIGN_INS
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Revoke one of your API tokens")
    def delete(self, request: Request, key: str) -> Response:
        if not services.token_revoke(user=cast(User, request.user), key=key):
            raise NotFound(_("you have no token %(key)s") % {"key": key})
        return Response(status=204)
