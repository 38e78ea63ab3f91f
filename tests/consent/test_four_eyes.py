"""Four eyes on 支援会議 decisions: one member records, a second agency confirms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.consent.models import DecisionStatus, SupportMeeting
from tsunagari.consent.services import (
    ConsentError,
    SupportMeetingInput,
    active_support_meeting,
    confirm_support_meeting,
    end_support_meeting,
    is_ward_supervisor,
    pending_support_meetings,
    place_under_support_meeting,
    reject_support_meeting,
    support_meetings_to_confirm,
)
from tsunagari.people.access import is_entitled
from tsunagari.people.models import AgencyLink, Person

REASON = "8050世帯。本人の同意が得られないが支援が必要。"


def _data(**overrides: Any) -> SupportMeetingInput:
    values: dict[str, Any] = {"decided_on": timezone.localdate().isoformat(),
                              "agencies": ["mac-01", "srs-01"], "reason": REASON}  # fmt: skip
    values.update(overrides)
    return SupportMeetingInput(**values)


def _links(person: Person) -> int:
    return AgencyLink.objects.filter(person=person, basis="support_meeting").count()


@pytest.fixture
def pending(deciders: dict[str, Staff], residents: dict[str, Person]) -> SupportMeeting:
    return place_under_support_meeting(deciders["recorder"], residents["jiro"].pk, _data())


def test_it_refuses_a_one_agency_support_meeting(
    deciders: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given the coordinator names only its own agency
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(deciders["recorder"], residents["jiro"].pk,
                                    _data(agencies=["mac-01"]))  # fmt: skip
    # then nothing is recorded and nobody gains access
    assert "2機関以上" in exc.value.errors["agencies"]
    assert SupportMeeting.objects.count() == 0 and _links(residents["jiro"]) == 0


def test_it_refuses_a_meeting_the_recorders_agency_is_not_a_member_of(
    deciders: dict[str, Staff], residents: dict[str, Person]
) -> None:
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(deciders["recorder"], residents["jiro"].pk,
                                    _data(agencies=["srs-01", "dis-02"]))  # fmt: skip
    assert "あなたの機関" in exc.value.errors["agencies"]
    assert SupportMeeting.objects.count() == 0


def test_it_opens_nothing_while_a_decision_is_pending(
    deciders: dict[str, Staff], personas: Any, residents: dict[str, Person], pending: SupportMeeting
) -> None:
    # given a recorded, unconfirmed decision
    assert pending.status == DecisionStatus.PENDING
    # then no member agency sees the person, and no referral may rely on it
    assert _links(residents["jiro"]) == 0
    assert not is_entitled(personas["consultant.self"], residents["jiro"])
    assert not is_entitled(personas["coordinator"], residents["jiro"])
    assert active_support_meeting(residents["jiro"].pk) is None
    # and a second decision for the same person is refused while it waits
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(deciders["recorder"], residents["jiro"].pk, _data())
    assert "確認待ち" in exc.value.errors["person"]


def test_it_refuses_confirmation_by_the_recorder_or_the_recorders_agency(
    deciders: dict[str, Staff], residents: dict[str, Person], pending: SupportMeeting
) -> None:
    with pytest.raises(PermissionDenied, match="自分で記録した"):
        confirm_support_meeting(deciders["recorder"], pending.pk)
    with pytest.raises(PermissionDenied, match="同じ機関"):
        confirm_support_meeting(deciders["same_agency"], pending.pk)
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.PENDING and _links(residents["jiro"]) == 0


def test_it_opens_access_when_another_member_agency_confirms(
    deciders: dict[str, Staff], personas: Any, residents: dict[str, Person], pending: SupportMeeting
) -> None:
    # when the coordinator of 生活サポートセンター, a member, confirms
    confirmer = deciders["other_member"]
    meeting = confirm_support_meeting(confirmer, pending.pk)
    # then both members see the person, and who confirmed and when is kept
    assert meeting.status == DecisionStatus.CONFIRMED
    assert meeting.confirmed_by == confirmer and meeting.confirmed_agency_id == confirmer.agency_id
    assert meeting.confirmed_at is not None
    assert sorted(
        AgencyLink.objects.filter(person=residents["jiro"], basis="support_meeting").values_list(
            "agency__code", flat=True
        )
    ) == ["mac-01", "srs-01"]
    assert is_entitled(personas["consultant.self"], residents["jiro"])
    assert active_support_meeting(residents["jiro"].pk) == meeting
    event = AuditEvent.objects.filter(object_type="consent.supportmeeting").order_by("-seq")[0]
    assert (event.action, event.actor_username, event.agency_code) == (
        "release",
        "coordinator.srs",
        "srs-01",
    )
    # and it cannot be confirmed twice
    with pytest.raises(ConsentError):
        confirm_support_meeting(deciders["ward_supervisor"], pending.pk)


def test_it_lets_the_wards_coordinating_supervisor_confirm_but_not_a_centres(
    deciders: dict[str, Staff], residents: dict[str, Person], pending: SupportMeeting
) -> None:
    assert is_ward_supervisor(deciders["ward_supervisor"])
    assert not is_ward_supervisor(deciders["centre_supervisor"])
    with pytest.raises(PermissionDenied):
        confirm_support_meeting(deciders["centre_supervisor"], pending.pk)
    confirm_support_meeting(deciders["ward_supervisor"], pending.pk)
    assert _links(residents["jiro"]) == 2


def test_it_refuses_confirmation_by_a_non_member_an_outsider_and_a_consultant(
    deciders: dict[str, Staff], personas: Any, residents: dict[str, Person], pending: SupportMeeting
) -> None:
    for who in (deciders["non_member"], personas["outsider"], personas["consultant.self"],
                personas["admin"], personas["council"]):  # fmt: skip
        with pytest.raises(PermissionDenied):
            confirm_support_meeting(who, pending.pk)
        with pytest.raises(PermissionDenied):
            reject_support_meeting(who, pending.pk, reason="勝手に差し戻し")
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.PENDING and _links(residents["jiro"]) == 0


@pytest.mark.parametrize("meeting_id", [0, -1, 999_999, 2**62])
def test_it_refuses_unknown_meeting_ids(deciders: dict[str, Staff], meeting_id: int) -> None:
    with pytest.raises(ConsentError) as exc:
        confirm_support_meeting(deciders["other_member"], meeting_id)
    assert "meeting" in exc.value.errors
    with pytest.raises(ConsentError):
        reject_support_meeting(deciders["other_member"], meeting_id, reason="理由")


def test_it_rejects_a_pending_decision_with_a_reason_and_it_never_opens(
    deciders: dict[str, Staff], residents: dict[str, Person], pending: SupportMeeting
) -> None:
    # given hostile or empty reasons are refused and change nothing
    for bad in ("", "   ", "x" * 501, "a\x00b", 42):
        with pytest.raises(ConsentError) as exc:
            reject_support_meeting(deciders["other_member"], pending.pk, reason=bad)  # type: ignore[arg-type]
        assert "reason" in exc.value.errors
    # when another member rejects it with a reason
    meeting = reject_support_meeting(
        deciders["other_member"], pending.pk, reason="構成機関の合意なし"
    )
    # then it is kept as rejected, with who and why, and can no longer be confirmed
    assert meeting.status == DecisionStatus.REJECTED
    assert meeting.rejected_by == deciders["other_member"] and meeting.rejected_at is not None
    assert meeting.rejection_reason == "構成機関の合意なし"
    with pytest.raises(ConsentError):
        confirm_support_meeting(deciders["ward_supervisor"], pending.pk)
    assert _links(residents["jiro"]) == 0
    assert AuditEvent.objects.filter(object_type="consent.supportmeeting", action="update").exists()
    # and a new decision for the person may be recorded
    place_under_support_meeting(deciders["recorder"], residents["jiro"].pk, _data())


def test_it_lets_the_recorder_withdraw_a_mistaken_entry(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    reject_support_meeting(deciders["recorder"], pending.pk, reason="本人を取り違えたため")
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.REJECTED


def test_it_refuses_to_end_a_pending_decision(
    deciders: dict[str, Staff], pending: SupportMeeting
) -> None:
    with pytest.raises(ConsentError):
        end_support_meeting(deciders["recorder"], pending.pk, reason="終了")


def test_it_shows_pending_decisions_to_member_agencies_with_a_count_they_can_act_on(
    deciders: dict[str, Staff], personas: Any, pending: SupportMeeting
) -> None:
    assert pending_support_meetings(deciders["other_member"]) == [pending]
    assert support_meetings_to_confirm(deciders["other_member"]) == 1
    # the recorder sees it waiting, but cannot act on it
    assert pending_support_meetings(deciders["recorder"]) == [pending]
    assert support_meetings_to_confirm(deciders["recorder"]) == 0
    # the ward's supervisor sees every pending decision; non-members and others none
    assert support_meetings_to_confirm(deciders["ward_supervisor"]) == 1
    for who in (deciders["non_member"], personas["consultant.self"], personas["outsider"]):
        assert pending_support_meetings(who) == []
        assert support_meetings_to_confirm(who) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"agencies": []}, "agencies"),
        ({"agencies": "mac-01"}, "agencies"),
        ({"agencies": ["mac-01", "<script>"]}, "agencies"),
        ({"agencies": ["mac-01", "srs-01", 3]}, "agencies"),
        ({"agencies": [f"x-{i}" for i in range(5000)]}, "agencies"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 100_000}, "reason"),
        ({"reason": None}, "reason"),
        ({"decided_on": ""}, "decided_on"),
        ({"decided_on": "9" * 10_000}, "decided_on"),
        ({"decided_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "decided_on"),
    ],
)
def test_it_refuses_hostile_support_meeting_input_and_stores_nothing(
    deciders: dict[str, Staff], residents: dict[str, Person], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(deciders["recorder"], residents["jiro"].pk, _data(**overrides))
    assert field in exc.value.errors
    assert SupportMeeting.objects.count() == 0


def test_it_refuses_a_support_meeting_for_an_unknown_person(deciders: dict[str, Staff]) -> None:
    with pytest.raises(ConsentError) as exc:
        place_under_support_meeting(deciders["recorder"], 999_999, _data())
    assert "person" in exc.value.errors
