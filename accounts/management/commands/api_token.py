"""Make, list and revoke a user's API tokens from the command line.

    manage.py api_token create ivana --scope write --days 30 --name "nightly import"
    manage.py api_token list ivana
    manage.py api_token revoke ivana 1a2b3c4d5e6f7a8
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import Scope


class Command(BaseCommand):
    help = "Make (printed once), list or revoke a user's API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument("key", nargs="?", help="the token's key, to revoke it")
        parser.add_argument("--scope", choices=Scope.values, default=Scope.READ)
        parser.add_argument("--days", type=int, help="how long the token lives")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if options["action"] == "create":
            try:
                token, text = services.token_create(user=user, scope=options["scope"],
                                                    name=options["name"],
                                                    days=options["days"])
            except ValueError as exc:
                raise CommandError(f"--days: {exc}") from None
            self.stderr.write(f"{token.scope} token {token.token_key} of {user}, expires "
                              f"{token.expiry:%Y-%m-%d %H:%M} UTC; shown only now:")
            self.stdout.write(text)
        elif options["action"] == "list":
            for token in services.tokens_of(user):
                self.stdout.write(f"{token.token_key}\t{token.scope}\t"
                                  f"{token.expiry:%Y-%m-%d}\t{token.name}")
        else:
            if not options["key"]:
                raise CommandError("give the key of the token to revoke (api_token list)")
            if not services.token_revoke(user=user, key=options["key"]):
                raise CommandError(f"{user} has no token {options['key']}")
            self.stdout.write(f"revoked {options['key']}")
