"""Sealing from a report hides the address everywhere (through the presenter),
and the access walk covers the team's pages with a sealed person on them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.people.conftest import make_person
from tests.safeguarding.conftest import ADDRESS, report_on
from tests.test_disclosure_walk import _api_gets, _body, _named, _pages
from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditEvent
from tsunagari.people.models import Household, Membership, Person
from tsunagari.safeguarding.services import (
    AdvocacyInput,
    SafetyPlanInput,
    open_advocacy,
    record_safety_plan,
    seal_address,
)

TRACES = ("北砂コーポ", "03-3644-5151", "0336445151")


@pytest.fixture
def household(elder: Person) -> Person:
    """The elder's grandson lives with her (the household shares the address)."""
    grandson = make_person(name="木村　翼", kana="キムラ　ツバサ", birth_date="2001-02-03", sex="1",
                           address=ADDRESS, phone="03-3644-5151")  # fmt: skip
    home = Household.objects.create(number="H-19", address=ADDRESS)
    Membership.objects.create(household=home, person=elder, relation="世帯主")
    Membership.objects.create(household=home, person=grandson, relation="孫")
    return grandson


def _seen_by_lsc(client: Any, *people: Person) -> str:
    urls = [f"/people/{p.pk}/" for p in people] + [f"/people/{p.pk}/export.csv" for p in people]
    urls += [f"/api/people/{p.pk}" for p in people] + ["/people/?q=キムラ"]
    return "\n".join(_body(client.get(u)) for u in urls)


def test_it_hides_the_address_everywhere_once_sealed_from_a_report(
    client_for: Any, personas: dict[str, Staff], elder: Person, household: Person
) -> None:
    client = client_for("consultant.elderly")  # lsc-16 serves the elder
    before = _seen_by_lsc(client, elder, household)
    assert "北砂コーポ" in before  # the assumption: visible before the seal
    report = report_on(personas["consultant.elderly"], elder, law="dv")
    seal_address(personas["safeguarding"], report.pk)
    after = _seen_by_lsc(client, elder, household)
    assert "木村" in after
    for trace in TRACES:
        assert trace not in after, trace


WALKED = ["admin", "planner", "coordinator", "consultant.elderly", "consultant.disability",
          "consultant.child", "supervisor.elderly", "commissioner", "council", "outsider",
          "safeguarding"]  # fmt: skip


@pytest.mark.parametrize("username", WALKED)
def test_it_walks_every_page_with_a_sealed_person_on_a_report(
    client_for: Any, personas: dict[str, Staff], elder: Person, household: Person, username: str
) -> None:
    report = report_on(personas["consultant.elderly"], elder, law="dv")
    seal_address(personas["safeguarding"], report.pk)
    record_safety_plan(personas["safeguarding"], report.pk, SafetyPlanInput(measures="予約制"))
    advocacy = open_advocacy(personas["safeguarding"], AdvocacyInput(person=str(elder.pk),
                                                                     reason="金銭管理"))  # fmt: skip
    ids = {"report_id": [report.pk], "advocacy_id": [advocacy.pk],
           "person_id": [elder.pk, household.pk]}  # fmt: skip
    urls = [u for u in _pages(ids) if u.startswith(("/safeguarding/", "/people/"))]
    assert f"/safeguarding/{report.pk}/" in urls
    urls += [u for u in _api_gets(ids) if "people" in u]
    client = client_for(username)
    designated = Action.VIEW_SEALED_CONTACT in actions_for(personas[username])
    names = {str(elder.pk): elder.full_name, str(household.pk): household.full_name}
    problems = []
    for url in urls:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        body = _body(client.get(url))
        if not designated:
            problems += [f"{url}: sealed trace {t}" for t in TRACES if t in body]
        shown = {pid for pid, name in names.items() if name in body}
        if shown - _named(last):
            problems.append(f"{url}: shows {shown - _named(last)} without an audit event")
    assert not problems, "\n".join(problems)


def test_it_hides_a_sealed_address_from_a_team_member_without_the_seal_designation(
    personas: dict[str, Staff], elder: Person
) -> None:
    from django.test import Client

    from tsunagari.accounts.models import Role

    report = report_on(personas["consultant.elderly"], elder, law="dv")
    seal_address(personas["safeguarding"], report.pk)
    member = Staff.objects.create(username="team.plain", display_name="権利 二", roles=[Role.CONSULTANT],
                                  agency=personas["safeguarding"].agency, safeguarding_access=True)  # fmt: skip
    client = Client()
    client.force_login(member)
    body = client.get(f"/safeguarding/{report.pk}/").content.decode()
    assert "木村" in body and "閲覧制限のため表示しません" in body
    assert not any(t in body for t in TRACES)
    designated = Client()
    designated.force_login(personas["safeguarding"])
    assert "北砂コーポ" in designated.get(f"/safeguarding/{report.pk}/").content.decode()
