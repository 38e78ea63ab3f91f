from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tsunagari.surveys.engine import (
    Calibration,
    analyse,
    domain_estimate,
    draw_survey,
    estimate_measures,
    kish_effective_n,
    make_population,
    rake,
    score_responses,
    wilson_interval,
)
from tsunagari.surveys.engine.raking import encode_dimensions
from tsunagari.surveys.engine.synthetic import Population, Survey


def samplics_mean(y: np.ndarray, w: np.ndarray, domain: np.ndarray) -> tuple[dict, dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

        est = TaylorEstimator(PopParam.mean)
        est.estimate(y=y, samp_weight=w, domain=domain, remove_nan=True)
    return est.point_est, est.stderror


def test_it_matches_samplics_taylor_linearisation_for_weighted_domain_means() -> None:
    # given weighted 0/1 and 3–12 values in two domains
    rng = np.random.default_rng(1)
    n = 600
    w = rng.uniform(0.5, 4.0, n)
    domain = rng.choice(["a", "b"], n)
    for y in ((rng.random(n) < 0.2).astype(float), rng.integers(3, 13, n).astype(float)):
        # when estimated by the engine and by samplics' TaylorEstimator
        point, stderror = samplics_mean(y, w, domain)
        for d in ("a", "b"):
            est, _, _, se, _ = domain_estimate(y, w, domain == d, share=False)
            # then the estimates and standard errors agree
            assert est == pytest.approx(point[d], rel=1e-12)
            assert se == pytest.approx(stderror[d], rel=1e-9)


def test_it_agrees_with_samplics_logit_intervals_for_shares() -> None:
    # given a weighted share
    rng = np.random.default_rng(2)
    n = 800
    w = rng.uniform(0.5, 4.0, n)
    y = (rng.random(n) < 0.15).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

        ref = TaylorEstimator(PopParam.prop)
        ref.estimate(y=y, samp_weight=w)
    # when the engine gives its Wilson interval on the effective n
    _, low, high, _, _ = domain_estimate(y, w, np.ones(n, bool), share=True)
    # then it is within half a point of samplics' logit interval
    assert low == pytest.approx(ref.lower_ci[1.0], abs=0.005)
    assert high == pytest.approx(ref.upper_ci[1.0], abs=0.005)


def test_it_computes_wilson_intervals_like_statsmodels() -> None:
    # given counts, including the edges
    from statsmodels.stats.proportion import proportion_confint

    for count, nobs in ((0, 20), (1, 40), (37, 100), (40, 40)):
        # when both compute a Wilson interval
        ours = wilson_interval(count / nobs, nobs)
        theirs = proportion_confint(count, nobs, alpha=0.05, method="wilson")
        # then they agree
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_it_gives_kish_effective_n() -> None:
    # given equal and unequal weights / when / then
    assert kish_effective_n(np.ones(10)) == pytest.approx(10)
    assert kish_effective_n([1.0, 1.0, 4.0]) == pytest.approx(36 / 18)


def test_it_keeps_intervals_informative_at_zero_and_one() -> None:
    # given a domain where nobody says "often"
    y = np.zeros(30)
    w = np.linspace(1, 3, 30)
    # when estimated
    est, low, high, _, n_eff = domain_estimate(y, w, np.ones(30, bool), share=True)
    # then the interval starts at 0 and is not degenerate
    assert (est, low) == (0.0, 0.0)
    assert 0.05 < high < 0.2
    assert n_eff == pytest.approx(kish_effective_n(w))


def test_it_suppresses_small_cells_and_reports_every_level() -> None:
    # given eight respondents, two of them in 亀戸
    scores = pd.DataFrame(
        {
            "lonely_often": [1.0, 0, 0, 0, 0, 0, 1, 0],
            "lonely_any": [1.0, 1, 0, 0, 1, 0, 1, 0],
            "ucla_high": [0.0, 0, 0, 0, 0, 1, 1, np.nan],
            "ucla_score": [6.0, 5, 4, 3, 8, 10, 11, np.nan],
        }
    )
    groups = pd.DataFrame({"town": ["豊洲"] * 6 + ["亀戸"] * 2})
    # when estimated with the default threshold and a listed but empty town
    rows = estimate_measures(scores, groups, levels={"town": ["豊洲", "亀戸", "若洲"]})
    # then small cells have no estimate and are marked, all levels are listed
    by_key = {(r.measure, r.level): r for r in rows}
    assert by_key[("lonely_any", "豊洲")].estimate == pytest.approx(0.5)
    assert by_key[("lonely_any", "亀戸")].suppressed
    assert by_key[("lonely_any", "亀戸")].estimate is None
    assert by_key[("lonely_any", "若洲")].n == 0
    assert by_key[("ucla_mean", "all")].n == 7
    assert by_key[("ucla_mean", "all")].estimate == pytest.approx(47 / 7)


def test_it_gives_kish_and_linearised_intervals_around_the_same_estimates(survey: Survey) -> None:
    # given a raked survey
    responses, margins = survey.as_read()
    # when estimated with raking residuals and with Kish's effective n
    linearised = analyse(responses, margins).estimates
    kish = analyse(responses, margins, method="kish").estimates
    # then both give the same estimates and comparable intervals
    pd.testing.assert_series_equal(linearised["estimate"], kish["estimate"])
    width = (linearised["ci_high"] - linearised["ci_low"]) / (kish["ci_high"] - kish["ci_low"])
    assert 0.6 < width.median() < 1.4


def test_it_takes_out_what_the_raking_explains_from_the_overall_variance(survey: Survey) -> None:
    # given a raked survey and its whole-ward share feeling lonely at all
    responses, margins = survey.as_read()
    scores = score_responses(responses.frame).frame
    groups = responses.frame[["age_band", "sex", "town"]]
    raked = rake(groups, margins.margins)
    codes, _, _ = encode_dimensions(groups, margins.margins)
    y = scores["lonely_any"].to_numpy(float)
    everyone = np.ones(len(y), bool)
    # when linearised with and without the raking residuals
    calibrated = domain_estimate(
        y, raked.weights, everyone, share=True, calibration=Calibration(codes, raked.weights)
    )
    plain = domain_estimate(y, raked.weights, everyone, share=True)
    # then the estimate is the same and the raking-residual standard error is no larger
    assert calibrated[0] == pytest.approx(plain[0])
    assert calibrated[3] <= plain[3]


def run_surveys(population: Population, reps: int, sample: int, seed: int) -> pd.DataFrame:
    truth = population.truth().set_index(["measure", "group", "level"])["value"]
    frames = []
    for rep in range(reps):
        responses, margins = draw_survey(population, sample, seed=seed + rep).as_read()
        est = analyse(responses, margins).estimates
        est = est[est["suppressed"] == 0].set_index(["measure", "group", "level"])
        t = truth.reindex(est.index).to_numpy()
        frames.append(
            est.assign(truth=t, covered=(est["ci_low"] <= t) & (t <= est["ci_high"])).reset_index()
        )
    return pd.concat(frames, ignore_index=True)


def test_it_lands_nearer_the_truth_weighted_than_unweighted(population: Population) -> None:
    # given surveys where older people and women answer more often
    truth = population.truth().set_index(["measure", "group", "level"])["value"]
    weighted_err, plain_err = [], []
    for rep in range(10):
        responses, margins = draw_survey(population, 3000, seed=100 + rep).as_read()
        # when estimated with and without the margins
        w = analyse(responses, margins).estimates.set_index(["measure", "group", "level"])
        u = analyse(responses).estimates.set_index(["measure", "group", "level"])
        key = ("lonely_any", "all", "all")
        weighted_err.append(w.loc[key, "estimate"] - truth[key])
        plain_err.append(u.loc[key, "estimate"] - truth[key])
    # then the weighted estimate has (nearly) no bias and beats the unweighted one
    assert abs(np.mean(weighted_err)) < 0.01
    assert abs(np.mean(weighted_err)) < abs(np.mean(plain_err))


def test_it_covers_the_true_rates_about_95_percent_quick(population: Population) -> None:
    # given 30 surveys drawn from one population with known rates
    # when the 95 % intervals are computed for every measure and level
    results = run_surveys(population, reps=30, sample=2000, seed=500)
    # then they cover the truth about 95 % of the time (loose bounds: few surveys)
    assert 0.91 <= results["covered"].mean() <= 0.985


@pytest.mark.slow
def test_it_covers_the_true_rates_93_to_97_percent_over_200_surveys() -> None:
    # given 200 surveys from a ward of 60,000 in 10 towns
    population = make_population(60_000, towns=10, seed=11)
    # when the 95 % intervals are computed for every measure and level
    results = run_surveys(population, reps=200, sample=2500, seed=1000)
    # then they cover the truth 93–97 % of the time overall and for the whole ward
    assert 0.93 <= results["covered"].mean() <= 0.97
    overall = results[results["group"] == "all"]
    assert 0.93 <= overall["covered"].mean() <= 0.975


@pytest.mark.parametrize("method", ["linearised", "kish"])
def test_it_tabulates_all_levels_at_once_exactly_as_level_by_level(
    survey: Survey, method: str
) -> None:
    # given a raked survey
    responses, margins = survey.as_read()
    scores = score_responses(responses.frame).frame
    groups = responses.frame[["age_band", "sex", "town"]]
    raked = rake(groups, margins.margins)
    codes, _, _ = encode_dimensions(groups, margins.margins)
    calibration = Calibration(codes, raked.weights)
    # when every level is estimated in one go and one domain at a time
    rows = estimate_measures(
        scores, groups, weights=raked.weights, calibration=calibration, method=method
    )
    # then both give the same estimates and intervals
    for row in (r for r in rows if not r.suppressed):
        column = "ucla_score" if row.measure == "ucla_mean" else row.measure
        mask = (
            np.ones(len(groups), bool)
            if row.group == "all"
            else (groups[row.group] == row.level).to_numpy()
        )
        est, low, high, se, _ = domain_estimate(
            scores[column].to_numpy(float),
            raked.weights,
            mask,
            share=row.measure != "ucla_mean",
            calibration=calibration,
            method=method,  # type: ignore[arg-type]
        )
        assert (row.estimate, row.ci_low, row.ci_high, row.se) == pytest.approx(
            (est, low, high, se), rel=1e-9, abs=1e-12
        )
