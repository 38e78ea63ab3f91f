from __future__ import annotations

from datetime import date

import pytest

from tsunagari.demo import population
from tsunagari.lib.dates import age_on


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1945, 3, 2), date(2026, 3, 1), 80),
        (date(1945, 3, 2), date(2026, 3, 2), 81),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(2026, 5, 1), date(2026, 5, 1), 0),
        (date(1, 1, 1), date(9999, 12, 31), 9998),
    ],
)
def test_it_counts_whole_years_with_the_birthday_as_the_day_the_year_is_added(
    born: date, on: date, age: int
) -> None:
    assert age_on(born, on) == age


def test_it_has_no_age_for_an_unknown_birth_date() -> None:
    assert age_on(None, date(2026, 1, 1)) is None


def test_it_gives_the_demo_the_same_age_as_the_pages() -> None:
    # given a birth date on 29 February, taken the day before and on 1 March
    for on in (date(2026, 2, 28), date(2026, 3, 1), population.REFERENCE_DATE):
        assert population.age_on(date(1948, 2, 29), on) == age_on(date(1948, 2, 29), on)
