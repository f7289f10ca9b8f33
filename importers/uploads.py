"""Where Django streams an upload while it reads the request (settings.FILE_UPLOAD_HANDLERS).

Django's own handler for uploads over FILE_UPLOAD_MAX_MEMORY_SIZE writes them to a
temporary file (FILE_UPLOAD_TEMP_DIR) and lets a full disk escape as an ``OSError`` while
the request is read: in the CSRF check, before any view, where it was a 500 (Trust D17).
This one deletes the part written, reads the rest of the upload without keeping it, and
marks the request; the upload views then answer ``NoRoom`` (507).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest

from importers.services import NO_ROOM_ERRNOS, UPLOAD_NO_ROOM

log = logging.getLogger(__name__)


class RoomCheckingFileUploadHandler(TemporaryFileUploadHandler):
    lost = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.lost = False
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            self._lose(exc)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.lost:
            try:
                super().receive_data_chunk(raw_data, start)
            except OSError as exc:
                self._lose(exc)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.lost:
            return None
        try:
            return super().file_complete(file_size)
        except OSError as exc:  # the buffer's last bytes, flushed
            self._lose(exc)
            return None

    def _lose(self, exc: OSError) -> None:
        if exc.errno not in NO_ROOM_ERRNOS:
            raise exc
        self.lost = True
        log.error("no room for an upload's temporary file: %s", exc)
        upload = getattr(self, "file", None)
        if upload is not None:
            # A temporary file: deleted as it is closed, even when its buffer cannot be
            # written out.
            with contextlib.suppress(OSError):
                upload.close()
        request: HttpRequest | None = self.request
        if request is not None:
            setattr(request, UPLOAD_NO_ROOM, True)
