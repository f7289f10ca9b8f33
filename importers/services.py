"""Uploads waiting between their preview and the user's confirmation."""

from __future__ import annotations

import errno
import logging
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from geo.errors import AtlasError
from importers.models import ImportRun
from importers.pipeline import ImportRequest
from layers.models import Partner

log = logging.getLogger(__name__)
# A full disk, or the uploads' owner over its quota.
NO_ROOM_ERRNOS = (errno.ENOSPC, errno.EDQUOT)


# Set on a request whose upload met a full disk while it was read (importers/uploads.py).
UPLOAD_NO_ROOM = "atlas_upload_no_room"


class NoRoom(AtlasError):
    """The server has no room to keep an upload: the client's request was fine, and
    nothing of the file was kept (507 Insufficient Storage, RFC 4918)."""

    status = 507
    ogc_code = "InsufficientStorage"

    def __init__(self) -> None:
        super().__init__(_("The server has no room left to keep this file, and kept no part "
                           "of it. Try again later, or tell the site's administrators."))


def upload_room_check(request: HttpRequest) -> None:
    """``NoRoom`` when the request's upload met a full disk while it was read."""
    if getattr(request, UPLOAD_NO_ROOM, False):
        raise NoRoom()


def upload_too_large(request: HttpRequest) -> bool:
    """Whether the request body is over the import limit, by its header, before reading it."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    return length > settings.ATLAS_IMPORT_MAX_FILE_BYTES + 1_000_000  # + the form's fields


def pending_dir() -> Path:
    return Path(settings.ATLAS_UPLOAD_DIR)


def upload_purge(*, older_than: timedelta | None = None) -> list[str]:
    """Delete the uploads nobody confirmed or cancelled within ``older_than`` (by
    default ATLAS_UPLOAD_TTL_HOURS), but those of runs still queued or running; their
    tokens, oldest first."""
    if older_than is None:
        older_than = timedelta(hours=settings.ATLAS_UPLOAD_TTL_HOURS)
    limit = time.time() - older_than.total_seconds()
    try:
        folders = [f for f in pending_dir().iterdir() if _is_token(f.name) and f.is_dir()]
    except FileNotFoundError:
        return []
    # An upload queued for the background worker is its run's until the worker is done.
    waiting = set(ImportRun.objects.filter(status__in=ImportRun.UNFINISHED)
                  .values_list("upload_token", flat=True))
    stale = sorted((mtime, f) for f in folders
                   if (mtime := f.stat().st_mtime) < limit and f.name not in waiting)
    for _mtime, folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return [folder.name for _mtime, folder in stale]


def _is_token(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def upload_store(*, upload: UploadedFile) -> tuple[str, Path]:
    """Keep an uploaded file until it is imported: (token, path).

    The uploads left waiting longer than their time are purged first, so that a
    forgotten preview does not keep its file for ever. A file that cannot be kept whole
    leaves nothing behind; a full disk is ``NoRoom``.
    """
    upload_purge()
    token = uuid.uuid4().hex
    folder = pending_dir() / token
    # Only the base name, with nothing that could climb out of the folder.
    name = Path(upload.name or "").name.replace("..", "_") or "upload"
    path = folder / name
    try:
        folder.mkdir(parents=True)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException as exc:
        # A part of a file would be taken for an upload waiting for its preview, and
        # fill the disk further until it is purged (Trust D17).
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError) and exc.errno in NO_ROOM_ERRNOS:
            log.error("no room to keep an upload in %s: %s", pending_dir(), exc)
            raise NoRoom() from exc
        raise
    return token, path


def upload_discard(*, token: str) -> None:
    if _is_token(token):
        shutil.rmtree(pending_dir() / token, ignore_errors=True)


def import_request_build(*, path: Path, partner: Partner, data: dict[str, Any],
                         user: User | AnonymousUser, dry_run: bool) -> ImportRequest:
    return ImportRequest(
        path=path, partner=partner, layer_slug=data["layer"], kind=data["kind"],
        file_name=path.name, encoding=data.get("encoding") or None, srs=data.get("srs"),
        field_map=data.get("field_map") or {}, id_field=data.get("id_field") or None,
        dry_run=dry_run, skip_invalid=bool(data.get("skip_invalid")),
        sync=bool(data.get("sync")), user=user if isinstance(user, User) and user.pk else None,
        allow_outside=bool(data.get("allow_outside")),
        # An upload's new layer waits for a moderator to publish it (layers.services).
        new_layer_public=False)
