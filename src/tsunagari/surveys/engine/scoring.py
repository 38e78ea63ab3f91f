"""Scoring the national loneliness questions.

Measures per respondent (float, NaN where the respondent gives no usable
answer to the item(s) behind the measure):

* ``lonely_often``: 1 if the direct question is answered 5 (しばしばある・常にある).
* ``lonely_any``: 1 if it is answered 3, 4 or 5 (たまに/時々/しばしば・常に).
* ``ucla_score``: the sum of the three UCLA items, 3–12.
* ``ucla_high``: 1 if ``ucla_score`` is 10 or more (band 常にある).

Missing-item rule: a respondent missing any of the three UCLA items (empty,
or an out-of-range answer counted as no answer) has no UCLA score and is
excluded from ``ucla_score``, ``ucla_high`` and ``ucla_mean``. Scores are
never prorated from two items: the published bands are defined on the full
sum, and a two-item sum rescaled to 3–12 would place people in a band on
evidence the bands were not built for. The direct question stands alone, so
its measures use everyone who answered it.

Out-of-range answers (a code not on the answer list, text, decimals, huge
numbers) count as no answer and each one gives a ``DataWarning``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.surveys.engine.instruments import DIRECT_QUESTION, UCLA_BANDS, UCLA_ITEMS, Item

__all__ = [
    "NO_ANSWER",
    "DataWarning",
    "Scores",
    "direct_distribution",
    "parse_codes",
    "score_responses",
    "ucla_band",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NO_ANSWER = "無回答"
_MAX_SHOWN = 100


class DataWarning(NamedTuple):
    """One value that was not usable and was counted as no answer."""

    respondent_id: str
    column: str
    value: str
    problem: str


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-respondent measures (``frame``, same index as the input) and the warnings met."""

    frame: pd.DataFrame
    warnings: tuple[DataWarning, ...]


