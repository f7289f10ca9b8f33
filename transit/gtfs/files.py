"""A GTFS feed's files: the zip unpacked safely, each text file's encoding, its CSV rows
with their line numbers, and the checks of one cell (a value required, unique, a whole
number, a coordinate, a date), each fault kept with its file, line and field.

The feed's text files are read with the csv module rather than a dataframe library: a
reader must name the line of every fault (a dataframe forgets it), keep ids as text
("0301" is not 301), and stream ``stop_times.txt``, which may run to millions of lines,
without holding it. What each table holds is ``transit.gtfs.tables``'.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.utils.translation import gettext_noop as _

from geo.errors import Refused
from importers.encoding import detect
from importers.messages import Message
from importers.safety import Limits, check_size, unpack_zip
from transit.messages import Issues

REQUIRED = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
CALENDARS = ("calendar.txt", "calendar_dates.txt")
KNOWN = frozenset({*REQUIRED, *CALENDARS, "shapes.txt", "feed_info.txt"})
# GTFS times may pass 24:00 for trips after midnight; beyond two days is a typo.
MAX_TIME_S = 48 * 3600
TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
DATE = re.compile(r"^\d{8}$")


def parse_time(text: str) -> int | None:
    """Seconds after the service day's start for ``H:MM:SS`` (hours may pass 24)."""
    m = TIME.match(text)
    if not m:
        return None
    seconds = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    return seconds if seconds <= MAX_TIME_S else None


def parse_date(text: str) -> date | None:
    if not DATE.match(text.strip()):
        return None
    t = text.strip()
    try:
        return date(int(t[:4]), int(t[4:6]), int(t[6:]))
    except ValueError:
        return None


class FeedFiles:
    """A GTFS zip unpacked (safely) into ``workdir``, read file by file, line by line;
    the faults found are kept in ``issues``."""

    def __init__(self, archive: Path, workdir: Path, limits: Limits) -> None:
        self.name = archive.name
        check_size(archive, limits)
        try:
            paths = unpack_zip(archive, workdir, limits, frozenset({".txt"}))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            # A member cut short or damaged is only found while inflating it.
            raise Refused(Message(_("%(file)s: a damaged or truncated zip archive (%(error)s)"),
                                  file=archive.name, error=str(exc))) from None
        self.files = {p.name: p for p in paths if p.parent == workdir}
        missing = [f for f in REQUIRED if f not in self.files]
        if not any(f in self.files for f in CALENDARS):
            missing.append("calendar.txt | calendar_dates.txt")
        if missing:
            raise Refused(Message(
                _("%(file)s: not a GTFS feed: %(missing)s missing at the root of the archive"),
                file=archive.name, missing=", ".join(missing)))
        self.issues = Issues()

    def encoding(self, name: str) -> str:
        """UTF-8 (the spec's) unless the bytes say otherwise: some feeds mix encodings."""
        path = self.files[name]
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        sample: list[bytes] = []
        with path.open("rb") as fh:
            try:
                while chunk := fh.read(1 << 20):
                    if len(sample) < 4:
                        sample.append(chunk)
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
        codec, _why = detect(sample)
        # GTFS asks for UTF-8; a feed that is not is in an old code page of its country.
        # The detector tells the script apart; of the Latin ones, the partners' (French)
        # is cp1252, which also reads the Nordic and German letters cp1250 would garble.
        return "cp1252" if codec == "cp1250" else codec

    def rows(self, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row) of a file; a file without a required column is refused whole."""
        if name not in self.files:
            return
        codec = self.encoding(name)
        with self.files[name].open(encoding=codec, newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise Refused(Message(_("%(file)s: %(member)s is empty"), file=self.name,
                                      member=name)) from None
            except csv.Error as exc:
                raise Refused(Message(_("%(file)s, line %(row)s: %(error)s"), file=name,
                                      row=1, error=str(exc))) from None
            absent = [c for c in required if c not in header]
            if absent:
                raise Refused(Message(_("%(file)s: the column %(column)s is missing"),
                                      file=name, column=", ".join(absent)))
            width = len(header)
            try:
                for values in reader:
                    if not values or values == [""]:
                        continue
                    if len(values) < width:
                        values += [""] * (width - len(values))
                    yield reader.line_num, dict(zip(header, (v.strip() for v in values),
                                                    strict=False))
            except csv.Error as exc:
                self.issues.add(name, reader.line_num, "-", Message.text(str(exc)))

    # -- the checks of a cell ------------------------------------------------------------

    def required(self, name: str, line: int, row: dict[str, str], column: str) -> str | None:
        value = row.get(column, "")
        if not value:
            self.issues.add(name, line, column, Message(_("a value is required")))
            return None
        return value

    def unique(self, seen: dict, name: str, line: int, column: str, key: str) -> bool:
        if key in seen:
            self.issues.add(name, line, column, Message(_("%(value)s appears twice"),
                                                        value=key))
            return False
        return True

    def integer(self, name: str, line: int, row: dict[str, str], column: str,
                default: int | None, allowed: range | None = None) -> int | None:
        raw = row.get(column, "")
        if raw == "":
            if default is None:
                self.issues.add(name, line, column, Message(_("a value is required")))
            return default
        try:
            value = int(raw)
        except ValueError:
            self.issues.add(name, line, column, Message(_("%(value)s is not a whole number"),
                                                        value=repr(raw)))
            return default
        if allowed is not None and value not in allowed:
            self.issues.add(name, line, column, Message(
                _("%(value)s is not one of %(low)s to %(high)s"), value=value,
                low=allowed.start, high=allowed.stop - 1))
            return default
        return value

    def coordinate(self, name: str, line: int, row: dict[str, str], column: str,
                   limit: float) -> float | None:
        raw = row.get(column, "")
        try:
            value = float(raw)
        except ValueError:
            self.issues.add(name, line, column, Message(_("%(value)s is not a number"),
                                                        value=repr(raw)))
            return None
        if not math.isfinite(value) or abs(value) > limit:
            self.issues.add(name, line, column, Message(
                _("%(value)s is not a coordinate in degrees"), value=raw))
            return None
        return value

    def day(self, name: str, line: int, row: dict[str, str], column: str) -> date | None:
        raw = row.get(column, "")
        value = parse_date(raw)
        if value is None:
            self.issues.add(name, line, column, Message(
                _("%(value)s is not a date written YYYYMMDD"), value=repr(raw)))
        return value
