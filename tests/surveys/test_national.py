from __future__ import annotations

import numpy as np
import pytest

from tsunagari.surveys.engine import direct_distribution, load_national, national_measures
from tsunagari.surveys.engine.national import (
    SOURCE,
    national_table,
    published_percentages,
    reconstruct_counts,
)

# The table in DOMAIN.md ("Measuring loneliness"), as published.
PUBLISHED = {
    "2021-12": (11867, [4.5, 14.5, 17.4, 38.9, 23.7, 0.9]),
    "2022-12": (11218, [4.9, 15.8, 19.6, 40.6, 18.4, 0.6]),
    "2023-12": (11141, [4.8, 14.8, 19.7, 41.4, 17.9, 1.5]),
    "2024-12": (10876, [4.3, 15.4, 19.6, None, None, None]),
}
ANSWERS = [
    "しばしばある・常にある",
    "時々ある",
    "たまにある",
    "ほとんどない",
    "決してない",
    "無回答",
]


def test_it_ships_the_published_table_with_its_source() -> None:
    # given the shipped data / when loaded
    rows = load_national()
    table = national_table()
    # then every cell is as published, the unchecked ones empty and marked
    for survey, (n, percents) in PUBLISHED.items():
        assert [table[survey][a] for a in ANSWERS] == percents
        assert {r.n for r in rows if r.survey == survey} == {n}
    assert {r.source for r in rows} == {SOURCE} == {"内閣府「人々のつながりに関する基礎調査」"}
    unchecked = [r for r in rows if r.percent is None]
    assert len(unchecked) == 3 and all(r.status == "check" for r in unchecked)
    assert all(r.status == "published" for r in rows if r.percent is not None)


@pytest.mark.parametrize("survey", sorted(PUBLISHED))
def test_it_reproduces_the_published_percentages_through_the_scorer(survey: str) -> None:
    # given respondent counts rebuilt from the shipped table
    n, percents = PUBLISHED[survey]
    counts = reconstruct_counts(survey)
    # when the answers are laid out one per respondent and distributed by the scorer
    codes = dict(zip(ANSWERS, [5.0, 4.0, 3.0, 2.0, 1.0, np.nan], strict=True))
    direct = np.concatenate([np.full(c, codes[a]) for a, c in counts.items() if c is not None])
    shares = direct_distribution(np.concatenate([direct, np.full(n - direct.size, -1.0)]))
    # then rounding to 0.1 % gives the published percentages
    for answer, published in zip(ANSWERS, percents, strict=True):
        if published is not None and answer != "無回答":
            assert round(100 * shares[answer], 1) == published
    assert published_percentages(counts, n) == dict(zip(ANSWERS, percents, strict=True))
    if None not in percents:
        assert sum(c or 0 for c in counts.values()) == n


def test_it_gives_the_published_share_feeling_lonely() -> None:
    # given / when the measures from the national table
    measures = national_measures()
    # then lonely_any is the published 「孤独感がある」 share (しばしば・常に + 時々 + たまに)
    assert {s: m["lonely_any"] for s, m in measures.items()} == {
        "2021-12": 36.4,
        "2022-12": 40.3,
        "2023-12": 39.3,
        "2024-12": 39.3,
    }
    assert measures["2022-12"]["lonely_often"] == 4.9
