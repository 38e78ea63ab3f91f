"""Uncertain pairs for people to review, and people's decisions on pairs.

A link run decides every pair at the threshold. Pairs whose match
probability falls in the review band (:data:`REVIEW_BAND`) are the ones a
person should look at: just below the threshold (perhaps the same person,
kept apart) or just above it (linked, perhaps wrongly). The run writes them
to ``review.csv`` with, for each field, how the two records compare.

A reviewer's decision is kept by the records' keys (source and record id,
which departments keep from one extract to the next) and given to the next
run as a decisions file: "same" joins the two records whatever the score,
"different" keeps them apart, directly or through any chain of links.

    source_l,record_id_l,source_r,record_id_r,decision
    care,KH0000123,registry,R0004567,same
    csw,C-0042,registry,R0009876,different
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsunagari.linkage.engine.errors import InputError

#: Match probabilities from the lower bound (inclusive) to the upper bound
#: (exclusive) are uncertain: worth a person's look.
REVIEW_BAND = (0.5, 0.99)
#: At most this many pairs go to review.csv, the most uncertain first.
MAX_REVIEW_PAIRS = 20_000

DECISION_COLUMNS = ("source_l", "record_id_l", "source_r", "record_id_r", "decision")
SAME, DIFFERENT = "same", "different"
_DECISION_WORDS = {
    SAME: SAME,
    "accept": SAME,
    "match": SAME,
    "同一": SAME,
    DIFFERENT: DIFFERENT,
    "reject": DIFFERENT,
    "non-match": DIFFERENT,
    "別人": DIFFERENT,
}

#: review.csv columns: the pair, its probability, whether the run linked it,
#: how each field compares, then each side's values for display.
SIDE_FIELDS = ("name", "kana", "birth_date", "sex", "address", "phone", "resident_id")
COMPARED = ("surname", "given", "birth_date", "address", "phone", "resident_id")
REVIEW_COLUMNS = (
    "source_l",
    "record_id_l",
    "source_r",
    "record_id_r",
    "match_probability",
    "linked",
    "person_id_l",
    "person_id_r",
    *(f"cmp_{c}" for c in COMPARED),
    *(f"{f}_l" for f in SIDE_FIELDS),
    *(f"{f}_r" for f in SIDE_FIELDS),
)


@dataclass(frozen=True, slots=True)
class Decisions:
    """Reviewed pairs as record positions (uids) of one run."""

    same: tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]
    different: tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]
    unknown: int  # decisions naming a record that is not in this run

    @classmethod
    def none(cls) -> Decisions:
        empty = np.zeros(0, dtype=np.int64)
        return cls((empty, empty), (empty, empty), 0)

    @property
    def count(self) -> int:
        return len(self.same[0]) + len(self.different[0])


def pair_key(source_l: str, record_l: str, source_r: str, record_r: str) -> tuple[str, ...]:
    """The order-free key of a pair of records (the smaller side first)."""
    a, b = (source_l, record_l), (source_r, record_r)
    return (*a, *b) if a <= b else (*b, *a)


def read_decisions(path: Path) -> list[tuple[str, str, str, str, str]]:
    """Read a decisions file; the last decision on a pair wins.

    Raises:
        InputError: the file is not a decisions CSV (naming file and row).

    Example:
        >>> read_decisions(Path("decisions.csv"))  # doctest: +SKIP
        [('care', 'KH1', 'registry', 'R9', 'same')]
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path.name, 1, "the decisions file is not UTF-8") from None
    except OSError as exc:
        raise InputError(
            str(path), None, f"cannot read the decisions file ({exc.strerror})"
        ) from None
    rows = csv.reader(text.splitlines())
    header = [c.strip() for c in next(rows, [])]
    missing = [c for c in DECISION_COLUMNS if c not in header]
    if missing:
        raise InputError(
            path.name,
            1,
            f"missing column {', '.join(missing)} in the header "
            f"(required: {', '.join(DECISION_COLUMNS)})",
        )
    at = [header.index(c) for c in DECISION_COLUMNS]
    kept: dict[tuple[str, ...], str] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise InputError(path.name, number, f"{len(row)} cells, expected {len(header)}")
        sl, rl, sr, rr, word = (row[i].strip() for i in at)
        decision = _DECISION_WORDS.get(word.lower())
        if decision is None:
            raise InputError(path.name, number, f"decision {word!r} is not 'same' or 'different'")
        if not (sl and rl and sr and rr):
            raise InputError(path.name, number, "a source or record_id is empty")
        kept[pair_key(sl, rl, sr, rr)] = decision
    return [(k[0], k[1], k[2], k[3], d) for k, d in kept.items()]


