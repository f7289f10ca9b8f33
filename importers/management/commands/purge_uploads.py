from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importers.services import pending_dir, upload_purge


class Command(BaseCommand):
    help = ("Delete the uploads that waited for a confirmation longer than "
            "ATLAS_UPLOAD_TTL_HOURS (run it from cron; every new upload also does it).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--hours", type=float, default=None,
                            help="wait this long instead of ATLAS_UPLOAD_TTL_HOURS")

    def handle(self, *args: Any, **opts: Any) -> None:
        hours = settings.ATLAS_UPLOAD_TTL_HOURS if opts["hours"] is None else opts["hours"]
        if hours < 0:
            raise CommandError("--hours must not be negative")
        purged = upload_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"{len(purged)} upload(s) older than {hours:g} h deleted "
                          f"from {pending_dir()}.")
