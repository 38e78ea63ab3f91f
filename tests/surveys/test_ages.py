"""The one age and age-band rule (survey contract), used by the command and by uploads alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tsunagari.surveys import importing, reading
from tsunagari.surveys.engine import read_responses
from tsunagari.surveys.engine.ages import age_bands

HEADER = "respondent_id,age,age_band,sex,town,direct,ucla1,ucla2,ucla3"


@pytest.mark.parametrize(
    ("age", "band", "expected", "problem"),
    [
        ("34", "", "30-39", None),
        ("３４", "", "30-39", None),
        ("34歳", "", "30-39", None),
        ("34.0", "", "30-39", None),
        ("16", "", "16-19", None),
        ("125", "", "80+", None),
        ("15", "", None, "age"),
        ("126", "", None, "age"),
        ("34.5", "", None, "age"),
        ("3.4e1", "", None, "age"),
        ("abc", "", None, "age"),
        ("", "20-29", "20-29", None),
        ("", "２０－２９", "20-29", None),
        ("", "80+", "80+", None),
        ("", "80以上", None, "age_band"),
        ("", "20〜29歳", None, "age_band"),
        ("abc", "20-29", "20-29", "age"),
        ("34", "20-29", "30-39", "age_band"),
        ("", "", None, None),
    ],
)
def test_it_reads_ages_and_bands_as_the_contract_writes_them(
    age: str, band: str, expected: str | None, problem: str | None
) -> None:
    # given one respondent's age and band as written
    # when the rule is applied
    bands, problems = age_bands(pd.Series([age]), pd.Series([band]))
    # then the band and the column warned about follow the contract
    assert bands.tolist() == [expected]
    assert [p.column for p in problems] == ([problem] if problem else [])


def test_the_command_and_the_upload_give_every_respondent_the_same_band(tmp_path: Path) -> None:
    # given one file with every kind of age and band
    rows = [
        "A1,34,,1,豊洲,1,1,1,1", "A2,８１歳,,2,豊洲,1,1,1,1", "A3,,20-29,1,豊洲,1,1,1,1",
        "A4,15,,1,豊洲,1,1,1,1", "A5,,80以上,2,豊洲,1,1,1,1", "A6,44,20-29,1,豊洲,1,1,1,1",
        "A7,abc,70-79,2,豊洲,1,1,1,1",
    ]  # fmt: skip
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    # when the command reads it and the upload checks it
    command = read_responses(path)
    table = reading.read_upload(text.encode(), "r.csv")
    upload = importing.check(table, importing.propose_mapping(table.header), {"豊洲"})
    # then both give the same bands and warn about the same rows and columns
    assert upload.clean is not None
    assert command.frame["age_band"].fillna("").tolist() == upload.clean["age_band"].tolist()
    assert command.frame["age_band"].fillna("").tolist() == [
        "30-39", "80+", "20-29", "", "", "40-49", "70-79",
    ]  # fmt: skip
    warned = {(int(command.frame["row"][command.frame["respondent_id"] == w.respondent_id].iloc[0]), w.column)
              for w in command.warnings}  # fmt: skip
    assert warned == {(p.row, p.field) for p in upload.problems}
    assert warned == {(5, "age"), (6, "age_band"), (7, "age_band"), (8, "age")}
