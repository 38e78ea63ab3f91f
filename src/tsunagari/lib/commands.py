"""A base for management commands that run an engine on files."""

from __future__ import annotations

from typing import ClassVar

from django.core.management.base import BaseCommand


class FileCommand(BaseCommand):
    """A command that reads and writes files only: no database, so no system or migration checks.

    ``tsunagari link``, ``detect`` and ``survey`` run on an analyst's machine
    that may have no database set up at all.
    """

    requires_system_checks: ClassVar[list[str]] = []  # type: ignore[misc]
    requires_migrations_checks = False
