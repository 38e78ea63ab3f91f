"""Direction 9-1 in the plan's command and on its direction page, from hand-made records."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client

from tsunagari.accounts.models import Agency
from tsunagari.plan.loading import load_plans
from tsunagari.workforce.models import Worker
from tsunagari.workforce.services import TrainingInput, record_training


def test_the_plans_command_and_page_show_the_computed_figures(
    agencies: dict[str, Agency], workers: dict[str, Worker], tmp_path: Path,
    client_for: Callable[[str], Client], settings: Any,
) -> None:  # fmt: skip
    settings.SMALL_CELL_MIN = 3
    period = load_plans()[0]
    record_training(None, TrainingInput(title="合同研修", held_on="2026-01-10", hours="3",
                    organiser="福祉課", cross_agency=True), [w.pk for w in workers.values()])  # fmt: skip
    call_command(
        "indicators", "--fiscal-year", "2025", "--out", str(tmp_path), stdout=io.StringIO()
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "directions.csv").read_text("utf-8-sig"))))
    ours = {r["indicator"]: r for r in rows if r["code"] == "9-1" and r["source"] == "computed"}
    trained = ours["研修を受講した福祉人材の数（実人数）"]
    assert (trained["value"], trained["suppressed"]) == ("4", "0")
    assert ours["重層的支援体制の合同研修に参加した機関の数"]["value"] == "3"
    direction = period.directions.get(code="9-1")
    html = client_for("planner").get(f"/plan/directions/{direction.pk}/?year=2025").content.decode()
    assert "重層的支援体制の合同研修の受講者数（実人数）" in html
