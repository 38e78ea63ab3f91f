from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagari.surveys.engine import (
    SurveyInputError,
    analyse,
    analyse_files,
    read_margins,
    read_responses,
)
from tsunagari.surveys.engine.synthetic import Survey

Write = Callable[[str, str | bytes], Path]
HEADER = "respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3"
MARGINS = (
    "dimension,level,population\n"
    "sex,1,480\nsex,2,500\nsex,3,20\n"
    "town,豊洲,600\ntown,亀戸,400\n"
    "age_band,20-29,300\nage_band,30-39,300\nage_band,70-79,400\n"
)


def responses(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def assert_one_line(error: SurveyInputError, file: Path, row: int, column: str) -> None:
    text = str(error)
    assert "\n" not in text
    assert text.startswith(f"{file}: row {row}, column {column}: ")
    assert (error.row, error.column) == (row, column)


def test_it_reads_responses_with_bom_words_and_extra_columns(write_file: Write) -> None:
    # given a file saved by Excel: BOM, sex as words, an age band, an extra column
    path = write_file(
        "r.csv",
        "\ufeff"
        + responses(
            "A1,34,女,豊洲,5,4,4,3,memo",
            "A2,,男,亀戸,1,1,1,1,",
            "A3,71,その他,豊洲,3,2,2,2,",
            header=HEADER.replace("age,", "age,age_band,").replace(",ucla3", ",ucla3,note"),
        )
        .replace("A1,34,", "A1,34,,")
        .replace("A2,,", "A2,,20-29,")
        .replace("A3,71,", "A3,71,,"),
    )
    # when read
    data = read_responses(path)
    # then demographics are normalised and the extra column is ignored
    frame = data.frame
    assert frame["age_band"].tolist() == ["30-39", "20-29", "70-79"]
    assert frame["sex"].tolist() == ["2", "1", "3"]
    assert frame["row"].tolist() == [2, 3, 4]
    assert "note" not in frame.columns
    assert data.warnings == ()


def test_it_reads_margins_with_words_and_thousands_separators(write_file: Write) -> None:
    # given margins with sex as words and a quoted population with a comma
    path = write_file("m.csv", 'dimension,level,population\nsex,男,"1,480"\nsex,女,1520\n')
    # when read / then levels are codes and populations numbers
    assert read_margins(path).margins == {"sex": {"1": 1480.0, "2": 1520.0}}


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        (responses("A1,34,1,豊洲,5,4,4,3").replace(",town", ""), 1, "town"),
        ("", 1, "respondent_id"),
        (HEADER + "\n", 2, "respondent_id"),
        (responses("A1,34,1,豊洲,5,4,4,3", "A1,40,2,亀戸,1,1,1,1"), 3, "respondent_id"),
        (responses("A1,34,1,豊洲,5,4,4,3", ",40,2,亀戸,1,1,1,1"), 3, "respondent_id"),
        (responses("A1,34,1,豊洲,5,4,4,3", "A2,40,2,亀戸,1,1,1,1,9,9"), 3, "#9"),
        (HEADER.replace("town", "sex") + "\nA1,34,1,1,5,4,4,3\n", 1, "sex"),
        (HEADER.replace(",", ";") + "\nA1;34;1;豊洲;5;4;4;3\n", 1, "respondent_id"),
        (
            responses("A0,20,2,有明,1,1,1,1", 'A1,34,1,"豊洲,5,4,4,3', "A2,40,2,亀戸,1,1,1,1"),
            3,
            "town",
        ),
    ],
    ids=[
        "missing-column",
        "empty",
        "header-only",
        "duplicate-id",
        "empty-id",
        "extra-fields",
        "duplicate-header",
        "semicolons",
        "unclosed-quote",
    ],
)
def test_it_refuses_unusable_responses_naming_row_and_column(
    write_file: Write, content: str, row: int, column: str
) -> None:
    # given an unusable responses file
    path = write_file("r.csv", content)
    # when read
    with pytest.raises(SurveyInputError) as caught:
        read_responses(path)
    # then one line names the file, row and column
    assert_one_line(caught.value, path, row, column)


