"""The person-matching model: comparisons, blocking rules, training, thresholds.

Everything here is backend-neutral Splink settings; the backend classes only
decide where the SQL runs.

Thresholds (see docs/linkage.md, "Where each rule comes from"):

* a pair is a link when its match probability is at least
  :data:`MATCH_THRESHOLD`;
* two identity conflicts veto a link whatever the score (see
  :func:`identity_conflicts`): given names that disagree completely (a given
  name changes only by a family court's permission, so twins stay apart),
  and full birth dates that differ in two parts and by more than a few days
  (a parent and a child, or siblings, of one reading). Everything else, two resident numbers in one source among it, is
  evidence weighed with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.exceptions import SplinkException

#: Pairs at or above this match probability are the same person.
MATCH_THRESHOLD = 0.9
#: Whether a record with no given name and an approximate birth year that
#: does not fit the other record's is kept from it (switched off only to
#: measure the rule): with the surname alone, the age is what tells a family's
#: members apart.
FAMILY_AGE_RULE = True
#: Two full birth dates that differ in two or more of year/month/day, are no
#: day/month swap and are more than this many days apart are two people: an
#: entry error changes one part of a date (a digit, a swap) or moves it a few
#: days (one day off across a month's end), while siblings and a parent and
#: child with one reading are born at least months apart.
DAYS_APART = 40


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    """Settings for parameter estimation.

    Attributes:
        max_pairs: pairs sampled to estimate u-probabilities; the main speed
            setting (more pairs: steadier weights, slower run).
        em_max_pairs: cap on the blocked pairs each EM session uses.
        seed: makes sampling repeatable.
    """

    max_pairs: float = 2e6
    em_max_pairs: float = 1e6
    seed: int = 42


#: Starting m/u probabilities per non-null level, in level order. They are
#: what small runs (under MIN_TRAINING_RECORDS) use and where EM starts.
PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "sur": (
        (0.85, 0.08, 0.02, 0.005, 0.02, 0.005, 0.02),
        (0.005, 0.002, 0.001, 0.0005, 0.003, 0.0005, 0.988),
    ),
    "giv": (
        (0.85, 0.08, 0.03, 0.005, 0.025, 0.005, 0.005),
        (0.002, 0.001, 0.002, 0.0005, 0.002, 0.0005, 0.992),
    ),
    # same, swapped, one part, differ, then (fixed, see _birth_date) an
    # approximate year or age that fits narrowly, fits a decade, or does not fit.
    "dob": (
        (0.92, 0.01, 0.05, 0.01, 0.005, 0.003, 0.00002),
        (4e-5, 1e-5, 0.005, 0.99035, 0.0002, 0.0004, 0.004),
    ),
    "address": ((0.75, 0.05, 0.02, 0.02, 0.03, 0.13), (1e-5, 2e-5, 1e-4, 0.001, 0.02, 0.97887)),
    "phone": ((0.85, 0.15), (1e-5, 0.99999)),
    "sex": ((0.97, 0.03), (0.5, 0.5)),
}
#: Below this many records, u-sampling and EM have too little to learn from
#: and the priors above are used as they are.
MIN_TRAINING_RECORDS = 2000


def _with_priors(name: str, levels: list[Any]) -> list[Any]:
    m, u = PRIORS[name]
    rest = levels[1:]
    assert len(rest) == len(m) == len(u), name
    return [levels[0]] + [
        level.configure(m_probability=mi, u_probability=ui)
        for level, mi, ui in zip(rest, m, u, strict=True)
    ]


#: A name's frequency is weighed against the u-probability of the level it
#: adjusts. Splink otherwise looks for a level whose SQL is only
#: ``{reading}_l = {reading}_r`` and takes that level's u, which here is "reading
#: agrees, kanji differ" (a rare level, u about 100 times smaller): every full
#: agreement of kanji and reading then lost five to seven bits, most for common
#: surnames, and one person's two records scored like namesakes.
TF_OWN_U = True


def _name_part(part: str, label: str) -> cl.CustomComparison:
    """One comparison per name part, looking at kanji key and kana key together.

    Scoring kanji and kana separately would count one agreement twice and let
    namesakes and family members through.
    """
    kj, kn = f"{part}_kanji", f"{part}_kana"
    return cl.CustomComparison(
        output_column_name=part,
        comparison_description=f"{label}: kanji key and reading",
        comparison_levels=_with_priors(
            part,
            [
                cll.CustomLevel(
                    f"({kj}_l IS NULL OR {kj}_r IS NULL) AND ({kn}_l IS NULL OR {kn}_r IS NULL)",
                    "no name part on one side",
                ).configure(is_null_level=True),
                cll.CustomLevel(
                    f"{kj}_l = {kj}_r AND {kn}_l = {kn}_r", "kanji and reading agree"
                ).configure(tf_adjustment_column=kn, disable_tf_exact_match_detection=TF_OWN_U),
                cll.CustomLevel(
                    f"{kj}_l = {kj}_r AND ({kn}_l IS NULL OR {kn}_r IS NULL)",
                    "kanji agree, one reading missing",
                ).configure(tf_adjustment_column=kj, disable_tf_exact_match_detection=TF_OWN_U),
                cll.CustomLevel(f"{kn}_l = {kn}_r", "reading agrees, kanji differ or missing"),
                cll.CustomLevel(f"{kj}_l = {kj}_r", "kanji agree, readings differ"),
                # A near reading only counts when a kanji side is missing: with
                # both kanji present and different, ケンタ/ケンジ are twins.
                cll.And(
                    cll.Or(cll.DamerauLevenshteinLevel(kn, 1), cll.JaroWinklerLevel(kn, 0.88)),
                    cll.CustomLevel(f"{kj}_l IS NULL OR {kj}_r IS NULL"),
                ).configure(label_for_charts="readings nearly agree, a kanji side missing"),
                cll.CustomLevel(
                    "name_key_l = name_key_r OR kana_key_l = kana_key_r",
                    "whole name agrees, split differs",
                ),
                cll.ElseLevel(),
            ],
        ),
    )


def _birth_date() -> cl.CustomComparison:
    same = "(CASE WHEN dob_y_l = dob_y_r THEN 1 ELSE 0 END + CASE WHEN dob_m_l = dob_m_r THEN 1 ELSE 0 END + CASE WHEN dob_d_l = dob_d_r THEN 1 ELSE 0 END)"
    # dob_lo/dob_hi: the birth years a record allows (a full date: its year;
    # 昭和63年頃: 1987-1989; 80代: a decade of years before the run's date).
    overlap = "dob_lo_l <= dob_hi_r AND dob_lo_r <= dob_hi_l"
    width = (
        "(CAST(dob_hi_l AS INT) - CAST(dob_lo_l AS INT)"
        " + CAST(dob_hi_r AS INT) - CAST(dob_lo_r AS INT))"
    )
    m, u = PRIORS["dob"]

    def fixed(level: Any, i: int) -> Any:
        # Approximate dates are rare: EM would see too few to learn them.
        return level.configure(
            m_probability=m[i], u_probability=u[i], fix_m_probability=True, fix_u_probability=True
        )

    levels = _with_priors(
        "dob",
        [
            cll.CustomLevel("dob_lo_l IS NULL OR dob_lo_r IS NULL", "no date").configure(
                is_null_level=True
            ),
            cll.CustomLevel("dob_l = dob_r", "same date"),
            cll.CustomLevel(
                "dob_y_l = dob_y_r AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r",
                "day and month swapped",
            ),
            cll.CustomLevel(f"{same} = 2", "one of year/month/day differs"),
            cll.CustomLevel("dob_l IS NOT NULL AND dob_r IS NOT NULL", "full dates differ"),
            cll.CustomLevel(
                f"{overlap} AND {width} <= 4", "approximate year fits (within 4 years)"
            ),
            cll.CustomLevel(overlap, "approximate year or age fits (a decade)"),
            cll.ElseLevel(),
        ],
    )
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="birth date parts, or the years an approximate date allows",
        comparison_levels=levels[:5] + [fixed(level, i) for i, level in enumerate(levels[5:], 4)],
    )


def _address() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description="address: town / 丁目 / 番 / 号 / room",
        comparison_levels=_with_priors(
            "address",
            [
                cll.CustomLevel("addr_key_l IS NULL OR addr_key_r IS NULL", "no address").configure(
                    is_null_level=True
                ),
                cll.CustomLevel("addr_key_l = addr_key_r", "same address with room"),
                cll.CustomLevel("addr_go_l = addr_go_r", "same 号 (room differs or missing)"),
                cll.CustomLevel("addr_banchi_l = addr_banchi_r", "same 番"),
                cll.CustomLevel("addr_chome_l = addr_chome_r", "same 丁目"),
                cll.CustomLevel("addr_town_l = addr_town_r", "same town"),
                cll.ElseLevel(),
            ],
        ),
    )


def _exact(column: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=_with_priors(
            column,
            [
                cll.CustomLevel(f"{column}_l IS NULL OR {column}_r IS NULL", "missing").configure(
                    is_null_level=True
                ),
                cll.CustomLevel(f"{column}_l = {column}_r", "agree"),
                cll.ElseLevel(),
            ],
        ),
    )


#: Two records of one source under two resident numbers: strong evidence of
#: two people (a system keeps one number per resident), but not a veto: the
#: contract says one person can appear in one source twice under two numbers
#: (moved out and back in, 住登外 beside a later 住民 record, a data-entry
#: duplicate). The odds are fixed rather than learned: EM has no labelled
#: duplicates to learn them from. Full name in kanji and reading plus the full
#: birth date outweigh it; less than that does not. When the two records are
#: both live entries (:func:`in_household_list`) and not even in one town,
#: namesakes born the same day (which the contract also names) are as likely
#: as one person registered twice: the evidence against is stronger, and such
#: pairs land in the review band, not in one person. A 住登外 record beside a
#: 住民 record is not a second live person, so it weighs as any second number.
TWO_NUMBERS_M, TWO_NUMBERS_U = 0.01, 0.6
TWO_NUMBERS_APART_M, TWO_NUMBERS_APART_U = 0.0002, 0.6


def in_household_list(records: pd.DataFrame) -> pd.Series:
    """Per record, whether it is a live entry of its source's household list.

    1 where the source numbers households (the registry's 世帯番号) and the
    record has a number; 0 where the source numbers households but the record
    has none (a 住登外 record: a person known to ward systems who does not
    live in the ward, kept beside a later 住民 record); null where the source
    numbers no households (nothing is known).

    Args:
        records: normalised records with ``source`` and ``household_ref``.

    Returns:
        A nullable Int8 series aligned with ``records``.

    Example:
        >>> in_household_list(records).tolist()  # doctest: +SKIP
        [1, 1, 0, <NA>]
    """
    ref = records["household_ref"]
    numbered = np.array(records["source"].isin(set(records.loc[ref.notna(), "source"])))
    if not OUTSIDE_RECORD_RULE:
        numbered[:] = False
    flag = pd.array(ref.notna().to_numpy().astype("int8"), dtype="Int8")
    return pd.Series(flag, index=records.index).mask(~numbered)


#: Whether a record outside its source's household list counts as an earlier
#: or outside record (switched off only to measure the rule).
OUTSIDE_RECORD_RULE = True


def _resident_id() -> cl.CustomComparison:
    # A different 宛名番号 across sources weighs nothing: numbers go stale on
    # re-registration, so only agreement, or two numbers in one system, counts.
    return cl.CustomComparison(
        output_column_name="resident_id",
        comparison_description="宛名番号: agreement; two numbers in one source",
        comparison_levels=[
            cll.CustomLevel("resident_id_l IS NULL OR resident_id_r IS NULL", "missing").configure(
                is_null_level=True
            ),
            cll.CustomLevel("resident_id_l = resident_id_r", "same resident number").configure(
                m_probability=0.5,
                u_probability=1e-6,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            cll.CustomLevel(
                "source_l = source_r AND COALESCE(in_household_list_l, 1) = 1"
                " AND COALESCE(in_household_list_r, 1) = 1"
                " AND (addr_town_l IS NULL OR addr_town_r IS NULL OR addr_town_l <> addr_town_r)",
                "two numbers in one source, both live records, not in one town"
                " (two people, or review)",
            ).configure(
                m_probability=TWO_NUMBERS_APART_M,
                u_probability=TWO_NUMBERS_APART_U,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            cll.CustomLevel(
                "source_l = source_r", "two numbers in one source, in one town"
            ).configure(
                m_probability=TWO_NUMBERS_M,
                u_probability=TWO_NUMBERS_U,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            # Different numbers from two systems: one may be stale; no evidence.
            cll.ElseLevel().configure(
                m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
            ),
        ],
    )


#: Columns the comparisons and blocking rules read only through equality and
#: null tests. A backend may hold them as integer codes, which join and compare
#: faster than text; the readings stay text for the typo-distance levels.
#: Columns of one group are compared with each other (a day/month swap) and
#: must share one code table.
EQUALITY_ONLY_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("source",),
    ("resident_id",),
    ("name_key",),
    ("sur_kanji",),
    ("giv_kanji",),
    ("kana_key",),
    ("dob",),
    ("dob_y",),
    ("dob_m", "dob_d"),
    ("sex",),
    ("addr_key",),
    ("addr_go",),
    ("addr_banchi",),
    ("addr_chome",),
    ("addr_town",),
    ("phone",),
)


#: Whether :data:`PARTIAL_BLOCKING_RULES` are used (switched off only to
#: measure them).
PARTIAL_BLOCKS = True

PREDICTION_BLOCKING_RULES = (
    block_on("resident_id"),
    block_on("giv_kana", "dob"),
    block_on("sur_kana", "dob"),
    block_on("giv_kanji", "dob"),
    block_on("sur_kanji", "giv_kanji", "dob_y"),
    block_on("sur_kana", "giv_kana", "dob_y"),
    block_on("addr_go", "giv_kana"),
    block_on("addr_go", "giv_kanji"),
    block_on("phone", "dob_y"),
    # Notes with a surname only, or a vague or missing birth date, meet the
    # people at their address who share the surname.
    block_on("addr_go", "sur_kanji"),
    block_on("addr_go", "sur_kana"),
)
#: Records with part of an address (the 丁目 or the block, as notes and
#: consultation logs keep it), no reading, or no name: the contract says a bad
#: single value is not fatal and the row is linked on what remains, so each
#: still meets the people of its 丁目 on what it has.
PARTIAL_BLOCKING_RULES = (
    # Extracts without readings: the surname in kanji with the birth date.
    block_on("sur_kanji", "dob"),
    # A vague or missing birth date and an address to the 丁目: the full name.
    block_on("name_key", "addr_chome"),
    # No name: the birth date.
    block_on("dob", "addr_chome"),
)


def settings() -> SettingsCreator:
    """Return the Splink settings of the Tsunagari person model.

    Returns:
        A settings creator for a dedupe over the concatenated normalised
        records (``uid`` as unique id).

    Example:
        >>> settings().link_type
        'dedupe_only'
    """
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=[
            _name_part("sur", "surname"),
            _name_part("giv", "given name"),
            _birth_date(),
            _address(),
            _exact("phone", "phone digits"),
            _exact("sex", "sex"),
            _resident_id(),
        ],
        blocking_rules_to_generate_predictions=[
            *PREDICTION_BLOCKING_RULES,
            *(PARTIAL_BLOCKING_RULES if PARTIAL_BLOCKS else ()),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
        max_iterations=20,
        em_convergence=0.001,
    )


#: EM sessions, each with fallbacks for extracts that lack a field. The first
#: trains names, address, phone and sex; the second the birth date: blocking
#: it on address plus given name, not on the reading, keeps namesakes out.
EM_SESSIONS = (
    (block_on("dob"), block_on("dob_y", "dob_m")),
    (
        block_on("addr_go", "giv_kana"),
        block_on("addr_go", "giv_kanji"),
        block_on("addr_banchi", "giv_kanji"),
        block_on("addr_key", "sur_kanji"),
    ),
)


def train(linker: Any, options: TrainingOptions, n_records: int) -> None:
    """Estimate the model's parameters on the data being linked.

    u from random pairs; the prior from near-certain rules; m by EM in two
    sessions, each blocked on fields the other one estimates. Birth dates are
    trained on pairs blocked by address plus given name: blocking on the
    reading alone floods the session with namesakes.

    Args:
        linker: a Splink linker built with :func:`settings`.
        options: sampling sizes and seed.
        n_records: how many records are linked (small runs keep the priors).

    Returns:
        Nothing; the linker holds the trained model.

    Example:
        >>> train(linker, TrainingOptions(max_pairs=1e6), 100_000)  # doctest: +SKIP
    """
    settings_obj = linker._settings_obj
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("kana_key", "dob"), block_on("name_key", "dob")], recall=0.8
        )
    except ValueError:
        # A tiny input where most pairs match the rules (two records of one
        # person): more matches than 80 % recall allows. Most pairs are then
        # one person; an even prior lets the comparisons decide.
        settings_obj._probability_two_random_records_match = 0.5
    # With no rule-matched pair at all (a tiny or one-person-per-record input)
    # the estimate is 0, which Splink cannot take a logarithm of.
    floor = 1.0 / max(2.0, float(n_records) * (n_records - 1) / 2)
    if not settings_obj._probability_two_random_records_match >= floor:
        settings_obj._probability_two_random_records_match = floor
    if n_records < MIN_TRAINING_RECORDS:
        return
    # One pass over the sampled pairs per comparison: Splink's default splits
    # them into a probe and ten chunks (77 queries instead of 7) to stop early
    # once every level has been seen 100 times, which the rare agreeing
    # levels never are at this sample size, so all the pairs are read anyway.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=options.max_pairs, seed=options.seed, num_chunks=1
    )
    for rules in EM_SESSIONS:
        for rule in rules:
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    max_pairs=options.em_max_pairs,
                    estimate_without_term_frequencies=True,
                )
            except SplinkException:
                # No pairs under this rule in these extracts (no readings, no
                # 号 ...): try the next one; the starting values stay otherwise.
                continue
            break


def _near(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance at most 1 (one typo in a reading)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


#: Whether a given name in other kanji whose usual reading is the other
#: record's reading is left to the model rather than vetoed (switched off only
#: to measure the rule).
HOMOPHONE_RULE = True


def _same_reading_by_ear(
    records: pd.DataFrame,
    left: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    conflict: np.ndarray[Any, np.dtype[np.bool_]],
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Given names in two kanji, one without a reading, that sound the same.

    A name taken over the telephone or from a neighbour is written by ear:
    浩 for 弘, both ヒロシ. When one record has no reading, its kanji's usual
    reading in this run (the reading the records that give both most often
    give it) is compared with the other record's reading. Twins' names do not
    sound the same.
    """
    result: np.ndarray[Any, np.dtype[np.bool_]] = np.zeros(len(left), dtype=bool)
    rows = np.flatnonzero(conflict)
    if len(rows) == 0:
        return result
    kanji = records["giv_kanji"].to_numpy(dtype=object, na_value=None)
    kana = records["giv_kana"].to_numpy(dtype=object, na_value=None)
    a, b = left[rows], right[rows]
    one_missing = (kana[a] == None) ^ (kana[b] == None)  # noqa: E711
    both_kanji = (kanji[a] != None) & (kanji[b] != None)  # noqa: E711
    pick = one_missing & both_kanji
    if not pick.any():
        return result
    known = records[["giv_kanji", "giv_kana"]].dropna()
    counts = known.groupby(["giv_kanji", "giv_kana"], observed=True).size().reset_index(name="n")
    usual = counts.sort_values("n", ascending=False).drop_duplicates("giv_kanji")
    reading = dict(zip(usual["giv_kanji"], usual["giv_kana"], strict=True))
    rows, a, b = rows[pick], a[pick], b[pick]
    heard = [
        reading.get(kanji[x]) == kana[y] if kana[x] is None else reading.get(kanji[y]) == kana[x]
        for x, y in zip(a.tolist(), b.tolist(), strict=True)
    ]
    result[rows[np.array(heard, dtype=bool)]] = True
    return result


def identity_conflicts(
    records: pd.DataFrame, left: np.ndarray[Any, Any], right: np.ndarray[Any, Any]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which pairs contradict being one person, whatever their score.

    Two conflicts veto a link (docs/linkage.md says where each comes from):

    * the given names disagree outright: kanji and reading both differ, no
      typo-distance reading when a kanji side is missing, and no resident
      number in common. A given name changes only with a family court's
      permission (戸籍法 art. 107-2), and twins share everything else;
    * both birth dates are full dates that differ in two or more of
      year/month/day, are no day/month swap, and are more than
      :data:`DAYS_APART` days apart: a parent and a child, or two siblings,
      of one reading share address and phone. Dates a few days apart (one
      day off across a month's end) are left to the model.

    Two records of one source under two resident numbers are not a conflict:
    the contract allows one person twice in one source; the model weighs it.

    Args:
        records: normalised records indexed by uid (0..n-1).
        left: uids of the pairs' left records.
        right: uids of the pairs' right records.

    Returns:
        A boolean array, True where the pair must not be linked.

    Example:
        >>> identity_conflicts(records, np.array([0]), np.array([1]))  # doctest: +SKIP
        array([ True])
    """

    # Whole columns at a time in Arrow: a Python object per pair would cost
    # seconds at a million records.
    left_ids, right_ids = pa.array(left, type=pa.int64()), pa.array(right, type=pa.int64())
    columns: dict[str, tuple[pa.Array, pa.Array]] = {}

    def sides(column: str) -> tuple[pa.Array, pa.Array]:
        if column not in columns:
            values = pa.array(records[column].array, from_pandas=True)
            if isinstance(values, pa.ChunkedArray):
                values = values.combine_chunks()
            columns[column] = (values.take(left_ids), values.take(right_ids))
        return columns[column]

    def valid(array: pa.Array) -> np.ndarray[Any, np.dtype[np.bool_]]:
        result: np.ndarray[Any, np.dtype[np.bool_]] = pc.is_valid(array).to_numpy(
            zero_copy_only=False
        )
        return result

    def equal(a: pa.Array, b: pa.Array) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Both present and equal."""
        result: np.ndarray[Any, np.dtype[np.bool_]] = pc.fill_null(pc.equal(a, b), False).to_numpy(
            zero_copy_only=False
        )
        return result

    def same(column: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return equal(*sides(column))

    gk_l, gk_r = sides("giv_kanji")
    gn_l, gn_r = sides("giv_kana")
    has_l = valid(gk_l) | valid(gn_l)
    has_r = valid(gk_r) | valid(gn_r)
    agree = same("giv_kanji") | same("giv_kana") | same("name_key") | same("kana_key")
    given_conflict = has_l & has_r & ~agree
    # A resident number shared across sources names one person whatever the
    # spelling (TRAN DUC MINH in the registry, チャン・ドゥック ミン in the
    # child record): the number decides when the birth dates do not object.
    given_conflict &= ~same("resident_id")
    kanji_missing = ~valid(gk_l) | ~valid(gk_r)
    check = np.flatnonzero(given_conflict & kanji_missing & valid(gn_l) & valid(gn_r))
    if len(check):
        picks = pa.array(check, type=pa.int64())
        near = [
            _near(a, b)
            for a, b in zip(gn_l.take(picks).to_pylist(), gn_r.take(picks).to_pylist(), strict=True)
        ]
        given_conflict[check[np.array(near, dtype=bool)]] = False

    if HOMOPHONE_RULE:
        given_conflict &= ~_same_reading_by_ear(records, left, right, given_conflict)

    d_l, d_r = sides("dob")
    days_l = pc.cast(pc.strptime(d_l, format="%Y-%m-%d", unit="s", error_is_null=True), pa.int64())
    days_r = pc.cast(pc.strptime(d_r, format="%Y-%m-%d", unit="s", error_is_null=True), pa.int64())
    days_apart = (
        np.abs(
            pc.fill_null(days_l, 0).to_numpy(zero_copy_only=False)
            - pc.fill_null(days_r, 0).to_numpy(zero_copy_only=False)
        )
        // 86400
    )
    same_y = same("dob_y")
    parts = same_y.astype(int) + same("dob_m").astype(int) + same("dob_d").astype(int)
    m_l, m_r = sides("dob_m")
    day_l, day_r = sides("dob_d")
    swap = same_y & equal(m_l, day_r) & equal(day_l, m_r)
    dob_conflict = valid(d_l) & valid(d_r) & (parts < 2) & ~swap & (days_apart > DAYS_APART)
    result: np.ndarray[Any, np.dtype[np.bool_]] = (given_conflict | dob_conflict).astype(bool)
    if FAMILY_AGE_RULE:
        # A record with no given name (a note that knows only 田中) names a
        # family; its estimated age is all that tells the members apart.
        lo_l, lo_r = sides("dob_lo")
        hi_l, hi_r = sides("dob_hi")
        years = [
            pc.cast(v, pa.int32(), safe=False) if v.type != pa.int32() else v
            for v in (lo_l, hi_l, lo_r, hi_r)
        ]
        ranges = valid(lo_l) & valid(lo_r) & valid(hi_l) & valid(hi_r)
        apart = pc.fill_null(
            pc.or_(pc.less(years[1], years[2]), pc.less(years[3], years[0])), False
        ).to_numpy(zero_copy_only=False)
        approximate = (valid(lo_l) & ~valid(d_l)) | (valid(lo_r) & ~valid(d_r))
        result |= ranges & apart & approximate & (~has_l | ~has_r)
    return result
