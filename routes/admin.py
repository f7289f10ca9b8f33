"""Pilot routes in the admin: stops and legs inline, metrics shown read-only.

An editor sees and changes the routes of their partners (a route crossing
partners is shared by their editors), and deletes those that are only their
partners'. A stop or a leg's trail is a feature the editor may see: public, or of
a partner they edit (Trust D3, D13); a row keeps the feature it has. Saving a
shared route keeps the partners the editor does not edit (D4). Metrics are
recomputed when the form's stops and legs are saved (routes/signals.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from layers.admin import visible_layers
from layers.models import Attraction, Partner, Trail
from layers.permissions import editable_partners
from routes.difficulty import difficulty_reason
from routes.models import PilotRoute, RouteLeg, RouteStop
from routes.selectors import hidden_legs, hidden_stops


class KeepsItsFeature(forms.ModelForm):
    """A row offers the features the editor may see, and the one it has.

    Another partner's editor (or a superuser) may have put a feature there that this
    editor cannot see; the row keeps it when the route is saved, rather than refusing
    the whole form, but cannot be changed to such a feature.
    """

    features: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.features:
            field = self.fields.get(name)
            current = getattr(self.instance, f"{name}_id", None)
            if (current is not None and isinstance(field, ModelChoiceField)
                    and field.queryset is not None):
                model = field.queryset.model
                field.queryset = field.queryset | model._default_manager.filter(pk=current)


class StopForm(KeepsItsFeature):
    features = ("attraction",)


class LegForm(KeepsItsFeature):
    features = ("trail",)


def _visible_features(db_field: ForeignKey[Any, Any], request: HttpRequest,
                      kwargs: dict[str, Any]) -> None:
    if db_field.name == "attraction":
        kwargs["queryset"] = Attraction.objects.filter(layer__in=visible_layers(request.user))
    elif db_field.name == "trail":
        kwargs["queryset"] = Trail.objects.filter(layer__in=visible_layers(request.user))


class StopInline(TranslationTabularInline[RouteStop, PilotRoute]):
    model = RouteStop
    form = StopForm
    extra = 1
    autocomplete_fields = ("attraction",)
    fields = ("order", "attraction", "suggested_min", "note")

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> ModelChoiceField[Any] | None:
        _visible_features(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LegInline(admin.TabularInline[RouteLeg, PilotRoute]):
    model = RouteLeg
    form = LegForm
    extra = 1
    autocomplete_fields = ("trail",)

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> ModelChoiceField[Any] | None:
        _visible_features(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
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
                       "stops_min", "duration_min", "difficulty", "why_difficulty",
                       "not_public", "updated_at")

    @admin.display(description=_("length (km)"), ordering="length_m")
    def length_km(self, obj: PilotRoute) -> str:
        return f"{obj.length_m / 1000:.1f}" if obj.length_m is not None else "–"

    @admin.display(description=_("why this difficulty"))
    def why_difficulty(self, obj: PilotRoute | None) -> str:
        return difficulty_reason(obj.difficulty_basis, "en") if obj else ""

    @admin.display(description=_("not shown to the public"))
    def not_public(self, obj: PilotRoute | None) -> str:
        """Why the public route misses stops or legs (routes/selectors.py): say it here."""
        if obj is None or obj.pk is None:
            return ""
        stops, legs = hidden_stops(obj.pk), hidden_legs(obj.pk)
        if not stops and not legs:
            return "–"
        return _("stops %(stops)s and legs %(legs)s: an attraction or a trail they use is "
                 "not public") % {"stops": ", ".join(map(str, sorted(stops))) or "–",
                                  "legs": ", ".join(map(str, sorted(legs))) or "–"}

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

    def save_related(self, request: HttpRequest, form: forms.ModelForm[PilotRoute],
                     formsets: Any, change: bool) -> None:
        # The partners field offers only the editor's partners: the route's other
        # partners are not theirs to remove (D4), so they are kept.
        if change and "partners" in form.cleaned_data:
            others = form.instance.partners.exclude(pk__in=editable_partners(request.user))
            form.cleaned_data["partners"] = Partner.objects.filter(
                pk__in=[p.pk for p in form.cleaned_data["partners"]]
                + list(others.values_list("pk", flat=True)))
        super().save_related(request, form, formsets, change)

    def _owns(self, request: HttpRequest, obj: PilotRoute | None) -> bool:
        return obj is None or request.user.is_superuser or obj.partners.filter(
            pk__in=editable_partners(request.user)).exists()

    def has_view_permission(self, request: HttpRequest, obj: PilotRoute | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: PilotRoute | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PilotRoute | None = None) -> bool:
        # Deleting a route shared with another partner would delete it for them too.
        return super().has_delete_permission(request, obj) and (
            obj is None or request.user.is_superuser
            or not obj.partners.exclude(pk__in=editable_partners(request.user)).exists())
