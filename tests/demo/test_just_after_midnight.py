"""The demo ward loaded just after midnight in Tokyo has nothing in the future.

Each programme's demo replays months of work with every step at its own
moment, most of them "some time during a working day". Loaded at 00:10 JST,
today's working day has not begun: a step dated today at 10:00 would lie in
the future, and the pages would show a consultation received tomorrow
morning. The clock is frozen there and every dated record is checked.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tsunagari.consultations.models import Consultation, Referral
from tsunagari.demo.loader import load_demo
from tsunagari.events.models import DomainEvent
from tsunagari.lib import clock

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")


def test_nothing_is_dated_after_the_moment_the_demo_was_loaded() -> None:
    # Yesterday's 00:10 in Tokyo: a real past moment, so that records the
    # demo dates by the database's own clock cannot pass it either.
    midnight = datetime.combine(clock.today() - timedelta(days=1), time(0, 10), tzinfo=JST)
    with clock.frozen(midnight):
        load_demo(people=300, seed=3, progress=False)
    assert DomainEvent.objects.count() > 500
    late = DomainEvent.objects.filter(at__gt=midnight).order_by("at")
    assert [(e.kind, e.at.isoformat()) for e in late[:5]] == []
    assert not Consultation.objects.filter(received_on__gt=midnight.date()).exists()
    assert not Referral.objects.filter(sent_at__gt=midnight).exists()
