"""From stored responses to estimates: scoring, raking and tabulating with the engine.

No writes here; ``services.analyse_survey`` stores what ``tabulate`` returns.
Margins come from the people registry (``registry_margins``) or a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.utils.translation import gettext

from tsunagari.lib.dates import age_on
from tsunagari.surveys import importing
from tsunagari.surveys.engine.estimates import Calibration, Estimate, estimate_measures
from tsunagari.surveys.engine.instruments import (
    AGE_BANDS,
    DIRECT_QUESTION,
    HELP_SEEKING,
    PLACES_USE,
    SOCIAL_CONTACT,
    age_band_of,
)
from tsunagari.surveys.engine.raking import (
    RakingError,
    UncoveredLevelError,
    encode_dimensions,
    rake,
)
from tsunagari.surveys.engine.scoring import NO_ANSWER, direct_distribution, score_responses
from tsunagari.surveys.models import Response, Survey

GROUPS = ("age_band", "sex", "household", "town")
RAKING_DIMENSIONS = ("age_band", "sex", "town")
SEX_CODES = {"male": "1", "female": "2", "other": "3"}


@dataclass
class Tabulation:
    """Unweighted estimates always; weighted ones when raking succeeded (see ``note``)."""

    unweighted: list[Estimate]
    weighted_rows: list[Estimate] = field(default_factory=list)
    weighted: bool = False
    note: str = ""
    direct: dict[str, Any] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)


def tabulate(
    frame: pd.DataFrame,
    margins: dict[str, dict[str, float]] | None,
    *,
    source: str,
    min_cell: int,
) -> Tabulation:
    """Score ``frame`` (from ``responses_frame``), rake it to ``margins`` and tabulate by group.

    When the margins cannot be met (a town in the responses that the margins
    lack, say) only unweighted estimates are returned and ``note`` says why.
    """
    scores = score_responses(frame.assign(respondent_id=frame["respondent_id"])).frame
    groups = frame.loc[:, list(GROUPS)]
    levels = {
        "age_band": list(AGE_BANDS),
        "sex": ["1", "2", "3"],
        "household": [str(c) for c in range(1, 7)],
    }
    cell = min_cell
    unweighted = estimate_measures(scores, groups, levels=levels, min_cell=cell)
    weighted_rows: list[Any] = []
    note = ""
    weights: np.ndarray[Any, Any] | None = None
    keep = np.zeros(len(frame), dtype=bool)
    if margins and len(frame):
        dims = [d for d in RAKING_DIMENSIONS if d in margins]
        keep = (groups[dims].notna()).all(axis=1).to_numpy()
        try:
            if not keep.any():
                raise RakingError("no respondent has every raking dimension")
            kept_dims = {d: groups.loc[keep, d].astype(str).to_numpy(dtype=object) for d in dims}
            use = {d: margins[d] for d in dims}
            raked = rake(kept_dims, use, empty_levels="spread")
            weights = np.asarray(raked.weights)
            codes, _, _ = encode_dimensions(kept_dims, use)
            wlevels = dict(levels)
            if "town" in use:
                wlevels["town"] = list(use["town"])
            weighted_rows = estimate_measures(
                scores[keep].reset_index(drop=True),
                groups[keep].reset_index(drop=True),
                weights=weights,
                calibration=Calibration(codes, weights),
                levels=wlevels,
                min_cell=cell,
            )
            note = note_code(
                "weighted",
                n=int(keep.sum()),
                source=source,
                left_out=int((~keep).sum()),
                spread=bool(raked.dropped),
            )
        except UncoveredLevelError as exc:
            weights = None
            note = note_code("uncovered", dimension=str(exc.dimension), level=str(exc.level))
        except RakingError as exc:
            weights = None
            note = note_code("failed", reason=str(exc))
    elif len(frame):
        note = note_code("no_margins")

    return Tabulation(
        unweighted=unweighted,
        weighted_rows=weighted_rows if weights is not None else [],
        weighted=weights is not None,
        note=note,
        direct=_direct(frame, keep, weights),
        items=_ward_items(frame, keep, weights),
    )


def note_code(code: str, **facts: Any) -> str:
    """The weighting note as stored: a code and its numbers, worded when shown
    (:func:`describe_weighting`), so each reader sees it in their language."""
    return json.dumps({"code": code, **facts}, ensure_ascii=False)


def describe_weighting(stored: str) -> str:
    """The stored weighting note in the active language.

    Notes stored before they were codes are plain Japanese text and are
    returned as they are.

    Example:
        >>> describe_weighting(note_code("no_margins"))  # doctest: +SKIP
        '母集団の数がないため、重みなしの集計のみです。'
    """
    if not stored.startswith("{"):
        return stored
    try:
        facts = json.loads(stored)
    except ValueError:
        return stored
    code = facts.get("code")
    if code == "weighted":
        source = (
            gettext("住民基本台帳")
            if facts.get("source") == "registry"
            else gettext("アップロードした母集団ファイル")
        )
        text = gettext(
            "%(n)s人を母集団（%(source)s）の年齢区分・性別・町名に合わせて重み付けしました。"
        ) % {"n": f"{int(facts.get('n', 0)):,}", "source": source}
        if facts.get("left_out"):
            text += " " + gettext(
                "年齢・性別・町名のいずれかが無回答の%(n)s人は重み付き集計に含みません。"
            ) % {"n": f"{int(facts['left_out']):,}"}
        if facts.get("spread"):
            text += " " + gettext("回答者のいない区分の人口はほかの区分に振り分けました。")
        return text
    if code == "uncovered":
        return gettext(
            "%(dimension)s の「%(level)s」が母集団にないため、重み付けできませんでした（重みなしの集計のみ）。"
        ) % {"dimension": facts.get("dimension", ""), "level": facts.get("level", "")}
    if code == "failed":
        return gettext("重み付けできませんでした（%(reason)s）。重みなしの集計のみです。") % {
            "reason": facts.get("reason", "")
        }
    if code == "no_margins":
        return gettext("母集団の数がないため、重みなしの集計のみです。")
    return stored


def reference_date(survey: Survey) -> date:
    """The day ages are counted on: the start of fieldwork, else 1 October of the fiscal year."""
    return survey.fieldwork_start or date(survey.fiscal_year, 10, 1)


def registry_margins(on: date) -> dict[str, dict[str, float]]:
    """Residents aged 16+ on ``on`` by age band, sex and town, from the people registry.

    Only people with a known birth date, sex and town count, so every
    dimension adds up to the same total (raking needs that).
    """
    from tsunagari.people.models import Person

    rows = Person.objects.exclude(birth_date=None).exclude(town="").exclude(sex="")
    counts: dict[tuple[str, str, str], int] = {}
    for birth, sex, town in rows.values_list("birth_date", "sex", "town").iterator(chunk_size=5000):
        if birth is None:
            continue
        code = SEX_CODES.get(sex)
        band = age_band_of(age_on(birth, on))
        if code is None or band is None:
            continue
        counts[(band, code, town)] = counts.get((band, code, town), 0) + 1
    margins: dict[str, dict[str, float]] = {"age_band": {}, "sex": {}, "town": {}}
    for (band, code, town), count in counts.items():
        margins["age_band"][band] = margins["age_band"].get(band, 0.0) + count
        margins["sex"][code] = margins["sex"].get(code, 0.0) + count
        margins["town"][town] = margins["town"].get(town, 0.0) + count
    margins["age_band"] = {b: margins["age_band"][b] for b in AGE_BANDS if b in margins["age_band"]}
    margins["sex"] = {s: margins["sex"][s] for s in ("1", "2", "3") if s in margins["sex"]}
    margins["town"] = dict(sorted(margins["town"].items()))
    return {d: levels for d, levels in margins.items() if levels}


def _direct(frame: pd.DataFrame, keep: Any, weights: Any) -> dict[str, Any]:
    """The direct question's answer shares, unweighted and weighted, with their counts."""
    if not len(frame):
        return {}
    codes = frame["direct"].to_numpy(dtype=np.float64)
    out: dict[str, Any] = {}
    counts = _counts(codes)
    out["unweighted"] = {
        label: {"share": share, "n": counts[label]}
        for label, share in direct_distribution(codes).items()
    }
    if weights is not None:
        kept = codes[keep]
        kept_counts = _counts(kept)
        out["weighted"] = {
            label: {"share": share, "n": kept_counts[label]}
            for label, share in direct_distribution(kept, weights).items()
        }
    return out


