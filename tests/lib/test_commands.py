from __future__ import annotations

import pytest
from django.core.management import load_command_class

from tsunagari.lib.commands import FileCommand


@pytest.mark.parametrize(
    ("app", "name"),
    [
        ("tsunagari.linkage", "link"),
        ("tsunagari.linkage", "detect"),
        ("tsunagari.surveys", "survey"),
    ],
)
def test_it_runs_the_file_commands_without_database_checks(app: str, name: str) -> None:
    command = load_command_class(app, name)
    assert isinstance(command, FileCommand)
    assert command.requires_system_checks == []
    assert command.requires_migrations_checks is False
