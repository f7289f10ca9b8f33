"""Refusing hostile input before any work starts.

Every partner file is untrusted: archives may inflate to gigabytes or write
outside the folder they are unpacked in, XML may expand entities or fetch
external ones, a "shapefile" may be anything. The limits live in settings so
a deployment can change them.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from django.conf import settings

from importers.exceptions import Refused


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_unpacked_bytes: int
    max_ratio: float
    max_entries: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_file_bytes=settings.ATLAS_IMPORT_MAX_FILE_BYTES,
            max_unpacked_bytes=settings.ATLAS_IMPORT_MAX_UNPACKED_BYTES,
            max_ratio=settings.ATLAS_IMPORT_MAX_COMPRESSION_RATIO,
            max_entries=settings.ATLAS_IMPORT_MAX_ARCHIVE_ENTRIES,
        )


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Refused(f"{path.name}: the file is {_mib(size)}; the limit is "
                      f"{_mib(limits.max_file_bytes)}")
    if size == 0:
        raise Refused(f"{path.name}: the file is empty")


def unpack_zip(archive: Path, dest: Path, limits: Limits,
               allowed_suffixes: frozenset[str]) -> list[Path]:
    """Unpack the members of ``archive`` with ``allowed_suffixes`` into ``dest``.

    Refuses the whole archive, before writing anything, when an entry's name
    escapes ``dest`` (``..``, absolute paths, drive letters), is a link, when
    the declared sizes add up to more than the limit or inflate by an absurd
    ratio, or when there are too many entries. While extracting, the actual
    bytes written are counted too: a lying header does not get past.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise Refused(f"{archive.name}: not a zip archive, or a truncated one") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise Refused(f"{archive.name}: {len(infos)} entries; at most "
                          f"{limits.max_entries} are accepted")
        total = 0
        chosen = []
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                raise Refused(f"{archive.name}: entry {name!r} points outside the archive")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise Refused(f"{archive.name}: entry {name!r} is a symbolic link")
            if info.is_dir():
                continue
            total += info.file_size
            ratio = info.file_size / info.compress_size if info.compress_size else 0
            if ratio > limits.max_ratio:
                raise Refused(
                    f"{archive.name}: entry {name!r} inflates {ratio:,.0f}-fold (limit "
                    f"{limits.max_ratio:,.0f}): refused as a possible zip bomb")
            if pure.suffix.lower() in allowed_suffixes and not pure.name.startswith("._"):
                chosen.append((info, pure))
        if total > limits.max_unpacked_bytes:
            raise Refused(f"{archive.name}: unpacks to {_mib(total)}; the limit is "
                          f"{_mib(limits.max_unpacked_bytes)}")
        written = 0
        paths = []
        for info, pure in chosen:
            target = dest.joinpath(*pure.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > limits.max_unpacked_bytes:
                        raise Refused(f"{archive.name}: unpacks to more than "
                                      f"{_mib(limits.max_unpacked_bytes)}")
                    out.write(chunk)
            paths.append(target)
        return paths


PROLOG_LIMIT = 1 << 20


def check_xml_prolog(path: Path, name: str) -> None:
    """Refuse XML with a document type declaration, reading only what precedes the root.

    A DTD (where entities are declared) can only stand before the root element,
    so large files need not be parsed twice to be checked.
    """
    with path.open("rb") as fh:
        head = fh.read(PROLOG_LIMIT)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    i = 0
    while True:
        start = text.find("<", i)
        if start < 0:
            if len(head) == PROLOG_LIMIT:
                raise Refused(f"{name}: no root element in the first MiB")
            return
        if text.startswith("<?", start):
            i = text.find("?>", start) + 2
        elif text.startswith("<!--", start):
            i = text.find("-->", start) + 3
        elif text.startswith("<!", start):
            raise Refused(f"{name}: XML with a DTD or entity declarations is refused")
        else:
            return  # the root element: nothing after it can declare entities
        if i < 2:
            raise Refused(f"{name}: not well-formed XML (an unclosed declaration or comment)")


def check_xml(data: bytes, name: str) -> None:
    """Refuse XML with a DTD, entity declarations or external references."""
    try:
        defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Refused(f"{name}: XML with a DTD or entity declarations is refused "
                      f"({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - any parse error is the file's fault
        raise Refused(f"{name}: not well-formed XML: {exc}") from None
