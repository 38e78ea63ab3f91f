"""Indicator counts and the closed-loop table: a hidden cell cannot be worked out from the totals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tsunagari.accounts.models import Agency, Staff
from tsunagari.consent.models import Consent
from tsunagari.consultations.indicators import indicator_counts, referral_table
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralStatus,
)
from tsunagari.consultations.services import send_referral
from tsunagari.consultations.worklists import closed_loop_by_agency


def _copies(consultation: Consultation, service: str, n: int) -> None:
    """``n`` more recorded consultations like ``consultation``, for ``service``, today."""
    for _ in range(n):
        Consultation.objects.create(
            agency=consultation.agency,
            received_by=consultation.received_by,
            received_on=timezone.localdate(),
            status=ConsultationStatus.RECORDED,
            channel=consultation.channel,
            service=service,
        )


def _referrals(base: Referral, agency: Agency, closed: int, still_open: int) -> None:
    """Referrals like ``base`` sent by ``agency``: ``closed`` with an outcome, ``still_open`` not."""
    for status, n in ((ReferralStatus.CLOSED, closed), (ReferralStatus.SENT, still_open)):
        for _ in range(n):
            Referral.objects.create(
                consultation=base.consultation, person=base.person, from_agency=agency,
                to_agency=base.to_agency, sent_by=base.sent_by, due_at=base.due_at,
                summary=base.summary, consent=base.consent, status=status,
            )  # fmt: skip


def _recoverable(shown: list[int | None], total: int | None) -> bool:
    """Would ``total`` minus the shown cells give the one hidden cell away?"""
    return total is not None and sum(v is None for v in shown) == 1


def test_it_keeps_a_small_service_from_being_worked_out_from_the_total(
    consultation: Consultation, settings: Any
) -> None:
    # given 1 consultation for one service (the fixture's) and 9 for another, this month
    settings.SMALL_CELL_MIN = 5
    Consultation.objects.filter(pk=consultation.pk).update(received_on=timezone.localdate())
    _copies(consultation, "self_reliance", 9)
    today = timezone.localdate()
    # when the indicator counts are read
    counts = indicator_counts(today - timedelta(days=3), today)
    # then the total is shown, and the 9 is hidden with the 1: 10 - shown no longer gives the 1
    shown = [c.count for c in counts.by_month_service]
    assert counts.consultations == 10
    assert sorted(shown, key=lambda v: v is None) == [None, None]
    assert not _recoverable(shown, counts.consultations)


def test_it_shows_every_cell_when_none_is_small(consultation: Consultation, settings: Any) -> None:
    # given 5 and 6 consultations for two services
    settings.SMALL_CELL_MIN = 5
    Consultation.objects.filter(pk=consultation.pk).update(received_on=timezone.localdate())
    _copies(consultation, "elderly", 4)
    _copies(consultation, "self_reliance", 6)
    today = timezone.localdate()
    # then nothing is hidden
    counts = indicator_counts(today - timedelta(days=3), today)
    assert sorted(c.count or 0 for c in counts.by_month_service) == [5, 6]
    assert counts.consultations == 11


def test_it_keeps_a_small_agency_from_being_worked_out_from_the_referral_totals(
    personas: dict[str, Staff], consultation: Consultation, consent: Consent, settings: Any
) -> None:
    # given three sending agencies: 3 referrals (small), 20 and 30
    settings.SMALL_CELL_MIN = 5
    base = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                         summary="家計の相談")  # fmt: skip
    Referral.objects.filter(pk=base.pk).update(status=ReferralStatus.CLOSED)
    base.refresh_from_db()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["lsc-16", "dis-02", "cfc-03"])}
    _referrals(base, agencies["lsc-16"], closed=2, still_open=0)
    _referrals(base, agencies["dis-02"], closed=15, still_open=5)
    _referrals(base, agencies["cfc-03"], closed=20, still_open=10)
    today = timezone.localdate()
    # when the worklist page's rows and the indicator totals for the same period are read
    rows = closed_loop_by_agency(today - timedelta(days=1), today)
    counts = indicator_counts(today - timedelta(days=1), today)
    # then the small agencies are hidden, and so is enough more that the total gives none away
    sent = [r.sent for r in rows]
    assert counts.referrals_sent == 53
    assert not _recoverable(sent, counts.referrals_sent)
    closed = [r.closed for r in rows]
    assert not _recoverable(closed, counts.referrals_closed)
    # and the table behind both agrees with what each shows
    table = referral_table(today - timedelta(days=1), today)
    assert sum(table.closed) + sum(table.open) == 53
