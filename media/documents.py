"""Checking an uploaded document (PDF, ODT, DOCX) before anything is stored.

The bytes decide what a file is, as for images: a PDF starts with ``%PDF-`` and ends with
``%%EOF``; an ODT is a zip archive whose first entry, ``mimetype``, says
``application/vnd.oasis.opendocument.text``; a DOCX is a zip archive whose
``[Content_Types].xml`` names a WordprocessingML main document. The type the client
declared must agree. Archives are opened only after their directory is checked against
caps on entries, unpacked size and compression ratio (a zip bomb is refused before a byte
is inflated), and entries are read with a byte cap of their own, since a directory may lie
about sizes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from geo.errors import InvalidFields, TooLarge

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SUFFIXES = {PDF: "pdf", ODT: "odt", DOCX: "docx"}
# What browsers and office suites send for the same files.
ALIASES = {"application/x-pdf": PDF, "application/acrobat": PDF}
NAMES = {PDF: "PDF", ODT: "ODT", DOCX: "DOCX"}

MAX_ENTRIES = 2000
# Text and XML compress well, but not by a thousand: a deflate bomb does.
MAX_RATIO = 200
# The manifest entries read to tell the type are small; a larger one is not a document.
MAX_MANIFEST_BYTES = 256 * 1024


@dataclass
class PreparedDocument:
    mime_type: str
    suffix: str
    data: bytes
    sha256: str


def refused(message: str) -> InvalidFields:
    return InvalidFields({"file": [message]})


def _read_capped(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise refused(_("The document's archive holds an entry larger than it says: it is "
                        "refused."))
    return data


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that would unpack past the caps, before inflating anything."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise refused(_("The document's archive has more than %(n)d entries: it is refused.")
                      % {"n": MAX_ENTRIES})
    unpacked = sum(e.file_size for e in entries)
    limit = settings.ATLAS_MEDIA_MAX_UNPACKED_BYTES
    bomb = refused(_("The document would unpack to more than %(mb)s MB (an archive bomb, "
                     "or a document too large): it is refused.")
                   % {"mb": limit // 2**20})
    if unpacked > limit:
        raise bomb
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise refused(_("The document is encrypted: send it without a password."))
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(
                entry.compress_size, 1):
            raise bomb


def _zip_type(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        _check_archive(archive)
        names = archive.namelist()
        try:
            if names and names[0] == "mimetype":
                if _read_capped(archive, "mimetype").strip() == ODT.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = _read_capped(archive, "[Content_Types].xml")
                if DOCX_MAIN.encode() in types:
                    return DOCX
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError,
                RuntimeError):
            raise refused(_("The document's archive is damaged: it cannot be read.")) from None
    return None


def sniff(data: bytes) -> str | None:
    """The document type the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        # A PDF ends with %%EOF, give or take trailing whitespace and incremental tails.
        return PDF if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def prepare_document(data: bytes, declared_type: str) -> PreparedDocument:
    """Check ``data`` (an upload's bytes, declared as ``declared_type``); raises
    ``TooLarge`` or ``InvalidFields`` (field ``file``) when it is refused."""
    limit = settings.ATLAS_MEDIA_MAX_DOCUMENT_BYTES
    if len(data) > limit:
        raise TooLarge(_("The document is %(size)s MB; at most %(limit)s MB are accepted.")
                       % {"size": round(len(data) / 2**20, 1), "limit": limit // 2**20})
    found = sniff(data)
    if found is None:
        raise refused(_("This file is not a PDF, ODT or DOCX document, whatever its name "
                        "says."))
    declared = declared_type.split(";")[0].strip().lower()
    declared = ALIASES.get(declared, declared)
    if declared not in ("", "application/octet-stream") and declared != found:
        raise refused(_("The file says it is %(declared)s but its bytes are %(found)s: it is "
                        "refused.") % {"declared": declared_type, "found": NAMES[found]})
    return PreparedDocument(mime_type=found, suffix=SUFFIXES[found], data=data,
                            sha256=hashlib.sha256(data).hexdigest())


def is_document_type(declared_type: str, data: bytes) -> bool:
    """Whether an upload is to be checked as a document rather than as an image: by its
    first bytes (an image's own check then says what is wrong with a lying one)."""
    return data.startswith((b"%PDF-", b"PK\x03\x04")) or declared_type.lower() in (
        PDF, ODT, DOCX, *ALIASES)
