"""ASVS 2.5.4: no account with a published password in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tsunagari.accounts.models import Staff


def test_the_demo_ward_is_refused_in_production_mode(db: None, settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", people=0, verbosity=0)
    # nothing was created: no persona can sign in with the demo password
    assert not Staff.objects.exists()
