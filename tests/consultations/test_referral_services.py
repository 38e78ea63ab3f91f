from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tsunagari.consent.models import Consent
from tsunagari.consent.services import WithdrawalInput, withdraw_consent
from tsunagari.consultations.models import (
    Consultation,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from tsunagari.consultations.services import (
    ReferralError,
    accept_referral,
    decline_referral,
    receive_referral,
    record_referral_outcome,
    revoke_referral,
    send_referral,
)
from tsunagari.people.access import is_entitled
from tsunagari.people.models import Person

SUMMARY = "要介護1の父（80代）の生活費について。長女が同居。家計の相談を希望。"
STATEMENT = WithdrawalInput(said_on=timezone.localdate().isoformat(), channel="phone",
                            told_to="長寿サポートセンター北砂 長寿", note="本人から撤回の申し出")  # fmt: skip


@pytest.fixture
def sent(personas: Any, consultation: Consultation, consent: Consent) -> Referral:
    return send_referral(
        personas["consultant.elderly"], consultation.pk, to_agency="srs-01", summary=SUMMARY
    )


def _snapshot(referral: Referral) -> tuple[Any, ...]:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.outcome,
        referral.decline_reason,
        ReferralEvent.objects.filter(referral=referral).count(),
    )


def test_it_sends_a_referral_covered_by_consent_with_a_due_date(sent: Referral) -> None:
    assert sent.status == ReferralStatus.SENT
    assert sent.consent_id is not None
    assert sent.due_at > sent.sent_at + timedelta(days=2)
    assert [e.kind for e in sent.events.all()] == ["sent"]


def test_it_refuses_to_send_without_consent_and_stores_nothing(
    personas: Any, consultation: Consultation
) -> None:
    # given no consent for srs-01
    # when the consultant tries to refer
    with pytest.raises(ReferralError) as exc:
        send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                      summary=SUMMARY)  # fmt: skip
    # then the message says what is missing and nothing is stored
    assert "同意" in str(exc.value)
    assert Referral.objects.count() == 0


def test_it_refuses_to_send_to_an_agency_the_consent_does_not_name(
    personas: Any, consultation: Consultation, consent: Consent
) -> None:
    with pytest.raises(ReferralError):
        send_referral(personas["consultant.elderly"], consultation.pk, to_agency="dis-02",
                      summary=SUMMARY)  # fmt: skip
    assert Referral.objects.count() == 0


def test_it_walks_the_whole_loop(
    personas: Any, sent: Referral, residents: dict[str, Person]
) -> None:
    receiver = personas["consultant.self"]
    receive_referral(receiver, sent.pk)
    accepted = accept_referral(receiver, sent.pk)
    assert accepted.status == ReferralStatus.ACCEPTED
    closed = record_referral_outcome(receiver, sent.pk, outcome="connected", note="初回面談済み")
    assert closed.status == ReferralStatus.CLOSED and closed.outcome == "connected"
    assert [e.kind for e in closed.events.all()] == ["sent", "received", "accepted", "outcome"]


def test_it_gives_the_receiver_a_case_link_only_when_it_accepts(
    personas: Any, sent: Referral, residents: dict[str, Person], consent: Consent
) -> None:
    # given the consent link is withdrawn from view by ending the consent later, the case
    # link must come from acceptance alone: check the link rows by basis
    from tsunagari.people.models import AgencyLink

    assert not AgencyLink.objects.filter(person=residents["taro"], agency__code="srs-01",
                                         basis="case").exists()  # fmt: skip
    accept_referral(personas["consultant.self"], sent.pk)
    assert AgencyLink.objects.filter(person=residents["taro"], agency__code="srs-01",
                                     basis="case").exists()  # fmt: skip


def test_it_refuses_a_decline_without_reason(personas: Any, sent: Referral) -> None:
    before = _snapshot(sent)
    with pytest.raises(ReferralError) as exc:
        decline_referral(personas["consultant.self"], sent.pk, reason="   ")
    assert "理由" in str(exc.value)
    assert _snapshot(sent) == before


def test_it_records_a_decline_with_reason(personas: Any, sent: Referral) -> None:
    declined = decline_referral(personas["consultant.self"], sent.pk, reason="区外に転出予定のため")
    assert declined.status == ReferralStatus.DECLINED
    event = declined.events.get(kind="declined")
    assert event.actor == personas["consultant.self"]
    assert event.detail["reason"] == "区外に転出予定のため"
    # the sender closes the loop after a decline
    closed = record_referral_outcome(
        personas["consultant.elderly"], sent.pk, outcome="not_eligible"
    )
    assert closed.status == ReferralStatus.CLOSED


