"""A small hand-made ward: three towns, a few places of the directory, and
older residents, so every number of the gap table can be worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tsunagari.accounts.models import Staff
from tsunagari.community.models import Activity
from tsunagari.community.services import ActivityInput, create_activity
from tsunagari.people.models import Person
from tsunagari.resources.models import (
    Location,
    Organization,
    ResourceKind,
    Service,
    ServiceAtLocation,
)

ON = date(2026, 10, 1)


def place(pk: str, town: str, *, confidential: bool = False) -> Location:
    return Location.objects.create(id=f"loc-{pk}", name=f"{town}の集会所{pk}", x_town=town,
                                   x_confidential=confidential)  # fmt: skip


def service_at(
    pk: str, location: Location, kind: str = ResourceKind.SALON, **extra: Any
) -> Service:
    service = Service.objects.create(id=f"svc-{pk}", name=f"サロン{pk}", x_kind=kind, **extra)
    ServiceAtLocation.objects.create(id=f"sal-{pk}", service_id=service.id, location_id=location.id)
    return service


def residents(town: str, older: int, younger: int = 0) -> None:
    """``older`` residents aged 65+ on ON (one of them exactly 65 that day) and younger ones."""
    for i in range(older):
        born = date(1961, 10, 1) if i == 0 else date(1940 + i % 20, 5, 5)
        Person.objects.create(surname=f"{town}{i}", birth_date=born, town=town)
    for i in range(younger):
        born = date(1961, 10, 2) if i == 0 else date(1990, 1, 1)
        Person.objects.create(surname=f"{town}若{i}", birth_date=born, town=town)


@pytest.fixture
def directory(db: None) -> dict[str, Any]:
    org = Organization.objects.create(id="org-1", name="亀戸サロンの会")
    kameido = place("k1", "亀戸")
    oshima = place("o1", "大島")
    shelter = place("s1", "北砂", confidential=True)
    salon = service_at("k1", kameido)
    return {"org": org, "kameido": kameido, "oshima": oshima, "shelter": shelter, "salon": salon}


def activity_input(directory: dict[str, Any], **overrides: Any) -> ActivityInput:
    values: dict[str, Any] = {
        "title": "亀戸ふれあいサロン", "kind": "regular", "location": directory["kameido"].id,
        "service": directory["salon"].id, "organization": directory["org"].id,
        "schedule_note": "毎週火曜 14時〜16時", "volunteers": "6", "started_on": "2025-04-01",
    }  # fmt: skip
    values.update(overrides)
    return ActivityInput(**values)


@pytest.fixture
def activity(directory: dict[str, Any], personas: dict[str, Staff]) -> Activity:
    return create_activity(personas["community"], activity_input(directory))
