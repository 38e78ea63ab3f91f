"""A member of staff's share of the data folder (lib.quota, ASVS 12.1.3):
evidence files count against it, an upload over it is refused with what is
stored, the limit and what to do, and nothing is written then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.accounts.models import Staff
from tsunagari.lib import quota
from tsunagari.plan import services
from tsunagari.plan.models import EnteredValue, IndicatorDefinition, PlanPeriod, Source


def _pdf(size: int = 20) -> SimpleUploadedFile:
    return SimpleUploadedFile("根拠.pdf", b"%PDF-1.4 " + b"0" * size, "application/pdf")


def _entered(period: PlanPeriod) -> list[IndicatorDefinition]:
    return list(period.indicators.filter(source=Source.ENTERED).order_by("code")[:3])


def test_evidence_over_the_file_limit_is_refused_and_nothing_is_written(
    period: PlanPeriod, personas: dict[str, Staff], media: Path, settings: Any
) -> None:
    settings.UPLOAD_QUOTA_FILES = 2
    planner = personas["planner"]
    first, second, third = _entered(period)
    services.enter_value(planner, first.pk, 2026, "1", "根拠", _pdf())
    services.enter_value(planner, second.pk, 2026, "2", "根拠", _pdf())
    assert quota.stored_by(planner.pk).files == 2
    stored = sorted(p.name for p in media.rglob("*") if p.is_file())
    with pytest.raises(services.PlanError) as refused:
        services.enter_value(planner, third.pk, 2026, "3", "根拠", _pdf())
    said = refused.value.errors["evidence"]
    assert "2 件" in said and "上限は 2 件" in said and "削除" in said
    assert not EnteredValue.objects.filter(indicator=third).exists()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == stored
    # Without a file the value is still entered: only files take room.
    services.enter_value(planner, third.pk, 2026, "3", "根拠は出席簿（紙）")


def test_evidence_over_the_size_limit_is_refused(
    period: PlanPeriod, personas: dict[str, Staff], media: Path, settings: Any
) -> None:
    settings.UPLOAD_QUOTA_MB = 1
    planner = personas["planner"]
    first, second, _ = _entered(period)
    services.enter_value(planner, first.pk, 2026, "1", "根拠", _pdf(700_000))
    with pytest.raises(services.PlanError) as refused:
        services.enter_value(planner, second.pk, 2026, "2", "根拠", _pdf(400_000))
    assert "上限は 500 件・1 MB" in refused.value.errors["evidence"]
    # The share is each person's own: another planner is not held back by it.
    other = Staff.objects.create(
        username="planner.two", agency=planner.agency, roles=list(planner.roles)
    )
    services.enter_value(other, second.pk, 2026, "2", "根拠", _pdf(400_000))


@pytest.mark.django_db
def test_the_operator_at_the_server_is_not_limited(settings: Any) -> None:
    settings.UPLOAD_QUOTA_FILES = 1
    quota.check(None, 10**12, 10**6)  # commands and the demo
    with pytest.raises(quota.QuotaExceeded):
        quota.check(-1, 0, 2)  # anyone else: two files over a limit of one
