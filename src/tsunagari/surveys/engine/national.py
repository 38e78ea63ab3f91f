"""National results of the direct loneliness question, for reading a ward's survey beside them.

Source: 内閣府「人々のつながりに関する基礎調査」 (Cabinet Office, national survey
of people aged 16+ drawn from the resident registry), as shipped in
``tsunagari/surveys/data/national_loneliness.csv``. Cells marked ``check`` have
not been confirmed against the published report and are left empty; every
function here returns None for them rather than a guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from tsunagari.surveys.engine.instruments import DIRECT_QUESTION
from tsunagari.surveys.engine.scoring import NO_ANSWER

__all__ = [
    "SOURCE",
    "NationalRow",
    "load_national",
    "national_measures",
    "national_table",
    "published_percentages",
    "reconstruct_counts",
]

SOURCE = "内閣府「人々のつながりに関する基礎調査」"
ANSWERS: tuple[str, ...] = (
    *(c.label for c in sorted(DIRECT_QUESTION.choices, key=lambda c: -c.code)),
    NO_ANSWER,
)


@dataclass(frozen=True, slots=True)
class NationalRow:
    """One published cell: the share (%) of one answer in one survey round."""

    survey: str
    n: int
    code: int | None
    answer: str
    percent: float | None
    status: str
    source: str


def load_national() -> list[NationalRow]:
    """The shipped national results, one row per survey round and answer.

    Returns:
        Rows in file order; ``percent`` is None where the cell is marked ``check``.

    Example:
        >>> rows = load_national()
        >>> rows[0].survey, rows[0].answer, rows[0].percent, rows[0].source
        ('2021-12', 'しばしばある・常にある', 4.5, '内閣府「人々のつながりに関する基礎調査」')
    """
    text = (
        resources.files("tsunagari.surveys.data")
        .joinpath("national_loneliness.csv")
        .read_text(encoding="utf-8")
    )
    out: list[NationalRow] = []
    for r in csv.DictReader(io.StringIO(text)):
        out.append(
            NationalRow(
                survey=r["survey"],
                n=int(r["n"]),
                code=int(r["answer_code"]) if r["answer_code"] else None,
                answer=r["answer"],
                percent=float(r["percent"]) if r["percent"] else None,
                status=r["status"],
                source=r["source"],
            )
        )
    return out


def national_table() -> dict[str, dict[str, float | None]]:
    """The published table: survey round -> answer -> percent (None = to check).

    Returns:
        ``{"2021-12": {"しばしばある・常にある": 4.5, ..., "無回答": 0.9}, ...}``.

    Example:
        >>> national_table()["2023-12"]["時々ある"]
        14.8
    """
    table: dict[str, dict[str, float | None]] = {}
    for row in load_national():
        table.setdefault(row.survey, {})[row.answer] = row.percent
    return table


def national_measures() -> dict[str, dict[str, float | None]]:
    """The measures Tsunagari reports, in percent, from the national table.

    ``lonely_often`` is しばしばある・常にある; ``lonely_any`` is the sum of
    しばしば・常に, 時々 and たまに (the published 「孤独感がある」 share).

    Returns:
        survey round -> {"lonely_often": %, "lonely_any": %} (None if a cell is unchecked).

    Example:
        >>> national_measures()["2021-12"]
        {'lonely_often': 4.5, 'lonely_any': 36.4}
    """
    out: dict[str, dict[str, float | None]] = {}
    for survey, cells in national_table().items():
        parts = [cells.get(a) for a in ANSWERS[:3]]
        any_ = None if any(p is None for p in parts) else round(sum(p or 0.0 for p in parts), 1)
        out[survey] = {"lonely_often": cells.get(ANSWERS[0]), "lonely_any": any_}
    return out


def reconstruct_counts(survey: str) -> dict[str, int | None]:
    """Respondent counts per answer consistent with the published percentages.

    Each count rounds back to its published percentage, and, when every cell is
    known, the counts add up to the survey's n.

    Args:
        survey: a survey round, e.g. ``"2022-12"``.

    Returns:
        answer -> count (None for cells marked ``check``).

    Example:
        >>> c = reconstruct_counts("2021-12")
        >>> sum(v or 0 for v in c.values())
        11867
    """
    rows = [r for r in load_national() if r.survey == survey]
    if not rows:
        raise KeyError(survey)
    n = rows[0].n
    counts: dict[str, int | None] = {
        r.answer: None if r.percent is None else round(n * r.percent / 100) for r in rows
    }
    pct = {r.answer: r.percent for r in rows}
    if all(v is not None for v in counts.values()):
        gap = n - sum(v or 0 for v in counts.values())
        step = 1 if gap > 0 else -1
        while gap:
            moved = False
            for answer, count in counts.items():
                if gap == 0:
                    break
                candidate = (count or 0) + step
                p = pct[answer]
                if p is not None and round(100 * candidate / n, 1) == p:
                    counts[answer] = candidate
                    gap -= step
                    moved = True
            if not moved:
                raise ValueError(f"the percentages of {survey} cannot add up to n={n}")
    return counts


def published_percentages(counts: Mapping[str, int | None], n: int) -> dict[str, float | None]:
    """Percentages of ``n`` to one decimal, as the national report prints them.

    Args:
        counts: answer -> count (None stays None).
        n: respondents (the denominator, no answer included).

    Returns:
        answer -> percent rounded to 0.1.

    Example:
        >>> published_percentages({"時々ある": 1721, "無回答": None}, 11867)
        {'時々ある': 14.5, '無回答': None}
    """
    return {a: None if c is None else round(100 * c / n, 1) for a, c in counts.items()}