def resolve(records: pd.DataFrame, decided: Iterable[tuple[str, str, str, str, str]]) -> Decisions:
    """Turn decisions by record key into record positions of this run."""
    decided = list(decided)
    if not decided:
        return Decisions.none()
    index = pd.Series(
        np.arange(len(records), dtype=np.int64),
        index=pd.MultiIndex.from_arrays(
            [records["source"].astype(str), records["record_id"].astype(str)]
        ),
    )
    index = index[~index.index.duplicated()]
    same: list[tuple[int, int]] = []
    different: list[tuple[int, int]] = []
    unknown = 0
    for sl, rl, sr, rr, decision in decided:
        a, b = index.get((sl, rl)), index.get((sr, rr))
        if a is None or b is None:
            unknown += 1
            continue
        (same if decision == SAME else different).append((int(a), int(b)))

    def arrays(
        pairs: list[tuple[int, int]],
    ) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
        left = np.array([p[0] for p in pairs], dtype=np.int64)
        right = np.array([p[1] for p in pairs], dtype=np.int64)
        return left, right

    return Decisions(arrays(same), arrays(different), unknown)


def _levels(
    records: pd.DataFrame, left: np.ndarray[Any, Any], right: np.ndarray[Any, Any]
) -> dict[str, list[str]]:
    """How each field of the two records compares, as short codes.

    surname/given: same (kanji and reading), kanji (kanji agree, a reading
    missing or different), kana (reading agrees, kanji differ), differ,
    missing; birth_date: same, swap (day and month), one_part (one of
    year/month/day differs), differ, missing; address: same (down to the room), go (号), banchi
    (番), chome (丁目), town, differ, missing; phone and resident_id: same,
    differ, missing.
    """

    def col(name: str, ids: np.ndarray[Any, Any]) -> list[Any]:
        values: list[Any] = records[name].take(ids).to_numpy(dtype=object, na_value=None).tolist()
        return values

    def name_level(part: str) -> list[str]:
        kl, kr = col(f"{part}_kanji", left), col(f"{part}_kanji", right)
        nl, nr = col(f"{part}_kana", left), col(f"{part}_kana", right)
        out = []
        for a, b, x, y in zip(kl, kr, nl, nr, strict=True):
            kanji = a is not None and a == b
            kana = x is not None and x == y
            if kanji and kana:
                out.append("same")
            elif kanji:
                out.append("kanji")
            elif kana:
                out.append("kana")
            elif (a is None or b is None) and (x is None or y is None):
                out.append("missing")
            else:
                out.append("differ")
        return out

    def exact(name: str) -> list[str]:
        return [
            "missing" if a is None or b is None else ("same" if a == b else "differ")
            for a, b in zip(col(name, left), col(name, right), strict=True)
        ]

    dates = []
    ys = zip(
        col("dob_y", left), col("dob_m", left), col("dob_d", left),
        col("dob_y", right), col("dob_m", right), col("dob_d", right),
        strict=True,
    )  # fmt: skip
    for y1, m1, d1, y2, m2, d2 in ys:
        if y1 is None or y2 is None:
            dates.append("missing")
        elif (y1, m1, d1) == (y2, m2, d2):
            dates.append("same")
        elif y1 == y2 and m1 == d2 and d1 == m2:
            dates.append("swap")
        elif sum((y1 == y2, m1 == m2, d1 == d2)) == 2:
            dates.append("one_part")
        else:
            dates.append("differ")

    address = []
    levels = (
        ("addr_key", "same"),
        ("addr_go", "go"),
        ("addr_banchi", "banchi"),
        ("addr_chome", "chome"),
        ("addr_town", "town"),
    )
    sides = [(col(c, left), col(c, right), code) for c, code in levels]
    for i in range(len(left)):
        if sides[-1][0][i] is None or sides[-1][1][i] is None:
            address.append("missing")
            continue
        for a, b, code in sides:
            if a[i] is not None and a[i] == b[i]:
                address.append(code)
                break
        else:
            address.append("differ")
    return {
        "surname": name_level("sur"),
        "given": name_level("giv"),
        "birth_date": dates,
        "address": address,
        "phone": exact("phone"),
        "resident_id": exact("resident_id"),
    }


