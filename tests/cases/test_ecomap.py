"""The household map (エコマップ): drawn from the case's data as SVG, with a text
equivalent; names only as the presenter shows them, never an address."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from tests.cases.conftest import ADDRESS, PHONE, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.cases.ecomap import household_map
from tsunagari.cases.models import Case, Regime, TeamAgency
from tsunagari.people.presenter import Purpose, present_people

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16", "cfc-03")


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, list(TEAM))
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def _svg(page: str) -> str:
    found = re.search(r"<svg .*?</svg>", page, re.S)
    assert found is not None
    return found.group(0)


def test_the_map_draws_the_household_and_the_team_with_a_text_equivalent(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    client = client_for("consultant.elderly")
    client.post(f"/cases/{sm_case.pk}/confidentiality/")
    page = client.get(f"/cases/{sm_case.pk}/").content.decode()
    svg = _svg(page)
    root = ElementTree.fromstring(svg)  # noqa: S314 -- our own output, checked well-formed
    assert root.get("role") == "img" and root.get("aria-labelledby") == "map-title map-desc"
    # both persons, in one household enclosure, and every team agency joined to it
    assert "高橋　ふみ" in svg and "高橋　健二" in svg and "同居" in svg
    lines = root.findall("{http://www.w3.org/2000/svg}line")
    assert len(lines) == len(TEAM)
    # the lead's agency (the longevity centre) is marked, in the picture and the text
    assert "主担当・lsc-16の役割" in svg
    assert "（主担当の機関）" in page
    # the sealed household's address and phone are never drawn nor described
    assert ADDRESS not in page and PHONE not in page
    # the text equivalent lists the persons and agencies
    assert "高橋　健二（子）、同居" in page


def test_a_person_the_viewer_may_not_see_is_drawn_without_a_name(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    # the disability office is outside the team and the meeting: the presenter hides names
    outsider = personas["consultant.disability"]
    views = {v.id: v for v in present_people(outsider, [ward["mother"], ward["son"]], Purpose.LIST)}
    drawn = household_map(sm_case, views)
    assert "高橋" not in drawn.svg and "（表示できない方）" in drawn.svg
    assert all("高橋" not in line for line in drawn.persons)


def test_typed_roles_cannot_break_out_of_the_picture(
    ward: dict[str, Any], sm_case: Case, personas: dict[str, Staff]
) -> None:
    TeamAgency.objects.filter(case=sm_case, agency__code="srs-01").update(
        role='<script>x</script>&"'
    )
    views = {
        v.id: v for v in present_people(personas["coordinator"], [ward["mother"]], Purpose.VIEW)
    }
    drawn = household_map(sm_case, views)
    assert "<script>" not in drawn.svg
    ElementTree.fromstring(drawn.svg)  # noqa: S314 -- our own output
