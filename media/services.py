"""Writes: storing a checked image or document for an owner, and deleting an item with its
files."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from geo.errors import InvalidFields, TooLarge
from media.documents import PreparedDocument, is_document_type, prepare_document
from media.images import PreparedImage, prepare_image
from media.models import Licence, MediaItem, MediaKind


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def upload_bytes(upload: UploadedFile) -> bytes:
    """An upload's bytes, refused by its announced size before they are read."""
    limit = settings.ATLAS_MEDIA_MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > limit:
        raise TooLarge(_("The image is %(size)s MB; at most %(limit)s MB are accepted.")
                       % {"size": round(upload.size / 2**20, 1), "limit": limit // 2**20})
    upload.seek(0)
    return upload.read(limit + 1)


def check_credits(*, author: str, licence: str) -> None:
    problems: dict[str, list[Any]] = {}
    if not author.strip():
        problems["author"] = [_("Say who took the photo.")]
    if licence not in Licence.values:
        problems["licence"] = [_("Choose a licence.")]
    if problems:
        raise InvalidFields(problems)


def files_write(item: MediaItem, prepared: PreparedImage) -> None:
    """Put ``prepared``'s files under MEDIA_ROOT for ``item`` (not saved yet) and fill its
    file fields. The files go to a hidden folder first and are renamed into place whole."""
    root = media_root()
    final = Path("images") / str(item.uid)
    staging = root / "images" / f".{item.uid}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        (staging / f"original.{prepared.suffix}").write_bytes(prepared.original)
        for side, data in prepared.renditions.items():
            (staging / f"{side}.webp").write_bytes(data)
        staging.rename(root / final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    item.kind = MediaKind.IMAGE
    item.mime_type = prepared.mime_type
    item.original = str(final / f"original.{prepared.suffix}")
    item.renditions = {str(side): str(final / f"{side}.webp") for side in prepared.renditions}
    item.width, item.height = prepared.width, prepared.height
    item.size_bytes = len(prepared.original)
    item.sha256 = prepared.sha256


def attachment_bytes(upload: UploadedFile) -> bytes:
    """An attachment's bytes, refused by its announced size before they are read (the
    larger of the two caps: each kind's own check follows)."""
    limit = max(settings.ATLAS_MEDIA_MAX_IMAGE_BYTES, settings.ATLAS_MEDIA_MAX_DOCUMENT_BYTES)
    if upload.size is not None and upload.size > limit:
        raise TooLarge(_("The file is %(size)s MB; at most %(limit)s MB are accepted.")
                       % {"size": round(upload.size / 2**20, 1), "limit": limit // 2**20})
    upload.seek(0)
    return upload.read(limit + 1)


def files_remove(item: MediaItem) -> None:
    for kind in ("images", "documents"):
        shutil.rmtree(media_root() / kind / str(item.uid), ignore_errors=True)


def document_write(item: MediaItem, prepared: PreparedDocument) -> None:
    """Put a checked document under MEDIA_ROOT for ``item`` (not saved yet), whole or not
    at all, as ``files_write`` does for images."""
    root = media_root()
    final = Path("documents") / str(item.uid)
    staging = root / "documents" / f".{item.uid}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        (staging / f"original.{prepared.suffix}").write_bytes(prepared.data)
        staging.rename(root / final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    item.kind = MediaKind.DOCUMENT
    item.mime_type = prepared.mime_type
    item.original = str(final / f"original.{prepared.suffix}")
    item.renditions = {}
    item.size_bytes = len(prepared.data)
    item.sha256 = prepared.sha256


def _save_last(item: MediaItem, owner_type: ContentType, owner_id: int) -> None:
    try:
        with transaction.atomic():
            last = MediaItem.objects.filter(owner_type=owner_type, owner_id=owner_id) \
                .aggregate(m=Max("position"))["m"]
            item.position = 0 if last is None else last + 1
            item.save()
    except BaseException:
        files_remove(item)
        raise


def attachment_add(*, owner: models.Model, data: bytes, declared_type: str, filename: str,
                   author: str, licence: str, caption: str = "",
                   uploaded_by: Any = None) -> MediaItem:
    """Attach a document (PDF, ODT, DOCX) or an image (JPEG, PNG, WebP) to ``owner``, the
    kind told by the bytes. Images get renditions and lose their metadata (EXIF location)
    as photos do. Nothing is stored when it is refused (``InvalidFields``, ``TooLarge``)."""
    if is_document_type(declared_type, data):
        check_credits(author=author, licence=licence)
        prepared = prepare_document(data, declared_type)
        owner_type = ContentType.objects.get_for_model(owner)
        item = MediaItem(owner_type=owner_type, owner_id=owner.pk, author=author.strip(),
                         licence=licence, uploaded_by=uploaded_by, caption=caption[:500],
                         filename=Path(filename or "").name[:200])
        document_write(item, prepared)
        _save_last(item, owner_type, owner.pk)
        return item
    item = image_add(owner=owner, data=data, declared_type=declared_type, author=author,
                     licence=licence, captions=None, uploaded_by=uploaded_by)
    if caption or filename:
        item.caption = caption[:500]
        item.filename = Path(filename or "").name[:200]
        item.save(update_fields=["caption", "filename"])
    return item


def image_add(*, owner: models.Model, data: bytes, declared_type: str, author: str,
              licence: str, captions: Mapping[str, str] | None = None,
              uploaded_by: Any = None) -> MediaItem:
    """Check an image and attach it to ``owner``, last among its photos. Nothing is
    stored when it is refused (``InvalidFields``, ``TooLarge``)."""
    check_credits(author=author, licence=licence)
    prepared = prepare_image(data, declared_type)
    owner_type = ContentType.objects.get_for_model(owner)
    item = MediaItem(owner_type=owner_type, owner_id=owner.pk, author=author.strip(),
                     licence=licence, uploaded_by=uploaded_by)
    for lang, text in (captions or {}).items():
        setattr(item, f"caption_{lang}", text)
    files_write(item, prepared)
    try:
        with transaction.atomic():
            last = MediaItem.objects.filter(owner_type=owner_type, owner_id=owner.pk) \
                .aggregate(m=Max("position"))["m"]
            item.position = 0 if last is None else last + 1
            item.save()
    except BaseException:
        files_remove(item)
        raise
    return item


def media_delete(*, item: MediaItem) -> None:
    """Delete an item; its files go once the deletion is committed (media/signals.py)."""
    item.delete()
