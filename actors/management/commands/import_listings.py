"""manage.py import_listings FILE --user NAME [--dry-run] [--lang bg]"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from actors.imports import ImportRefused, import_listings


class Command(BaseCommand):
    help = ("Import listings from a CSV (longitude and latitude columns), a GeoJSON of "
            "points or DATAtourisme's JSON-LD, in the name of a partner editor: all or "
            "nothing (docs/users/listings.md).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True,
                            help="the editor in whose name the listings are written")
        parser.add_argument("--dry-run", action="store_true",
                            help="check every row; write nothing")
        parser.add_argument("--lang", default="en", choices=["bg", "el", "fr", "en"],
                            help="the language of the messages")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        user = User.objects.filter(username=opts["user"], is_active=True).first()
        with translation.override(opts["lang"]):
            if user is None:
                raise CommandError(f"no active user {opts['user']!r}")
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                report = import_listings(name=path.name, data=path.read_bytes(), user=user,
                                         dry_run=opts["dry_run"])
            except ImportRefused as exc:
                raise CommandError(str(exc)) from None
            for line in report.lines():
                self.stderr.write(line)
            if report.problems:
                raise CommandError(translation.gettext(
                    "%(file)s: %(n)s problems; nothing was written.") % {
                    "file": path.name, "n": len(report.problems)})
            if report.written:
                self.stdout.write(translation.gettext(
                    "%(file)s: %(created)s listings created, %(updated)s updated.") % {
                    "file": path.name, "created": report.created, "updated": report.updated})
            else:
                self.stdout.write(translation.gettext(
                    "%(file)s: %(rows)s rows checked; nothing written (dry run).") % {
                    "file": path.name, "rows": report.rows})
