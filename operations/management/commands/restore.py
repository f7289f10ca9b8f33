from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.exceptions import OperationError
from operations.services import backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup`: the archive is checked whole "
            "first (a damaged or changed one is refused), then the database is replaced in "
            "one transaction, the uploaded files put back and the migrations of a newer "
            "code applied. Refuses a database that holds tables unless --force. See "
            "docs/backup.md.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar that backup wrote")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that holds tables (and MEDIA_ROOT's "
                                 "files, which are moved aside)")
        parser.add_argument("--sha256", default=None,
                            help="the archive's SHA-256 as backup printed it (else read "
                                 "from <archive>.sha256 when present)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help="the database alias of settings.DATABASES to restore into")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            done = backup_restore(path=Path(opts["archive"]), database=opts["database"],
                                  force=opts["force"], expected_sha256=opts["sha256"],
                                  say=self.stdout.write)
        except OperationError as exc:
            raise CommandError(f"restore failed: {exc}") from None
        for note in done.notes:
            self.stdout.write(f"Note: {note}")
        counts = done.manifest["counts"]
        self.stdout.write(
            f"Restored the backup of {done.manifest['created_at']}: {len(counts)} tables, "
            f"{sum(counts.values()):,} rows, as counted when it was made"
            + (f"; {len(done.migrated)} migration(s) applied since" if done.migrated else
               "; the migrations match the code"))