def _counts(codes: Any) -> dict[str, int]:
    out = {c.label: int((codes == c.code).sum()) for c in DIRECT_QUESTION.choices}
    out[NO_ANSWER] = int(np.isnan(codes).sum())
    return out


def _ward_items(frame: pd.DataFrame, keep: Any, weights: Any) -> dict[str, Any]:
    """Answer shares of the ward's own items among those who answered each.

    For the multi-choice "places" item a share is of respondents who answered
    the item at all. Counts are kept so that readers can suppress small cells.
    """
    out: dict[str, Any] = {}
    if not len(frame):
        return out
    w_all = np.zeros(len(frame))
    if weights is not None:
        w_all[np.flatnonzero(keep)] = np.asarray(weights, dtype=np.float64)
    for item in (SOCIAL_CONTACT, HELP_SEEKING, PLACES_USE):
        if item.kind == "multi":
            raw = frame["places"].fillna("").astype(str)
            answered = (raw != "").to_numpy()
            chosen = {c.code: raw.str.split(",").map(lambda xs, code=c.code: str(code) in xs).to_numpy(dtype=bool) for c in item.choices}  # fmt: skip
        else:
            codes = frame[item.column].to_numpy(dtype=np.float64)
            answered = ~np.isnan(codes)
            chosen = {c.code: codes == c.code for c in item.choices}
        base_n = int(answered.sum())
        base_w = float(w_all[answered].sum())
        rows = []
        for c in item.choices:
            hit = chosen[c.code] & answered
            rows.append(
                {
                    "code": c.code,
                    "label": c.label,
                    "n": int(hit.sum()),
                    "share": float(hit.sum()) / base_n if base_n else None,
                    "weighted": float(w_all[hit].sum()) / base_w
                    if weights is not None and base_w > 0
                    else None,
                }
            )
        out[item.column] = {"question": item.question, "kind": item.kind, "answered": base_n, "rows": rows}  # fmt: skip
    return out


def responses_frame(survey: Survey) -> pd.DataFrame:
    """The stored responses as the engine reads them (codes as floats, NaN = no answer)."""
    columns = ["pk", "respondent_id", "age_band", "sex", "town", "places", *importing.CODED]
    rows = list(Response.objects.filter(survey=survey).order_by("pk").values_list(*columns))
    frame = pd.DataFrame(rows, columns=columns)
    for c in importing.CODED:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(np.float64)
    for c in ("age_band", "sex", "town"):
        frame[c] = frame[c].astype(object).where(frame[c] != "", None)
    frame["household"] = frame["household"].map(lambda v: None if np.isnan(v) else str(int(v)))
    return frame
