"""Synthetic populations with known loneliness rates, and surveys drawn from them.

A population is a table of residents aged 16+ with age, sex and town, and
their (true) answers to the direct question and the UCLA items. Answers come
from one latent loneliness score whose mean shifts with age band, sex and
town, cut at thresholds that put the overall distribution near the national
results (DOMAIN.md: about 5 % しばしば・常に, 15 % 時々, 19 % たまに). A survey is
a simple random sample from the population, of whom only some respond: the
response propensity is the product of an age, a sex and a town factor (older
people and women answer more, as in the national survey), so unweighted
estimates are biased and raking to age band, sex and town removes the bias.
Item non-response is random. The true rates are the population's own.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tsunagari.surveys.engine.instruments import AGE_BANDS, KOTO_TOWNS, age_band_of
from tsunagari.surveys.engine.io import MarginsData, ResponsesData

__all__ = ["Population", "Survey", "draw_survey", "make_population", "true_rates"]

FloatArray = npt.NDArray[np.float64]

AGE_SHARES = (0.04, 0.15, 0.16, 0.17, 0.16, 0.11, 0.12, 0.09)
AGE_EFFECT = (0.10, 0.25, 0.20, 0.10, 0.05, -0.15, -0.25, -0.10)
AGE_RESPONSE = (0.50, 0.45, 0.60, 0.75, 0.90, 1.10, 1.25, 0.90)
SEX_SHARES = (0.490, 0.505, 0.005)
SEX_EFFECT = (0.05, -0.03, 0.40)
SEX_RESPONSE = (0.90, 1.15, 0.80)
# Cumulative shares of the direct question's answers 1..4 on the latent scale.
DIRECT_CUTS = (-0.94, 0.25, 0.87, 1.80)
UCLA_CUTS = (-0.30, 0.80, 1.60)


@dataclass(frozen=True, slots=True)
class Population:
    """Residents with their true answers: columns person_id, age, age_band, sex, town,
    direct, ucla1, ucla2, ucla3 and the response propensity ``propensity``."""

    frame: pd.DataFrame

    def margins(self) -> dict[str, dict[str, float]]:
        """Population counts per level of age_band, sex and town."""
        out: dict[str, dict[str, float]] = {}
        for dim in ("age_band", "sex", "town"):
            counts = self.frame[dim].value_counts(sort=False)
            order = list(AGE_BANDS) if dim == "age_band" else sorted(counts.index, key=str)
            out[dim] = {str(k): float(counts.get(k, 0)) for k in order if counts.get(k, 0) > 0}
        return out

    def truth(self) -> pd.DataFrame:
        """The true value of every measure (measure, group, level, value)."""
        return true_rates(self.frame)


def true_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The value of every measure over a set of people with complete answers.

    Args:
        frame: people with age_band, sex, town, direct and ucla1–ucla3 (codes).

    Returns:
        DataFrame with measure, group, level, value (all/all, then each level).

    Example:
        >>> pop = make_population(2_000, towns=2, seed=1)
        >>> t = true_rates(pop.frame)
        >>> sorted(t["measure"].unique())
        ['lonely_any', 'lonely_often', 'ucla_high', 'ucla_mean']
    """
    direct = frame["direct"].to_numpy(dtype=np.float64)
    score = frame[["ucla1", "ucla2", "ucla3"]].to_numpy(dtype=np.float64).sum(axis=1)
    values = pd.DataFrame(
        {
            "lonely_often": (direct == 5).astype(np.float64),
            "lonely_any": (direct >= 3).astype(np.float64),
            "ucla_high": (score >= 10).astype(np.float64),
            "ucla_mean": score,
        }
    )
    rows: list[tuple[str, str, str, float]] = []
    for measure in values.columns:
        rows.append((measure, "all", "all", float(values[measure].mean())))
        for group in ("age_band", "sex", "town"):
            means = values[measure].groupby(frame[group].astype(str).to_numpy()).mean()
            for level, value in means.items():
                rows.append((measure, group, str(level), float(value)))
    return pd.DataFrame(rows, columns=["measure", "group", "level", "value"])


def make_population(
    size: int = 100_000,
    *,
    towns: int | Sequence[str] = 12,
    town_sd: float = 0.15,
    seed: int = 0,
) -> Population:
    """Make a synthetic population of residents aged 16+.

    Args:
        size: number of residents.
        towns: how many of Koto City's towns to use (largest first), or the names.
        town_sd: spread of the town effects on loneliness (latent scale).
        seed: random seed; the same seed gives the same population.

    Returns:
        ``Population``.

    Example:
        >>> pop = make_population(1_000, towns=3, seed=7)
        >>> len(pop.frame), sorted(pop.frame["sex"].unique())
        (1000, ['1', '2', '3'])
    """
    rng = np.random.default_rng(seed)
    names = list(KOTO_TOWNS[:towns]) if isinstance(towns, int) else list(towns)
    town_share = rng.dirichlet(np.full(len(names), 3.0))
    town_effect = rng.normal(0.0, town_sd, len(names))
    town_response = np.exp(rng.normal(0.0, 0.2, len(names)))

    band = rng.choice(len(AGE_BANDS), size=size, p=np.asarray(AGE_SHARES) / sum(AGE_SHARES))
    low = np.array([16, 20, 30, 40, 50, 60, 70, 80])
    high = np.array([19, 29, 39, 49, 59, 69, 79, 99])
    age = rng.integers(low[band], high[band] + 1)
    sex = rng.choice(3, size=size, p=np.asarray(SEX_SHARES) / sum(SEX_SHARES))
    town = rng.choice(len(names), size=size, p=town_share)

    latent = (
        np.asarray(AGE_EFFECT)[band]
        + np.asarray(SEX_EFFECT)[sex]
        + town_effect[town]
        + rng.normal(0.0, 1.0, size)
    )
    direct = 1 + np.searchsorted(np.asarray(DIRECT_CUTS), latent + rng.normal(0.0, 0.35, size))
    ucla = [
        1 + np.searchsorted(np.asarray(UCLA_CUTS), 0.85 * latent + rng.normal(0.0, 0.55, size))
        for _ in range(3)
    ]
    propensity = (
        np.asarray(AGE_RESPONSE)[band] * np.asarray(SEX_RESPONSE)[sex] * town_response[town]
    )
    frame = pd.DataFrame(
        {
            "person_id": np.arange(1, size + 1),
            "age": age,
            "age_band": np.asarray(AGE_BANDS, dtype=object)[band],
            "sex": np.asarray(["1", "2", "3"], dtype=object)[sex],
            "town": np.asarray(names, dtype=object)[town],
            "direct": direct,
            "ucla1": ucla[0],
            "ucla2": ucla[1],
            "ucla3": ucla[2],
            "propensity": propensity,
        }
    )
    return Population(frame)


