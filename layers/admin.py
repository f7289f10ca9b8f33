"""Admin with map widgets, scoped so a partner's editors see only their partner.

Superusers see everything. Anyone else sees, and may change, only rows whose
partner's editors group they belong to as staff (``layers.permissions``: the one answer
to who may write); the foreign-key choices offered to
them are narrowed the same way, so they cannot move a feature to another
partner's layer either.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OSMWidget
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from layers.models import Attraction, Layer, Partner, Trail
from layers.permissions import editable_partners
from layers.registry import has_reference_role
from layers.selectors.catalogue import in_uninviting_territories
from layers.services import partner_editors_group_ensure, partner_role_groups_ensure
from layers.vocabulary import LayerKind, Visibility
from media.admin import PhotoInline
from media.models import MediaItem


class AtlasMapWidget(OSMWidget):
    """Django's OpenLayers widget with OpenLayers served by the platform (npm), not a CDN,
    started by a file of the platform's rather than an inline script (CSP)."""

    template_name = "gis/atlas-map-widget.html"

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/dist/ol.js", "gis/js/OLMapWidget.js", "gis/atlas-map-widget.js")


class ColourInput(forms.TextInput):
    """The browser's colour picker, which gives "#rrggbb" as Partner.colour wants it."""

    input_type = "color"


def visible_layers(user: User | AnonymousUser) -> QuerySet[Layer]:
    """Layers whose features ``user`` may see and use (in a route, say): the public ones
    and those of the partners they edit. "Partners only" and private layers of another
    partner are not among them."""
    return Layer.objects.filter(models.Q(visibility=Visibility.PUBLIC)
                                | models.Q(partner__in=editable_partners(user)))


# The admin classes are generic in their model for the type checker; modeltranslation makes
# Django's ModelAdmin subscriptable at run time (as django-stubs-ext would).
_M = TypeVar("_M", bound=models.Model)
_F = TypeVar("_F", bound=Attraction | Trail)


