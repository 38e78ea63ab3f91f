"""Opening a case under each regime, its refusals, stage moves, closure and reopening."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.cases.conftest import consent_for, meeting_for, open_for, team
from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, allowed
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import Case, CaseState, Regime, Stage
from tsunagari.cases.services import (
    CaseError,
    CaseInput,
    EndInput,
    TeamInput,
    add_agency,
    change_regime,
    end_case,
    move_stage,
    open_case,
    reopen_case,
)
from tsunagari.consent.services import WithdrawalInput, end_support_meeting, withdraw_consent
from tsunagari.consultations.access import need_basis
from tsunagari.events.models import DomainEvent, EventKind

SM, LAYERED = Regime.SUPPORT_MEETING, Regime.LAYERED
TEAM = ("mac-01", "srs-01", "lsc-16")


def test_it_opens_a_support_meeting_case_for_the_meetings_members(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    # given a confirmed 支援会議 decision with the three agencies and the son
    meeting = meeting_for(ward, personas, list(TEAM))
    # when the coordinator opens a case from the need they picked up
    case = open_for(ward, personas, SM, TEAM)
    # then it relies on the decision, with its team, lead and the son concerned
    assert case.support_meeting == meeting and case.stage == Stage.INTAKE
    assert sorted(case.team.values_list("agency__code", flat=True)) == sorted(TEAM)
    assert case.lead == personas["consultant.elderly"]
    assert list(case.members.values_list("person_id", flat=True)) == [ward["son"].pk]
    # and every person concerned has the named event, audited in the same step
    opened = DomainEvent.objects.filter(kind=EventKind.CASE_OPENED, object_id=str(case.pk))
    assert set(opened.values_list("person_id", flat=True)) == {ward["mother"].pk, ward["son"].pk}
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                     action="create").exists()  # fmt: skip
    # and the case grants no links of its own
    from tsunagari.people.models import AgencyLink

    assert not AgencyLink.objects.filter(note__startswith="case:").exists()


def test_it_refuses_a_support_meeting_case_with_an_agency_outside_the_meeting(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    # given a decision without the disability office
    meeting_for(ward, personas, list(TEAM))
    # when the coordinator puts the disability office on the team
    with pytest.raises(CaseError) as exc:
        open_for(ward, personas, SM, (*TEAM, "dis-02"))
    # then it is refused, naming the agency, and nothing is written
    named = Agency.objects.get(code="dis-02").name
    assert named in exc.value.errors["team"] and "構成機関ではない" in exc.value.errors["team"]
    assert not Case.objects.exists()


def test_it_refuses_a_support_meeting_case_without_a_confirmed_decision(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    with pytest.raises(CaseError) as exc:
        open_for(ward, personas, SM, TEAM)
    assert "支援会議の決定がありません" in exc.value.errors["regime"]


def test_it_refuses_a_layered_case_without_covering_consent(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    # given the mother's consent names the coordinator and the centre, not lsc-16
    consent_for(ward, personas, ["mac-01", "srs-01"])
    # when the case puts lsc-16 on the team
    with pytest.raises(CaseError) as exc:
        open_for(ward, personas, LAYERED, TEAM)
    # then the reason names the uncovered agency
    assert "含んでいません" in exc.value.errors["team"]
    assert Agency.objects.get(code="lsc-16").name in exc.value.errors["team"]
    assert Agency.objects.get(code="srs-01").name not in exc.value.errors["team"]
    assert not Case.objects.exists()


def test_it_refuses_a_layered_case_when_a_member_concerned_did_not_agree(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    consent_for(ward, personas, list(TEAM), son=False)
    with pytest.raises(CaseError) as exc:
        open_for(ward, personas, LAYERED, TEAM)
    assert "高橋　健二" in exc.value.errors["members"]


def test_it_refuses_to_add_an_agency_the_consent_does_not_cover(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    # given a layered case with covering consent
    consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, LAYERED, TEAM)
    # when the coordinator adds the disability office
    with pytest.raises(CaseError) as exc:
        add_agency(personas["coordinator"], case.pk, "dis-02", "障害福祉サービス")
    # then it is refused naming the agency, and the team is unchanged
    assert "含んでいません" in exc.value.errors["team"]
    assert case.team.count() == len(TEAM)
    assert not DomainEvent.objects.filter(kind=EventKind.CASE_AGENCY_ADDED).exists()


def test_it_adds_an_agency_the_meeting_includes(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    case = open_for(ward, personas, SM, TEAM)
    add_agency(personas["coordinator"], case.pk, "dis-02", "障害福祉サービス")
    assert case.team.filter(agency__code="dis-02", role="障害福祉サービス").exists()
    assert DomainEvent.objects.filter(kind=EventKind.CASE_AGENCY_ADDED).count() == 2


def test_it_refuses_moving_into_the_layered_regime_without_consent(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    with pytest.raises(CaseError) as exc:
        change_regime(personas["coordinator"], case.pk, LAYERED)
    assert "含んでいません" in exc.value.errors["team"]
    case.refresh_from_db()
    assert case.regime == SM
    # and once the consent covers the team, the move is made and recorded
    consent_for(ward, personas, list(TEAM))
    change_regime(personas["coordinator"], case.pk, LAYERED)
    case.refresh_from_db()
    assert case.regime == LAYERED and case.consent is not None
    assert DomainEvent.objects.filter(kind=EventKind.CASE_REGIME_CHANGED).count() == 2


def test_it_moves_the_stage_one_step_at_a_time_and_writes_events(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    coordinator = personas["coordinator"]
    move_stage(coordinator, case.pk, Stage.ASSESSMENT)
    move_stage(coordinator, case.pk, Stage.PLAN)
    move_stage(coordinator, case.pk, Stage.ASSESSMENT)
    for bad in (Stage.MONITORING, Stage.CLOSED, "終結", "x" * 10_000, "", None):
        with pytest.raises(CaseError):
            move_stage(coordinator, case.pk, bad)  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    moves = DomainEvent.objects.filter(kind=EventKind.CASE_STAGE_MOVED, person=ward["mother"])
    assert [e.data["stage_to"] for e in moves.order_by("pk")] == [
        "assessment",
        "plan",
        "assessment",
    ]


def test_it_closes_with_a_handover_and_reopens_at_the_stage_it_had(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    coordinator = personas["coordinator"]
    move_stage(coordinator, case.pk, Stage.ASSESSMENT)
    # a handover without the agency is refused
    with pytest.raises(CaseError) as exc:
        end_case(coordinator, case.pk, EndInput(state="closed", reason="handed_over"))
    assert "handover_agency" in exc.value.errors
    # when it is closed, handing over to the longevity centre
    end_case(coordinator, case.pk, EndInput(state="closed", reason="handed_over",
             handover_agency="lsc-16", handover_note="母の介護保険の利用を継続"))  # fmt: skip
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.stage == Stage.CLOSED
    # and the coordinator's basis from the need ends with the case
    assert need_basis(coordinator, person_id=ward["mother"].pk) is None
    assert case.handover_agency is not None and case.handover_agency.code == "lsc-16"
    # a closed case does not move
    with pytest.raises(CaseError):
        move_stage(coordinator, case.pk, Stage.PLAN)
    # when it is reopened, it returns to the stage it had
    reopen_case(coordinator, case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and case.stage == Stage.ASSESSMENT
    assert need_basis(coordinator, person_id=ward["mother"].pk) == case.need
    kinds = list(DomainEvent.objects.filter(object_type="cases.case", person=ward["mother"])
                 .order_by("pk").values_list("kind", flat=True))  # fmt: skip
    assert kinds == ["case.opened", "case.worker_assigned", "case.confidentiality",
                     "case.stage_moved", "case.closed", "case.reopened"]  # fmt: skip


def test_it_suspends_a_case_keeping_its_stage(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    end_case(personas["coordinator"], case.pk,
             EndInput(state="suspended", reason="no_contact", note="3か月連絡がつかない"))  # fmt: skip
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED and case.stage == Stage.INTAKE
    assert DomainEvent.objects.filter(kind=EventKind.CASE_SUSPENDED).count() == 2


def test_it_refuses_bad_closures(ward: dict[str, Any], personas: dict[str, Staff]) -> None:
    meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    coordinator = personas["coordinator"]
    bad = [
        EndInput(state="deleted", reason="resolved"),
        EndInput(state="closed", reason="because"),
        EndInput(state="closed", reason="other"),  # "other" needs the note
        EndInput(state="closed", reason="resolved", note="x" * 501),
        EndInput(state="closed", reason="resolved", handover_agency="nope"),
        EndInput(state="closed", reason="resolved", handover_note="引き継ぎ先なし"),
        EndInput(state="closed", reason="resolved", note="\x00"),
    ]
    for data in bad:
        with pytest.raises(CaseError):
            end_case(coordinator, case.pk, data)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_it_refuses_another_staff_members_need_and_a_second_case(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    # a coordinator who did not pick up the need is refused, with the reason, and it is audited
    with pytest.raises(PermissionDenied) as exc:
        open_case(ward["srs_coordinator"], ward["need"].pk,
                  CaseInput(regime=SM, team=team("srs-01", "mac-01")))  # fmt: skip
    assert "対応を始めた職員" in str(exc.value)
    assert AuditEvent.objects.filter(action="denied", object_type="consultations.need").exists()
    # a consultant without the coordinating role is refused
    with pytest.raises(PermissionDenied):
        open_case(personas["consultant.self"], ward["need"].pk, CaseInput(regime=SM))
    # an unknown need
    with pytest.raises(CaseError):
        open_case(personas["coordinator"], 999_999, CaseInput(regime=SM, team=team("mac-01")))
    # one case per need
    open_for(ward, personas, SM, TEAM)
    with pytest.raises(CaseError) as second:
        open_for(ward, personas, SM, TEAM)
    assert "すでに事例があります" in second.value.errors["need"]


def test_it_refuses_hostile_team_lead_and_member_input(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting_for(ward, personas, list(TEAM))
    coordinator, need = personas["coordinator"], ward["need"].pk
    cases = [
        CaseInput(regime=SM, team=[]),
        CaseInput(regime="支援会議", team=team(*TEAM)),
        CaseInput(regime=SM, team=team("srs-01", "lsc-16")),  # without the opener's agency
        CaseInput(regime=SM, team=team("mac-01", "mac-01")),
        CaseInput(regime=SM, team=team(*[f"x{i}" for i in range(50)])),
        CaseInput(regime=SM, team=team("mac-01", "x" * 100_000)),
        CaseInput(regime=SM, team=team(*TEAM), lead="consultant.disability"),
        CaseInput(regime=SM, team=team(*TEAM), lead="outsider"),
        CaseInput(regime=SM, team=team(*TEAM), members=["1 OR 1=1"]),
        CaseInput(regime=SM, team=team(*TEAM), members=[str(ward["mother"].pk)]),
        CaseInput(regime=SM, team=team(*TEAM), members=["1"] * 100),
        CaseInput(regime=SM, team=[TeamInput("mac-01", "役" * 61)]),
    ]
    for data in cases:
        with pytest.raises(CaseError):
            open_case(coordinator, need, data)
    assert not Case.objects.exists()


def test_it_closes_access_when_the_basis_ends(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    # given a layered case, and a 支援会議 case
    consent = consent_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, LAYERED, TEAM)
    elderly = personas["consultant.elderly"]
    assert allowed(elderly, Action.VIEW_PERSONAL_DATA, case)
    # when the mother withdraws her consent
    withdraw_consent(personas["consultant.self"], consent.pk,
                     WithdrawalInput(said_on=consent.given_on.isoformat(), channel="phone",
                                     told_to="自立"))  # fmt: skip
    # then the covered agencies lose the case the same day
    assert not allowed(elderly, Action.VIEW_PERSONAL_DATA, case)
    assert not allowed(personas["coordinator"], Action.WORK_CASES, case)


def test_it_closes_a_support_meeting_case_to_all_when_the_meeting_ends(
    ward: dict[str, Any], personas: dict[str, Staff]
) -> None:
    meeting = meeting_for(ward, personas, list(TEAM))
    case = open_for(ward, personas, SM, TEAM)
    assert allowed(personas["consultant.elderly"], Action.VIEW_PERSONAL_DATA, case)
    end_support_meeting(personas["coordinator"], meeting.pk, reason="終了")
    assert not allowed(personas["consultant.elderly"], Action.VIEW_PERSONAL_DATA, case)
