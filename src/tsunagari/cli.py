"""The ``tsunagari`` command: Django's management commands with the
project's settings preset, and a help page a new user can follow."""

from __future__ import annotations

import os
import sys

from tsunagari.lib.datadir import data_dir

HELP = """\
tsunagari — つながり: the ward's comprehensive welfare support platform

Usage: tsunagari COMMAND [options]      (tsunagari COMMAND --help for details)

Getting started
  migrate                 create or update the database tables
  demo                    load the synthetic demo ward and print the sign-in accounts
  serve                   serve the site with gunicorn (http://127.0.0.1:8000)

Data and analysis
  link INPUT_DIR --out OUTPUT_DIR          link department extracts into people and households
  detect OUTPUT_DIR                        find households with complex needs in a linkage output
  survey analyse RESPONSES.csv --out DIR   loneliness survey estimates (weighted with --margins)
  survey_import FILE --year YYYY [--map field=column]   import survey responses into the application
  people import REGISTRY.csv               import a resident-registry extract (all-or-nothing)
  resources import FILE                    import an HSDS 3.0 directory (JSON, CSV package or zip)
  resources export --format json|csv OUT [--public]   export the directory as HSDS
  roster load SOURCE FILE | roster rebuild   load a department extract for the evacuation roster; rebuild it from its rules
  indicators --fiscal-year YYYY --out DIR   the plan's indicators and the five programmes' yearly counts (CSV)

Operations
  audit verify            check that no audit event was edited or deleted
  backup [ARCHIVE]        back up the database and the data folder (--verify ARCHIVE checks one)
  restore ARCHIVE         restore a backup into an empty database, then verify the audit chain
  token issue USERNAME    issue an API token for a staff account (expires; --days N)
  token list              list API tokens: owner, purpose, expiry, last use, state
  token revoke ID         revoke an API token (--user USERNAME --all: all of theirs)
  safeguarding clocks     escalate abuse-report clocks that ran over (run hourly, e.g. from cron)
  createsuperuser         create an administrator account
  check --deploy          check the production settings

Settings come from environment variables (DATABASE_URL, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, TSUNAGARI_MODE, TSUNAGARI_DATA_DIR …): see docs/operations.md.
Without TSUNAGARI_DATA_DIR, data are kept in one folder per user,
$XDG_DATA_HOME/tsunagari or ~/.local/share/tsunagari, whatever folder you run in.
Run 'tsunagari help --all' for every command.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        sys.stdout.write(HELP)
        sys.stdout.write(f"\nData folder (database, secret key, uploads): {data_dir()}\n")
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["tsunagari", *args])
    except ImproperlyConfigured as exc:
        # A bad setting stops start-up with one line that names it.
        sys.stderr.write(f"tsunagari: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