class PartnerScopedAdmin(TranslationAdmin[_M], GISModelAdmin[_M]):
    gis_widget = AtlasMapWidget
    # Django 6's behaviour today: a bare "example.org" means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    partner_path = "partner"
    layer_kind: str | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[_M]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.partner_path}__in": editable_partners(request.user)})

    def formfield_for_foreignkey(self, db_field: models.ForeignKey[Any, Any],
                                 request: HttpRequest,
                                 **kwargs: Any) -> ModelChoiceField[Any] | None:
        if db_field.name == "partner":
            kwargs["queryset"] = editable_partners(request.user)
        elif db_field.name == "layer":
            layers = Layer.objects.filter(partner__in=editable_partners(request.user))
            if self.layer_kind:
                layers = layers.filter(kind=self.layer_kind)
            kwargs["queryset"] = layers
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _owns(self, request: HttpRequest, obj: _M | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        partner: Any = obj
        for step in self.partner_path.split("__"):
            partner = getattr(partner, step)
        return editable_partners(request.user).filter(pk=partner.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Photos and attachments go with their owner, as its PhotoInline lets whoever
        # changes the owner delete them; the media admin, for superusers only, is not
        # asked. Asked, it refused an editor the deletion of any listing, attraction or
        # layer with a photo (403).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(MediaItem._meta.verbose_name)
        return deleted, counts, perms_needed, protected


@admin.register(Partner)
class PartnerAdmin(PartnerScopedAdmin[Partner]):
    partner_path = "pk"
    list_display = ("slug", "name", "territory", "country", "languages", "colour_swatch")
    search_fields = ("slug", "name_bg", "name_el", "name_fr", "name_en")
    readonly_fields = ("editors", "moderators", "members")

    @admin.display(description=_("colour"), ordering="colour")
    def colour_swatch(self, obj: Partner) -> str:
        return format_html('<span style="display:inline-block;width:1em;height:1em;'
                           'vertical-align:middle;background:{}"></span> <code>{}</code>',
                           obj.colour, obj.colour)

    def formfield_for_dbfield(self, db_field: models.Field[Any, Any], request: HttpRequest,
                              **kwargs: Any) -> forms.Field | None:
        if db_field.name == "colour":
            kwargs["widget"] = ColourInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _owns(self, request: HttpRequest, obj: Partner | None) -> bool:
        return obj is None or request.user.is_superuser or (
            editable_partners(request.user).filter(pk=obj.pk).exists())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        qs = Partner.objects.all()
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=editable_partners(request.user))

    # A partner's editors give its consent: whose public features it welcomes in its
    # territory (Trust D14). The rest of its record (name, territory, colour) stays the
    # superusers'; before, the consent was theirs too.
    def has_change_permission(self, request: HttpRequest, obj: Partner | None = None) -> bool:
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return obj is not None and self._owns(request, obj)

    def get_readonly_fields(self, request: HttpRequest,
                            obj: Partner | None = None) -> tuple[str, ...]:
        fixed = tuple(self.readonly_fields)
        if request.user.is_superuser:
            return fixed
        return fixed + tuple(f.name for f in Partner._meta.get_fields()
                             if getattr(f, "editable", False) and f.concrete
                             and f.name not in ("id", "welcomes") and f.name not in fixed)

    def save_model(self, request: HttpRequest, obj: Partner, form: forms.ModelForm[Partner],
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        partner_editors_group_ensure(partner=obj)
        partner_role_groups_ensure(partner=obj)


class LayerForm(forms.ModelForm):
    """The base of the layer admin's form (the admin adds the model and its fields)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Made public: none of its features may lie in a territory whose partner has not
        # welcomed its partner's (Trust D14); an import keeps such a layer partners-only.
        partner = data.get("partner") or getattr(self.instance, "partner", None)
        if (self.instance.pk and data.get("visibility") == Visibility.PUBLIC
                and partner is not None
                and {"visibility", "partner"} & set(self.changed_data)):
            found = in_uninviting_territories(self.instance.pk)
            if found:
                where = "; ".join(
                    _("%(count)s in the territory of %(partner)s") % {"count": n, "partner": name}
                    for name, n in found.items())
                raise forms.ValidationError(
                    _("This layer cannot be public: features lie in territories whose partners "
                      "have not welcomed %(partner)s's public features there (%(where)s). They "
                      "can add %(partner)s to the partners they welcome on their partner page."),
                    params={"partner": partner, "where": where}, code="uninvited")
        return data


@admin.register(Layer)
class LayerAdmin(PartnerScopedAdmin[Layer]):
    form = LayerForm
    list_display = ("slug", "title", "partner", "kind", "visibility", "updated_at")
    list_filter = ("partner", "kind", "visibility")
    search_fields = ("slug", "title_bg", "title_el", "title_fr", "title_en")
    prepopulated_fields = {"slug": ("title_en",)}

    def get_readonly_fields(self, request: HttpRequest,
                            obj: Layer | None = None) -> list[str] | tuple[str, ...]:
        fields = super().get_readonly_fields(request, obj)
        # A layer that a higher app uses as reference data (the planner's sub-areas) is so
        # because of that role, and stops being so when the role is removed there.
        # Unticked here, its polygons would count as attractions while still used so.
        if obj is not None and has_reference_role(obj):
            return (*fields, "reference")
        return fields


class FeatureAdmin(PartnerScopedAdmin[_F]):
    partner_path = "layer__partner"
    search_fields = ("name_bg", "name_el", "name_fr", "name_en", "source_id")
    readonly_fields: ClassVar[tuple[str, ...]] = ("uid", "created_at", "updated_at")
    list_select_related = ("layer__partner",)

    @admin.display(description="partner", ordering="layer__partner__slug")
    def partner(self, obj: _F) -> str:
        return obj.layer.partner.slug


class HoursToCheck(admin.SimpleListFilter):
    """Attractions or listings whose imported hours were not in OpenStreetMap's syntax
    (kept in ``hours_as_given`` by the attraction and listing imports)."""

    title = _("opening hours")
    parameter_name = "hours"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("to-check", _("to rewrite (kept as given)"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "to-check":
            return queryset.exclude(hours_as_given="")
        return queryset


@admin.register(Attraction)
class AttractionAdmin(FeatureAdmin[Attraction]):
    layer_kind = LayerKind.ATTRACTIONS
    inlines = (PhotoInline,)
    list_display = ("name", "category", "partner", "layer", "updated_at")
    # Only the layers the editor sees: another partner's private layer is not named.
    list_filter = ("layer__partner", "category", ("layer", admin.RelatedOnlyFieldListFilter),
                   HoursToCheck)


class TrailForm(forms.ModelForm):
    """The base of the trail admin's form (the admin adds the model and its fields)."""

    def clean_geom(self) -> GEOSGeometry | None:
        """The map widget edits in 2D: an untouched line keeps its stored Z."""
        geom: GEOSGeometry | None = self.cleaned_data.get("geom")
        if self.instance.pk and "geom" not in self.changed_data:
            return self.instance.geom
        return geom


@admin.register(Trail)
class TrailAdmin(FeatureAdmin[Trail]):
    form = TrailForm
    layer_kind = LayerKind.TRAILS
    list_display = ("name", "activity", "difficulty", "length_km", "partner", "layer")
    list_filter = ("layer__partner", "activity", "difficulty",
                   ("layer", admin.RelatedOnlyFieldListFilter))
    readonly_fields = (*FeatureAdmin.readonly_fields, "length_m", "ascent_m", "descent_m",
                       "min_elevation_m", "max_elevation_m", "duration_min", "is_loop")

    @admin.display(description="length (km)", ordering="length_m")
    def length_km(self, obj: Trail) -> str:
        return f"{obj.length_m / 1000:.1f}" if obj.length_m is not None else "–"


# The layers' metadata records (their partner's editors and moderators write them).
import layers.metadata.admin  # noqa: E402, F401
