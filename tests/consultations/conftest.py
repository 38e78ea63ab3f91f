"""A recorded consultation about Yamada Taro at 長寿サポートセンター北砂 (lsc-16),
with his consent to share with 生活サポートセンター (srs-01)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.people.conftest import residents  # noqa: F401  (fixture)
from tsunagari.accounts.models import Staff
from tsunagari.consent.models import Consent
from tsunagari.consent.services import ConsentInput, record_consent
from tsunagari.consultations.models import Consultation
from tsunagari.consultations.services import ConsultationInput, save_consultation
from tsunagari.lib import clock
from tsunagari.people.models import Person


def intake(person: Person | None = None, **overrides: Any) -> ConsultationInput:
    values: dict[str, Any] = {
        "channel": "phone",
        "service": "elderly",
        "visitor": "family",
        "visitor_relation": "長女",
        "person_id": person.pk if person else None,
        "problems": ["care", "income"],
        "main_problem": "care",
        "work": "retired",
        "housing": "rented",
        "health_insurance": "late_elderly",
        "pension": "old_age",
        "notes": "父の介護と生活費のことで長女から電話。",
        "outcome": "referral",
    }
    values.update(overrides)
    return ConsultationInput(**values)


@pytest.fixture
def consultation(personas: dict[str, Staff], residents: dict[str, Person]) -> Consultation:  # noqa: F811
    return save_consultation(personas["consultant.elderly"], intake(residents["taro"]), final=True)


@pytest.fixture
def consent(personas: dict[str, Staff], residents: dict[str, Person]) -> Consent:  # noqa: F811
    return record_consent(
        personas["consultant.elderly"],
        residents["taro"].pk,
        ConsentInput(
            form="with",
            given_on=(clock.today() - timedelta(days=3)).isoformat(),
            expires_on=(clock.today() + timedelta(days=365)).isoformat(),
            agencies=["srs-01"],
            categories=["basic", "consultation", "money"],
        ),
    )
