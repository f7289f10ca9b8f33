"""Exports made once per version of the data, kept on disk and sent from there.

The regional export was made anew for every request: 121–400 MB of work each, and three
at once stalled the site (Trust D8). An export is now a file under ATLAS_EXPORT_DIR named
by what was asked (kinds, filters, format) and the data's version (layers/versions.py),
which every write changes: the same request with no write in between is sent the same
file; a write makes the next one new. Files are sent from disk in chunks
(``FileResponse``), never read whole into a worker.

Making one is bounded too: requests for the same export wait for the one making it (a
PostgreSQL advisory lock per export, so across workers) and then send its file; at most
ATLAS_EXPORT_CONCURRENCY different exports are made at once, and a request past that
gets a 503 with Retry-After rather than a worker stuck on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from geo.crs import WGS84
from geo.errors import Unavailable
from layers.exports.licence import Credit, credits
from layers.exports.make import export_to, file_stem, media
from layers.params import FeatureFilters
from layers.versions import data_version

LOCK_SPACE = 0x41544C58  # "ATLX": the advisory locks' first key, apart from others' locks


def export_dir() -> Path:
    return Path(settings.ATLAS_EXPORT_DIR)


def _key(kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
         with_partner: bool, lang: str, found: list[Credit], srid: int = WGS84) -> str:
    # Only GPX and KML differ by language (their one name per feature). The licences
    # are in every file: a layer's licence edited makes its exports new. The CRS: the
    # same export in EPSG:2100 is another file.
    asked = json.dumps({"kinds": kinds, "filters": asdict(filters), "format": fmt,
                        "stem": stem, "with_partner": with_partner, "srid": srid,
                        "lang": lang if fmt in ("gpx", "kml") else None,
                        "credits": [asdict(c) for c in found]},
                       sort_keys=True, default=str)
    return hashlib.sha256(asked.encode()).hexdigest()[:24]


def _database() -> int:
    """The database's own id: a database made again (a restore into a new one, the test
    database) counts its data versions from 0 again, and must not meet files kept of
    the old one."""
    with connection.cursor() as cur:
        cur.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        return int(cur.fetchone()[0])


def _lock_id(text: str) -> int:
    """A 32-bit advisory lock key for ``text``."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)


@contextlib.contextmanager
def _advisory(key: int, *, wait: bool) -> Iterator[bool]:
    """Hold the session's advisory lock (LOCK_SPACE, key) inside the block; with
    ``wait=False`` the block is told whether it got it."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT {'pg_advisory_lock' if wait else 'pg_try_advisory_lock'}(%s, %s)",
                    [LOCK_SPACE, key])
        got = wait or bool(cur.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, key])


@contextlib.contextmanager
def _making_slot() -> Iterator[None]:
    """One of the ATLAS_EXPORT_CONCURRENCY places to make an export in, or Unavailable."""
    with contextlib.ExitStack() as stack:
        for slot in range(int(settings.ATLAS_EXPORT_CONCURRENCY)):
            if stack.enter_context(_advisory(-1 - slot, wait=False)):
                yield
                return
        raise Unavailable(_("Too many exports are being made just now: try again in a "
                            "minute."))


ABANDONED_S = 6 * 3600
"""A half-made file older than this was left by a worker that was killed making it."""


def _prune(keep: int) -> None:
    """Delete the files made longest ago beyond the ``keep`` newest, and half-made files
    a killed worker left."""
    files, now = [], time.time()
    for p in export_dir().iterdir():
        with contextlib.suppress(FileNotFoundError):  # another worker's prune was first
            stat = p.stat()
            if p.name.startswith(".making-") and now - stat.st_mtime > ABANDONED_S:
                p.unlink(missing_ok=True)
            elif p.is_file() and not p.name.startswith("."):
                files.append((stat.st_mtime_ns, p))
    for _mtime, old in sorted(files, reverse=True)[keep:]:
        old.unlink(missing_ok=True)


def stored_export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
                  with_partner: bool, lang: str = "en",
                  srid: int = WGS84) -> tuple[BinaryIO, str, str]:
    """(the kept file, open, content type, file name) of the export in ``srid``, made if
    the data changed since it was last made. Opened under the lock: another request
    pruning the folder may delete the file, not take it from a reader."""
    content_type, ext = media(fmt, kinds)
    found = credits(kinds, filters)
    key = _key(kinds, filters, fmt, stem, with_partner, lang, found, srid)
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with _advisory(_lock_id(key), wait=True):
        # Read under the lock: a request that waited for this export finds it made.
        path = folder / f"{key}-{_database()}-{data_version(kinds)}.{ext}"
        if not path.exists():
            with _making_slot():
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".making-")
                try:
                    with os.fdopen(fd, "wb") as out:
                        export_to(out, kinds=kinds, filters=filters, fmt=fmt, stem=stem,
                                  with_partner=with_partner, lang=lang, found=found,
                                  srid=srid)
                    os.replace(tmp, path)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
            for older in folder.glob(f"{key}-*.{ext}"):  # the same export of older data
                if older != path:
                    older.unlink(missing_ok=True)
            _prune(int(settings.ATLAS_EXPORT_KEEP))
        kept = path.open("rb")
    return kept, content_type, f"{file_stem(stem, srid)}.{ext}"
