"""Listings in the admin: a partner's editors list what lies in their partner's territory,
one by one or from a file (Import listings: actors/imports.py).

The partner is never chosen: it is the one whose territory holds the point
(``Listing.clean``). An editor whose point falls in another partner's territory gets a
form error, not another partner's listing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actors.imports import MAX_BYTES, ImportRefused, import_listings
from actors.models import Actor, Decision, Listing, Submission, territory_partner
from layers.admin import HoursToCheck, PartnerScopedAdmin
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


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=format_lazy("{} {}", _(
        "A CSV with longitude and latitude columns (UTF-8, comma or semicolon), or a GeoJSON "
        "of points. Columns are found by their names, e.g. id, name_bg, name_en, type, lon, "
        "lat, opening_hours, phone, email, website, price."), _(
        "Or DATAtourisme's JSON-LD (.jsonld or .json): its points of interest, with their "
        "own fields.")))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"),
                                 required=False)


@admin.register(Listing)
class ListingAdmin(PartnerScopedAdmin[Listing]):
    form = ListingForm
    inlines = (PhotoInline,)
    list_display = ("name", "type", "status", "partner", "updated_at")
    list_filter = ("type", "status", "partner", HoursToCheck)
    search_fields = ("name_bg", "name_el", "name_fr", "name_en")
    # The actor is given by an approved submission or claim (actors.services), not chosen.
    readonly_fields = ("uid", "partner", "actor", "created_at", "updated_at")
    list_select_related = ("partner",)

    def get_form(self, request: HttpRequest, obj: Listing | None = None, change: bool = False,
                 **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_urls(self) -> list[Any]:
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name="actors_listing_import"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        may = self.has_add_permission(request) and editable_partners(request.user).exists()
        return super().changelist_view(request, {
            **(extra_context or {}),
            "import_url": reverse("admin:actors_listing_import") if may else ""})

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Listings from a file, in the user's partners' territories: every row checked,
        then all written or none (actors/imports.py)."""
        if not (self.has_add_permission(request) and editable_partners(request.user).exists()):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report, refused = None, ""
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                refused = str(_("%(file)s is larger than %(mb)s MB.") % {
                    "file": upload.name, "mb": MAX_BYTES // (1024 * 1024)})
            else:
                try:
                    report = import_listings(name=upload.name, data=upload.read(),
                                             user=request.user,
                                             dry_run=form.cleaned_data["dry_run"])
                except ImportRefused as exc:
                    refused = str(exc)
        opts = self.model._meta
        context = {**self.admin_site.each_context(request), "opts": opts, "form": form,
                   "title": _("Import listings"), "report": report, "refused": refused,
                   "changelist": reverse("admin:actors_listing_changelist")}
        request.current_app = self.admin_site.name
        status = 400 if refused or (report is not None and report.problems) else 200
        return TemplateResponse(request, "actors/import.html", context, status=status)


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
