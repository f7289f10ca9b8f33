"""Listings in the admin: a partner's editors list what lies in their partner's territory.

The partner is never chosen: it is the one whose territory holds the point
(``Listing.clean``). An editor whose point falls in another partner's territory gets a
form error, not another partner's listing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from actors.models import Listing, territory_partner
from layers.admin import PartnerScopedAdmin
from layers.permissions import editable_partners
from media.admin import PhotoInline


class ListingForm(forms.ModelForm):
    """The request's user checks the partner the location gives (``ListingAdmin.get_form``)."""

    user: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        location = data.get("location")
        # Outside every territory is the model's error (Listing.clean).
        partner = territory_partner(location) if location is not None else None
        if partner is not None and self.user is not None \
                and not editable_partners(self.user).filter(pk=partner.pk).exists():
            self.add_error("location", _(
                "This place lies in the territory of %(partner)s: only its editors list "
                "places there.") % {"partner": partner})
        return data


@admin.register(Listing)
class ListingAdmin(PartnerScopedAdmin[Listing]):
    form = ListingForm
    inlines = (PhotoInline,)
    list_display = ("name", "type", "status", "partner", "updated_at")
    list_filter = ("type", "status", "partner")
    search_fields = ("name_bg", "name_el", "name_fr", "name_en")
    readonly_fields = ("uid", "partner", "created_at", "updated_at")
    list_select_related = ("partner",)

    def get_form(self, request: HttpRequest, obj: Listing | None = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})
