"""Raking (iterative proportional fitting) of respondent weights to population margins.

Each pass scales the weights so that, dimension by dimension, the weighted
count of every level equals its population. The loop stops when every
level of every dimension is within ``tol`` (relative) of its population,
or reports failure. Work per pass is a handful of ``numpy.bincount`` calls,
so 100,000 respondents rake in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "EmptyCellError",
    "InconsistentMarginsError",
    "NotConvergedError",
    "RakeResult",
    "RakingError",
    "UncoveredLevelError",
    "encode_dimensions",
    "rake",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Margins = Mapping[str, Mapping[str, float]]


class RakingError(ValueError):
    """Weights cannot be raked to the margins given; the message says why and what to fix."""


class UncoveredLevelError(RakingError):
    """A level present in the responses has no (or zero) population in the margins."""

    def __init__(self, dimension: str, level: str, first_index: int) -> None:
        self.dimension, self.level, self.first_index = dimension, level, first_index
        super().__init__(
            f"{dimension} level {level!r} is present in the responses but the margins give it "
            f"no population; add it to the margins or correct the responses"
        )


class EmptyCellError(RakingError):
    """A margin level has population but no respondent to carry it."""

    def __init__(self, dimension: str, level: str, population: float) -> None:
        self.dimension, self.level, self.population = dimension, level, population
        super().__init__(
            f"{dimension} level {level!r} has population {population:g} in the margins but no "
            f"respondents; merge it with a neighbouring level or drop it"
        )


class InconsistentMarginsError(RakingError):
    """The dimensions' populations do not add up to the same total."""

    def __init__(self, totals: Mapping[str, float]) -> None:
        self.totals = dict(totals)
        shown = ", ".join(f"{d} {t:g}" for d, t in totals.items())
        super().__init__(
            f"margin dimensions sum to different totals ({shown}); each dimension must add up "
            f"to the same population"
        )


class NotConvergedError(RakingError):
    """The margins cannot all be met at once by these respondents (e.g. contradictory margins)."""

    def __init__(
        self, iterations: int, max_relative_error: float, dimension: str, level: str
    ) -> None:
        self.iterations, self.max_relative_error = iterations, max_relative_error
        self.dimension, self.level = dimension, level
        super().__init__(
            f"raking did not converge after {iterations} passes: {dimension} level {level!r} "
            f"is still off by {max_relative_error:.2%}; the margins contradict each other "
            f"for these respondents"
        )


@dataclass(frozen=True, slots=True)
class RakeResult:
    """Raked weights and how the raking went.

    ``max_relative_error`` is the largest |weighted count − population| / population
    over all levels; ``dropped`` lists margin levels (dimension, level,
    population) that had no respondents and were spread over their dimension
    (only with ``empty_levels="spread"``); ``trimmed`` counts weights clipped.
    """

    weights: FloatArray
    converged: bool
    iterations: int
    max_relative_error: float
    total: float
    dropped: tuple[tuple[str, str, float], ...] = ()
    trimmed: int = 0
    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)


def encode_dimensions(
    dims: pd.DataFrame | Mapping[str, Sequence[object]],
    margins: Margins,
) -> tuple[dict[str, IntArray], dict[str, FloatArray], dict[str, tuple[str, ...]]]:
    """Integer-code each dimension against the margin levels.

    Args:
        dims: respondent values per dimension (only the dimensions in ``margins`` are used).
        margins: ``{dimension: {level: population}}``.

    Returns:
        ``(codes, targets, levels)``: per dimension, the level index of every respondent,
        the population of every level, and the level names.

    Raises:
        UncoveredLevelError: a respondent's level is missing from the margins, has zero
            population, or the respondent has no value for a raking dimension.

    Example:
        >>> codes, targets, levels = encode_dimensions({"sex": ["1", "2", "1"]},
        ...                                            {"sex": {"1": 40.0, "2": 60.0}})
        >>> codes["sex"].tolist(), targets["sex"].tolist()
        ([0, 1, 0], [40.0, 60.0])
    """
    codes: dict[str, IntArray] = {}
    targets: dict[str, FloatArray] = {}
    levels: dict[str, tuple[str, ...]] = {}
    for dim, margin in margins.items():
        names = tuple(str(k) for k in margin)
        pops = np.asarray([float(v) for v in margin.values()], dtype=np.float64)
        values = np.asarray(dims[dim], dtype=object)
        present = pd.notna(values)
        code = np.full(values.size, -1, dtype=np.intp)
        code[present] = pd.Index(names, dtype=object).get_indexer(
            pd.Index(values[present].astype(str), dtype=object)
        )
        bad = code < 0
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            level = str(values[first]) if present[first] else ""
            raise UncoveredLevelError(dim, level, first)
        present = np.bincount(code, minlength=len(names)) > 0
        zero = present & (pops <= 0)
        if zero.any():
            lvl = names[int(np.flatnonzero(zero)[0])]
            first = int(np.flatnonzero(code == names.index(lvl))[0])
            raise UncoveredLevelError(dim, lvl, first)
        codes[dim] = code.astype(np.intp)
        targets[dim] = pops
        levels[dim] = names
    return codes, targets, levels


