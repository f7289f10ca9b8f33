from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.exceptions import OperationError
from operations.services import backup_create, default_output


class Command(BaseCommand):
    help = ("Back the platform up into one tar: a pg_dump (custom format) of its database, "
            "the uploaded files (MEDIA_ROOT) and a manifest with the SHA-256 of each; its "
            "own SHA-256 goes beside it in <archive>.sha256. See docs/backup.md.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", type=Path, default=None,
                            help="the archive to write (default: "
                                 "var/backups/atlas-<UTC time>.tar); it must not exist")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help="the database alias of settings.DATABASES to back up")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            done = backup_create(output=Path(opts["output"] or default_output()),
                                 database=opts["database"], say=self.stdout.write)
        except OperationError as exc:
            raise CommandError(f"backup failed: {exc}") from None
        counts = done.manifest["counts"]
        self.stdout.write(f"{len(counts)} tables, {sum(counts.values()):,} rows; "
                          f"{done.manifest['files']['media_files']} uploaded file(s)")
        self.stdout.write(f"Backup written: {done.path} ({done.size:,} bytes)")
        self.stdout.write(f"SHA-256 {done.sha256} (also in {done.path.name}.sha256: keep a "
                          "copy apart from the archive)")
