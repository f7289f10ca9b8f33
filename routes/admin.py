"""Pilot routes in the admin: stops and legs inline, metrics shown read-only.

An editor sees and changes the routes of their partners (a route crossing
partners is shared by their editors). Metrics are recomputed when the form's
stops and legs are saved (routes/signals.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from layers.admin import editable_partners
from routes.models import PilotRoute, RouteLeg, RouteStop
from routes.selectors import difficulty_reason


class StopInline(TranslationTabularInline[RouteStop, PilotRoute]):
    model = RouteStop
    extra = 1
    autocomplete_fields = ("attraction",)
    fields = ("order", "attraction", "suggested_min", "note")


class LegInline(admin.TabularInline[RouteLeg, PilotRoute]):
    model = RouteLeg
    extra = 1
    autocomplete_fields = ("trail",)
    fields = ("order", "mode", "source", "trail", "trail_start_m", "trail_end_m", "length_m",
              "duration_min")
    readonly_fields = ("length_m", "duration_min")


@admin.register(PilotRoute)
class PilotRouteAdmin(TranslationAdmin[PilotRoute]):
    list_display = ("slug", "title", "status", "difficulty", "length_km", "duration_min")
    list_filter = ("status", "partners", "difficulty")
    search_fields = ("slug", "title_bg", "title_el", "title_fr", "title_en")
    filter_horizontal = ("partners",)
    inlines = [StopInline, LegInline]
    readonly_fields = ("uid", "transport_modes", "length_m", "ascent_m", "descent_m",
                       "min_elevation_m", "max_elevation_m", "steepest_grade_pct", "moving_min",
                       "stops_min", "duration_min", "difficulty", "why_difficulty", "updated_at")

    @admin.display(description=_("length (km)"), ordering="length_m")
    def length_km(self, obj: PilotRoute) -> str:
        return f"{obj.length_m / 1000:.1f}" if obj.length_m is not None else "–"

    @admin.display(description=_("why this difficulty"))
    def why_difficulty(self, obj: PilotRoute | None) -> str:
        return difficulty_reason(obj.difficulty_basis, "en") if obj else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[PilotRoute]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(partners__in=editable_partners(request.user)).distinct()

    def formfield_for_manytomany(self, db_field: ManyToManyField[Any, Any],
                                 request: HttpRequest,
                                 **kwargs: Any) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name == "partners":
            kwargs["queryset"] = editable_partners(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _owns(self, request: HttpRequest, obj: PilotRoute | None) -> bool:
        return obj is None or request.user.is_superuser or obj.partners.filter(
            pk__in=editable_partners(request.user)).exists()

    def has_change_permission(self, request: HttpRequest, obj: PilotRoute | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PilotRoute | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._owns(request, obj)
