"""Name frequencies are weighed against the level they adjust.

A full agreement of kanji and reading on a common surname is weaker evidence
than on a rare one, by the name's frequency relative to that level's own
u-probability; Splink by default takes the u of another level (a bare equality
of the reading: "reading agrees, kanji differ"), which took five to seven bits
from every full name agreement.
"""

from __future__ import annotations

import pytest

from tsunagari.linkage.engine import model


def test_a_name_frequency_is_weighed_against_its_own_level() -> None:
    # given: the levels of full agreement adjusted by name frequency
    checked = 0
    creator = model.settings()
    for part in ("sur", "giv"):
        comparison = next(
            c for c in creator.comparisons if c.get_comparison("duckdb").output_column_name == part
        ).get_comparison("duckdb")
        levels = comparison.comparison_levels
        for level in levels:
            if level._has_tf_adjustments:
                # then: the adjustment divides by this level's own u
                assert level._u_probability_corresponding_to_exact_match(levels) == (
                    level.u_probability
                )
                checked += 1
    assert checked == 4


def test_without_the_own_level_rule_a_rarer_level_sets_the_adjustment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: the rule switched off: Splink picks the level whose SQL is a bare
    # equality of the reading ("reading agrees, kanji differ")
    monkeypatch.setattr(model, "TF_OWN_U", False)
    comparison = next(
        c.get_comparison("duckdb")
        for c in model.settings().comparisons
        if c.get_comparison("duckdb").output_column_name == "sur"
    )
    levels = comparison.comparison_levels
    full = next(level for level in levels if level._has_tf_adjustments)
    # then: a smaller u than the level's own (about a hundred times once trained)
    assert full._u_probability_corresponding_to_exact_match(levels) < full.u_probability