@pytest.mark.parametrize(
    "act",
    [
        lambda s, pk: receive_referral(s, pk),
        lambda s, pk: accept_referral(s, pk),
        lambda s, pk: decline_referral(s, pk, reason="理由"),
        lambda s, pk: revoke_referral(s, pk),
        lambda s, pk: record_referral_outcome(s, pk, outcome="connected"),
    ],
    ids=["receive", "accept", "decline", "revoke", "outcome"],
)
def test_it_refuses_a_third_agency_every_action(personas: Any, sent: Referral, act: Any) -> None:
    before = _snapshot(sent)
    with pytest.raises(PermissionDenied) as exc:
        act(personas["consultant.toyosu"], sent.pk)
    assert "送った機関と受け取る機関" in str(exc.value)
    assert _snapshot(sent) == before


def test_it_refuses_the_sender_accepting_its_own_referral(personas: Any, sent: Referral) -> None:
    before = _snapshot(sent)
    with pytest.raises(PermissionDenied) as exc:
        accept_referral(personas["consultant.elderly"], sent.pk)
    assert "受け取った機関だけ" in str(exc.value)
    assert _snapshot(sent) == before


def test_it_refuses_the_receiver_revoking(personas: Any, sent: Referral) -> None:
    with pytest.raises(PermissionDenied):
        revoke_referral(personas["consultant.self"], sent.pk)
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SENT


@pytest.mark.parametrize(
    "act",
    [
        lambda s, pk: accept_referral(s, pk),
        lambda s, pk: decline_referral(s, pk, reason="理由"),
        lambda s, pk: receive_referral(s, pk),
        lambda s, pk: record_referral_outcome(s, pk, outcome="connected"),
    ],
    ids=["accept", "decline", "receive", "outcome"],
)
def test_it_refuses_to_act_on_a_revoked_referral(personas: Any, sent: Referral, act: Any) -> None:
    revoke_referral(personas["consultant.elderly"], sent.pk, reason="本人が来所して解決")
    before = _snapshot(sent)
    with pytest.raises(ReferralError) as exc:
        act(personas["consultant.self"], sent.pk)
    assert "取り下げ" in str(exc.value)
    assert _snapshot(sent) == before


def test_it_refuses_an_outcome_before_an_answer(personas: Any, sent: Referral) -> None:
    with pytest.raises(ReferralError) as exc:
        record_referral_outcome(personas["consultant.self"], sent.pk, outcome="connected")
    assert "送付済み" in str(exc.value)


def test_it_refuses_an_unknown_outcome(personas: Any, sent: Referral) -> None:
    accept_referral(personas["consultant.self"], sent.pk)
    with pytest.raises(ReferralError):
        record_referral_outcome(personas["consultant.self"], sent.pk, outcome="<script>")
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.ACCEPTED


def test_it_refuses_to_accept_once_consent_is_withdrawn(
    personas: Any, sent: Referral, consent: Consent
) -> None:
    withdraw_consent(personas["consultant.elderly"], consent.pk, STATEMENT)
    with pytest.raises(ReferralError) as exc:
        accept_referral(personas["consultant.self"], sent.pk)
    assert "撤回" in str(exc.value)
    assert Referral.objects.get(pk=sent.pk).status == ReferralStatus.SENT


def test_it_refuses_to_send_after_consent_is_withdrawn(
    personas: Any, consultation: Consultation, consent: Consent
) -> None:
    withdraw_consent(personas["consultant.elderly"], consent.pk, STATEMENT)
    with pytest.raises(ReferralError):
        send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                      summary=SUMMARY)  # fmt: skip


def test_it_flags_an_unanswered_referral_overdue(personas: Any, sent: Referral) -> None:
    assert not sent.is_overdue()
    assert sent.is_overdue(sent.due_at + timedelta(seconds=1))
    accept_referral(personas["consultant.self"], sent.pk)
    sent.refresh_from_db()
    assert not sent.is_overdue(timezone.now() + timedelta(days=30))


def test_it_refuses_a_huge_or_empty_summary(personas: Any, consultation: Consultation,
                                            consent: Consent) -> None:  # fmt: skip
    for summary in ["", "あ" * 2001, 123]:
        with pytest.raises(ReferralError):
            send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                          summary=summary)  # type: ignore[arg-type]  # fmt: skip
    assert Referral.objects.count() == 0


def test_it_lets_the_receiver_see_the_person_only_after_accepting_or_by_consent(
    personas: Any, sent: Referral, residents: dict[str, Person]
) -> None:
    assert is_entitled(personas["consultant.self"], residents["taro"])  # consent link
    assert not is_entitled(personas["consultant.toyosu"], residents["taro"])
