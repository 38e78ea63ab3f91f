"""Direction 10-1 in the plan's command and on its direction page, from hand-made records."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import Client

from tests.awareness.conftest import talk
from tsunagari.accounts.models import Staff
from tsunagari.awareness.services import record_activity
from tsunagari.lib import clock
from tsunagari.plan.loading import load_plans


def test_the_plans_command_and_page_show_the_computed_figures(
    personas: dict[str, Staff], tmp_path: Path, client_for: Callable[[str], Client], settings: Any
) -> None:
    settings.SMALL_CELL_MIN = 5
    period = load_plans()[0]
    with clock.frozen(datetime(2026, 11, 1, 19, tzinfo=ZoneInfo("Asia/Tokyo"))):
        record_activity(None, talk())
        record_activity(None, talk(kind="gatekeeper", participants=3, bands={"age_18_64": 3}))
    call_command(
        "indicators", "--fiscal-year", "2026", "--out", str(tmp_path), stdout=io.StringIO()
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "directions.csv").read_text("utf-8-sig"))))
    ours = {r["indicator"]: r for r in rows if r["code"] == "10-1" and r["source"] == "computed"}
    assert ours["啓発活動（講演会・研修・福祉教育）の参加者数（延べ）"]["value"] == "33"
    assert ours["啓発活動の実施回数"]["value"] == "2"
    gatekeepers = ours["ゲートキーパー研修の修了者数"]
    assert (gatekeepers["value"], gatekeepers["suppressed"]) == ("", "1")  # 3: a small cell
    direction = period.directions.get(code="10-1")
    html = client_for("council").get(f"/plan/directions/{direction.pk}/?year=2026").content.decode()
    assert "ゲートキーパー研修の修了者数" in html
