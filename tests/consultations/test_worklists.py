from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tsunagari.consent.models import Consent
from tsunagari.consultations.models import Consultation, Referral
from tsunagari.consultations.services import send_referral
from tsunagari.consultations.worklists import LoopRow, closed_loop_by_agency, overdue


def test_it_shows_an_overdue_referral_to_both_sides(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = send_referral(personas["consultant.elderly"], consultation.pk, to_agency="srs-01",
                             summary="家計の相談")  # fmt: skip
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - timedelta(hours=1))
    for who in ("consultant.elderly", "consultant.self"):
        assert [r.pk for r in overdue(personas[who])] == [referral.pk]
        body = client_for(who).get("/consultations/").content.decode()
        assert "期限超過" in body
    assert overdue(personas["consultant.toyosu"]) == []


def test_it_suppresses_small_agencies_in_the_closed_loop_rate(
    personas: Any, consultation: Consultation, consent: Consent, settings: Any
) -> None:
    send_referral(
        personas["consultant.elderly"], consultation.pk, to_agency="srs-01", summary="要約"
    )
    rows = closed_loop_by_agency()
    assert rows == [LoopRow("長寿サポートセンター北砂", None, None, None)]
    settings.SMALL_CELL_MIN = 1
    assert closed_loop_by_agency() == [LoopRow("長寿サポートセンター北砂", 1, 0, 0.0)]
