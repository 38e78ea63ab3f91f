"""Plan templates for common patterns: data, checked; they fill the form only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tests.cases.conftest import meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.cases import templates_data
from tsunagari.cases.models import Case, Regime, SupportPlan
from tsunagari.consultations.limits import working_calendar
from tsunagari.lib import clock

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16")


def test_the_four_patterns_are_there_and_valid() -> None:
    codes = {t.code for t in templates_data.plan_templates()}
    assert {"8050", "double_care", "young_carer", "debt_hikikomori"} <= codes
    for t in templates_data.plan_templates():
        assert t.goals and t.actions and t.review_days > max(a.days for a in t.actions)


def test_a_bad_template_file_is_refused_with_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("templates:\n  - {code: x, name: x, review_days: 10, goals: [g],\n"
                   "     actions: [{text: a, kind: spaceship, days: 3}]}\n", encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(templates_data, "TEMPLATES", bad)
    templates_data.plan_templates.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="action 1: unknown kind 'spaceship'"):
            templates_data.plan_templates()
    finally:
        monkeypatch.undo()
        templates_data.plan_templates.cache_clear()


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, list(TEAM))
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def test_a_template_fills_the_form_with_team_agencies_and_working_days(
    sm_case: Case, client_for: Clients
) -> None:
    client = client_for("coordinator")
    page = client.get(f"/cases/{sm_case.pk}/plan/?template=8050").content.decode()
    # nothing is saved by choosing it
    assert not SupportPlan.objects.exists()
    assert 'value="この家で親子で暮らし続けたい"' in page
    due = working_calendar().add_working_days(clock.today(), 10).isoformat()
    assert f'value="{due}"' in page
    # each action goes to the team agency of its kind
    selected = re.findall(r'<option value="([\w-]+)" selected>', page)
    assert selected[1:4] == ["lsc-16", "srs-01", "mac-01"]  # after the template picker
    # an unknown template leaves the form empty
    empty = client.get(f"/cases/{sm_case.pk}/plan/?template=nope").content.decode()
    assert (
        "この家で親子で暮らし続けたい"
        not in empty.split('id="from-template"')[1].split("</form>")[1]
    )
