"""Uploads waiting between their preview and the user's confirmation."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from importers.pipeline import ImportRequest
from layers.models import Partner


def upload_too_large(request) -> bool:
    """Whether the request body is over the import limit, by its header, before reading it."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    return length > settings.ATLAS_IMPORT_MAX_FILE_BYTES + 1_000_000  # + the form's fields


def pending_dir() -> Path:
    return Path(settings.ATLAS_UPLOAD_DIR)


def upload_store(*, upload: UploadedFile) -> tuple[str, Path]:
    """Keep an uploaded file until it is imported: (token, path)."""
    token = uuid.uuid4().hex
    folder = pending_dir() / token
    folder.mkdir(parents=True)
    # Only the base name, with nothing that could climb out of the folder.
    name = Path(upload.name).name.replace("..", "_") or "upload"
    path = folder / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, path


def upload_discard(*, token: str) -> None:
    if len(token) == 32 and token.isalnum():
        shutil.rmtree(pending_dir() / token, ignore_errors=True)


def import_request_build(*, path: Path, partner: Partner, data: dict, user,
                         dry_run: bool) -> ImportRequest:
    return ImportRequest(
        path=path, partner=partner, layer_slug=data["layer"], kind=data["kind"],
        file_name=path.name, encoding=data.get("encoding") or None, srs=data.get("srs"),
        field_map=data.get("field_map") or {}, id_field=data.get("id_field") or None,
        dry_run=dry_run, skip_invalid=bool(data.get("skip_invalid")),
        sync=bool(data.get("sync")), user=user if getattr(user, "pk", None) else None)
