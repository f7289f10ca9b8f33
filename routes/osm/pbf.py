"""An OpenStreetMap PBF file's framing, checked before libosmium reads its contents.

A PBF file is a run of blocks: a 4-byte big-endian length, a ``BlobHeader`` (protobuf:
its ``type`` and the ``datasize`` of the blob that follows) and a ``Blob`` (protobuf: the
data raw, or compressed with its ``raw_size``). The format caps a header at 64 KiB and a
blob at 32 MiB, compressed or not (OSM wiki, "PBF Format"). ``check`` reads the file
once, block by block (never more than one blob in memory), and refuses it by name when
it is not a PBF, ends inside a block, or declares a block larger than the format allows:
a decompression bomb is refused before a byte of it is inflated. libosmium keeps the
same caps while reading (tests/routes/test_pbf_bad_input.py), and a blob that inflates
past the size it declares stops its decoder; this check names each case for the person
who gave the file, and gives the file's checksum from the same read.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.errors import Refused

MAX_HEADER = 64 * 1024
"""The largest ``BlobHeader`` the format allows."""
MAX_BLOB = 32 * 1024 * 1024
"""The largest ``Blob`` the format allows, as stored and once uncompressed."""

# What a file that is no PBF often is, by its first bytes: said in the refusal.
LOOKS_LIKE = ((b"<", gettext_lazy("XML (an .osm file?)")),
              (b"PK\x03\x04", gettext_lazy("a ZIP archive")),
              (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"{", "JSON"),
              (b"\xfd7zXZ", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))


@dataclass(frozen=True)
class Framing:
    sha256: str
    blocks: int
    bytes: int


class _Malformed(ValueError):
    """A protobuf message that does not parse."""


def _varint(buf: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(buf) or shift > 63:
            raise _Malformed
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7


def fields(buf: bytes) -> Iterator[tuple[int, int | memoryview]]:
    """The top-level fields of a protobuf message: (number, integer or bytes)."""
    view = memoryview(buf)
    at = 0
    while at < len(buf):
        key, at = _varint(buf, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(buf, at)
            yield number, value
        elif wire == 2:
            size, at = _varint(buf, at)
            if at + size > len(buf):
                raise _Malformed
            yield number, view[at:at + size]
            at += size
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
            if at > len(buf):
                raise _Malformed
        else:
            raise _Malformed


def _looks_like(start: bytes) -> str:
    for magic, kind in LOOKS_LIKE:
        if start.startswith(magic):
            return str(kind)
    return ""


def _not_pbf(path: Path, start: bytes) -> Refused:
    kind = _looks_like(start)
    if kind:
        return Refused(_("%(file)s is not an OpenStreetMap PBF file (by its first bytes: "
                         "%(kind)s); nothing was written") % {"file": path.name, "kind": kind})
    return Refused(_("%(file)s is not an OpenStreetMap PBF file: it does not begin with a "
                     "PBF header block; nothing was written") % {"file": path.name})


def _truncated(path: Path, block: int) -> Refused:
    return Refused(_("%(file)s is not a complete OpenStreetMap PBF file: it ends inside "
                     "block %(block)s; nothing was written") % {"file": path.name,
                                                                "block": block})


def _too_big(path: Path, block: int, size: int) -> Refused:
    return Refused(_("%(file)s is refused: its block %(block)s would take %(size)s MiB, more "
                     "than the 32 MiB the PBF format allows a block (a damaged file or a "
                     "decompression bomb); nothing was written") % {
        "file": path.name, "block": block,
        "size": number_format(round(size / 2**20), force_grouping=True)})


def _damaged(path: Path, block: int) -> Refused:
    return Refused(_("%(file)s is not a valid OpenStreetMap PBF file: its block %(block)s "
                     "is damaged; nothing was written") % {"file": path.name, "block": block})


def _read(f: BinaryIO, size: int, digest: hashlib._Hash) -> bytes:
    data = f.read(size)
    digest.update(data)
    return data


def check(path: Path) -> Framing:
    """The framing of the PBF at ``path`` checked whole, and its SHA-256. Raises
    ``Refused`` naming the file: not a PBF, truncated, a block larger than the format
    allows (declared so, or stored so), or a block whose header does not parse."""
    digest = hashlib.sha256()
    block = total = 0
    with path.open("rb") as f:
        while True:
            size_bytes = _read(f, 4, digest)
            if not size_bytes:
                break
            block += 1
            first = block == 1
            if len(size_bytes) < 4:
                raise _not_pbf(path, size_bytes) if first else _truncated(path, block)
            (header_size,) = struct.unpack(">I", size_bytes)
            if header_size > MAX_HEADER or header_size == 0:
                if first:
                    raise _not_pbf(path, size_bytes + f.read(8))
                raise _damaged(path, block)
            header = _read(f, header_size, digest)
            if len(header) < header_size:
                raise _not_pbf(path, size_bytes) if first else _truncated(path, block)
            kind, datasize = b"", -1
            try:
                for number, value in fields(header):
                    if number == 1 and isinstance(value, memoryview):
                        kind = value.tobytes()
                    elif number == 3 and isinstance(value, int):
                        datasize = value
            except _Malformed:
                kind = b""
            if first and kind != b"OSMHeader":
                raise _not_pbf(path, size_bytes + header[:8])
            if datasize < 0:
                raise _damaged(path, block)
            if datasize > MAX_BLOB:
                raise _too_big(path, block, datasize)
            blob = _read(f, datasize, digest)
            if len(blob) < datasize:
                raise _truncated(path, block)
            try:
                for number, value in fields(blob):
                    # raw_size: what the compressed data inflates to, by its own word.
                    if number == 2 and isinstance(value, int) and value > MAX_BLOB:
                        raise _too_big(path, block, value)
            except _Malformed:
                raise _damaged(path, block) from None
            total += 4 + header_size + datasize
    if block == 0:
        raise _not_pbf(path, b"")
    return Framing(sha256=digest.hexdigest(), blocks=block, bytes=total)
