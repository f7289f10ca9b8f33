"""The platform serves its own media: an item's original or one of its renditions.

Files are named by the item's public id and its size only, never by a path the client
gives; each goes out with the type found in its bytes when it was uploaded.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from geo.errors import NotFound
from media.access import owner_is_public, owner_seen_by
from media.models import MediaItem
from media.services import media_root


@require_safe
def media_file(request: HttpRequest, uid: uuid.UUID, size: str) -> FileResponse:
    item = MediaItem.objects.filter(uid=uid).first()
    owner = item.owner if item is not None else None
    public = owner_is_public(owner)
    if item is None or not (public or owner_seen_by(owner, request.user)):
        raise NotFound("no such photo")
    response = item_file(item, size)
    if public:
        patch_cache_control(response, public=True, max_age=7 * 24 * 3600, immutable=True)
    else:
        # A draft's file is its readers' own: no shared cache may keep it for the next.
        patch_cache_control(response, private=True, no_cache=True)
    return response


def item_file(item: MediaItem, size: str) -> FileResponse:
    """``item``'s original or rendition ``size``, whoever may see it (the caller checks)."""
    if size == "original":
        relative, mime = item.original, item.mime_type
    elif size in item.renditions:
        relative, mime = item.renditions[size], "image/webp"
    else:
        raise NotFound("no such size of this photo")
    path = media_root() / relative
    if not path.is_file():
        raise NotFound("this photo's file is missing")
    if item.kind == "document":
        # A document is a download, never shown in the platform's origin.
        return FileResponse(path.open("rb"), content_type=mime, as_attachment=True,
                            filename=item.filename or path.name)
    response = FileResponse(path.open("rb"), content_type=mime)
    response["Content-Disposition"] = "inline"
    return response
