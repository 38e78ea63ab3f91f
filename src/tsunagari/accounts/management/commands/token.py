from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from tsunagari.accounts import tokens


def _when(at: datetime | None) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "-"


class Command(BaseCommand):
    help = (
        "API tokens: 'token issue USERNAME --name PURPOSE [--days N]' prints a new bearer "
        "token once; 'token list [--user USERNAME]' shows tokens (never their secret); "
        "'token revoke ID' or 'token revoke --user USERNAME --all' stops them working."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{issue,list,revoke}")
        issue = sub.add_parser("issue", help="issue a token for a staff account")
        issue.add_argument("username")
        issue.add_argument("--name", default="api", help="what the token is for")
        issue.add_argument(
            "--days",
            type=int,
            default=None,
            help=(
                f"days until it expires (1-{tokens.MAX_DAYS}; default API_TOKEN_DAYS, "
                f"now {settings.API_TOKEN_DAYS})"
            ),
        )
        listing = sub.add_parser("list", help="list tokens: owner, purpose, dates, state")
        listing.add_argument("--user", default="", help="only this staff account's tokens")
        revoke = sub.add_parser("revoke", help="revoke a token by its ID (see 'token list')")
        revoke.add_argument("id", nargs="?", help="the token's ID from 'token list'")
        revoke.add_argument("--user", default="", help="with --all: whose tokens to revoke")
        revoke.add_argument(
            "--all", action="store_true", help="revoke every token of --user USERNAME"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The command line speaks English like its help; pages speak Japanese.
        with translation.override("en"):
            try:
                getattr(self, f"_{options['subcommand']}")(options)
            except tokens.TokenError as exc:
                raise CommandError(str(exc)) from None

    def _issue(self, options: dict[str, Any]) -> None:
        issued = tokens.issue_token(None, options["username"], options["name"], options["days"])
        self.stderr.write(
            f"token {issued.token.pk} for {issued.token.staff.username}, "
            f"expires {_when(issued.token.expires)}; it is shown only now:"
        )
        self.stdout.write(issued.secret)

    def _list(self, options: dict[str, Any]) -> None:
        rows = tokens.list_tokens(None, username=options["user"])
        if not rows:
            self.stdout.write("no tokens")
            return
        header = ("ID", "PREFIX", "OWNER", "NAME", "CREATED", "EXPIRES", "LAST USED", "STATE")
        table = [header] + [
            (
                str(r.id),
                r.prefix,
                r.owner,
                r.name,
                _when(r.created),
                _when(r.expires),
                _when(r.last_used),
                str(r.state)
                + (f" {_when(r.revoked)} by {r.revoked_by or 'command line'}" if r.revoked else ""),
            )
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
        for row in table:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))

    def _revoke(self, options: dict[str, Any]) -> None:
        if options["all"]:
            if options["id"] is not None:
                raise CommandError("give either a token ID or --user USERNAME --all, not both.")
            if not options["user"]:
                raise CommandError("--all needs --user USERNAME: whose tokens to revoke.")
            revoked = tokens.revoke_all_tokens(None, options["user"])
            if not revoked:
                self.stdout.write(f"{options['user']} has no token left to revoke")
                return
            ids = ", ".join(str(t.pk) for t in revoked)
            self.stdout.write(f"revoked {len(revoked)} token(s) of {options['user']}: {ids}")
            return
        if options["user"]:
            raise CommandError("--user goes with --all; to revoke one token give only its ID.")
        if options["id"] is None:
            raise CommandError(
                "give the token ID to revoke (see 'tsunagari token list'), "
                "or --user USERNAME --all."
            )
        token = tokens.revoke_token(None, options["id"])
        self.stdout.write(f"revoked token {token.pk} ({token.prefix}…, {token.staff.username})")
