"""An era year alone (「S21」「昭和21年」「1946年」) narrows the look-up by
birth year, under the same no-oracle and rate-limit rules as the rest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.people.lookup import LookupLimited, interactive_lookup, lookup, query_digest
from tsunagari.people.matching import parse_birth_year, parse_query
from tsunagari.people.models import Person


@pytest.fixture
def namesake(residents: dict[str, Person]) -> Person:
    """Another ヤマダ タロウ, born in 昭和50年 (1975), known to no agency."""
    return make_person(name="山田　太郎", kana="ヤマダ　タロウ", birth_date="1975-06-01", sex="1",
                       address="江東区亀戸1-1-1", resident_id="1000000053")  # fmt: skip


@pytest.mark.parametrize(
    ("token", "year"),
    [
        ("S21", 1946),
        ("s21", 1946),
        ("Ｓ２１", 1946),
        ("昭21", 1946),
        ("昭和21年", 1946),
        ("昭和二十一年", 1946),
        ("平成元年", 1989),
        ("S64", 1989),
        ("1946年", 1946),
        ("西暦1946年", 1946),
    ],
)
def test_it_reads_a_birth_year_written_alone(token: str, year: int) -> None:
    assert parse_birth_year(token) == year
    assert parse_query(f"ヤマダ {token}").birth_year == year


@pytest.mark.parametrize(
    "token",
    [
        "昭二",  # a given name, not 昭和2年
        "平一",
        "1946",  # a bare number may be part of an address
        "昭和70年",  # 昭和 ended in its 64th year
        "S0",
        "H32",
        "21年",  # no era, no century
        "2999年",
        "S" + "9" * 5000,
        "昭和" * 1000 + "年",
        "\x00S21",
        "",
    ],
)
def test_it_reads_no_year_from_anything_else(token: str) -> None:
    assert parse_birth_year(token, this_year=2026) is None


def test_it_keeps_the_whole_date_when_one_is_given() -> None:
    q = parse_query("ヤマダ タロウ S23.3.5")
    assert q.birth_date is not None and q.birth_date.year == 1948
    assert q.birth_year is None


def test_it_narrows_a_name_to_the_people_born_that_year(
    personas: dict[str, Staff], residents: dict[str, Person], namesake: Person
) -> None:
    viewer = personas["consultant.elderly"]
    # Given two 山田太郎, born in 1948 and in 1975
    # When the consultant types the name with 昭和23年, then with S50
    s23 = [m.view.id for m in lookup(viewer, "ヤマダ タロウ 昭和23年").matches]
    s50 = [m.view.id for m in lookup(viewer, "ヤマダ タロウ S50").matches]
    # Then each year finds its own and not the other
    assert residents["taro"].pk in s23 and namesake.pk not in s23
    assert s50 == [namesake.pk]
    # And without a year both are candidates
    both = {m.view.id for m in lookup(viewer, "ヤマダ タロウ").matches}
    assert {residents["taro"].pk, namesake.pk} <= both


def test_it_says_the_year_matched_to_an_entitled_viewer(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    top = lookup(personas["consultant.elderly"], "ヤマダ タロウ 1948年").matches[0]
    assert top.view.id == residents["taro"].pk
    assert "生年一致" in top.reasons and "生年一致" in top.reason_text
    assert top.score is not None


def test_it_still_gives_no_reason_or_score_to_a_viewer_not_entitled(
    personas: dict[str, Staff], residents: dict[str, Person], namesake: Person
) -> None:
    # Given a viewer whose agency supports neither 山田太郎
    result = lookup(personas["consultant.toyosu"], "ヤマダ タロウ S23")
    # Then the year narrowed the candidates, but nothing says which guess matched
    ids = [m.view.id for m in result.matches]
    assert residents["taro"].pk in ids and namesake.pk not in ids
    for m in result.matches:
        assert m.view.level == "known"
        assert m.score is None and m.reasons == () and m.reason_text == ""
    # And the others come in person-number order, not by score
    assert ids == sorted(ids)


def test_it_audits_the_year_as_a_digest_not_as_typed(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    lookup(personas["consultant.elderly"], "ヤマダ タロウ S23")
    event = AuditEvent.objects.filter(object_type="people.search").latest("seq")
    assert "birth_year" in event.detail["query_parts"]
    assert event.detail["query"]["birth_year"] == query_digest("birth_year", "1948")
    assert "1948" not in str(event.detail["query_parts"])


def test_it_finds_no_one_by_a_year_alone_but_counts_the_look_up(
    personas: dict[str, Staff], residents: dict[str, Person], settings: Any
) -> None:
    # Given a limit of one look-up a minute
    settings.LOOKUP_PER_MINUTE = 1
    viewer = personas["consultant.elderly"]
    # When someone searches by a year alone
    result = interactive_lookup(viewer, "S23")
    # Then it lists no one (a year is not a person), yet it was a look-up
    assert result.matches == []
    with pytest.raises(LookupLimited):
        interactive_lookup(viewer, "ヤマダ S23")
