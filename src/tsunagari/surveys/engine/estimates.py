"""Estimates of the loneliness measures with 95 % intervals, overall and by group.

Point estimates are weighted means (ratio estimators) over the respondents
with a valid answer in a domain (group level). Variances are by Taylor
linearisation of the ratio; when the weights were raked, the linearised
values are replaced by their residuals from a weighted regression on the
raking dimensions (the calibration, or "raking residuals", variance of
Deville & Särndal), which accounts both for the spread of the weights and
for what the raking already fixes. Shares get a Wilson score interval on the
effective sample size p(1-p)/v, which stays inside 0–1 and keeps its
coverage near 0 and 1; means get a normal interval. Kish's effective n is
available as a simpler, secondary method. See docs/survey-methods.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from scipy.stats import t as student_t  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "ESTIMATE_COLUMNS",
    "MEASURES",
    "Calibration",
    "Estimate",
    "domain_estimate",
    "estimate_measures",
    "estimates_frame",
    "kish_effective_n",
    "wilson_interval",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Method = Literal["linearised", "kish"]

#: measure -> (column of the scored frame, is it a share)
MEASURES: dict[str, tuple[str, bool]] = {
    "lonely_often": ("lonely_often", True),
    "lonely_any": ("lonely_any", True),
    "ucla_high": ("ucla_high", True),
    "ucla_mean": ("ucla_score", False),
}
ESTIMATE_COLUMNS = ("measure", "group", "level", "n", "estimate", "ci_low", "ci_high", "suppressed")
UCLA_RANGE = (3.0, 12.0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """One row of estimates.csv, plus the standard error and effective n behind the interval."""

    measure: str
    group: str
    level: str
    n: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    se: float | None = None
    n_effective: float | None = None


class Calibration:
    """The raking dimensions of a sample, ready to turn linearised values into residuals.

    Residuals come from the weighted least-squares fit of a value on the
    dummies of every level of every raking dimension. The cross-product matrix
    is built once from weighted cross-tabulations, so each fit costs a few
    ``bincount`` calls.

    Args:
        codes: per raking dimension, every respondent's level index (0..k-1),
            e.g. from ``raking.encode_dimensions``.
        weights: the raked weights (the same ones later used for estimates).

    Example:
        >>> import numpy as np
        >>> cal = Calibration({"sex": np.array([0, 0, 1, 1])}, np.ones(4))
        >>> cal.residuals(np.array([1.0, 3.0, 5.0, 9.0])).tolist()
        [-1.0, 1.0, -2.0, 2.0]
    """

    def __init__(self, codes: Mapping[str, IntArray], weights: FloatArray) -> None:
        self._codes = [np.asarray(c, dtype=np.intp) for c in codes.values()]
        self._sizes = [int(c.max()) + 1 if c.size else 0 for c in self._codes]
        self._offsets = np.concatenate([[0], np.cumsum(self._sizes)]).astype(np.intp)
        p = int(self._offsets[-1])
        xtx = np.zeros((p, p))
        for a, ca in enumerate(self._codes):
            for b, cb in enumerate(self._codes):
                cross = np.bincount(
                    ca * self._sizes[b] + cb,
                    weights=weights,
                    minlength=self._sizes[a] * self._sizes[b],
                ).reshape(self._sizes[a], self._sizes[b])
                oa, ob = self._offsets[a], self._offsets[b]
                xtx[oa : oa + self._sizes[a], ob : ob + self._sizes[b]] = cross
        # The dummies of each dimension sum to one, so X'WX is singular; the
        # pseudo-inverse gives the same fitted values as dropping a level.
        self._inverse = np.linalg.pinv(xtx, hermitian=True)
        self._weights = weights
        # Respondents sharing every raking level ("cells") share their fitted
        # value, so per-level sums over cells are enough for the variance.
        combined = np.ravel_multi_index(tuple(self._codes), tuple(self._sizes))
        cells, self.cell = np.unique(combined, return_inverse=True)
        self.cell = self.cell.astype(np.intp).reshape(-1)
        # Column of each cell's level in every dimension (the dummies, stored sparsely).
        self._cell_columns = [
            (off + lv).astype(np.intp)
            for off, lv in zip(
                self._offsets[:-1], np.unravel_index(cells, tuple(self._sizes)), strict=True
            )
        ]
        self._cell_w2 = np.bincount(self.cell, weights=weights * weights, minlength=cells.size)

    @property
    def weights(self) -> FloatArray:
        """The weights the calibration was built with."""
        return self._weights

    def residual_sums_of_squares(self, u: FloatArray, level: IntArray, levels: int) -> FloatArray:
        """Σ w²e² per level, where e are the raking residuals of ``u`` restricted to the level.

        Args:
            u: every respondent's linearised value within its own level (0 where
                the respondent has no valid answer or no level).
            level: every respondent's level index (-1 for none).
            levels: the number of levels.

        Returns:
            For each level L, Σ over all respondents of w² (u·1[L] − fit)².
        """
        w = self._weights
        inside = level >= 0
        lv, cell, wi, ui = level[inside], self.cell[inside], w[inside], u[inside]
        n_cells = self._cell_w2.size
        key = lv * n_cells + cell
        w2u = np.bincount(key, weights=wi * wi * ui, minlength=levels * n_cells).reshape(
            levels, n_cells
        )
        plain = np.bincount(lv, weights=(wi * ui) ** 2, minlength=levels)
        # X'Wu per level, one dimension at a time; sparse sums rather than a dense
        # product with the dummy matrix.
        xtu = np.zeros((levels, int(self._offsets[-1])))
        for codes, size, off in zip(self._codes, self._sizes, self._offsets[:-1], strict=True):
            xtu[:, off : off + size] = np.bincount(
                lv * size + codes[inside], weights=wi * ui, minlength=levels * size
            ).reshape(levels, size)
        beta = xtu @ self._inverse
        fitted = np.zeros((levels, n_cells))
        for columns in self._cell_columns:
            fitted += beta[:, columns]
        result: FloatArray = (
            plain - 2 * (fitted * w2u).sum(axis=1) + (fitted**2 * self._cell_w2).sum(axis=1)
        )
        return result

    def residuals(self, values: FloatArray) -> FloatArray:
        """``values`` minus their weighted least-squares fit on the raking dummies."""
        wu = self._weights * values
        xtu = np.concatenate(
            [
                np.bincount(c, weights=wu, minlength=s)
                for c, s in zip(self._codes, self._sizes, strict=True)
            ]
        )
        beta = self._inverse @ xtu
        fitted = np.zeros_like(values)
        for c, off in zip(self._codes, self._offsets[:-1], strict=True):
            fitted += beta[off + c]
        return values - fitted


def kish_effective_n(weights: Sequence[float] | FloatArray) -> float:
    """Kish's effective sample size (Σw)² / Σw².

    Args:
        weights: the weights of the respondents concerned.

    Returns:
        The effective n (equal to the count for equal weights; 0 for no weights).

    Example:
        >>> kish_effective_n([1, 1, 1, 1]), round(kish_effective_n([1, 3]), 2)
        (4.0, 1.6)
    """
    w = np.asarray(weights, dtype=np.float64)
    s2 = float((w * w).sum())
    return float(w.sum()) ** 2 / s2 if s2 > 0 else 0.0


def wilson_interval(p: float, n_effective: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a share, on an effective sample size.

    Args:
        p: the estimated share, 0–1.
        n_effective: effective sample size (n for simple random sampling).
        alpha: 1 − confidence level.

    Returns:
        ``(low, high)`` inside 0–1; it stays informative at p = 0 or 1.

    Example:
        >>> [round(x, 4) for x in wilson_interval(0.0, 20)]
        [0.0, 0.1611]
    """
    if n_effective <= 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1 - alpha / 2)
    z2n = z * z / n_effective
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n_effective + z2n / (4 * n_effective)) / (1 + z2n)
    return max(0.0, centre - half), min(1.0, centre + half)


