"""The backup archive: one tar holding the database's dump, the uploaded files and a
manifest (JSON) with the SHA-256 of each, and beside it ``<archive>.sha256`` (the
archive's own SHA-256, in the format of ``sha256sum -c``).

The members' checksums find damage to any of them; a changed manifest is found by the
archive's checksum. Anyone who can rewrite both files can forge a backup, so keep the
checksum printed by ``backup`` (the cron job's log) apart from the archive, and give it
to ``restore --sha256``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from operations.exceptions import OperationError

FORMAT = "regional-tourism-atlas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


class HashingReader:
    """A file read once, into the tar, hashed on the way: the checksum is of the bytes
    the archive holds, even if the file changes meanwhile (an upload being written)."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f, self.digest = f, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        return data


def archive_write(*, output: Path, manifest: dict[str, Any],
                  members: list[tuple[str, Path]]) -> str:
    """Write the archive (through ``<output>.partial``, so that a broken run leaves no
    archive under the final name) and its ``.sha256``; the archive's SHA-256.

    ``manifest["members"]`` is filled with each member's SHA-256 and size; the manifest
    comes last in the tar, once they are known.
    """
    partial = output.with_name(output.name + ".partial")
    listed: dict[str, dict[str, Any]] = {}
    # The archive holds password hashes and e-mail addresses: its owner's eyes only.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w",
                                                      format=tarfile.PAX_FORMAT) as tar:
            for name, path in members:
                with path.open("rb") as f:
                    info = _info(name, os.fstat(f.fileno()).st_size)
                    reader = HashingReader(f)
                    tar.addfile(info, reader)
                listed[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
            body = json.dumps({**manifest, "members": listed}, indent=2,
                              ensure_ascii=False).encode()
            tar.addfile(_info(MANIFEST, len(body)), io.BytesIO(body))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    digest = sha256_file(output)
    checksum_path(output).write_text(f"{digest}  {output.name}\n")
    return digest


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


@dataclass
class Unpacked:
    """A verified archive, unpacked: its manifest and where each member now is."""

    manifest: dict[str, Any]
    files: dict[str, Path]
    notes: list[str]

    @property
    def dump(self) -> Path:
        return self.files[DUMP]

    def media(self) -> Iterator[tuple[str, Path]]:
        """(path under MEDIA_ROOT, where it is unpacked) of each uploaded file."""
        for name, path in sorted(self.files.items()):
            if name.startswith(MEDIA + "/"):
                yield name.removeprefix(MEDIA + "/"), path


def archive_unpack(*, archive: Path, into: Path, expected_sha256: str | None = None
                   ) -> Unpacked:
    """Unpack ``archive`` into the folder ``into`` and check it whole: every member
    against the manifest, then the archive against its checksum. Raises an
    ``OperationError`` naming what is wrong."""
    if not archive.is_file():
        raise OperationError(f"no backup archive at {archive}")
    found: dict[str, tuple[str, int]] = {}
    files: dict[str, Path] = {}
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for info in tar:
                name = _safe_name(info)
                if name in found:
                    raise OperationError(f"the archive holds member {name} twice")
                files[name] = into / name
                found[name] = _unpack_member(tar, info, files[name])
    except (tarfile.TarError, EOFError) as exc:
        after = f" (after member {list(found)[-1]})" if found else ""
        raise OperationError(f"{archive} is damaged or is not a backup archive{after}: "
                             f"{exc}") from None
    manifest = _manifest(files, found)
    for name, entry in manifest["members"].items():
        if name not in found:
            raise OperationError(f"member {name} of the manifest is missing from the archive")
        digest, size = found[name]
        if digest != entry.get("sha256") or size != entry.get("size"):
            raise OperationError(
                f"member {name} is damaged or was changed: its SHA-256 is {digest} "
                f"({size} bytes), the manifest says {entry.get('sha256')} "
                f"({entry.get('size')} bytes)")
    extra = sorted(set(found) - set(manifest["members"]) - {MANIFEST})
    if extra:
        raise OperationError(f"member {extra[0]} is in the archive but not in its manifest")
    if DUMP not in found:
        raise OperationError(f"the archive holds no {DUMP}")
    return Unpacked(manifest=manifest, files=files,
                    notes=_check_whole(archive, expected_sha256))


def _safe_name(info: tarfile.TarInfo) -> str:
    path = PurePosixPath(info.name)
    if (path.is_absolute() or not path.parts or ".." in path.parts or "\\" in info.name
            or "\0" in info.name):
        raise OperationError(f"member {info.name!r} has a path outside the archive: refused")
    if not info.isfile():
        raise OperationError(f"member {info.name} is not a regular file: refused")
    return str(path)


def _unpack_member(tar: tarfile.TarFile, info: tarfile.TarInfo, dest: Path) -> tuple[str, int]:
    source = tar.extractfile(info)
    assert source is not None  # a regular file, checked by _safe_name
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with dest.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _manifest(files: dict[str, Path], found: dict[str, tuple[str, int]]) -> dict[str, Any]:
    if MANIFEST not in files:
        raise OperationError(f"the archive holds no {MANIFEST}: it is not a backup archive")
    try:
        manifest = json.loads(files[MANIFEST].read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OperationError(f"member {MANIFEST} is damaged: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OperationError(f"member {MANIFEST} is not the manifest of a backup of this "
                             "platform")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise OperationError(f"the archive is of format version "
                             f"{manifest.get('format_version')}; this platform reads "
                             f"version {FORMAT_VERSION}: restore it with the version that "
                             "made it")
    shapes = {"created_at": str, "platform": dict, "database": dict, "migrations": dict,
              "counts": dict, "files": dict, "members": dict}
    missing = [key for key, kind in shapes.items() if not isinstance(manifest.get(key), kind)]
    if missing:
        raise OperationError(f"member {MANIFEST} is damaged: it lacks {', '.join(missing)}")
    return manifest


def _check_whole(archive: Path, expected: str | None) -> list[str]:
    source = "--sha256"
    if expected is None:
        sidecar = checksum_path(archive)
        if not sidecar.is_file():
            return [f"no {sidecar.name} beside the archive: its members were checked "
                    "against its manifest only"]
        expected, source = (sidecar.read_text().split() or [""])[0], sidecar.name
    digest = sha256_file(archive)
    if digest != expected.strip().lower():
        raise OperationError(
            f"the archive's SHA-256 is {digest}, {source} says {expected}: the archive "
            f"was changed after it was made (its members match its {MANIFEST}, so the "
            "manifest itself was changed, or the checksum is another archive's)")
    return [f"the archive's SHA-256 matches {source}"]
