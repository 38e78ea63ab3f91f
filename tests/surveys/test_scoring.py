from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tsunagari.surveys.engine import (
    DIRECT_QUESTION,
    UCLA_ITEMS,
    direct_distribution,
    score_responses,
    ucla_band,
)


def frame(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"P{i}", *r) for i, r in enumerate(rows)],
        columns=["respondent_id", "direct", "ucla1", "ucla2", "ucla3"],
    )


def test_it_keeps_the_national_wording_and_answers() -> None:
    # given / when the instruments
    # then they read word for word as the national survey
    assert DIRECT_QUESTION.question == "あなたはどの程度、孤独であると感じることがありますか。"
    assert [c.label for c in DIRECT_QUESTION.choices] == [
        "決してない",
        "ほとんどない",
        "たまにある",
        "時々ある",
        "しばしばある・常にある",
    ]
    assert [i.question for i in UCLA_ITEMS] == [
        "あなたは、自分には人とのつきあいがないと感じることがありますか",
        "あなたは、自分は取り残されていると感じることがありますか",
        "あなたは、自分は他の人たちから孤立していると感じることがありますか",
    ]
    assert all(
        [c.label for c in i.choices] == ["決してない", "ほとんどない", "時々ある", "常にある"]
        for i in UCLA_ITEMS
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [(3, "決してない"), (4, "ほとんどない"), (6, "ほとんどない"), (7, "時々ある"), (9, "時々ある"),
     (10, "常にある"), (12, "常にある")],
)  # fmt: skip
def test_it_bands_ucla_scores_as_published(score: int, band: str) -> None:
    # given a score / when banded / then it falls in the published band
    assert ucla_band(score) == band


def test_it_sums_the_three_ucla_items() -> None:
    # given hand-made answers
    answers = frame(("1", "1", "1", "1"), ("5", "4", "4", "4"), ("3", "3", "4", "3"))
    # when scored
    scores = score_responses(answers).frame
    # then the score is the sum and the measures follow from it
    assert scores["ucla_score"].tolist() == [3.0, 12.0, 10.0]
    assert scores["ucla_high"].tolist() == [0.0, 1.0, 1.0]
    assert scores["ucla_band"].tolist() == ["決してない", "常にある", "常にある"]


def test_it_measures_lonely_often_and_lonely_any_from_the_direct_question() -> None:
    # given one respondent per answer and one without an answer
    answers = frame(*[(str(c), "1", "1", "1") for c in range(1, 6)], ("", "1", "1", "1"))
    # when scored
    scores = score_responses(answers).frame
    # then often = 5 only, any = 3, 4 or 5, and no answer stays out of both
    assert scores["lonely_often"].tolist()[:5] == [0, 0, 0, 0, 1]
    assert scores["lonely_any"].tolist()[:5] == [0, 0, 1, 1, 1]
    assert math.isnan(scores["lonely_often"].iat[5])
    assert math.isnan(scores["lonely_any"].iat[5])


def test_it_excludes_respondents_missing_any_ucla_item() -> None:
    # given respondents missing one UCLA item each
    answers = frame(("2", "", "4", "4"), ("2", "4", "", "4"), ("2", "4", "4", ""))
    # when scored
    scores = score_responses(answers)
    # then none has a UCLA score or band, yet the direct question still counts
    assert scores.frame["ucla_score"].isna().all()
    assert scores.frame["ucla_high"].isna().all()
    assert scores.frame["ucla_band"].isna().all()
    assert scores.frame["lonely_any"].tolist() == [0.0, 0.0, 0.0]
    assert scores.warnings == ()


def test_it_counts_out_of_range_answers_as_no_answer_with_warnings() -> None:
    # given out-of-range, textual, decimal and huge answers, and a full-width valid one
    answers = frame(("6", "0", "x", "2.5"), ("1e400", "99999999999999999999", "４", " 3 "))
    # when scored
    scores = score_responses(answers)
    # then each bad value is no answer and is listed once, valid ones are kept
    assert np.isnan(scores.frame.loc[0, ["direct", "ucla1", "ucla2", "ucla3"]].astype(float)).all()
    assert scores.frame.loc[1, "ucla2"] == 4.0
    assert scores.frame.loc[1, "ucla3"] == 3.0
    listed = [(w.respondent_id, w.column, w.value) for w in scores.warnings]
    assert listed == [
        ("P0", "direct", "6"),
        ("P1", "direct", "1e400"),
        ("P0", "ucla1", "0"),
        ("P1", "ucla1", "99999999999999999999"),
        ("P0", "ucla2", "x"),
        ("P0", "ucla3", "2.5"),
    ]
    assert all("counted as no answer" in w.problem for w in scores.warnings)


def test_it_accepts_numeric_answers() -> None:
    # given answers already numeric, with NaN for no answer
    answers = pd.DataFrame(
        {"respondent_id": ["a", "b"], "direct": [5, np.nan], "ucla1": [4, 1],
         "ucla2": [4, 1], "ucla3": [2, 7]}
    )  # fmt: skip
    # when scored
    scores = score_responses(answers)
    # then codes are read and 7 is out of range
    assert scores.frame["ucla_score"].tolist()[0] == 10.0
    assert [(w.respondent_id, w.column) for w in scores.warnings] == [("b", "ucla3")]


def test_it_gives_the_direct_distribution_including_no_answer() -> None:
    # given ten answers, one missing
    codes = [5, 4, 4, 3, 2, 2, 2, 1, 1, np.nan]
    # when distributed, unweighted and weighted
    plain = direct_distribution(codes)
    weighted = direct_distribution(codes, weights=[2, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    # then shares are of all respondents and sum to one
    assert plain == {
        "しばしばある・常にある": 0.1,
        "時々ある": 0.2,
        "たまにある": 0.1,
        "ほとんどない": 0.3,
        "決してない": 0.2,
        "無回答": 0.1,
    }
    assert weighted["しばしばある・常にある"] == pytest.approx(0.2)
    assert sum(weighted.values()) == pytest.approx(1.0)
