"""Benchmark: 100,000 survey responses read, scored, raked and tabulated.

Runs the survey engine's steps and the same steps done with samplics
(SampleWeight.rake, TaylorEstimator) on the same file, and prints the
timings side by side with their ratio. Prints numbers only; no asserts.

    .venv/bin/python bench/survey_bench.py [--responses 100000] [--towns 47]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsunagari.surveys.engine import (
    Calibration,
    estimate_measures,
    make_population,
    rake,
    read_margins,
    read_responses,
    score_responses,
)
from tsunagari.surveys.engine.raking import encode_dimensions
from tsunagari.surveys.engine.synthetic import draw_survey

DIMS = ("age_band", "sex", "town")
MEASURES = {
    "lonely_often": "lonely_often",
    "lonely_any": "lonely_any",
    "ucla_high": "ucla_high",
    "ucla_mean": "ucla_score",
}


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def make_files(directory: Path, responses: int, towns: int) -> dict[str, Path]:
    # About 45 % answer, so sample enough people to get the responses wanted.
    population = make_population(int(responses * 6.5), towns=towns, seed=2026)
    survey = draw_survey(population, int(responses / 0.38), seed=7, out_of_range=0.001)
    survey = type(survey)(survey.responses.iloc[:responses], survey.margins, survey.truth)
    return survey.write(directory)


def run_engine(files: dict[str, Path]) -> tuple[dict[str, float], pd.DataFrame]:
    times: dict[str, float] = {}
    (responses, margins), times["import"] = timed(
        lambda: (read_responses(files["responses"]), read_margins(files["margins"]))
    )
    scores, times["score"] = timed(lambda: score_responses(responses.frame))
    groups = responses.frame.loc[:, list(DIMS)]

    def weight() -> tuple[Any, Calibration]:
        result = rake(groups, margins.margins, empty_levels="spread")
        codes, _, _ = encode_dimensions(groups, margins.margins)
        return result, Calibration(codes, result.weights)

    (result, calibration), times["weight"] = timed(weight)
    estimates, times["tabulate"] = timed(
        lambda: estimate_measures(
            scores.frame, groups, weights=result.weights, calibration=calibration
        )
    )
    frame = pd.DataFrame(
        [(e.measure, e.group, e.level, e.estimate, e.se) for e in estimates],
        columns=["measure", "group", "level", "estimate", "se"],
    )
    return times, frame


def run_samplics(files: dict[str, Path]) -> tuple[dict[str, float], pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
        from samplics.weighting import SampleWeight

    times: dict[str, float] = {}

    def read() -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
        data = pd.read_csv(files["responses"], dtype={"town": str, "sex": str})
        m = pd.read_csv(files["margins"], dtype={"level": str})
        margins = {
            d: dict(zip(g["level"], g["population"].astype(float), strict=True))
            for d, g in m.groupby("dimension", sort=False)
        }
        return data, margins

    (data, margins), times["import"] = timed(read)

    def score() -> pd.DataFrame:
        out = pd.DataFrame(index=data.index)
        items = data[["direct", "ucla1", "ucla2", "ucla3"]].apply(pd.to_numeric, errors="coerce")
        direct = items["direct"].where(items["direct"].isin([1, 2, 3, 4, 5]))
        ucla = items[["ucla1", "ucla2", "ucla3"]].where(
            items[["ucla1", "ucla2", "ucla3"]].isin([1, 2, 3, 4])
        )
        out["lonely_often"] = (direct == 5).astype(float).where(direct.notna())
        out["lonely_any"] = (direct >= 3).astype(float).where(direct.notna())
        out["ucla_score"] = ucla.sum(axis=1, min_count=3)
        out["ucla_high"] = (out["ucla_score"] >= 10).astype(float).where(out["ucla_score"].notna())
        bands = pd.cut(
            data["age"], [15, 19, 29, 39, 49, 59, 69, 79, 200], labels=list(margins["age_band"])
        )
        out["age_band"] = bands.astype(str)
        out["sex"] = data["sex"]
        out["town"] = data["town"]
        return out

    scored, times["score"] = timed(score)

    def weight() -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SampleWeight().rake(
                samp_weight=np.ones(len(scored)),
                control=margins,
                margins={d: scored[d].to_numpy() for d in DIMS},
                tol=1e-5,
                ctrl_tol=1e-5,
            )

    weights, times["weight"] = timed(weight)

    def tabulate() -> pd.DataFrame:
        rows = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for measure, column in MEASURES.items():
                y = scored[column].to_numpy()
                for group in ("all", *DIMS):
                    est = TaylorEstimator(PopParam.mean)
                    domain = None if group == "all" else scored[group].to_numpy()
                    est.estimate(y=y, samp_weight=weights, domain=domain, remove_nan=True)
                    if group == "all":
                        rows.append(
                            (measure, "all", "all", float(est.point_est), float(est.stderror))
                        )
                    else:
                        for level, value in est.point_est.items():
                            rows.append(
                                (
                                    measure,
                                    group,
                                    str(level),
                                    float(value),
                                    float(est.stderror[level]),
                                )
                            )
        return pd.DataFrame(rows, columns=["measure", "group", "level", "estimate", "se"])

    frame, times["tabulate"] = timed(tabulate)
    return times, frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--towns", type=int, default=47)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files, make_time = timed(lambda: make_files(Path(tmp), args.responses, args.towns))
        n = sum(1 for _ in files["responses"].open(encoding="utf-8")) - 1
        print(
            f"survey file: {n:,} responses, {args.towns} towns (made in {make_time:.1f} s, not timed below)"
        )
        ours, our_frame = run_engine(files)
        theirs, their_frame = run_samplics(files)
    print(f"\n{'step':<10}{'tsunagari (s)':>15}{'samplics (s)':>15}{'ratio':>10}")
    for step in ("import", "score", "weight", "tabulate"):
        print(
            f"{step:<10}{ours[step]:>15.3f}{theirs[step]:>15.3f}{theirs[step] / ours[step]:>9.1f}x"
        )
    total_ours, total_theirs = sum(ours.values()), sum(theirs.values())
    print(
        f"{'total':<10}{total_ours:>15.3f}{total_theirs:>15.3f}{total_theirs / total_ours:>9.1f}x"
    )
    joined = our_frame.merge(
        their_frame, on=["measure", "group", "level"], suffixes=("", "_samplics")
    )
    joined = joined.dropna()
    gap = (joined["estimate"] - joined["estimate_samplics"]).abs().max()
    se_ratio = (joined["se"] / joined["se_samplics"]).describe()
    print(f"\n{len(joined)} estimates compared: largest difference {gap:.2e}")
    print(
        "standard error, raking residuals / samplics Taylor (no calibration): "
        f"median {se_ratio['50%']:.3f}, min {se_ratio['min']:.3f}, max {se_ratio['max']:.3f}"
    )


if __name__ == "__main__":
    main()
