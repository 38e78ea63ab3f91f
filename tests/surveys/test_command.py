from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagari.surveys.engine.synthetic import Survey

HEADER = "respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3"


def run_survey(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``survey`` in a fresh process, as an analyst's shell would."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
        "TSUNAGARI_DATA_DIR": str(cwd / "data"),
        "SECRET_KEY": "test-only-secret-key-for-the-survey-command-0123456789",
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "survey", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_writes_weighted_estimates_and_exits_0(
    survey_files: dict[str, Path], tmp_path: Path
) -> None:
    # given a synthetic survey with margins
    out = tmp_path / "out"
    # when the analyst runs the command
    done = run_survey(
        "analyse",
        survey_files["responses"],
        "--margins",
        survey_files["margins"],
        "--out",
        out,
        cwd=tmp_path,
    )
    # then it exits 0, writes both files and summarises
    assert done.returncode == 0, done.stderr
    assert (out / "estimates.csv").is_file() and (out / "warnings.csv").is_file()
    assert "weighted to age_band, sex, town" in done.stdout
    truth = pd.read_csv(survey_files["truth"]).set_index(["measure", "group", "level"])["value"]
    estimates = pd.read_csv(out / "estimates.csv").set_index(["measure", "group", "level"])
    assert (
        abs(
            estimates.loc[("lonely_any", "all", "all"), "estimate"]
            - truth[("lonely_any", "all", "all")]
        )
        < 0.05
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER.replace(",ucla2", "") + "\nA1,34,1,豊洲,5,4,3\n", "row 1, column ucla2"),
        (b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary", "row 1, column #1"),
        (f"{HEADER}\nA1,34,1,豊洲,5,4,4,3\nA2,35,2,有明,1,1,1,1\n", "row 3, column town"),
    ],
    ids=["missing-column", "binary", "level-not-in-margins"],
)
def test_it_fails_in_one_line_and_writes_nothing(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    # given an unusable responses file and usable margins
    responses = tmp_path / "RESPONSES.csv"
    if isinstance(content, bytes):
        responses.write_bytes(content)
    else:
        responses.write_text(content, encoding="utf-8")
    margins = tmp_path / "MARGINS.csv"
    margins.write_text(
        "dimension,level,population\nsex,1,50\nsex,2,50\ntown,豊洲,50\ntown,亀戸,50\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    # when the command runs
    done = run_survey("analyse", responses, "--margins", margins, "--out", out, cwd=tmp_path)
    # then it exits non-zero with one line naming file, row and column, and no output
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(responses) in lines[0] and expected in lines[0]
    assert not out.exists()


def test_it_writes_unweighted_estimates_without_margins(survey: Survey, tmp_path: Path) -> None:
    # given responses only
    paths = survey.write(tmp_path / "in")
    stdout = StringIO()
    # when called in-process without --margins
    call_command(
        "survey",
        "analyse",
        str(paths["responses"]),
        "--out",
        str(tmp_path / "out"),
        "--min-cell",
        "10",
        stdout=stdout,
    )
    # then estimates are written unweighted, cells under 10 suppressed
    assert "unweighted" in stdout.getvalue()
    estimates = pd.read_csv(tmp_path / "out" / "estimates.csv")
    assert (estimates.loc[estimates["n"] < 10, "suppressed"] == 1).all()
    assert (estimates.loc[estimates["n"] >= 10, "suppressed"] == 0).all()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"{HEADER}\nA1,34,1,豊洲,5,4,4,3\nA1,35,2,亀戸,1,1,1,1\n", "row 3, column respondent_id"),
        ("", "row 1, column respondent_id"),
        (f"{HEADER}\n", "row 2, column respondent_id"),
    ],
    ids=["duplicate-id", "empty", "header-only"],
)
def test_it_raises_one_command_error_line_in_process(
    tmp_path: Path, content: str, expected: str
) -> None:
    # given an unusable file
    responses = tmp_path / "RESPONSES.csv"
    responses.write_text(content, encoding="utf-8")
    # when called in-process
    with pytest.raises(CommandError) as caught:
        call_command("survey", "analyse", str(responses), "--out", str(tmp_path / "out"))
    # then the error is one line naming the row and column, and nothing is written
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_it_raises_a_command_error_for_a_missing_file(tmp_path: Path) -> None:
    # given no such file / when called in-process / then a CommandError names it
    with pytest.raises(CommandError, match=r"nothing\.csv: row 1"):
        call_command(
            "survey", "analyse", str(tmp_path / "nothing.csv"), "--out", str(tmp_path / "out")
        )
    assert not (tmp_path / "out").exists()
