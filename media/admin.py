"""Photos in the admin: an inline that any owner's admin adds (layers' attractions,
actors' listings), and a list of every item for superusers.

The inline's upload goes through the same checks as every other path (media/images.py):
a refused file is a form error on the field and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geo.errors import AtlasError, InvalidFields
from media.images import PreparedImage, prepare_image
from media.models import MediaItem
from media.services import files_write, upload_bytes


class PhotoForm(forms.ModelForm):
    upload = forms.FileField(label=_("image file"), required=False,
                             help_text=_("JPEG, PNG or WebP. Its location data is removed."))

    class Meta:
        model = MediaItem
        fields = ("upload", "author", "licence", "caption_bg", "caption_el", "caption_fr",
                  "caption_en", "position")

    prepared: PreparedImage | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is None:
            if not self.instance.pk:
                self.add_error("upload", _("Choose an image file."))
            return data
        try:
            self.prepared = prepare_image(upload_bytes(upload), upload.content_type or "")
        except InvalidFields as exc:
            self.add_error("upload", [str(m) for m in exc.fields.get("file", [exc])])
        except AtlasError as exc:
            self.add_error("upload", str(exc))
        return data

    def save(self, commit: bool = True) -> MediaItem:
        item = super().save(commit=False)
        if self.prepared is not None:
            files_write(item, self.prepared)
            self.prepared = None
        if commit:
            item.save()
        return item


class PhotoInline(GenericTabularInline):
    """Add to an admin's ``inlines``; the owner's admin decides who reaches the owner."""

    model = MediaItem
    form = PhotoForm
    ct_field = "owner_type"
    ct_fk_field = "owner_id"
    extra = 0
    readonly_fields = ("preview",)
    fields = ("preview", "upload", "author", "licence", "caption_bg", "caption_el",
              "caption_fr", "caption_en", "position")

    # Whoever may change the owner may change its photos: the owner's admin, scoped to
    # the user's partners, decides (no permission of this app's own to grant).
    def owner_admin(self) -> Any:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.owner_admin().has_view_permission(request, obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.owner_admin().has_change_permission(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.owner_admin().has_change_permission(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.owner_admin().has_change_permission(request, obj))

    @admin.display(description=_("photo"))
    def preview(self, item: MediaItem) -> str:
        if not item.pk or "160" not in item.renditions:
            return ""
        return format_html('<img src="{}" alt="" width="80">', item.url("160"))


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    """Every item, whoever owns it: for superusers only (editors reach photos through
    their own objects' pages)."""

    list_display = ("uid", "owner_type", "owner_id", "author", "licence", "created_at")
    list_filter = ("owner_type", "licence")
    readonly_fields = ("uid", "owner_type", "owner_id", "mime_type", "original", "width",
                       "height", "size_bytes", "sha256", "uploaded_by")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)
