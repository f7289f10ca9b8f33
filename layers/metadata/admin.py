"""The metadata records in the admin: the part of a layer's record its partner writes
(keywords in four languages, update frequency, contact). The rest of the record is read
from the layer and shown here as it will be published.

Who: the staff members of the layer's partner's editors *or moderators* group (and
superusers). Moderators publish a layer (decision 0017) and vouch for what its record
says, so they may correct it; they need no other admin permission for it, which is why
this admin asks the roles rather than Django's model permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from layers.models import Layer, LayerMetadata, Partner
from layers.permissions import may_edit_data


def metadata_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    """Partners whose layers' records ``user`` writes: every partner for an active
    superuser; for active staff, those whose editors or moderators group they are in."""
    if not may_edit_data(user):
        return Partner.objects.none()
    if getattr(user, "is_superuser", False):
        return Partner.objects.all()
    return Partner.objects.filter(Q(editors__user=user) | Q(moderators__user=user)).distinct()


class LayerMetadataAdmin(TranslationAdmin[LayerMetadata]):
    list_display = ("layer", "partner", "update_frequency", "contact_name", "updated_at")
    list_select_related = ("layer__partner",)
    search_fields = ("layer__slug", "layer__title_bg", "layer__title_el", "layer__title_fr",
                     "layer__title_en", "keywords_bg", "keywords_el", "keywords_fr",
                     "keywords_en")
    readonly_fields = ("from_the_layer",)

    @admin.display(description=_("partner"), ordering="layer__partner__slug")
    def partner(self, obj: LayerMetadata) -> str:
        return str(obj.layer.partner)

    @admin.display(description=_("from the layer"))
    def from_the_layer(self, obj: LayerMetadata) -> str:
        if obj.pk is None:
            return "–"
        layer = obj.layer
        return format_html(
            "{}: {}<br>{}: {}<br>{}: {}<br>{}: {}",
            _("title"), layer.title or "–", _("description"), layer.description or "–",
            _("licence"), layer.licence or "–", _("source"), layer.source or "–")

    def get_queryset(self, request: HttpRequest) -> QuerySet[LayerMetadata]:
        return super().get_queryset(request).filter(
            layer__partner__in=metadata_partners(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> ModelChoiceField[Any] | None:
        if db_field.name == "layer":
            kwargs["queryset"] = Layer.objects.filter(
                partner__in=metadata_partners(request.user), metadata__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest,
                            obj: LayerMetadata | None = None) -> tuple[str, ...]:
        # A record stays its layer's: the layer is chosen once, when it is added.
        return (*self.readonly_fields, "layer") if obj is not None else self.readonly_fields

    def _writes(self, request: HttpRequest, obj: LayerMetadata | None) -> bool:
        partners = metadata_partners(request.user)
        if obj is None:
            return partners.exists()
        return partners.filter(pk=obj.layer.partner_id).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._writes(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._writes(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writes(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a record leaves a layer without keywords or contact; it is cleared
        # field by field instead, and goes with its layer.
        return False


admin.site.register(LayerMetadata, LayerMetadataAdmin)