def test_it_names_the_row_and_column_of_undecodable_bytes(write_file: Write) -> None:
    # given a Shift_JIS town name on the third row
    text = responses("A1,34,1,豊洲,5,4,4,3", "A2,40,2,亀戸,1,1,1,1")
    path = write_file(
        "r.csv",
        text.replace("亀戸", "")
        .encode()
        .replace(b"40,2,,", b"40,2," + "亀戸".encode("shift_jis") + b","),
    )
    # when read
    with pytest.raises(SurveyInputError) as caught:
        read_responses(path)
    # then row 3, column town is named and UTF-8 asked for
    assert_one_line(caught.value, path, 3, "town")
    assert "UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"respondent_id,age\x00\x00,sex\n",
        "Ｒ".encode("utf-16"),
    ],
    ids=["png", "nul-bytes", "utf-16"],
)
def test_it_refuses_binary_files_in_one_line(write_file: Write, content: bytes) -> None:
    # given a binary file
    path = write_file("r.csv", content)
    # when read
    with pytest.raises(SurveyInputError) as caught:
        read_responses(path)
    # then the message is one line naming the file and a row
    assert str(caught.value).startswith(f"{path}: row ")
    assert "\n" not in str(caught.value)


def test_it_keeps_hostile_text_as_inert_data(write_file: Write, tmp_path: Path) -> None:
    # given formulas, HTML and huge values in the answers and the town
    path = write_file(
        "r.csv",
        responses(
            'X1,34,1,"=HYPERLINK(""http://x"",""y"")",5,4,4,3',
            "X2,40,2,<script>alert(1)</script>,99999999999999999999999,1,1,+1",
            "X3,50,2,豊洲,@SUM(A1),1,1,1",
        ),
    )
    # when analysed and written
    result = analyse_files(path, min_cell=1)
    result.write(tmp_path / "out")
    # then bad answers are warnings, and nothing written starts a formula
    warnings = pd.read_csv(tmp_path / "out" / "warnings.csv", dtype=str, keep_default_na=False)
    assert warnings[["respondent_id", "column"]].values.tolist() == [
        ["X2", "direct"],
        ["X3", "direct"],
    ]
    assert warnings["value"].tolist() == ["99999999999999999999999", "'@SUM(A1)"]
    estimates = pd.read_csv(tmp_path / "out" / "estimates.csv", dtype=str, keep_default_na=False)
    assert '\'=HYPERLINK("http://x","y")' in set(estimates["level"])
    assert "<script>alert(1)</script>" in set(estimates["level"])
    for frame in (warnings, estimates):
        assert not frame.map(lambda v: v[:1] in ("=", "+", "-", "@")).any().any()


def test_it_warns_about_unusable_demographics_and_carries_on(write_file: Write) -> None:
    # given an impossible age, an unknown sex and an empty town
    path = write_file(
        "r.csv", responses("A1,7,1,豊洲,5,4,4,3", "A2,40,9,亀戸,1,1,1,1", "A3,40,1,,1,1,1,1")
    )
    # when read
    data = read_responses(path)
    # then each is a warning and counts as no answer
    assert [(w.respondent_id, w.column) for w in data.warnings] == [
        ("A1", "age"),
        ("A2", "sex"),
        ("A3", "town"),
    ]
    assert data.frame["age_band"].isna().tolist() == [True, False, False]
    assert data.frame["sex"].tolist() == ["1", None, "1"]


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        ("dimension,level\nsex,1\n", 1, "population"),
        ("dimension,level,population\nsex,1,many\n", 2, "population"),
        ("dimension,level,population\nsex,1,1e400\n", 2, "population"),
        ("dimension,level,population\nsex,1,-5\n", 2, "population"),
        ("dimension,level,population\nsex,1,5\nsex,男,5\n", 3, "level"),
        ("dimension,level,population\nincome,low,5\n", 2, "dimension"),
        ("dimension,level,population\nage_band,90-99,5\n", 2, "level"),
        (
            "dimension,level,population\nsex,1,50\nsex,2,50\ntown,豊洲,70\ntown,亀戸,70\n",
            4,
            "population",
        ),
    ],
    ids=[
        "missing-column",
        "non-numeric",
        "huge",
        "negative",
        "duplicate",
        "unknown-dimension",
        "unknown-band",
        "totals-differ",
    ],
)
def test_it_refuses_unusable_margins_naming_row_and_column(
    write_file: Write, content: str, row: int, column: str
) -> None:
    # given unusable margins
    path = write_file("m.csv", content)
    # when read
    with pytest.raises(SurveyInputError) as caught:
        read_margins(path)
    # then one line names the file, row and column
    assert_one_line(caught.value, path, row, column)


def test_it_refuses_margins_that_miss_a_level_in_the_responses(write_file: Write) -> None:
    # given responses from 有明, which the margins do not list
    path = write_file("r.csv", responses("A1,34,1,豊洲,5,4,4,3", "A2,71,2,有明,1,1,1,1"))
    margins = write_file("m.csv", MARGINS)
    # when analysed
    with pytest.raises(SurveyInputError) as caught:
        analyse_files(path, margins)
    # then the responses row and column are named, and the margins file too
    assert_one_line(caught.value, path, 3, "town")
    assert "有明" in str(caught.value) and str(margins) in str(caught.value)


