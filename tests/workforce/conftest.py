"""Hand-made registers: two agencies of the personas (lsc-16 北砂, dept-01 福祉課) and a third (lsc-08 豊洲)."""

from __future__ import annotations

import pytest

from tsunagari.accounts.models import Agency, Staff
from tsunagari.workforce.models import Worker
from tsunagari.workforce.services import WorkerInput, add_worker


@pytest.fixture
def agencies(personas: dict[str, Staff]) -> dict[str, Agency]:
    return {a.code: a for a in Agency.objects.filter(code__in=["lsc-16", "dept-01", "lsc-08"])}


@pytest.fixture
def workers(agencies: dict[str, Agency]) -> dict[str, Worker]:
    """Two workers at 北砂, one at 福祉課, one at 豊洲 (added by the operator)."""
    return {
        "kitasuna1": add_worker(
            None, agencies["lsc-16"], WorkerInput(name="北砂 一郎", job="相談員")
        ),
        "kitasuna2": add_worker(
            None, agencies["lsc-16"], WorkerInput(name="北砂 二葉", job="保健師")
        ),
        "ward": add_worker(None, agencies["dept-01"], WorkerInput(name="福祉 三郎", job="福祉職")),
        "toyosu": add_worker(None, agencies["lsc-08"], WorkerInput(name="豊洲 四季", job="相談員")),
    }