def domain_estimate(
    y: FloatArray,
    weights: FloatArray,
    in_domain: BoolArray,
    *,
    share: bool,
    calibration: Calibration | None = None,
    method: Method = "linearised",
    alpha: float = 0.05,
) -> tuple[float, float, float, float, float]:
    """Weighted mean of ``y`` in a domain with its interval.

    Args:
        y: values for every respondent (NaN = no valid answer; excluded).
        weights: every respondent's weight (ones for unweighted estimates).
        in_domain: True for respondents in the domain (group level).
        share: ``y`` is 0/1 and a Wilson interval is wanted.
        calibration: the raking dimensions, for raking-residual linearisation.
        method: ``"linearised"`` (Taylor, default) or ``"kish"`` (Kish effective n).
        alpha: 1 − confidence level.

    Returns:
        ``(estimate, ci_low, ci_high, se, n_effective)``.

    Example:
        >>> import numpy as np
        >>> y = np.array([1.0, 0.0, 0.0, 1.0])
        >>> est, lo, hi, se, neff = domain_estimate(y, np.ones(4), np.ones(4, bool), share=True)
        >>> est, round(se, 4)
        (0.5, 0.2887)
    """
    valid = in_domain & ~np.isnan(y)
    n_all = y.size
    wd = weights[valid]
    yd = y[valid]
    total = float(wd.sum())
    est = float((wd * yd).sum() / total)
    kish = kish_effective_n(wd)
    unit_var = float((wd * (yd - est) ** 2).sum() / total)
    if method == "kish":
        var = (est * (1 - est) if share else unit_var) / kish if kish > 0 else 0.0
    else:
        u = np.zeros(n_all)
        u[valid] = yd - est
        if calibration is not None:
            u = calibration.residuals(u)
        z = weights * u / total
        var = float(n_all / (n_all - 1) * ((z - z.mean()) ** 2).sum()) if n_all > 1 else 0.0
    low, high, se, n_eff = _interval(
        est,
        var,
        kish,
        unit_var,
        int(valid.sum()),
        share=share,
        kish_only=method == "kish",
        alpha=alpha,
    )
    return est, low, high, se, n_eff