def rake(
    dims: pd.DataFrame | Mapping[str, Sequence[object]],
    margins: Margins,
    *,
    base_weights: Sequence[float] | FloatArray | None = None,
    tol: float = 1e-5,
    max_iter: int = 500,
    total_tol: float = 1e-3,
    empty_levels: Literal["error", "spread"] = "error",
    trim: tuple[float, float] | None = None,
    raise_on_failure: bool = True,
) -> RakeResult:
    """Rake respondent weights so that every dimension matches its margin.

    Args:
        dims: per respondent, the level of each dimension named in ``margins``
            (a DataFrame or a mapping of equal-length sequences).
        margins: ``{dimension: {level: population}}``, e.g. for age_band, sex and town.
            Every dimension must sum to the same total (within ``total_tol``, relative);
            small rounding differences are scaled to the first dimension's total.
        base_weights: starting (design) weights; 1 for everyone when omitted.
        tol: convergence tolerance, the largest relative gap allowed between a level's
            weighted count and its population (default 0.001 %).
        max_iter: passes over all dimensions before giving up.
        total_tol: relative difference allowed between dimension totals.
        empty_levels: what to do with a margin level that has population but no
            respondents: ``"error"`` raises ``EmptyCellError``; ``"spread"`` drops the
            level and scales its dimension's other levels up to the common total
            (reported in ``RakeResult.dropped``).
        trim: optional ``(low, high)`` bounds on weight / mean weight; weights beyond
            them are clipped and the raking repeated (up to 20 rounds).
        raise_on_failure: raise ``NotConvergedError`` when the margins cannot be met;
            when False, return the last weights with ``converged=False``.

    Returns:
        ``RakeResult`` with the weights (summing to the population total).

    Raises:
        UncoveredLevelError, EmptyCellError, InconsistentMarginsError, NotConvergedError.

    Example:
        >>> r = rake({"sex": ["1", "1", "2"], "age_band": ["20-29", "30-39", "30-39"]},
        ...          {"sex": {"1": 50, "2": 50}, "age_band": {"20-29": 30, "30-39": 70}})
        >>> r.converged, [round(float(w), 1) for w in r.weights]
        (True, [30.0, 20.0, 50.0])
    """
    if not margins:
        raise RakingError("no margins given")
    codes, targets, levels = encode_dimensions(dims, margins)
    n = len(next(iter(codes.values())))
    if n == 0:
        raise RakingError("no respondents to weight")

    dropped: list[tuple[str, str, float]] = []
    for dim in list(codes):
        counts = np.bincount(codes[dim], minlength=len(levels[dim]))
        empty = (counts == 0) & (targets[dim] > 0)
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            if empty_levels == "error":
                raise EmptyCellError(dim, levels[dim][i], float(targets[dim][i]))
            for j in np.flatnonzero(empty):
                dropped.append((dim, levels[dim][int(j)], float(targets[dim][int(j)])))
    totals = {d: float(t.sum()) for d, t in targets.items()}
    total = next(iter(totals.values()))
    if total <= 0 or not np.isfinite(total):
        raise RakingError("the margins' population total must be positive")
    if any(abs(t - total) > total_tol * total for t in totals.values()):
        raise InconsistentMarginsError(totals)
    for dim in targets:
        counts = np.bincount(codes[dim], minlength=len(levels[dim]))
        t = np.where(counts > 0, targets[dim], 0.0)
        targets[dim] = t * (total / t.sum())

    w0 = (
        np.ones(n, dtype=np.float64)
        if base_weights is None
        else np.asarray(base_weights, dtype=np.float64).copy()
    )
    if w0.shape != (n,) or not np.all(np.isfinite(w0)) or np.any(w0 <= 0):
        raise RakingError("base weights must be positive, finite and one per respondent")

    def run(
        w: FloatArray, lo: FloatArray | None, hi: FloatArray | None
    ) -> tuple[FloatArray, int, float, tuple[str, str]]:
        err, worst = np.inf, ("", "")
        for it in range(1, max_iter + 1):
            for dim, code in codes.items():
                sums = np.bincount(code, weights=w, minlength=len(levels[dim]))
                factor = np.divide(targets[dim], sums, out=np.ones_like(sums), where=sums > 0)
                w = w * factor[code]
            if lo is not None and hi is not None:
                w = np.clip(w, lo, hi)
            err, worst = _max_error(w, codes, targets, levels)
            if err <= tol:
                return w, it, err, worst
        return w, max_iter, err, worst

    w, iterations, err, worst = run(w0 * (total / w0.sum()), None, None)
    trimmed = 0
    if trim is not None and err <= tol:
        low, high = trim
        for _ in range(20):
            mean = w.mean()
            outside = (w < low * mean) | (w > high * mean)
            if not outside.any():
                break
            trimmed = max(trimmed, int(outside.sum()))
            w = np.clip(w, low * mean, high * mean)
            w, extra, err, worst = run(w, np.full(n, low * mean), np.full(n, high * mean))
            iterations += extra
    converged = err <= tol
    if not converged and trim is None and raise_on_failure:
        raise NotConvergedError(iterations, err, *worst)
    return RakeResult(
        weights=w,
        converged=bool(converged),
        iterations=iterations,
        max_relative_error=float(err),
        total=total,
        dropped=tuple(dropped),
        trimmed=trimmed,
        levels=levels,
    )


def _max_error(
    w: FloatArray,
    codes: Mapping[str, IntArray],
    targets: Mapping[str, FloatArray],
    levels: Mapping[str, tuple[str, ...]],
) -> tuple[float, tuple[str, str]]:
    worst_err, worst = 0.0, ("", "")
    for dim, code in codes.items():
        sums = np.bincount(code, weights=w, minlength=len(levels[dim]))
        t = targets[dim]
        rel = np.divide(np.abs(sums - t), t, out=np.zeros_like(t), where=t > 0)
        i = int(np.argmax(rel))
        if rel[i] > worst_err:
            worst_err, worst = float(rel[i]), (dim, levels[dim][i])
    return worst_err, worst
