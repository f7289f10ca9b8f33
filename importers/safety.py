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
from django.utils.translation import gettext_noop as _

from importers.exceptions import Refused
from importers.messages import Message


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


def _mib(n: float) -> float:
    return n / 2**20


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Refused(Message(_("%(file)s: the file is %(size)s MiB; the limit is %(limit)s "
                                "MiB"), file=path.name, size=_mib(size),
                              limit=_mib(limits.max_file_bytes)))
    if size == 0:
        raise Refused(Message(_("%(file)s: the file is empty"), file=path.name))


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
        raise Refused(Message(_("%(file)s: not a zip archive, or a truncated one"),
                              file=archive.name)) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise Refused(Message(_("%(file)s: %(count)s entries; at most %(limit)s are "
                                    "accepted"), file=archive.name, count=len(infos),
                                  limit=limits.max_entries))
        total = 0
        chosen = []
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                raise Refused(Message(_("%(file)s: entry %(entry)s points outside the archive"),
                                      file=archive.name, entry=repr(name)))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise Refused(Message(_("%(file)s: entry %(entry)s is a symbolic link"),
                                      file=archive.name, entry=repr(name)))
            if info.is_dir():
                continue
            total += info.file_size
            ratio = info.file_size / info.compress_size if info.compress_size else 0
            if ratio > limits.max_ratio:
                raise Refused(Message(
                    _("%(file)s: entry %(entry)s inflates %(ratio)s-fold (limit %(limit)s): "
                      "refused as a possible zip bomb"), file=archive.name, entry=repr(name),
                    ratio=round(ratio), limit=round(limits.max_ratio)))
            if pure.suffix.lower() in allowed_suffixes and not pure.name.startswith("._"):
                chosen.append((info, pure))
        if total > limits.max_unpacked_bytes:
            raise Refused(Message(_("%(file)s: unpacks to %(size)s MiB; the limit is %(limit)s "
                                    "MiB"), file=archive.name, size=_mib(total),
                                  limit=_mib(limits.max_unpacked_bytes)))
        written = 0
        paths = []
        for info, pure in chosen:
            target = dest.joinpath(*pure.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > limits.max_unpacked_bytes:
                        raise Refused(Message(_("%(file)s: unpacks to more than %(limit)s MiB"),
                                              file=archive.name,
                                              limit=_mib(limits.max_unpacked_bytes)))
                    out.write(chunk)
            paths.append(target)
        return paths


PROLOG_LIMIT = 1 << 20


def sniff_xml_encoding(head: bytes) -> str:
    """The encoding a parser would read ``head`` in, from its first bytes (XML 1.0, appendix F).

    Without a byte order mark, UTF-16 and UTF-32 are told by where the zero bytes of the
    first ASCII characters fall; everything else is read as UTF-8, which is enough to find
    ``<!`` in any encoding that keeps ASCII as it is.
    """
    boms = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
            (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"))
    for bom, encoding in boms:
        if head.startswith(bom):
            return encoding
    first = head[:4]
    if len(first) == 4 and first[:3] == b"\x00\x00\x00":
        return "utf-32-be"
    if len(first) == 4 and first[1:] == b"\x00\x00\x00":
        return "utf-32-le"
    if len(first) >= 2 and first[0] == 0:
        return "utf-16-be"
    if len(first) >= 2 and first[1] == 0:
        return "utf-16-le"
    return "utf-8"


def check_xml_prolog(path: Path, name: str) -> None:
    """Refuse XML with a document type declaration, reading only what precedes the root.

    A DTD (where entities are declared) can only stand before the root element,
    so large files need not be parsed twice to be checked.
    """
    with path.open("rb") as fh:
        head = fh.read(PROLOG_LIMIT)
    text = head.decode(sniff_xml_encoding(head), errors="replace")
    i = 0
    while True:
        start = text.find("<", i)
        if start < 0:
            if len(head) == PROLOG_LIMIT:
                raise Refused(Message(_("%(file)s: no root element in the first MiB"),
                                      file=name))
            return
        if text.startswith("<?", start):
            i = text.find("?>", start) + 2
        elif text.startswith("<!--", start):
            i = text.find("-->", start) + 3
        elif text.startswith("<!", start):
            raise Refused(Message(_("%(file)s: XML with a DTD or entity declarations is refused"),
                                  file=name))
        else:
            return  # the root element: nothing after it can declare entities
        if i < 2:
            raise Refused(Message(_("%(file)s: not well-formed XML (an unclosed declaration or "
                                    "comment)"), file=name))


def check_xml(data: bytes, name: str) -> None:
    """Refuse XML with a DTD, entity declarations or external references."""
    try:
        defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Refused(Message(_("%(file)s: XML with a DTD or entity declarations is refused "
                                "(%(error)s)"), file=name, error=type(exc).__name__)) from None
    except Exception as exc:  # noqa: BLE001 - any parse error is the file's fault
        raise Refused(Message(_("%(file)s: not well-formed XML: %(error)s"), file=name,
                              error=str(exc))) from None