def _interval(
    est: float,
    var: float,
    kish: float,
    unit_var: float,
    count: int,
    *,
    share: bool,
    kish_only: bool,
    alpha: float,
) -> tuple[float, float, float, float]:
    """``(low, high, se, n_effective)`` from an estimate and its variance."""
    var = max(var, 0.0)
    se = math.sqrt(var)
    if kish_only:
        n_eff = kish
    elif share:
        p_q = est * (1 - est)
        n_eff = p_q / var if var > 0 and p_q > 0 else kish
    else:
        n_eff = unit_var / var if var > 0 else kish
    if share:
        low, high = wilson_interval(est, n_eff, alpha)
        return min(low, est), max(high, est), se, n_eff
    # Student's t on the domain's degrees of freedom: small cells get wider intervals.
    t_crit = float(student_t.ppf(1 - alpha / 2, max(count - 1, 1)))
    low = max(UCLA_RANGE[0], est - t_crit * se)
    high = min(UCLA_RANGE[1], est + t_crit * se)
    return low, high, se, n_eff


def estimate_measures(
    scores: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    weights: Sequence[float] | FloatArray | None = None,
    calibration: Calibration | None = None,
    levels: Mapping[str, Sequence[str]] | None = None,
    min_cell: int = 5,
    method: Method = "linearised",
    alpha: float = 0.05,
) -> list[Estimate]:
    """Every measure for ``all`` and for every level of every group.

    Args:
        scores: per-respondent measures from ``score_responses`` (``lonely_often``,
            ``lonely_any``, ``ucla_high``, ``ucla_score``).
        groups: per respondent (same order), one column per group (e.g. ``age_band``,
            ``sex``, ``town``); missing values belong to no level of that group.
        weights: raked weights; unweighted estimates when omitted.
        calibration: the raking dimensions, to linearise with raking residuals.
        levels: the levels to report per group, in order; by default the levels found,
            sorted. Levels with no respondents are reported suppressed.
        min_cell: cells with fewer valid answers are suppressed (no estimate, no interval).
        method: variance method, ``"linearised"`` or ``"kish"``.
        alpha: 1 − confidence level.

    Returns:
        One ``Estimate`` per measure × (all, group levels), measure by measure.

    Example:
        >>> import pandas as pd
        >>> s = pd.DataFrame({"lonely_often": [1.0, 0, 0, 0, 0, 0], "lonely_any": [1.0] * 6,
        ...                   "ucla_high": [0.0] * 6, "ucla_score": [6.0] * 6})
        >>> g = pd.DataFrame({"sex": ["1", "1", "1", "2", "2", "2"]})
        >>> rows = estimate_measures(s, g, min_cell=3)
        >>> [(r.group, r.level, r.n, round(r.estimate or 0.0, 3)) for r in rows[:3]]
        [('all', 'all', 6, 0.167), ('sex', '1', 3, 0.333), ('sex', '2', 3, 0.0)]
    """
    n = len(scores)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    grouping: list[tuple[str, list[str], IntArray]] = [("all", ["all"], np.zeros(n, dtype=np.intp))]
    for group in groups.columns:
        column_values = groups[group]
        present = column_values.notna().to_numpy()
        values = np.where(present, column_values.to_numpy(dtype=object), None)
        found = {str(v) for v in pd.unique(values[present])}
        wanted = [str(v) for v in levels[group]] if levels and group in levels else []
        wanted += sorted(found - set(wanted))
        codes = np.full(n, -1, dtype=np.intp)
        codes[present] = pd.Index(wanted, dtype=object).get_indexer(
            pd.Index(values[present].astype(str), dtype=object)
        )
        grouping.append((group, wanted, codes))
    out: list[Estimate] = []
    for measure, (column, share) in MEASURES.items():
        y = scores[column].to_numpy(dtype=np.float64, na_value=np.nan)
        for group, names, codes in grouping:
            stats = _level_stats(y, w, codes, len(names), calibration, method == "kish", share)
            for i, level in enumerate(names):
                count = int(stats["count"][i])
                if count < max(min_cell, 1):
                    out.append(Estimate(measure, group, level, count, None, None, None, True))
                    continue
                est = float(stats["estimate"][i])
                low, high, se, n_eff = _interval(
                    est,
                    float(stats["variance"][i]),
                    float(stats["kish"][i]),
                    float(stats["unit_variance"][i]),
                    count,
                    share=share,
                    kish_only=method == "kish",
                    alpha=alpha,
                )
                out.append(Estimate(measure, group, level, count, est, low, high, False, se, n_eff))
    return out