@dataclass(frozen=True, slots=True)
class Survey:
    """A drawn survey: responses in the RESPONSES.csv layout, the population margins
    and the population's true values."""

    responses: pd.DataFrame
    margins: dict[str, dict[str, float]]
    truth: pd.DataFrame

    def margins_frame(self) -> pd.DataFrame:
        """The margins in the MARGINS.csv layout."""
        return pd.DataFrame(
            [(d, lvl, pop) for d, levels in self.margins.items() for lvl, pop in levels.items()],
            columns=["dimension", "level", "population"],
        )

    def as_read(self) -> tuple[ResponsesData, MarginsData]:
        """The survey as ``read_responses`` and ``read_margins`` would return it, without files."""
        frame = self.responses.loc[
            :, ["respondent_id", "sex", "town", "direct", "ucla1", "ucla2", "ucla3"]
        ].copy()
        frame.insert(1, "age_band", [age_band_of(int(a)) for a in self.responses["age"]])
        frame["row"] = np.arange(2, len(frame) + 2)
        rows = {
            key: i
            for i, key in enumerate(self.margins_frame().itertuples(index=False, name=None), 2)
        }
        return (
            ResponsesData("RESPONSES.csv", frame, (), "age"),
            MarginsData(
                "MARGINS.csv", self.margins, {(d, lvl): r for (d, lvl, _), r in rows.items()}
            ),
        )

    def write(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write RESPONSES.csv, MARGINS.csv and truth.csv; returns their paths by name."""
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        paths = {
            "responses": target / "RESPONSES.csv",
            "margins": target / "MARGINS.csv",
            "truth": target / "truth.csv",
        }
        self.responses.to_csv(paths["responses"], index=False, lineterminator="\n")
        margins = self.margins_frame()
        margins["population"] = margins["population"].map(lambda v: f"{v:.0f}")
        margins.to_csv(paths["margins"], index=False, lineterminator="\n")
        self.truth.to_csv(paths["truth"], index=False, lineterminator="\n")
        return paths


def draw_survey(
    population: Population,
    sample_size: int,
    *,
    response_rate: float = 0.45,
    item_missing: float = 0.01,
    out_of_range: float = 0.0,
    seed: int = 0,
) -> Survey:
    """Draw a sample from ``population`` and keep those who respond.

    Args:
        population: from ``make_population``.
        sample_size: people sampled (simple random sample without replacement).
        response_rate: mean response propensity; each person's propensity is this
            times their age × sex × town factor (capped at 1).
        item_missing: chance that any one answer is left empty.
        out_of_range: chance that any one answer is replaced by an out-of-range value
            (counted as no answer by the scorer; use it to exercise the warnings).
        seed: random seed.

    Returns:
        ``Survey`` with responses (respondent_id, age, sex, town, direct, ucla1–ucla3,
        household), margins and truth.

    Example:
        >>> s = draw_survey(make_population(5_000, seed=1), 1_000, seed=2)
        >>> list(s.responses.columns)[:4], 300 < len(s.responses) < 600
        (['respondent_id', 'age', 'sex', 'town'], True)
    """
    rng = np.random.default_rng(seed)
    pop = population.frame
    chosen = rng.choice(len(pop), size=min(sample_size, len(pop)), replace=False)
    sample = pop.iloc[np.sort(chosen)]
    p = sample["propensity"].to_numpy()
    p = np.minimum(1.0, p * response_rate / pop["propensity"].mean())
    respond = rng.random(len(sample)) < p
    resp = sample[respond].reset_index(drop=True)
    n = len(resp)
    out = pd.DataFrame(
        {
            "respondent_id": [f"R{i:06d}" for i in resp["person_id"]],
            "age": resp["age"].astype(str),
            "sex": resp["sex"],
            "town": resp["town"],
        }
    )
    for column in ("direct", "ucla1", "ucla2", "ucla3"):
        values = resp[column].astype(str).to_numpy(dtype=object)
        values[rng.random(n) < item_missing] = ""
        bad = rng.random(n) < out_of_range
        values[bad] = rng.choice(np.asarray(["9", "0", "x", "2.5"], dtype=object), int(bad.sum()))
        out[column] = values
    out["household"] = rng.choice(np.asarray(["1", "2", "3", "4", "5", "6"], dtype=object), n)
    return Survey(out, population.margins(), population.truth())
