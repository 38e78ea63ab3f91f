"""A synthetic ward survey for three fiscal years, imported and weighted the way staff would.

Answers come from the engine's synthetic population (distributions near the
national results), drawn over the demo registry's own towns so that raking
to the registry works; the ward's own items (contact, help-seeking, places)
are drawn to go with each respondent's loneliness.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.engine.instruments import KOTO_TOWNS
from tsunagari.surveys.engine.synthetic import draw_survey, make_population
from tsunagari.surveys.models import Survey

DEMO_YEARS = (2024, 2025, 2026)
SAMPLE = 3_000


def _planner() -> Staff:
    staff = Staff.objects.filter(username="planner").first()
    if staff is None:
        from tsunagari.accounts.personas import ensure_personas

        staff = ensure_personas()["planner"]
    return staff


def _registry_towns() -> list[str]:
    from tsunagari.people.models import Person

    towns = sorted(set(Person.objects.exclude(town="").values_list("town", flat=True)))
    return towns or list(KOTO_TOWNS[:12])


def demo_responses(year: int, seed: int, towns: list[str]) -> pd.DataFrame:
    """One year's responses in the RESPONSES.csv layout plus the ward's own items."""
    population = make_population(40_000, towns=towns, seed=seed * 100 + year)
    survey = draw_survey(
        population, SAMPLE, response_rate=0.45, item_missing=0.015, seed=seed + year
    )
    frame = survey.responses.copy()
    rng = np.random.default_rng(seed * 7 + year)
    direct = pd.to_numeric(frame["direct"], errors="coerce").fillna(2).to_numpy()
    contact = np.clip(np.round(rng.normal(1.5 + 0.9 * (direct - 1), 1.2)), 1, 7).astype(int)
    frame["contact"] = contact.astype(str)
    help_codes = np.where(
        direct >= 4,
        rng.choice([1, 2, 4], size=len(frame), p=[0.35, 0.4, 0.25]),
        rng.choice([1, 3, 4], size=len(frame), p=[0.15, 0.75, 0.10]),
    )
    frame["help_seeking"] = help_codes.astype(str)
    places = []
    for d in direct:
        chosen = [str(c) for c in range(1, 8) if rng.random() < (0.18 if d <= 3 else 0.08)]
        places.append(",".join(chosen) if chosen else "8")
    frame["places"] = places
    return frame


def load_demo_surveys(seed: int) -> str:
    """Create, import and weight the FY2024–FY2026 demo surveys (years already there are kept)."""
    staff = _planner()
    towns = _registry_towns()
    made = 0
    respondents = 0
    for year in DEMO_YEARS:
        if Survey.objects.filter(fiscal_year=year, wave=1).exists():
            continue
        survey = services.create_survey(
            staff,
            fiscal_year=year,
            title=f"{year}年度 江東区 孤独・孤立に関する実態調査",
            fieldwork_start=date(year, 10, 1),
            fieldwork_end=date(year, 10, 31),
            sample_size=SAMPLE,
            sample_design="住民基本台帳から16歳以上の区民を無作為抽出（郵送・オンライン回答）",
        )
        frame = demo_responses(year, seed, towns)
        upload = SimpleUploadedFile(
            f"responses-{year}.csv", frame.to_csv(index=False).encode("utf-8"), "text/csv"
        )
        job = services.upload_responses(staff, survey, upload)
        services.check_import(staff, job, job.mapping, accept_no_answer=True)
        analysis = services.run_import(staff, job)
        made += 1
        respondents += analysis.respondents
    if not made:
        return "demo surveys already loaded"
    return f"{made} loneliness surveys ({respondents:,} responses)"
