"""Age and age band of each respondent: the one rule for the survey command and uploads.

The rule follows the survey contract (docs/survey-methods.md, RESPONSES.csv):

* ``age`` is whole years, 16 and over (at most ``MAX_AGE``, a typing error
  beyond). Written as digits, full-width or not, optionally with 歳 or the
  ".0" a spreadsheet adds to whole numbers. It gives the band through
  ``age_band_of``.
* ``age_band`` is one of the contract's labels, ``16-19`` … ``80+``
  (full-width characters and spaces are ignored; no other spelling). It is
  used when the age is empty or unusable.
* A value that breaks the rule is not fatal: the respondent has no band (no
  answer) and a warning names the value. A band that disagrees with a usable
  age is warned about; the age is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.surveys.engine.instruments import AGE_BANDS

__all__ = ["MAX_AGE", "AgeProblem", "age_bands"]

MAX_AGE = 125
_BAND_EDGES = np.asarray([20, 30, 40, 50, 60, 70, 80])
_WHOLE_AGE = r"^(\d{1,3})(?:\.0+)?歳?$"
_BANDS = ", ".join(AGE_BANDS)


@dataclass(frozen=True, slots=True)
class AgeProblem:
    """One unusable age or band: the row's position, its column, the value and why."""

    position: int
    column: str
    value: str
    reason: str
    reason_ja: str


def age_bands(
    ages: pd.Series, bands: pd.Series | None = None
) -> tuple[pd.Series, list[AgeProblem]]:
    """The survey age band of each respondent, from the age or else the given band.

    Args:
        ages: the age column as text ("" when empty).
        bands: the age_band column as text, or None when the file has none.

    Returns:
        ``(band, problems)``: one of ``AGE_BANDS`` or None per row (same
        order, fresh index), and the problems in row order.

    Example:
        >>> band, problems = age_bands(pd.Series(["34", "８１歳", "", "7"]), pd.Series(["", "", "20-29", ""]))
        >>> band.tolist(), [(p.position, p.column) for p in problems]
        (['30-39', '80+', '20-29', None], [(3, 'age')])
    """
    text = ages.astype(str).reset_index(drop=True).str.normalize("NFKC").str.strip()
    digits = text.str.extract(_WHOLE_AGE, expand=False)
    number = pd.to_numeric(digits, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        usable = np.isfinite(number) & (number >= 16) & (number <= MAX_AGE)
    labels = np.asarray(AGE_BANDS, dtype=object)
    from_age = labels[np.searchsorted(_BAND_EDGES, np.where(usable, number, 16.0), side="right")]
    from_age[~usable] = None
    out = pd.Series(from_age, dtype=object)
    found: list[AgeProblem] = []
    raw_ages = ages.astype(str).reset_index(drop=True)
    for i in np.flatnonzero(~usable & (text != "").to_numpy()).tolist():
        found.append(
            AgeProblem(
                i,
                "age",
                str(raw_ages.iat[i]),
                f"not a whole age from 16 to {MAX_AGE}; counted as no answer",
                f"16〜{MAX_AGE}の整数の年齢ではありません。無回答として扱います。",
            )
        )
    if bands is not None:
        raw = bands.astype(str).reset_index(drop=True)
        given = raw.str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
        known = given.isin(AGE_BANDS)
        for i in np.flatnonzero((~known & (given != "")).to_numpy()).tolist():
            found.append(
                AgeProblem(
                    i,
                    "age_band",
                    str(raw.iat[i]),
                    f"not one of {_BANDS}; counted as no answer",
                    f"年齢区分は {_BANDS} のいずれかです。無回答として扱います。",
                )
            )
        given = given.where(known, None)
        disagree = (out.notna() & given.notna() & (out != given)).to_numpy()
        for i in np.flatnonzero(disagree).tolist():
            found.append(
                AgeProblem(
                    i,
                    "age_band",
                    str(raw.iat[i]),
                    f"disagrees with age {text.iat[i]}; the age was used",
                    f"年齢（{text.iat[i]}）と合いません。年齢を使いました。",
                )
            )
        out = out.where(out.notna(), given)
    found.sort(key=lambda p: p.position)
    result = out.astype(object)
    result[result.isna()] = None
    return result, found
