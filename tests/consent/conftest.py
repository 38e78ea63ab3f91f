"""Residents (tests.people), plus the staff a second-agency confirmation needs:
a coordinator at 生活サポートセンター (srs-01), a second coordinator at the
coordinator's own agency (mac-01), and the ward's coordinating supervisor
(福祉課, dept-01). The fixed personas have one coordinator only."""

from __future__ import annotations

import pytest

from tests.people.conftest import residents  # noqa: F401  (fixture)
from tsunagari.accounts.models import Agency, Role, Staff


def _staff(username: str, agency: str, role: str) -> Staff:
    return Staff.objects.create(username=username, display_name=username,
                                agency=Agency.objects.get(code=agency), roles=[role])  # fmt: skip


@pytest.fixture
def deciders(personas: dict[str, Staff]) -> dict[str, Staff]:
    return {
        "recorder": personas["coordinator"],  # mac-01
        "same_agency": _staff("coordinator.mac2", "mac-01", Role.COORDINATOR),
        "other_member": _staff("coordinator.srs", "srs-01", Role.COORDINATOR),
        "non_member": _staff("coordinator.dis", "dis-02", Role.COORDINATOR),
        "ward_supervisor": _staff("supervisor.ward", "dept-01", Role.SUPERVISOR),
        "centre_supervisor": personas["supervisor.elderly"],  # lsc-16: not the ward
    }
