"""Sub-area layers in the admin: a partner's editors mark their own partner's layers.

Editors groups hold the layers app's permissions only (``layers.services``); marking a
layer as sub-areas is part of looking after the partner's layers, so it is allowed to
whoever edits the partner, as layers are, without a permission of its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from layers.models import Layer
from layers.permissions import editable_partners
from layers.vocabulary import LayerKind
from planner.models import AreaLayer


@admin.register(AreaLayer)
class AreaLayerAdmin(admin.ModelAdmin[AreaLayer]):
    list_display = ("layer", "partner", "created_at")
    list_select_related = ("layer__partner",)

    @admin.display(description="partner", ordering="layer__partner__slug")
    def partner(self, obj: AreaLayer) -> str:
        return obj.layer.partner.slug

    def get_queryset(self, request: HttpRequest) -> QuerySet[AreaLayer]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(layer__partner__in=editable_partners(request.user))

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> ModelChoiceField[Any] | None:
        if db_field.name == "layer":
            kwargs["queryset"] = Layer.objects.filter(
                kind=LayerKind.ATTRACTIONS, partner__in=editable_partners(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _edits(self, request: HttpRequest, obj: AreaLayer | None = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        partners = editable_partners(user)
        if obj is None:
            return partners.exists()
        return partners.filter(pk=obj.layer.partner_id).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._edits(request)

    def has_view_permission(self, request: HttpRequest, obj: AreaLayer | None = None) -> bool:
        return self._edits(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._edits(request)

    def has_change_permission(self, request: HttpRequest, obj: AreaLayer | None = None) -> bool:
        return self._edits(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: AreaLayer | None = None) -> bool:
        return self._edits(request, obj)
