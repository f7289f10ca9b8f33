"""Sub-area layers in the admin, scoped to the partners a user edits (as layers are)."""

from __future__ import annotations

from django.contrib import admin

from coverage.models import AreaLayer
from layers.admin import editable_partners
from layers.models import Layer
from layers.vocabulary import LayerKind


@admin.register(AreaLayer)
class AreaLayerAdmin(admin.ModelAdmin):
    list_display = ("layer", "partner", "created_at")
    list_select_related = ("layer__partner",)

    @admin.display(description="partner", ordering="layer__partner__slug")
    def partner(self, obj: AreaLayer) -> str:
        return obj.layer.partner.slug

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(layer__partner__in=editable_partners(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "layer":
            kwargs["queryset"] = Layer.objects.filter(
                kind=LayerKind.ATTRACTIONS, partner__in=editable_partners(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