def _level_stats(
    y: FloatArray,
    w: FloatArray,
    codes: IntArray,
    levels: int,
    calibration: Calibration | None,
    kish_only: bool,
    share: bool,
) -> dict[str, FloatArray]:
    """Estimate, variance and effective n for every level of one group at once.

    The same numbers as ``domain_estimate`` level by level, computed with a
    few ``bincount`` calls over the whole sample instead of one pass per level.
    """
    n = y.size
    valid = ~np.isnan(y) & (codes >= 0)
    c, wv, yv = codes[valid], w[valid], y[valid]
    count = np.bincount(c, minlength=levels).astype(np.float64)
    total = np.bincount(c, weights=wv, minlength=levels)
    safe = np.where(total > 0, total, 1.0)
    estimate = np.bincount(c, weights=wv * yv, minlength=levels) / safe
    w2 = np.bincount(c, weights=wv * wv, minlength=levels)
    kish = np.divide(total**2, w2, out=np.zeros(levels), where=w2 > 0)
    u = yv - estimate[c]
    unit_variance = np.bincount(c, weights=wv * u * u, minlength=levels) / safe
    if kish_only:
        base = estimate * (1 - estimate) if share else unit_variance
        variance = np.divide(base, kish, out=np.zeros(levels), where=kish > 0)
    else:
        if calibration is not None:
            full_u = np.zeros(n)
            full_u[valid] = u
            full_level = np.where(valid, codes, -1).astype(np.intp)
            squares: FloatArray = calibration.residual_sums_of_squares(full_u, full_level, levels)
        else:
            squares = np.bincount(c, weights=(wv * u) ** 2, minlength=levels).astype(np.float64)
        factor = n / (n - 1) if n > 1 else 0.0
        variance = factor * squares / safe**2
    return {
        "count": count,
        "estimate": estimate,
        "variance": variance,
        "kish": kish,
        "unit_variance": unit_variance,
    }


def estimates_frame(estimates: Sequence[Estimate]) -> pd.DataFrame:
    """The estimates as a table with exactly the columns of estimates.csv.

    Args:
        estimates: rows from ``estimate_measures``.

    Returns:
        DataFrame with ``measure, group, level, n, estimate, ci_low, ci_high, suppressed``
        (suppressed as 0/1; estimate and interval NaN where suppressed).

    Example:
        >>> rows = [Estimate("ucla_mean", "all", "all", 3, None, None, None, True)]
        >>> int(estimates_frame(rows).loc[0, "suppressed"])
        1
    """
    frame = pd.DataFrame(
        [
            (e.measure, e.group, e.level, e.n, e.estimate, e.ci_low, e.ci_high, int(e.suppressed))
            for e in estimates
        ],
        columns=list(ESTIMATE_COLUMNS),
    )
    for c in ("estimate", "ci_low", "ci_high"):
        frame[c] = frame[c].astype(np.float64)
    return frame
