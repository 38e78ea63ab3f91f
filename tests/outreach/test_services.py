"""The outreach actions: where targets come from, the state rules, the
contact log with its escalation, the offline version check, and who may act."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.outreach.conftest import contact, meet
from tsunagari.accounts.models import Agency, Staff
from tsunagari.cases.models import Case, Regime, TeamAgency
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.linkage.models import CandidateStatus
from tsunagari.outreach.models import OutreachTarget, Source, State, TargetKind, Tip
from tsunagari.outreach.services import (
    ConnectInput,
    OutreachError,
    StaleVersion,
    TipInput,
    close_target,
    connect_target,
    create_target_from_candidate,
    create_target_from_consultation,
    create_target_from_need,
    identify_target,
    log_contact,
    move_state,
    pause_target,
    send_tip,
)

pytestmark = pytest.mark.django_db


def kinds(target: OutreachTarget) -> list[str]:
    return list(DomainEvent.objects.filter(object_type="outreach.outreachtarget",
                                           object_id=str(target.pk)).order_by("pk")
                .values_list("kind", flat=True))  # fmt: skip


def test_it_makes_a_target_from_a_picked_up_need_once(ward: Any, personas: Any) -> None:
    target = create_target_from_need(personas["outreach"], ward["need"].pk)
    assert (target.source, target.person, target.state) == (Source.NEED, ward["alone"], State.NEW)
    assert target.worker == personas["outreach"]
    assert kinds(target) == [EventKind.OUTREACH_TARGET_ADDED]
    with pytest.raises(OutreachError):
        create_target_from_need(personas["outreach"], ward["need"].pk)


def test_it_refuses_a_need_someone_else_picked_up(ward: Any, personas: Any) -> None:
    other = Staff.objects.create(username="outreach2", agency=personas["outreach"].agency,
                                 roles=["outreach"])  # fmt: skip
    with pytest.raises(OutreachError):
        create_target_from_need(other, ward["need"].pk)


def test_it_makes_a_household_target_only_from_a_candidate_passed_to_outreach(
    ward: Any, personas: Any
) -> None:
    candidate = ward["candidate"]
    candidate.status = CandidateStatus.NOT_NEEDED
    candidate.save()
    with pytest.raises(OutreachError):
        create_target_from_candidate(personas["outreach"], candidate.pk)
    candidate.status = CandidateStatus.REFERRED
    candidate.save()
    target = create_target_from_candidate(personas["outreach"], candidate.pk)
    assert target.kind == TargetKind.HOUSEHOLD and target.person == ward["sealed"]
    assert target.source == Source.CANDIDATE and target.household is not None


def test_it_makes_a_target_from_a_consultation_whose_person_was_not_reached(
    ward: Any, personas: Any
) -> None:
    consultation = ward["consultation"]
    consultation.outcome = "resolved"
    consultation.save()
    with pytest.raises(OutreachError):
        create_target_from_consultation(personas["outreach"], consultation.pk)
    consultation.outcome = "outreach"
    consultation.save()
    target = create_target_from_consultation(personas["outreach"], consultation.pk)
    assert target.source == Source.CONSULTATION


def test_a_tip_gives_its_sender_a_reference_and_the_team_a_partial_target(
    ward: Any, personas: Any
) -> None:
    tip = send_tip(personas["commissioner"], TipInput(
        tipster="commissioner", town="北砂", address="北砂三丁目の都営住宅3号棟",
        description="高齢の男性。新聞がたまっている。"))  # fmt: skip
    assert tip.reference.startswith("T") and tip.reference.endswith(f"{tip.pk:05d}")
    target = OutreachTarget.objects.get(tip=tip)
    assert target.kind == TargetKind.PARTIAL and target.person is None and target.worker is None
    assert DomainEvent.objects.filter(kind=EventKind.OUTREACH_TIP_RECEIVED).count() == 1


def test_a_tip_needs_where_and_what(personas: Any) -> None:
    with pytest.raises(OutreachError) as exc:
        send_tip(personas["commissioner"], TipInput(tipster="commissioner"))
    assert set(exc.value.errors) == {"address", "description"}
    assert not Tip.objects.exists()


def test_a_council_member_may_not_send_a_tip(personas: Any) -> None:
    with pytest.raises(PermissionDenied):
        send_tip(personas["council"], TipInput(tipster="neighbour", town="北砂", description="x"))


def test_the_first_attempt_moves_a_new_target_to_trying_and_a_meeting_to_in_contact(
    target: OutreachTarget, personas: Any
) -> None:
    staff = personas["outreach"]
    log_contact(staff, target.pk, contact())
    target.refresh_from_db()
    assert target.state == State.TRYING
    meet(staff, target)
    target.refresh_from_db()
    assert target.state == State.IN_CONTACT
    assert kinds(target).count(EventKind.OUTREACH_STATE_CHANGED) == 2
    assert kinds(target).count(EventKind.OUTREACH_CONTACT_LOGGED) == 2


def test_building_trust_needs_a_meeting(target: OutreachTarget, personas: Any) -> None:
    staff = personas["outreach"]
    log_contact(staff, target.pk, contact())
    with pytest.raises(OutreachError) as exc:
        move_state(staff, target.pk, State.IN_CONTACT)
    assert "会えた" in exc.value.errors["state"]
    meet(staff, target)
    move_state(staff, target.pk, State.BUILDING_TRUST)
    target.refresh_from_db()
    assert target.state == State.BUILDING_TRUST


def test_a_move_that_skips_a_step_names_the_allowed_ones(
    target: OutreachTarget, personas: Any
) -> None:
    with pytest.raises(OutreachError) as exc:
        move_state(personas["outreach"], target.pk, State.BUILDING_TRUST)
    assert "接触を試みている" in exc.value.errors["state"]


@pytest.mark.parametrize("to", [State.CONNECTED, State.CLOSED, State.PAUSED])
def test_connected_closed_and_paused_are_not_plain_moves(
    target: OutreachTarget, personas: Any, to: str
) -> None:
    with pytest.raises(OutreachError):
        move_state(personas["outreach"], target.pk, to)


def test_no_connection_without_a_handover_note(target: OutreachTarget, personas: Any) -> None:
    staff = personas["outreach"]
    meet(staff, target)
    with pytest.raises(OutreachError) as exc:
        connect_target(staff, target.pk, ConnectInput(to="agency", agency="lsc-16"))
    assert set(exc.value.errors) == {"handover_note"}
    connect_target(staff, target.pk, ConnectInput(to="agency", agency="lsc-16",
                                                  handover_note="介護保険の申請を支援。"))  # fmt: skip
    target.refresh_from_db()
    assert target.state == State.CONNECTED and target.handover_agency.code == "lsc-16"  # type: ignore[union-attr]
    assert EventKind.OUTREACH_CONNECTED in kinds(target)


def test_no_connection_before_anyone_was_met(target: OutreachTarget, personas: Any) -> None:
    with pytest.raises(OutreachError) as exc:
        connect_target(personas["outreach"], target.pk, ConnectInput(
            to="agency", agency="lsc-16", handover_note="x"))  # fmt: skip
    assert "state" in exc.value.errors


def test_it_connects_only_to_an_open_case_about_the_person(
    ward: Any, target: OutreachTarget, personas: Any
) -> None:
    staff = personas["outreach"]
    meet(staff, target)
    mac = Agency.objects.get(code="mac-01")
    other = Case.objects.create(person=ward["sealed"], regime=Regime.LAYERED,
                                lead=personas["coordinator"], opened_by=personas["coordinator"],
                                opened_agency=mac)  # fmt: skip
    with pytest.raises(OutreachError) as exc:
        connect_target(staff, target.pk, ConnectInput(to="case", case=str(other.pk),
                                                      handover_note="x"))  # fmt: skip
    assert "case" in exc.value.errors
    case = Case.objects.create(person=ward["alone"], regime=Regime.LAYERED,
                               lead=personas["coordinator"], opened_by=personas["coordinator"],
                               opened_agency=mac)  # fmt: skip
    connect_target(staff, target.pk, ConnectInput(to="case", case=str(case.pk),
                                                  handover_note="8050の疑い。"))  # fmt: skip
    target.refresh_from_db()
    assert target.case == case and target.state == State.CONNECTED


def test_no_closing_without_a_reason_and_other_needs_a_note(
    target: OutreachTarget, personas: Any
) -> None:
    staff = personas["outreach"]
    with pytest.raises(OutreachError):
        close_target(staff, target.pk, "")
    with pytest.raises(OutreachError) as exc:
        close_target(staff, target.pk, "other")
    assert "note" in exc.value.errors
    close_target(staff, target.pk, "moved")
    target.refresh_from_db()
    assert target.state == State.CLOSED and target.close_reason == "moved"
    assert EventKind.OUTREACH_CLOSED in kinds(target)
    with pytest.raises(OutreachError):
        move_state(staff, target.pk, State.TRYING)
    with pytest.raises(OutreachError):
        log_contact(staff, target.pk, contact())


def test_pausing_needs_a_date_after_today_and_a_contact_resumes(
    target: OutreachTarget, personas: Any
) -> None:
    staff = personas["outreach"]
    with pytest.raises(OutreachError):
        pause_target(staff, target.pk, "")
    with pytest.raises(OutreachError):
        pause_target(staff, target.pk, timezone.localdate().isoformat())
    until = timezone.localdate() + timedelta(days=30)
    pause_target(staff, target.pk, until.isoformat(), "入院中")
    target.refresh_from_db()
    assert target.state == State.PAUSED and target.pause_until == until
    assert EventKind.OUTREACH_PAUSED in kinds(target)
    log_contact(staff, target.pk, contact())
    target.refresh_from_db()
    assert target.state == State.TRYING and target.pause_until is None


def test_an_immediate_risk_asks_for_who_was_told(target: OutreachTarget, personas: Any) -> None:
    staff = personas["outreach"]
    with pytest.raises(OutreachError) as exc:
        log_contact(staff, target.pk, contact(risks=["no_answer_mail"]))
    assert "報告した相手" in exc.value.errors["told"]
    assert not target.contacts.exists()
    done = log_contact(staff, target.pk, contact(risks=["no_answer_mail", "hoarding"],
                                                  told="地域包括 長寿 良子、深川警察署"))  # fmt: skip
    assert done.told_at is not None and done.risks == ["no_answer_mail", "hoarding"]
    assert EventKind.OUTREACH_RISK_ESCALATED in kinds(target)


def test_a_risk_that_is_not_immediate_needs_no_escalation(
    target: OutreachTarget, personas: Any
) -> None:
    done = log_contact(personas["outreach"], target.pk, contact(risks=["hoarding"]))
    assert EventKind.OUTREACH_RISK_ESCALATED not in kinds(target) and done.told == ""


def test_a_note_written_against_an_older_version_is_refused(
    target: OutreachTarget, personas: Any
) -> None:
    staff = personas["outreach"]
    version = target.version
    log_contact(staff, target.pk, contact(), version=version)
    with pytest.raises(StaleVersion):
        log_contact(staff, target.pk, contact(result="met"), version=version)
    assert target.contacts.count() == 1


def test_a_note_sent_twice_is_recorded_once(target: OutreachTarget, personas: Any) -> None:
    staff = personas["outreach"]
    first = log_contact(staff, target.pk, contact(client_ref="abc-1"), version=target.version)
    again = log_contact(staff, target.pk, contact(client_ref="abc-1"), version=target.version)
    assert first.pk == again.pk and target.contacts.count() == 1


def test_a_contact_cannot_be_dated_in_the_future(target: OutreachTarget, personas: Any) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(OutreachError) as exc:
        log_contact(personas["outreach"], target.pk, contact(on=tomorrow))
    assert "on" in exc.value.errors


@pytest.mark.parametrize("username", ["consultant.elderly", "coordinator", "participation",
                                      "commissioner", "council", "outsider"])  # fmt: skip
def test_only_the_outreach_team_works_a_target(
    target: OutreachTarget, personas: Any, username: str
) -> None:
    with pytest.raises(PermissionDenied):
        log_contact(personas[username], target.pk, contact())
    with pytest.raises(PermissionDenied):
        close_target(personas[username], target.pk, "moved")


def test_it_ties_a_partial_target_to_a_person_found_by_the_look_up(
    ward: Any, personas: Any
) -> None:
    staff = personas["outreach"]
    tip = send_tip(personas["commissioner"], TipInput(tipster="neighbour", town="北砂",
                                                      address="北砂荘203", description="x"))  # fmt: skip
    target = OutreachTarget.objects.get(tip=tip)
    with pytest.raises(OutreachError):
        identify_target(staff, target.pk, "鈴木 花子", ward["alone"].pk)
    identify_target(staff, target.pk, "タナカ イチロウ 1950-05-05", ward["alone"].pk)
    target.refresh_from_db()
    assert target.person == ward["alone"] and target.address == ""
    assert EventKind.OUTREACH_TARGET_IDENTIFIED in kinds(target)


def test_the_case_team_sees_a_target_connected_to_its_case(
    ward: Any, target: OutreachTarget, personas: Any
) -> None:
    from tsunagari.accounts.policy import Action, allowed

    staff = personas["outreach"]
    meet(staff, target)
    mac = Agency.objects.get(code="mac-01")
    case = Case.objects.create(person=ward["alone"], regime=Regime.LAYERED,
                               lead=personas["coordinator"], opened_by=personas["coordinator"],
                               opened_agency=mac)  # fmt: skip
    TeamAgency.objects.create(case=case, agency=mac)
    target.refresh_from_db()
    assert not allowed(personas["coordinator"], Action.VIEW_PERSONAL_DATA, target)
    connect_target(staff, target.pk, ConnectInput(to="case", case=str(case.pk), handover_note="x"))
    target.refresh_from_db()
    assert allowed(personas["coordinator"], Action.VIEW_PERSONAL_DATA, target)
    assert not allowed(personas["consultant.elderly"], Action.VIEW_PERSONAL_DATA, target)
