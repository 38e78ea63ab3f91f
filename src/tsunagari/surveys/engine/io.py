"""Reading RESPONSES.csv and MARGINS.csv, writing estimates.csv and warnings.csv.

The file formats are fixed by docs/survey-methods.md (the survey contract).
A file that cannot be used raises ``SurveyInputError``, whose message is one
line naming the file, the row (the header is row 1, as in a spreadsheet) and
the column, and saying what to fix. Single out-of-range answers are not
errors: they become warnings and count as no answer.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.lib.spreadsheet import safe_cell
from tsunagari.surveys.engine.ages import age_bands
from tsunagari.surveys.engine.csvfile import (
    SurveyInputError,
    normalise_text,
    read_frame,
    read_table,
    show_value,
)
from tsunagari.surveys.engine.estimates import ESTIMATE_COLUMNS
from tsunagari.surveys.engine.instruments import AGE_BANDS
from tsunagari.surveys.engine.scoring import DataWarning

__all__ = [
    "DIMENSIONS",
    "REQUIRED_COLUMNS",
    "WARNING_COLUMNS",
    "MarginsData",
    "ResponsesData",
    "SurveyInputError",
    "normalise_sex",
    "read_margins",
    "read_responses",
    "write_outputs",
]

REQUIRED_COLUMNS = ("respondent_id", "age", "sex", "town", "direct", "ucla1", "ucla2", "ucla3")
ANSWER_COLUMNS = ("direct", "ucla1", "ucla2", "ucla3")
DIMENSIONS = ("age_band", "sex", "town")
MARGIN_COLUMNS = ("dimension", "level", "population")
WARNING_COLUMNS = ("respondent_id", "column", "value", "problem")
MAX_POPULATION = 1e10

_SEX_CODES = {
    "1": "1", "2": "2", "3": "3",
    "男": "1", "男性": "1", "女": "2", "女性": "2",
    "その他": "3", "その他・回答しない": "3", "回答しない": "3",
    "male": "1", "m": "1", "female": "2", "f": "2", "other": "3",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ResponsesData:
    """Responses as read: ``frame`` has respondent_id, age_band, sex (1/2/3), town,
    direct, ucla1–ucla3 (raw text) and ``row`` (row number in the file)."""

    path: str
    frame: pd.DataFrame
    warnings: tuple[DataWarning, ...]
    age_column: str


@dataclass(frozen=True, slots=True)
class MarginsData:
    """Margins as read: ``{dimension: {level: population}}`` and each level's row number."""

    path: str
    margins: dict[str, dict[str, float]]
    rows: dict[tuple[str, str], int]


def normalise_sex(value: str) -> str | None:
    """The sex code 1/2/3 for a value written as a code or a word.

    Args:
        value: as written in a file (``1``, ``２``, ``男``, ``女性``, ``その他``…).

    Returns:
        ``"1"``, ``"2"``, ``"3"``, or None when the value is not recognised.

    Example:
        >>> normalise_sex("女"), normalise_sex(" １ "), normalise_sex("2.0"), normalise_sex("x")
        ('2', '1', '2', None)
    """
    text = normalise_text(value).lower()
    code = _SEX_CODES.get(text)
    if code is None and text.endswith(".0"):
        code = _SEX_CODES.get(text[:-2])  # "2.0" from a spreadsheet export
    return code


def _required(keys: Sequence[str]) -> list[str]:
    """The required columns; age may be left out when the file gives age_band."""
    return [c for c in REQUIRED_COLUMNS if not (c == "age" and "age_band" in keys)]


