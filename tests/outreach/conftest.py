"""A small outreach ward: an older man living alone (known through a picked-up
outreach need), a sealed woman and her household, and an early-detection
candidate passed to outreach."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.consultations.models import Consultation, Need, NeedKind
from tsunagari.consultations.services import pick_up_need
from tsunagari.linkage.models import Candidate, CandidateStatus, LinkageRun, RunStatus
from tsunagari.outreach.models import OutreachTarget
from tsunagari.outreach.services import (
    ContactInput,
    create_target_from_need,
    log_contact,
)
from tsunagari.people.models import Household, Membership

SEALED_ADDRESS = "江東区東雲1-9-40 東雲レジデンス805"


@pytest.fixture
def ward(personas: dict[str, Staff]) -> dict[str, Any]:
    alone = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1950-05-05", sex="1",
                        address="江東区北砂三丁目5番1号 北砂荘203", phone="03-3640-0001")  # fmt: skip
    sealed = make_person(name="佐藤　恵", kana="サトウ　メグミ", birth_date="1985-07-01", sex="2",
                         address=SEALED_ADDRESS, phone="080-3333-4444", sealed=True)  # fmt: skip
    child = make_person(name="佐藤　陽", kana="サトウ　ヒナタ", birth_date="2015-01-01", sex="1",
                        address=SEALED_ADDRESS)  # fmt: skip
    house = Household.objects.create(number="H-0805", address=SEALED_ADDRESS)
    Membership.objects.create(household=house, person=sealed, relation="世帯主")
    Membership.objects.create(household=house, person=child, relation="子")
    srs = Agency.objects.get(code="srs-01")
    consultation = Consultation.objects.create(
        agency=srs, received_by=personas["consultant.self"], person=alone,
        notes="近所の方から、最近姿を見ないと相談。", outcome="outreach", status="recorded",
    )  # fmt: skip
    need = Need.objects.create(consultation=consultation, person=alone, kind=NeedKind.OUTREACH,
                               raised_by=personas["consultant.self"], raised_agency=srs)  # fmt: skip
    pick_up_need(personas["outreach"], need.pk)
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    candidate = Candidate.objects.create(
        run=run, pattern="isolated_parent", pattern_ja="孤立した子育て世帯", household_key="h1",
        status=CandidateStatus.REFERRED, decided_by=personas["outreach"], decided_at=timezone.now(),
    )  # fmt: skip
    candidate.members.set([sealed, child])
    return {"alone": alone, "sealed": sealed, "child": child, "need": need,
            "consultation": consultation, "candidate": candidate}  # fmt: skip


@pytest.fixture
def target(ward: dict[str, Any], personas: dict[str, Staff]) -> OutreachTarget:
    return create_target_from_need(personas["outreach"], ward["need"].pk)


def contact(**kwargs: Any) -> ContactInput:
    values: dict[str, Any] = {"on": timezone.localdate().isoformat(), "method": "visit",
                              "result": "no_answer"}  # fmt: skip
    values.update(kwargs)
    return ContactInput(**values)


def meet(staff: Staff, target: OutreachTarget) -> None:
    log_contact(staff, target.pk, contact(result="met", living="一人暮らし。"))
