"""Loneliness survey engine: instruments, scoring, raking, estimates, files.

Plain Python (numpy, pandas, scipy), no Django, so it can be tested and
benchmarked alone. ``analyse_files`` is what ``tsunagari survey analyse`` runs.
"""

from __future__ import annotations

from tsunagari.surveys.engine.analysis import AnalysisResult, analyse, analyse_files
from tsunagari.surveys.engine.estimates import (
    MEASURES,
    Calibration,
    Estimate,
    domain_estimate,
    estimate_measures,
    estimates_frame,
    kish_effective_n,
    wilson_interval,
)
from tsunagari.surveys.engine.instruments import (
    AGE_BANDS,
    DIRECT_QUESTION,
    QUESTIONNAIRE,
    UCLA_BANDS,
    UCLA_ITEMS,
    Choice,
    Item,
    age_band_of,
)
from tsunagari.surveys.engine.io import (
    MarginsData,
    ResponsesData,
    SurveyInputError,
    read_margins,
    read_responses,
    write_outputs,
)
from tsunagari.surveys.engine.national import (
    load_national,
    national_measures,
    published_percentages,
)
from tsunagari.surveys.engine.raking import (
    EmptyCellError,
    InconsistentMarginsError,
    NotConvergedError,
    RakeResult,
    RakingError,
    UncoveredLevelError,
    rake,
)
from tsunagari.surveys.engine.scoring import (
    DataWarning,
    Scores,
    direct_distribution,
    score_responses,
    ucla_band,
)
from tsunagari.surveys.engine.synthetic import Population, Survey, draw_survey, make_population

__all__ = [
    "AGE_BANDS",
    "DIRECT_QUESTION",
    "MEASURES",
    "QUESTIONNAIRE",
    "UCLA_BANDS",
    "UCLA_ITEMS",
    "AnalysisResult",
    "Calibration",
    "Choice",
    "DataWarning",
    "EmptyCellError",
    "Estimate",
    "InconsistentMarginsError",
    "Item",
    "MarginsData",
    "NotConvergedError",
    "Population",
    "RakeResult",
    "RakingError",
    "ResponsesData",
    "Scores",
    "Survey",
    "SurveyInputError",
    "UncoveredLevelError",
    "age_band_of",
    "analyse",
    "analyse_files",
    "direct_distribution",
    "domain_estimate",
    "draw_survey",
    "estimate_measures",
    "estimates_frame",
    "kish_effective_n",
    "load_national",
    "make_population",
    "national_measures",
    "published_percentages",
    "rake",
    "read_margins",
    "read_responses",
    "score_responses",
    "ucla_band",
    "wilson_interval",
    "write_outputs",
]
