"""API tokens in the admin: to see whose tokens exist and revoke one (delete it). Tokens
are made by their owners (POST /api/tokens/ or ``manage.py api_token``), which is where
the token's text is shown, once; the admin never has it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("token_key", "user", "name", "scope", "created", "expiry")
    list_filter = ("scope",)
    search_fields = ("token_key", "user__username", "name")
    fields = ("token_key", "user", "name", "scope", "created", "expiry")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