def read_responses(path: str | os.PathLike[str]) -> ResponsesData:
    """Read RESPONSES.csv.

    Args:
        path: the file (UTF-8 with or without BOM, or Shift_JIS; header row).

    Returns:
        ``ResponsesData``: one row per respondent with age_band derived from age (or
        taken from age_band; the rule is ``ages.age_bands``), sex as 1/2/3, town normalised (NFKC), answers as text;
        plus warnings for unusable demographic values.

    Raises:
        SurveyInputError: missing required column, undecodable bytes, a row with too
            many fields, empty or duplicate respondent ids, no data rows.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
        >>> _ = p.write_text("respondent_id,age,sex,town,direct,ucla1,ucla2,ucla3\\nA1,34,女,豊洲,5,4,4,3\\n",
        ...                  encoding="utf-8")
        >>> d = read_responses(p)
        >>> d.frame.loc[0, ["age_band", "sex", "town"]].tolist()
        ['30-39', '2', '豊洲']
    """
    file = Path(path)
    table, numbers, read = read_frame(file, _required)
    has_band = "age_band" in read.keys

    def column(name: str) -> pd.Series:
        if name in table.columns:
            return table[name].astype(object)
        return pd.Series([""] * len(table), dtype=object)

    ids = column("respondent_id").str.strip()
    empty = np.flatnonzero((ids == "").to_numpy())
    if empty.size:
        raise SurveyInputError(
            file,
            int(numbers[empty[0]]),
            "respondent_id",
            "empty respondent_id; every row needs a unique id",
        )
    repeated = np.flatnonzero(ids.duplicated().to_numpy())
    if repeated.size:
        i = int(repeated[0])
        first = int(numbers[int(np.flatnonzero((ids == ids.iat[i]).to_numpy())[0])])
        raise SurveyInputError(
            file,
            int(numbers[i]),
            "respondent_id",
            f"duplicate respondent_id {show_value(ids.iat[i])} (first on row {first}); ids must be unique",
        )
    id_list = ids.tolist()
    warnings: list[DataWarning] = []
    bands, age_problems = age_bands(column("age"), column("age_band") if has_band else None)
    warnings += [
        DataWarning(id_list[p.position], p.column, _clip(p.value), p.reason) for p in age_problems
    ]

    raw_sex = column("sex")
    sexes = raw_sex.map(_SEX_CODES)
    for i in np.flatnonzero(sexes.isna().to_numpy()).tolist():
        raw = str(raw_sex.iat[i])
        code = normalise_sex(raw)
        if code is None:
            problem = "empty" if not raw.strip() else "not 1/2/3 or 男/女/その他"
            warnings.append(
                DataWarning(id_list[i], "sex", _clip(raw), f"{problem}; counted as no answer")
            )
        sexes.iat[i] = code
    sexes = sexes.astype(object).where(sexes.notna(), None)

    towns = column("town").str.normalize("NFKC").str.strip()
    for i in np.flatnonzero((towns == "").to_numpy()).tolist():
        warnings.append(
            DataWarning(id_list[i], "town", "", "empty town; the respondent is in no town group")
        )
    towns = towns.where(towns != "", None)
    frame = pd.DataFrame(
        {
            "respondent_id": ids,
            "age_band": bands,
            "sex": sexes.astype(object),
            "town": towns.astype(object),
            **{c: column(c) for c in ANSWER_COLUMNS},
            "row": numbers,
        }
    )
    age_column = "age_band" if has_band and not column("age").str.strip().any() else "age"
    return ResponsesData(str(path), frame, tuple(warnings), age_column)


def _clip(value: str) -> str:
    return value if len(value) <= 100 else value[:100] + "…"


