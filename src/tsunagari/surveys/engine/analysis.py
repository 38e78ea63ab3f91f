"""One survey file in, estimates out: read, score, rake, estimate.

This is what ``tsunagari survey analyse`` runs; it is also the single entry
point for code that wants the same numbers without the command line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.surveys.engine.estimates import (
    Calibration,
    Method,
    estimate_measures,
    estimates_frame,
)
from tsunagari.surveys.engine.instruments import AGE_BANDS
from tsunagari.surveys.engine.io import (
    DIMENSIONS,
    MarginsData,
    ResponsesData,
    SurveyInputError,
    read_margins,
    read_responses,
    write_outputs,
)
from tsunagari.surveys.engine.raking import (
    NotConvergedError,
    RakeResult,
    UncoveredLevelError,
    encode_dimensions,
    rake,
)
from tsunagari.surveys.engine.scoring import DataWarning, score_responses

__all__ = ["AnalysisResult", "analyse", "analyse_files"]


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Estimates (the contract's columns), warnings, and how the weighting went."""

    estimates: pd.DataFrame
    warnings: tuple[DataWarning, ...]
    respondents: int
    rake: RakeResult | None

    @property
    def weighted(self) -> bool:
        """True when the estimates are weighted to margins."""
        return self.rake is not None

    def write(self, out_dir: str | os.PathLike[str]) -> list[Path]:
        """Write estimates.csv and warnings.csv into ``out_dir``; returns the paths."""
        return write_outputs(out_dir, self.estimates, self.warnings)


def analyse(
    responses: ResponsesData,
    margins: MarginsData | None = None,
    *,
    min_cell: int = 5,
    method: Method = "linearised",
) -> AnalysisResult:
    """Score, weight and tabulate responses already read.

    Args:
        responses: from ``read_responses``.
        margins: from ``read_margins``; unweighted estimates when None.
        min_cell: suppress cells with fewer valid answers than this.
        method: interval method, ``"linearised"`` (raking residuals) or ``"kish"``.

    Returns:
        ``AnalysisResult``.

    Raises:
        SurveyInputError: a response level the margins do not cover (naming the
            responses row and column), or margins that cannot all be met.

    Example:
        >>> from tsunagari.surveys.engine.synthetic import make_population, draw_survey
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> files = draw_survey(make_population(20_000, seed=1), 800, seed=2).write(d)
        >>> r = analyse(read_responses(files["responses"]), read_margins(files["margins"]))
        >>> r.weighted, list(r.estimates.columns)[:4]
        (True, ['measure', 'group', 'level', 'n'])
    """
    frame = responses.frame
    scores = score_responses(frame)
    scores_frame = scores.frame
    warnings = list(responses.warnings) + list(scores.warnings)
    groups = frame.loc[:, list(DIMENSIONS)]
    levels: dict[str, list[str]] = {
        "age_band": list(AGE_BANDS),
        "sex": ["1", "2", "3"],
    }
    weights = None
    calibration = None
    result: RakeResult | None = None
    if margins is not None:
        frame, scores_frame, groups = _weightable(responses, margins, scores.frame, warnings)
        dims = {d: groups[d] for d in margins.margins}
        try:
            result = rake(dims, margins.margins, empty_levels="spread")
        except UncoveredLevelError as exc:
            row = int(frame["row"].iat[exc.first_index])
            column = responses.age_column if exc.dimension == "age_band" else exc.dimension
            problem = (
                f"{exc.dimension} level {exc.level!r} is not covered by the margins in "
                f"{margins.path}; add it there or correct this row"
            )
            raise SurveyInputError(responses.path, row, column, problem) from None
        except NotConvergedError as exc:
            row = margins.rows.get((exc.dimension, exc.level), 2)
            raise SurveyInputError(
                margins.path, row, "population", f"{exc}; check the margins against each other"
            ) from None
        for dim, level, pop in result.dropped:
            warnings.append(
                DataWarning(
                    "",
                    dim,
                    level,
                    f"margin level with population {pop:g} has no respondents; its population "
                    f"was spread over the other {dim} levels",
                )
            )
        weights = result.weights
        codes, _, _ = encode_dimensions(dims, margins.margins)
        calibration = Calibration(codes, weights)
        levels["town"] = list(margins.margins.get("town", {}))
    if "town" not in levels:
        levels["town"] = list(pd.unique(groups["town"].dropna()))
    estimates = estimate_measures(
        scores_frame,
        groups,
        weights=None if weights is None else np.asarray(weights),
        calibration=calibration,
        levels=levels,
        min_cell=min_cell,
        method=method,
    )
    return AnalysisResult(estimates_frame(estimates), tuple(warnings), len(responses.frame), result)


def _weightable(
    responses: ResponsesData,
    margins: MarginsData,
    scores: pd.DataFrame,
    warnings: list[DataWarning],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The respondents who can be weighted: those with a value for every raking dimension.

    The others (no usable age, sex or town, already warned about as no answer)
    cannot carry a weight; each is listed in the warnings and left out of the
    weighted estimates rather than stopping the whole analysis.
    """
    frame = responses.frame
    dims = list(margins.margins)
    missing = frame[dims].isna()
    drop = missing.any(axis=1).to_numpy()
    if not drop.any():
        return frame, scores, frame.loc[:, list(DIMENSIONS)]
    for i in np.flatnonzero(drop).tolist():
        lacking = [d for d in dims if missing[d].iat[i]]
        column = responses.age_column if lacking[0] == "age_band" else lacking[0]
        warnings.append(
            DataWarning(
                str(frame["respondent_id"].iat[i]),
                column,
                "",
                f"no usable {' or '.join(lacking)}, which weighting needs; "
                f"left out of the weighted estimates",
            )
        )
    if drop.all():
        first = next(d for d in dims if missing[d].iat[0])
        raise SurveyInputError(
            responses.path,
            int(frame["row"].iat[0]),
            responses.age_column if first == "age_band" else first,
            f"no respondent has a usable {', '.join(dims)}; weighting needs them",
        )
    keep = ~drop
    kept = frame[keep].reset_index(drop=True)
    return kept, scores[keep].reset_index(drop=True), kept.loc[:, list(DIMENSIONS)]


def analyse_files(
    responses_path: str | os.PathLike[str],
    margins_path: str | os.PathLike[str] | None = None,
    *,
    min_cell: int = 5,
    method: Method = "linearised",
) -> AnalysisResult:
    """Read RESPONSES.csv (and MARGINS.csv) and analyse them.

    Args:
        responses_path: RESPONSES.csv.
        margins_path: MARGINS.csv, or None for unweighted estimates.
        min_cell: suppression threshold.
        method: interval method.

    Returns:
        ``AnalysisResult``; call ``.write(out_dir)`` to write the output files.

    Raises:
        SurveyInputError: when a file is unusable (one-line message naming file, row, column).

    Example:
        >>> analyse_files("RESPONSES.csv", "MARGINS.csv").write("out")  # doctest: +SKIP
    """
    responses = read_responses(responses_path)
    margins = read_margins(margins_path) if margins_path is not None else None
    return analyse(responses, margins, min_cell=min_cell, method=method)