def _clip_text(value: object) -> str:
    text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def parse_codes(
    respondent_ids: Sequence[str] | pd.Series,
    raw: Sequence[object] | pd.Series,
    item: Item,
) -> tuple[FloatArray, list[DataWarning]]:
    """Turn the raw answers to a single-choice item into codes.

    Args:
        respondent_ids: the respondent ids, aligned with ``raw`` (used in warnings).
        raw: the answers as read (strings or numbers); empty or NaN means no answer.
            Full-width digits and surrounding spaces are accepted.
        item: the question whose ``codes`` are valid.

    Returns:
        The codes as floats (NaN = no answer) and one warning per out-of-range value.

    Example:
        >>> from tsunagari.surveys.engine.instruments import DIRECT_QUESTION
        >>> codes, warnings = parse_codes(["a", "b", "c"], ["5", "", "９"], DIRECT_QUESTION)
        >>> codes.tolist(), [w.value for w in warnings]
        ([5.0, nan, nan], ['９'])
    """
    series = raw if isinstance(raw, pd.Series) else pd.Series(list(raw), dtype="object")
    series = series.reset_index(drop=True)
    valid = sorted(item.codes)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        number = series.to_numpy(dtype=np.float64, na_value=np.nan)
        empty = np.isnan(number)
    else:
        # Fast path: most cells are exactly "1".."5" or empty; only the rest is normalised.
        lookup: dict[object, float] = {str(c): float(c) for c in valid}
        lookup.update({c: float(c) for c in valid})
        lookup[""] = np.nan
        mapped = series.map(lookup)
        unknown = mapped.isna() & series.notna() & (series != "")
        number = mapped.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        if unknown.any():
            text = series[unknown].astype(str).str.normalize("NFKC").str.strip()
            number[unknown.to_numpy()] = pd.to_numeric(text, errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
            blank = np.zeros(len(series), dtype=bool)
            blank[unknown.to_numpy()] = (text == "").to_numpy()
        else:
            blank = np.zeros(len(series), dtype=bool)
        empty = (series.isna() | (series == "")).to_numpy(dtype=bool) | blank
    ok = np.isin(number, np.asarray(valid, dtype=np.float64))
    codes = np.where(ok, number, np.nan)
    bad = np.flatnonzero(~ok & ~empty)
    warnings: list[DataWarning] = []
    if bad.size:
        ids = pd.Series(
            list(respondent_ids) if not isinstance(respondent_ids, pd.Series) else respondent_ids
        )
        ids = ids.reset_index(drop=True)
        problem = (
            f"not an answer code of {item.column} ({valid[0]}–{valid[-1]}); counted as no answer"
        )
        for i in bad:
            warnings.append(
                DataWarning(_clip_text(ids.iat[i]), item.column, _clip_text(series.iat[i]), problem)
            )
    return codes.astype(np.float64), warnings


def ucla_band(score: int) -> str:
    """The published band of a UCLA 3-item score.

    Args:
        score: the sum of the three items, 3–12.

    Returns:
        常にある (10–12), 時々ある (7–9), ほとんどない (4–6) or 決してない (3).

    Example:
        >>> ucla_band(12), ucla_band(7), ucla_band(4), ucla_band(3)
        ('常にある', '時々ある', 'ほとんどない', '決してない')
    """
    for band in UCLA_BANDS:
        if band.low <= score <= band.high:
            return band.label
    raise ValueError(f"UCLA score {score} is outside 3–12")


def score_responses(frame: pd.DataFrame, id_column: str = "respondent_id") -> Scores:
    """Score the direct question and the UCLA items of every respondent.

    Args:
        frame: one row per respondent with ``respondent_id``, ``direct``, ``ucla1``,
            ``ucla2``, ``ucla3`` (strings or numbers; empty/NaN = no answer).
        id_column: the column holding respondent ids (used in warnings).

    Returns:
        ``Scores`` whose frame has, on the input's index: ``direct``, ``ucla1``–``ucla3``
        (codes, NaN = no answer), ``ucla_score``, ``ucla_band``, ``lonely_often``,
        ``lonely_any``, ``ucla_high`` (1.0/0.0/NaN); and the out-of-range warnings.

    Example:
        >>> import pandas as pd
        >>> raw = pd.DataFrame({"respondent_id": ["a", "b"], "direct": ["5", "2"],
        ...                     "ucla1": ["4", "1"], "ucla2": ["3", ""], "ucla3": ["4", "1"]})
        >>> s = score_responses(raw).frame
        >>> s["ucla_score"].tolist(), s["lonely_often"].tolist(), s["ucla_high"].tolist()
        ([11.0, nan], [1.0, 0.0], [1.0, nan])
    """
    ids = frame[id_column] if id_column in frame else pd.Series(frame.index.astype(str))
    out = pd.DataFrame(index=frame.index)
    warnings: list[DataWarning] = []
    for item in (DIRECT_QUESTION, *UCLA_ITEMS):
        codes, found = parse_codes(ids, frame[item.column], item)
        out[item.column] = codes
        warnings.extend(found)
    direct = out["direct"].to_numpy()
    answered = ~np.isnan(direct)
    out["lonely_often"] = np.where(answered, (direct == 5).astype(np.float64), np.nan)
    out["lonely_any"] = np.where(answered, (direct >= 3).astype(np.float64), np.nan)
    ucla = out[[i.column for i in UCLA_ITEMS]].to_numpy()
    score = ucla.sum(axis=1)  # NaN whenever any item is missing: the missing-item rule
    out["ucla_score"] = score
    out["ucla_high"] = np.where(np.isnan(score), np.nan, (score >= 10).astype(np.float64))
    band = pd.Series(pd.NA, index=frame.index, dtype="object")
    for b in UCLA_BANDS:
        band[(score >= b.low) & (score <= b.high)] = b.label
    out["ucla_band"] = band
    return Scores(out, tuple(warnings))


def direct_distribution(
    direct: Sequence[float] | FloatArray | pd.Series,
    weights: Sequence[float] | FloatArray | None = None,
) -> dict[str, float]:
    """Share of each answer to the direct question, as the national tables show it.

    Shares are of all respondents, no answer included, as in the published
    tables of 人々のつながりに関する基礎調査.

    Args:
        direct: codes 1–5, NaN for no answer (as from ``score_responses``).
        weights: optional respondent weights; equal weights when omitted.

    Returns:
        ``{label: share}`` in the published order (5 → 1), then ``無回答``; shares sum to 1.

    Example:
        >>> d = direct_distribution([5, 3, 1, float("nan")])
        >>> d["しばしばある・常にある"], d["無回答"]
        (0.25, 0.25)
    """
    codes = np.asarray(direct, dtype=np.float64)
    w = np.ones_like(codes) if weights is None else np.asarray(weights, dtype=np.float64)
    total = float(w.sum())
    if total <= 0:
        raise ValueError("no respondents (or all weights zero)")
    result: dict[str, float] = {}
    for choice in sorted(DIRECT_QUESTION.choices, key=lambda c: -c.code):
        result[choice.label] = float(w[codes == choice.code].sum()) / total
    result[NO_ANSWER] = float(w[np.isnan(codes)].sum()) / total
    return result