def _display(records: pd.DataFrame, ids: np.ndarray[Any, Any]) -> dict[str, list[str]]:
    def col(name: str) -> list[str]:
        values = records[name].take(ids).to_numpy(dtype=object, na_value=None).tolist()
        return ["" if v is None else str(v) for v in values]

    def joined(a: str, b: str) -> list[str]:
        return [f"{x} {y}".strip() for x, y in zip(col(a), col(b), strict=True)]

    return {
        "name": joined("sur_kanji", "giv_kanji"),
        "kana": joined("sur_kana", "giv_kana"),
        "birth_date": col("dob"),
        "sex": col("sex"),
        "address": col("addr_key"),
        "phone": col("phone"),
        "resident_id": col("resident_id"),
    }


def review_pairs(
    records: pd.DataFrame,
    left: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    probability: np.ndarray[Any, Any],
    person: np.ndarray[Any, Any],
    person_ids: np.ndarray[Any, Any],
    decided: set[tuple[str, ...]],
    threshold: float,
    limit: int = MAX_REVIEW_PAIRS,
) -> pd.DataFrame:
    """The uncertain pairs of a run, most uncertain first, as review.csv rows.

    Pairs a person already decided are left out. ``linked`` says whether the
    run put the two records into one person (directly, or through others).

    Args:
        records: the run's normalised records (by uid).
        left, right: uids of the band's pairs (identity conflicts removed).
        probability: their match probabilities.
        person: person label per record after clustering.
        person_ids: output person id per label.
        decided: pair keys (:func:`pair_key`) already decided.
        threshold: the run's match threshold (nearest to it comes first).
        limit: most pairs written.
    """
    linked = person[left] == person[right]
    sources = records["source"].astype(str).to_numpy()
    ids = records["record_id"].astype(str).to_numpy()
    keep = np.ones(len(left), dtype=bool)
    if decided:
        keep = np.array(
            [
                pair_key(sources[a], ids[a], sources[b], ids[b]) not in decided
                for a, b in zip(left.tolist(), right.tolist(), strict=True)
            ],
            dtype=bool,
        )
    left, right, probability, linked = left[keep], right[keep], probability[keep], linked[keep]
    # Nearest to the threshold in log-odds first: the decisions most likely wrong.
    clipped = np.clip(probability, 1e-9, 1 - 1e-9)
    cut = float(np.log(threshold / (1 - threshold)))
    distance = np.abs(np.log(clipped / (1 - clipped)) - cut)
    order = np.argsort(distance, kind="stable")[:limit]
    left, right, probability, linked = left[order], right[order], probability[order], linked[order]
    frame: dict[str, Any] = {
        "source_l": sources[left],
        "record_id_l": ids[left],
        "source_r": sources[right],
        "record_id_r": ids[right],
        "match_probability": np.round(probability, 4),
        "linked": np.where(linked, "yes", "no"),
        "person_id_l": person_ids[person[left]],
        "person_id_r": person_ids[person[right]],
    }
    for name, codes in _levels(records, left, right).items():
        frame[f"cmp_{name}"] = codes
    for side, uids in (("l", left), ("r", right)):
        for name, values in _display(records, uids).items():
            frame[f"{name}_{side}"] = values
    return pd.DataFrame(frame, columns=list(REVIEW_COLUMNS))