def test_it_leaves_a_respondent_without_an_age_out_of_weighted_estimates(write_file: Write) -> None:
    # given a respondent whose age cannot be read, and age-band margins
    path = write_file("r.csv", responses("A1,34,1,豊洲,5,4,4,3", "A2,abc,2,亀戸,1,1,1,1"))
    # when analysed with margins
    result = analyse_files(path, write_file("m.csv", MARGINS), min_cell=1)
    # then the respondent is warned about and left out; the other is weighted
    assert [(w.respondent_id, w.column) for w in result.warnings][:2] == [
        ("A2", "age"),
        ("A2", "age"),
    ]
    assert "left out of the weighted estimates" in result.warnings[1].problem
    assert result.estimates.loc[0, "n"] == 1


def test_it_refuses_to_weight_when_nobody_has_a_usable_age(write_file: Write) -> None:
    # given no respondent with a usable age
    path = write_file("r.csv", responses("A1,abc,1,豊洲,5,4,4,3", "A2,,2,亀戸,1,1,1,1"))
    # when analysed with margins
    with pytest.raises(SurveyInputError) as caught:
        analyse_files(path, write_file("m.csv", MARGINS))
    # then the first row and the age column are named
    assert_one_line(caught.value, path, 2, "age")


def test_it_spreads_a_margin_level_nobody_answered_from_and_warns(survey: Survey) -> None:
    # given margins with one more town than the survey reached
    responses_data, margins_data = survey.as_read()
    margins_data.margins["town"]["若洲"] = 50.0
    margins_data.margins["sex"]["1"] += 50.0
    margins_data.margins["age_band"]["80+"] += 50.0
    # when analysed
    result = analyse(responses_data, margins_data)
    # then the town is reported empty and suppressed, with a warning
    rows = result.estimates[result.estimates["level"] == "若洲"]
    assert rows["n"].tolist() == [0, 0, 0, 0]
    assert rows["suppressed"].tolist() == [1, 1, 1, 1]
    assert any(w.column == "town" and w.value == "若洲" for w in result.warnings)


def test_it_writes_exactly_the_contract_columns(
    survey_files: dict[str, Path], tmp_path: Path
) -> None:
    # given a synthetic survey on disk
    # when analysed and written
    analyse_files(survey_files["responses"], survey_files["margins"]).write(tmp_path / "out")
    # then the files have the contract's columns, shares in 0–1, and every group level
    estimates = pd.read_csv(tmp_path / "out" / "estimates.csv", keep_default_na=False, dtype=str)
    assert list(estimates.columns) == [
        "measure",
        "group",
        "level",
        "n",
        "estimate",
        "ci_low",
        "ci_high",
        "suppressed",
    ]
    warnings = pd.read_csv(tmp_path / "out" / "warnings.csv")
    assert list(warnings.columns) == ["respondent_id", "column", "value", "problem"]
    assert set(estimates["measure"]) == {"lonely_often", "lonely_any", "ucla_high", "ucla_mean"}
    assert estimates.iloc[0][["group", "level"]].tolist() == ["all", "all"]
    assert set(estimates["group"]) == {"all", "age_band", "sex", "town"}
    shown = estimates[estimates["suppressed"] == "0"]
    shares = shown[shown["measure"] != "ucla_mean"][["estimate", "ci_low", "ci_high"]].astype(float)
    assert ((shares >= 0) & (shares <= 1)).all().all()
    hidden = estimates[estimates["suppressed"] == "1"]
    assert (hidden[["estimate", "ci_low", "ci_high"]] == "").all().all()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(
        st.lists(st.text(max_size=12), min_size=0, max_size=10).map(",".join), max_size=6
    ),
    raw=st.binary(max_size=40),
)
def test_it_reads_any_input_or_refuses_it_in_one_line(
    write_file: Write, body: list[str], raw: bytes
) -> None:
    # given arbitrary rows under a valid header, with arbitrary bytes appended
    path = write_file(
        "fuzz.csv", (HEADER + "\n" + "\n".join(body)).encode("utf-8", "surrogatepass") + raw
    )
    # when read and analysed
    try:
        result = analyse_files(path, min_cell=1)
    except SurveyInputError as error:
        # then either it is refused in one line naming a row and column
        assert "\n" not in str(error) and str(error).startswith(f"{path}: row ")
    else:
        # or every warning is about a real column and the estimates have the contract's shape
        assert {w.column for w in result.warnings} <= {
            "age",
            "age_band",
            "sex",
            "town",
            "direct",
            "ucla1",
            "ucla2",
            "ucla3",
        }
        assert list(result.estimates.columns)[:3] == ["measure", "group", "level"]