def read_margins(path: str | os.PathLike[str]) -> MarginsData:
    """Read MARGINS.csv (``dimension,level,population``).

    Args:
        path: the file (UTF-8 with or without BOM, or Shift_JIS; header row).

    Returns:
        ``MarginsData`` with levels normalised like the responses (sex as 1/2/3,
        age bands as in the survey, towns NFKC).

    Raises:
        SurveyInputError: missing column, unknown dimension, unknown level, duplicate
            level, population that is not a finite non-negative number, dimensions
            whose totals differ by more than 0.1 %.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
        >>> _ = p.write_text("dimension,level,population\\nsex,男,480\\nsex,女,520\\n", encoding="utf-8")
        >>> read_margins(p).margins
        {'sex': {'1': 480.0, '2': 520.0}}
    """
    file = Path(path)
    table = read_table(file, MARGIN_COLUMNS)
    di, li, pi = (table.keys.index(c) for c in MARGIN_COLUMNS)
    margins: dict[str, dict[str, float]] = {}
    where: dict[tuple[str, str], int] = {}
    for number, record in zip(table.numbers, table.rows, strict=True):
        dim = normalise_text(record[di]).lower()
        if dim not in DIMENSIONS:
            raise SurveyInputError(
                file,
                number,
                "dimension",
                f"{show_value(record[di])} is not one of age_band, sex, town",
            )
        raw_level = record[li]
        level: str | None
        if dim == "sex":
            level = normalise_sex(raw_level)
        elif dim == "age_band":
            level = normalise_text(raw_level).replace(" ", "")
            level = level if level in AGE_BANDS else None
        else:
            level = normalise_text(raw_level) or None
        if level is None:
            raise SurveyInputError(
                file, number, "level", f"{show_value(raw_level)} is not a level of {dim}"
            )
        text = normalise_text(record[pi]).replace(",", "").replace("_", "")
        try:
            population = float(text)
        except ValueError:
            raise SurveyInputError(
                file, number, "population", f"{show_value(record[pi])} is not a number"
            ) from None
        if not math.isfinite(population) or population < 0 or population > MAX_POPULATION:
            raise SurveyInputError(
                file,
                number,
                "population",
                f"{show_value(record[pi])} is not a population between 0 and {MAX_POPULATION:.0e}",
            )
        if (dim, level) in where:
            raise SurveyInputError(
                file,
                number,
                "level",
                f"{dim} level {show_value(level)} appears twice (first on row {where[(dim, level)]})",
            )
        where[(dim, level)] = number
        margins.setdefault(dim, {})[level] = population
    totals = {d: sum(v.values()) for d, v in margins.items()}
    first_dim = next(iter(totals))
    for dim, total in totals.items():
        if total <= 0:
            row = where[(dim, next(iter(margins[dim])))]
            raise SurveyInputError(file, row, "population", f"the {dim} levels sum to zero")
        reference = totals[first_dim]
        if abs(total - reference) > 1e-3 * reference:
            row = where[(dim, next(iter(margins[dim])))]
            raise SurveyInputError(
                file,
                row,
                "population",
                f"the {dim} levels sum to {total:,.0f} but the {first_dim} levels sum to "
                f"{reference:,.0f}; every dimension must add up to the same population",
            )
    return MarginsData(str(path), margins, where)


def write_outputs(
    out_dir: str | os.PathLike[str],
    estimates: pd.DataFrame,
    warnings: Sequence[DataWarning],
) -> list[Path]:
    """Write estimates.csv and warnings.csv into ``out_dir`` (created if needed).

    Each file is written to a temporary name and renamed into place, so a
    failure never leaves a half-written file. Text cells that a spreadsheet
    would run as a formula are prefixed with an apostrophe.

    Args:
        out_dir: the output directory.
        estimates: the frame from ``estimates_frame`` (the contract's columns).
        warnings: the data warnings.

    Returns:
        The paths written.

    Example:
        >>> import tempfile
        >>> from tsunagari.surveys.engine.estimates import estimates_frame
        >>> [p.name for p in write_outputs(tempfile.mkdtemp(), estimates_frame([]), [])]
        ['estimates.csv', 'warnings.csv']
    """
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SurveyInputError(
            target, 0, "-", f"cannot create the output directory ({exc.strerror})"
        ) from None
    est = estimates.loc[:, list(ESTIMATE_COLUMNS)].copy()
    for c in ("group", "level"):
        est[c] = est[c].map(safe_cell)
    warn = pd.DataFrame(list(warnings), columns=list(WARNING_COLUMNS), dtype="object")
    for c in WARNING_COLUMNS:
        warn[c] = warn[c].map(safe_cell)
    written: list[Path] = []
    pending: list[tuple[Path, Path]] = []
    try:
        for name, frame, fmt in (("estimates.csv", est, "%.6f"), ("warnings.csv", warn, None)):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=target)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                frame.to_csv(fh, index=False, float_format=fmt, lineterminator="\n")
            pending.append((Path(tmp), target / name))
        for tmp_path, final in pending:
            os.replace(tmp_path, final)
            written.append(final)
    finally:
        for tmp_path, _ in pending:
            tmp_path.unlink(missing_ok=True)
    return written
