from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tsunagari.surveys.engine import (
    EmptyCellError,
    InconsistentMarginsError,
    NotConvergedError,
    UncoveredLevelError,
    age_band_of,
    rake,
)
from tsunagari.surveys.engine.synthetic import Survey


def dims_of(survey: Survey) -> pd.DataFrame:
    r = survey.responses
    return pd.DataFrame(
        {
            "age_band": [age_band_of(int(a)) for a in r["age"]],
            "sex": r["sex"],
            "town": r["town"],
        }
    )


def weighted_counts(dims: pd.DataFrame, weights: np.ndarray, dim: str) -> pd.Series:
    return pd.Series(weights).groupby(dims[dim].to_numpy()).sum()


def test_it_converges_to_every_margin_within_0_1_percent(survey: Survey) -> None:
    # given a synthetic survey with demographically varying non-response
    dims = dims_of(survey)
    # when raked to age band, sex and town
    result = rake(dims, survey.margins)
    # then every level's weighted count is within 0.1 % of its population
    assert result.converged
    for dim, margin in survey.margins.items():
        got = weighted_counts(dims, result.weights, dim)
        for level, population in margin.items():
            assert abs(got[level] - population) <= 0.001 * population
    assert result.weights.sum() == pytest.approx(sum(survey.margins["sex"].values()))


def test_it_matches_samplics_raking(survey: Survey) -> None:
    # given the same respondents and margins
    dims = dims_of(survey)
    # when raked by the engine and by samplics
    ours = rake(dims, survey.margins, tol=1e-8, max_iter=1000).weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.weighting import SampleWeight

        theirs = SampleWeight().rake(
            samp_weight=np.ones(len(dims)),
            control=survey.margins,
            margins={d: dims[d].to_numpy() for d in survey.margins},
            tol=1e-8,
            ctrl_tol=1e-8,
            max_iter=1000,
        )
    # then the weights agree
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_it_reports_contradictory_margins() -> None:
    # given respondents where every young person is male and every old one female,
    # and margins that want more women than old people
    dims = {"age_band": ["20-29"] * 5 + ["70-79"] * 5, "sex": ["1"] * 5 + ["2"] * 5}
    margins = {"age_band": {"20-29": 50, "70-79": 50}, "sex": {"1": 30, "2": 70}}
    # when raked
    with pytest.raises(NotConvergedError) as caught:
        rake(dims, margins, max_iter=100)
    # then the error says it did not converge and names a level still off
    assert "did not converge" in str(caught.value)
    assert caught.value.max_relative_error > 0.001


def test_it_can_return_the_unconverged_weights_with_a_flag() -> None:
    # given the same contradictory margins
    dims = {"age_band": ["20-29"] * 5 + ["70-79"] * 5, "sex": ["1"] * 5 + ["2"] * 5}
    margins = {"age_band": {"20-29": 50, "70-79": 50}, "sex": {"1": 30, "2": 70}}
    # when raked without raising
    result = rake(dims, margins, max_iter=50, raise_on_failure=False)
    # then the result says so
    assert not result.converged
    assert result.iterations == 50


def test_it_reports_an_empty_cell() -> None:
    # given margins with a town nobody in the sample lives in
    dims = {"town": ["豊洲", "豊洲", "亀戸"]}
    margins = {"town": {"豊洲": 60, "亀戸": 30, "若洲": 10}}
    # when raked
    with pytest.raises(EmptyCellError, match="若洲"):
        rake(dims, margins)


def test_it_spreads_an_empty_level_over_the_others_when_asked() -> None:
    # given the same empty town
    dims = {"town": ["豊洲", "豊洲", "亀戸"], "sex": ["1", "2", "2"]}
    margins = {"town": {"豊洲": 60, "亀戸": 30, "若洲": 10}, "sex": {"1": 50, "2": 50}}
    # when raked with empty levels spread
    result = rake(dims, margins, empty_levels="spread")
    # then the empty level is reported and the weights still reach the total
    assert result.dropped == (("town", "若洲", 10.0),)
    assert result.weights.sum() == pytest.approx(100)
    assert result.weights[:2].sum() / result.weights[2] == pytest.approx(2.0, rel=1e-4)


def test_it_reports_a_response_level_missing_from_the_margins() -> None:
    # given a respondent in a town the margins do not list
    dims = {"town": ["豊洲", "亀戸", "有明"]}
    # when raked
    with pytest.raises(UncoveredLevelError) as caught:
        rake(dims, {"town": {"豊洲": 60, "亀戸": 40}})
    # then the error names the level and the first respondent with it
    assert caught.value.level == "有明"
    assert caught.value.first_index == 2


def test_it_reports_margins_whose_totals_differ() -> None:
    # given dimensions that add up to different populations
    dims = {"sex": ["1", "2"], "town": ["豊洲", "亀戸"]}
    # when raked
    with pytest.raises(InconsistentMarginsError, match="different totals"):
        rake(dims, {"sex": {"1": 50, "2": 50}, "town": {"豊洲": 60, "亀戸": 60}})


def test_it_trims_weights_to_the_bounds_asked(survey: Survey) -> None:
    # given a survey whose raked weights vary widely
    dims = dims_of(survey)
    untrimmed = rake(dims, survey.margins).weights
    # when raked with trimming at 0.5–2 times the mean weight
    result = rake(dims, survey.margins, trim=(0.5, 2.0))
    # then no weight is beyond the bounds (allowing for the final rescaling) and the total holds
    mean = result.weights.mean()
    assert untrimmed.max() / untrimmed.mean() > 2.0
    assert result.weights.max() <= 2.0 * mean * 1.01
    assert result.weights.min() >= 0.5 * mean * 0.99
    assert result.trimmed > 0
