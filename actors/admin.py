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

from actors.models import Actor, Decision, Listing, Submission, territory_partner
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
    # The actor is given by an approved submission or claim (actors.services), not chosen.
    readonly_fields = ("uid", "partner", "actor", "created_at", "updated_at")
    list_select_related = ("partner",)

    def get_form(self, request: HttpRequest, obj: Listing | None = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    """Operators see who signed up; actors edit their own profile on the site's pages."""

    list_display = ("organisation", "kind", "user", "verified_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("organisation", "user__email")
    readonly_fields = ("user", "verified_at", "created_at")
    filter_horizontal = ("attractions",)


class DecisionInline(admin.TabularInline[Decision, Submission]):
    model = Decision
    extra = 0
    can_delete = False
    readonly_fields = ("action", "by", "comment", "at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    """The record of actors' submissions and decisions: read here, decided on the site's
    moderation pages (actors.services), where each decision is recorded and told."""

    list_display = ("__str__", "actor", "partner", "state", "updated_at")
    list_filter = ("state", "kind", "partner")
    inlines = (DecisionInline,)
    readonly_fields = ("actor", "kind", "state", "partner", "listing", "attraction", "values",
                       "before", "note", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
