"""The link run: extracts in, people and households out (contracts/linkage.md)."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsunagari.linkage.engine import model, normalise, review
from tsunagari.linkage.engine.backends import make_backend
from tsunagari.linkage.engine.errors import ValueWarning
from tsunagari.linkage.engine.graph import components, constrained_components
from tsunagari.linkage.engine.households import address_level, infer_households, person_table
from tsunagari.linkage.engine.normalise import normalise_extract, split_names
from tsunagari.linkage.engine.reader import list_extracts, read_extract

#: Files a run writes into OUTPUT_DIR.
CLUSTERS_FILE = "clusters.csv"
HOUSEHOLDS_FILE = "households.csv"
WARNINGS_FILE = "warnings.csv"
MODEL_FILE = "model.json"
#: Uncertain pairs for people to review (review.py).
REVIEW_FILE = "review.csv"
#: Normalised records with person and household and every source attribute,
#: for ``detect`` and for loading into the database.
RECORDS_FILE = "records.parquet"
ATTRIBUTE_PREFIX = "attr."

#: Progress callback: (stage description, fraction of the run done 0..1).
Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """Options of a link run.

    Attributes:
        engine: "duckdb" (default) or "spark".
        threads: worker threads / local cores.
        threshold: match probability at or above which a pair is one person.
        training: sampling sizes for parameter estimation.
        as_of: reference date for ages (household rules); today if None.
        memory_limit: DuckDB's memory cap; beyond it DuckDB spills to disk.
        workers: processes that normalise names, readings and addresses
            (only for large runs; default: two, or one on a one-core
            machine). Reading is pure Python and DuckDB is not yet running,
            so the second core would otherwise idle.
        decisions: a file of reviewed pairs (review.py): "same" joins two
            records, "different" keeps them apart, whatever the scores.
        review_band: match probabilities [low, high) written to review.csv.
    """

    engine: str = "duckdb"
    threads: int = 2
    threshold: float = model.MATCH_THRESHOLD
    training: model.TrainingOptions = field(default_factory=model.TrainingOptions)
    as_of: date | None = None
    memory_limit: str = "2GB"
    workers: int = field(default_factory=lambda: default_workers())
    decisions: Path | None = None
    review_band: tuple[float, float] = review.REVIEW_BAND


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """What a run did, for the closing summary line."""

    records: int
    sources: dict[str, int]
    warnings: int
    people: int
    households: int
    seconds: float
    review_pairs: int = 0
    decisions_applied: int = 0
    decisions_unknown: int = 0


def default_workers() -> int:
    """Two normalising processes where there are two cores or more."""
    return min(2, os.cpu_count() or 1)


def _noop(stage: str, done: float) -> None:
    return None


def load_records(
    input_dir: Path, progress: Progress = _noop, workers: int = 1, as_of: date | None = None
) -> tuple[pd.DataFrame, list[ValueWarning], list[str]]:
    """Read and normalise every extract of a directory.

    Args:
        input_dir: directory of ``*.csv`` extracts.
        progress: called with a stage name and the fraction done.
        workers: processes normalising distinct values (large runs only).
        as_of: the date ages in vague birth dates (91歳位, 80代) are counted
            on; today if None.

    Returns:
        (records, warnings, attribute column names): records carry the
        normalised fields, a ``uid`` 0..n-1, and each extra source column as
        ``attr.<name>``.

    Raises:
        InputError: a file cannot be used (naming file and row).

    Example:
        >>> records, warnings, attrs = load_records(Path("extracts"))  # doctest: +SKIP
    """
    paths = list_extracts(input_dir)
    normalise.WORKERS = workers
    normalise.AS_OF = as_of
    frames: list[pd.DataFrame] = []
    warnings: list[ValueWarning] = []
    attributes: list[str] = []
    for i, path in enumerate(paths):
        progress(f"reading {path.name}", 0.3 * i / len(paths))
        extract = read_extract(path)
        frame, found = normalise_extract(extract)
        for column in extract.attribute_columns:
            name = ATTRIBUTE_PREFIX + column
            values = extract.frame[column].astype("string").reset_index(drop=True)
            frame[name] = values.where(values != "", None)
            if name not in attributes:
                attributes.append(name)
        frames.append(frame)
        warnings.extend(found)
        del extract
    records = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    records = split_names(records)
    if len(records):
        records["in_household_list"] = model.in_household_list(records)
    records.insert(0, "uid", np.arange(len(records), dtype=np.int64))
    return records, warnings, attributes


@dataclass(frozen=True, slots=True)
class Matched:
    """People found by a run, the pairs a person should review, and the model."""

    person: np.ndarray[Any, np.dtype[np.int64]]
    trained: dict[str, Any]
    band: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]


def match_people(
    records: pd.DataFrame,
    options: LinkOptions,
    progress: Progress = _noop,
    decisions: review.Decisions | None = None,
) -> Matched:
    """Train the model on the records and cluster them into people.

    Args:
        records: output of :func:`load_records` (only model columns are sent
            to the backend).
        options: engine, threads, threshold, training sizes.
        progress: called with a stage name and the fraction done.
        decisions: reviewed pairs; "same" pairs are joined first, "different"
            pairs are never joined.

    Returns:
        Person label per record, the trained Splink model as a dict, and the
        review band's pairs (left uids, right uids, probabilities).

    Example:
        >>> match_people(records, LinkOptions()).person  # doctest: +SKIP
    """
    decisions = decisions or review.Decisions.none()
    columns = [c for c in records.columns if not c.startswith(ATTRIBUTE_PREFIX)]
    columns = [c for c in columns if c not in ("record_id", "household_ref", "addr_room")]
    low, high = options.review_band
    floor = min(low, options.threshold, TWICE_REVIEW_FLOOR if TWICE_TO_REVIEW else 1.0)
    backend = make_backend(
        options.engine, threads=options.threads, memory_limit=options.memory_limit
    )
    try:
        progress("estimating the model", 0.35)
        linker = backend.linker(records[columns])
        model.train(linker, options.training, len(records))
        progress("scoring pairs", 0.55)
        predictions = linker.inference.predict(
            threshold_match_probability=floor, warning_mode="never"
        )
        edges = backend.query(
            linker,
            # The table name comes from Splink: nothing user-typed.
            f"SELECT uid_l, uid_r, match_probability FROM {predictions.physical_name}",  # noqa: S608
        )
        trained: dict[str, Any] = linker.misc.save_model_to_json(None)
    finally:
        backend.close()
    progress("clustering people", 0.75)
    left = edges["uid_l"].to_numpy(dtype=np.int64)
    right = edges["uid_r"].to_numpy(dtype=np.int64)
    strength = edges["match_probability"].to_numpy(dtype=float)
    keep = ~model.identity_conflicts(records, left, right)
    left, right, strength = left[keep], right[keep], strength[keep]
    in_band = (strength >= low) & (strength < high)
    if TWICE_TO_REVIEW:
        in_band |= _registered_twice(records, left, right) & (strength < high)
    band = (left[in_band], right[in_band], strength[in_band])
    link = strength >= options.threshold
    left, right, strength = left[link], right[link], strength[link]
    left, right, strength = _one_link_per_vague_record(records, left, right, strength)
    # Reviewed "same" pairs come first, as the strongest edges there are.
    same_l, same_r = decisions.same
    left = np.concatenate([same_l, left])
    right = np.concatenate([same_r, right])
    strength = np.concatenate([np.full(len(same_l), 2.0), strength])
    # A chain through a third record must not join two records that one
    # source keeps under different resident numbers, unless the two were
    # linked on their own evidence (one person registered twice).
    has_number = records["resident_id"].notna().to_numpy()
    source_code = pd.factorize(records["source"])[0]

    def cluster() -> np.ndarray[Any, np.dtype[np.int64]]:
        number_code = _number_classes(records, left, right, has_number, source_code)
        return constrained_components(
            len(records),
            left,
            right,
            np.argsort(-strength, kind="stable"),
            np.where(has_number, source_code, -1).astype(np.int64),
            number_code,
            forced=np.arange(len(left)) < len(same_l),
            apart=decisions.different,
        )

    labels = cluster()
    # One person's two numbers of one source, found through the addresses of
    # the records the first clustering gave each of them, join as direct links.
    twice_l, twice_r = _registered_twice_at_a_known_address(records, labels)
    # A note with a full name and no birth date joins the one person of that
    # name at its place (its 丁目, 番 or 号) or on its phone.
    note_l, note_r = _named_note_at_its_place(records, labels)
    extra_l = np.concatenate([twice_l, note_l])
    extra_r = np.concatenate([twice_r, note_r])
    if len(extra_l):
        left = np.concatenate([left, extra_l])
        right = np.concatenate([right, extra_r])
        strength = np.concatenate([strength, np.full(len(extra_l), options.threshold)])
        labels = cluster()
    return Matched(labels, trained, band)


#: Whether two numbers of one source with the same name, reading and birth
#: date go to review.csv whatever their score (switched off only to measure).
TWICE_TO_REVIEW = True
#: Scores below this are not computed at all; such pairs are not worth a look.
TWICE_REVIEW_FLOOR = 0.01


def _registered_twice(
    records: pd.DataFrame,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Pairs of one source under two numbers that agree on name, reading and birth date.

    The contract names both what such a pair can be: one person registered
    twice (moved out and back in, 住登外 beside 住民, a data-entry duplicate)
    and namesakes born the same day. When nothing else tells them apart only
    a person can, with the registry's own history (除票, 転出/転入 dates) at
    hand: the pair goes to review.csv, wherever its score falls.
    """
    result: np.ndarray[Any, np.dtype[np.bool_]] = np.zeros(len(left), dtype=bool)
    if len(left) == 0:
        return result
    columns = records[["source", "resident_id", "name_key", "kana_key", "dob"]]
    a = columns.iloc[left].reset_index(drop=True)
    b = columns.iloc[right].reset_index(drop=True)
    result = (
        (
            (a["source"] == b["source"])
            & (a["resident_id"] != b["resident_id"])
            & (a["name_key"] == b["name_key"])
            & (a["kana_key"] == b["kana_key"])
            & (a["dob"] == b["dob"])
        )
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    return result


def _one_link_per_vague_record(
    records: pd.DataFrame,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    strength: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Keep only the strongest link of each record too vague to tell people apart.

    A note with no given name, or with no full birth date, can look like
    every member of a family at one address; linked to two of them it would
    chain them into one person. Such a record whose links reach two people
    joins nobody; otherwise it keeps its best link only, so it joins at most
    one person and never bridges two.
    """
    if len(left) == 0:
        return left, right, strength
    vague = (
        records["giv_kanji"].isna() & records["giv_kana"].isna() | records["dob"].isna()
    ).to_numpy()
    touches = vague[left] | vague[right]
    if not touches.any():
        return left, right, strength
    # A vague record whose links reach two people (two clusters of the
    # records that can tell people apart) is ambiguous: it joins nobody.
    firm = components(len(records), left[~touches], right[~touches])
    v_end = np.concatenate([left[touches & vague[left]], right[touches & vague[right]]])
    other = np.concatenate([right[touches & vague[left]], left[touches & vague[right]]])
    solid = ~vague[other]
    reach = pd.DataFrame({"v": v_end[solid], "c": firm[other[solid]]})
    people = reach.groupby("v")["c"].nunique()
    ambiguous = np.zeros(len(records), dtype=bool)
    ambiguous[people.index[people > 1].to_numpy()] = True
    if FAMILY_AMBIGUITY_RULE:
        ambiguous[_fits_two_at_the_address(records, np.unique(v_end), vague, firm)] = True
    drop = ambiguous[left] | ambiguous[right]
    left, right, strength = left[~drop], right[~drop], strength[~drop]
    touches = touches[~drop]
    order = np.argsort(-strength, kind="stable")
    ends = np.concatenate([left[order], right[order]])
    edge = np.concatenate([order, order])
    is_vague_end = vague[ends]
    ends, edge = ends[is_vague_end], edge[is_vague_end]
    # Both halves are in strength order; a stable sort by node keeps it, so
    # the first edge of each node is its strongest.
    by_node = np.argsort(ends, kind="stable")
    _, first = np.unique(ends[by_node], return_index=True)
    best = np.zeros(len(left), dtype=bool)
    best[edge[by_node][first]] = True
    keep = ~touches | best
    return left[keep], right[keep], strength[keep]


#: Whether a record with no given name that fits two people of its surname
#: at its address joins none of them (switched off only to measure the rule).
FAMILY_AMBIGUITY_RULE = True


def _fits_two_at_the_address(
    records: pd.DataFrame,
    linked: np.ndarray[Any, np.dtype[np.int64]],
    vague: np.ndarray[Any, np.dtype[np.bool_]],
    firm: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Records with no given name that fit two people at their address.

    A note that knows only the surname (森, 森氏) at a 号 fits every member of
    the family living there whose birth year and sex do not contradict it,
    whether or not the model linked it to them: a household shares its
    surname, address and landline. Fitting two people, it is evidence for
    neither (the rule for vague records), so it joins nobody.

    Args:
        records: normalised records indexed by uid.
        linked: uids of vague records that have links.
        vague: per record, whether it is too vague to tell people apart.
        firm: per record, its person among the records that are not vague.

    Returns:
        uids of the records that fit two people.
    """
    given = records["giv_kanji"].notna().to_numpy() | records["giv_kana"].notna().to_numpy()
    empty: np.ndarray[Any, np.dtype[np.int64]] = np.zeros(0, dtype=np.int64)
    notes = linked[~given[linked]]
    if len(notes) == 0:
        return empty
    columns = ["addr_go", "sur_kanji", "sur_kana", "dob_lo", "dob_hi", "sex"]
    note = records.loc[notes, columns].assign(note=notes)
    note = note[note["addr_go"].notna()]
    solid = records.loc[~vague & records["addr_go"].notna().to_numpy(), columns]
    solid = solid.assign(person=firm[solid.index.to_numpy()])
    found = []
    for surname in ("sur_kanji", "sur_kana"):
        keys = ["addr_go", surname]
        pairs = note.dropna(subset=keys).merge(
            solid.dropna(subset=keys), on=keys, suffixes=("", "_o")
        )
        found.append(pairs)
    pairs = pd.concat(found, ignore_index=True)
    if pairs.empty:
        return empty

    def year(column: str) -> pd.Series:
        return pd.to_numeric(pairs[column], errors="coerce")

    apart = (year("dob_hi") < year("dob_lo_o")) | (year("dob_hi_o") < year("dob_lo"))
    other_sex = pairs["sex"].notna() & pairs["sex_o"].notna() & (pairs["sex"] != pairs["sex_o"])
    fits = pairs[~(apart.fillna(False) | other_sex.fillna(False)).to_numpy()]
    people = fits.groupby("note")["person"].nunique()
    result: np.ndarray[Any, np.dtype[np.int64]] = people.index[people > 1].to_numpy(dtype=np.int64)
    return result


#: Whether two numbers of one source with the same name, reading and birth
#: date join when one record's address is among the other's person's
#: addresses (switched off only to measure the rule).
ADDRESS_HISTORY_RULE = True


#: Whether a record that gives only the 番 of an address counts as that
#: block in the person's history (switched off only to measure the rule).
BLOCK_HISTORY_RULE = True


def _registered_twice_at_a_known_address(
    records: pd.DataFrame, person: np.ndarray[Any, np.dtype[np.int64]]
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Links between one person's two numbers in one source, found through an address.

    Two records of one source under two numbers that agree on the full name
    in kanji and reading and on the full birth date are one person
    registered twice or namesakes born the same day (the contract names
    both). When the records already linked to one of them (the person's
    other records: a care record at the earlier address, a department
    record that kept the earlier number) give the other one's address (to
    the 号) or number, that address or number is in the person's history:
    registered twice. Namesakes do not share a history.

    Args:
        records: normalised records indexed by uid.
        person: each record's person from a first clustering.

    Returns:
        (left, right) uids of the pairs to link directly.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not ADDRESS_HISTORY_RULE or len(records) == 0:
        return empty, empty
    keys = ["source", "name_key", "kana_key", "dob", "resident_id"]
    full = records[[*keys, "addr_go"]].dropna(subset=keys).reset_index(drop=False)
    full = full.rename(columns={"index": "row"})
    group = full.groupby(["source", "name_key", "kana_key", "dob"], sort=False)["resident_id"]
    full = full[group.transform("nunique").to_numpy() > 1]
    if full.empty:
        return empty, empty
    pairs = full.merge(full, on=["source", "name_key", "kana_key", "dob"], suffixes=("_l", "_r"))
    pairs = pairs[
        (pairs["row_l"] < pairs["row_r"]) & (pairs["resident_id_l"] != pairs["resident_id_r"])
    ]
    if pairs.empty:
        return empty, empty
    a = pairs["row_l"].to_numpy(dtype=np.int64)
    b = pairs["row_r"].to_numpy(dtype=np.int64)
    apart = person[a] != person[b]
    a, b = a[apart], b[apart]
    go = pd.factorize(records["addr_go"])[0].astype(np.int64)
    number = pd.factorize(records["resident_id"])[0].astype(np.int64)
    known = {(int(p), int(g)) for p, g in zip(person, go, strict=True) if g >= 0}
    numbers = {(int(p), int(n)) for p, n in zip(person, number, strict=True) if n >= 0}

    # A record that gives its address down to the 番 only (南砂5-4: the
    # block, as a department wrote it) holds that block of the person's
    # history; a 丁目 alone is too wide to tell a namesake's from hers.
    blocks: set[tuple[int, str]] = set()
    banchi = records["addr_banchi"].to_numpy(dtype=object)
    if BLOCK_HISTORY_RULE:
        involved = np.flatnonzero(np.isin(person, np.union1d(person[a], person[b])))
        at_block = address_level(records.iloc[involved]).to_numpy() == "addr_banchi"
        blocks = {(int(person[r]), str(banchi[r])) for r in involved[at_block]}

    def at(who: np.ndarray[Any, Any], where: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Whether who's person holds where's address, or where's number on another record."""
        return np.array(
            [
                (go[w] >= 0 and (int(person[p]), int(go[w])) in known)
                or (int(person[p]), int(number[w])) in numbers
                or (int(person[p]), str(banchi[w])) in blocks
                for p, w in zip(who, where, strict=True)
            ],
            dtype=bool,
        )

    # Known to the other person beyond the record itself: its own record is
    # in another person, so any hit comes from the other's linked records.
    history = at(a, b) | at(b, a) if len(a) else np.zeros(0, dtype=bool)
    return a[history], b[history]


#: Whether a note with a full name and no full birth date joins the one
#: person of that name at its place or phone (switched off only to measure).
NAMED_NOTE_RULE = True
#: Address levels a note's place is compared at, finest first; a note that
#: gives only a town (or nothing) is not placed.
NOTE_PLACES = ("addr_go", "addr_banchi", "addr_chome")


def _named_note_at_its_place(
    records: pd.DataFrame, person: np.ndarray[Any, np.dtype[np.int64]]
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Links from notes with a full name but no birth date to the one person they name.

    A community worker's note (民生委員, 社協) gives the surname and given name,
    an estimated age at most, and as much of the address as finds the door
    (大島9, 白河4-15, a 号) or the phone it was given. Office practice reads
    such a note as the resident of that name at that place: a full name is
    what staff look a person up by, and within one 丁目 two residents of one
    full name are rare (inside one family a given name is not repeated).

    It joins that person when exactly one person is named: one whose record
    gives the note's full name (kanji or reading) at the note's place, at
    the level the note gives it (号, else 番, else 丁目), or on the note's
    phone — counting namesakes whatever their age, since an estimate can be
    off — and when that person fits: her birth year is one the note's
    estimate allows, her sex does not differ, and the identity rules do not
    keep them apart. A note already linked to someone else joins nobody (the
    rule for vague records), and notes linked to each other join only when
    every one of them is such a note and fits her.

    Args:
        records: normalised records indexed by uid.
        person: each record's person from a first clustering.

    Returns:
        (left, right) uids of the pairs to link directly: note, then a record
        of the person it names.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not NAMED_NOTE_RULE or len(records) == 0:
        return empty, empty
    given = records["giv_kanji"].notna() | records["giv_kana"].notna()
    surname = records["sur_kanji"].notna() | records["sur_kana"].notna()
    dated = records["dob"].notna()
    is_note = (given & surname & ~dated).to_numpy()
    if not is_note.any():
        return empty, empty
    firm = (given & dated).to_numpy()
    columns = ["name_key", "kana_key", "phone", *NOTE_PLACES, "dob_lo", "dob_hi", "sex"]
    notes = records.loc[is_note, columns].assign(note=np.flatnonzero(is_note))
    # Only the records that give a name some note gives can be named by one.
    names = notes["name_key"].dropna().unique()
    readings = notes["kana_key"].dropna().unique()
    solid = firm & (records["name_key"].isin(names) | records["kana_key"].isin(readings)).to_numpy(
        dtype=bool
    )
    known = records.loc[solid, ["name_key", "kana_key", "phone", *NOTE_PLACES, "dob_y", "sex"]]
    known = known.assign(other=np.flatnonzero(solid))
    notes = notes.assign(level=address_level(records.loc[is_note]).to_numpy())
    notes["place"] = pd.Series(pd.NA, index=notes.index, dtype="string")
    for column in NOTE_PLACES:
        at_level = (notes["level"] == column).to_numpy()
        notes.loc[at_level, "place"] = notes.loc[at_level, column]
    found = []
    for name in ("name_key", "kana_key"):
        for column in NOTE_PLACES:
            at = notes[(notes["level"] == column)].dropna(subset=[name])
            found.append(
                at.merge(
                    known.dropna(subset=[name, column]),
                    left_on=[name, "place"],
                    right_on=[name, column],
                    suffixes=("", "_o"),
                )[["note", "other", "dob_lo", "dob_hi", "sex", "dob_y", "sex_o"]]
            )
        found.append(
            notes.dropna(subset=[name, "phone"]).merge(
                known.dropna(subset=[name, "phone"]), on=[name, "phone"], suffixes=("", "_o")
            )[["note", "other", "dob_lo", "dob_hi", "sex", "dob_y", "sex_o"]]
        )
    pairs = pd.concat(found, ignore_index=True).drop_duplicates(["note", "other"])
    if pairs.empty:
        return empty, empty
    # Everyone of that name at the place or on the phone counts, whether or
    # not the age fits: a namesake the estimate misjudged is still a namesake.
    pairs = pairs.assign(
        cluster=person[pairs["note"].to_numpy()], named=person[pairs["other"].to_numpy()]
    )
    has_solid = np.zeros(int(person.max()) + 1, dtype=bool)
    has_solid[person[firm]] = True
    pairs = pairs[~has_solid[pairs["cluster"].to_numpy()]]
    named = pairs.groupby("cluster")["named"].nunique()
    pairs = pairs[pairs["cluster"].isin(named.index[named == 1])]
    if pairs.empty:
        return empty, empty
    year = pd.to_numeric(pairs["dob_y"], errors="coerce")
    lo = pd.to_numeric(pairs["dob_lo"], errors="coerce")
    hi = pd.to_numeric(pairs["dob_hi"], errors="coerce")
    outside = ((year < lo) | (year > hi)).fillna(False)
    other_sex = pairs["sex"].notna() & pairs["sex_o"].notna() & (pairs["sex"] != pairs["sex_o"])
    a = pairs["note"].to_numpy(dtype=np.int64)
    b = pairs["other"].to_numpy(dtype=np.int64)
    misfit = (outside | other_sex.fillna(False)).to_numpy(dtype=bool)
    misfit |= model.identity_conflicts(records, a, b)
    fit = pairs.assign(misfit=misfit)
    # Every record of the note's cluster must be a note that fits her, with
    # no record of it against her: notes linked to each other come along.
    size = np.bincount(person, minlength=int(person.max()) + 1)
    notes_fit = fit.groupby("cluster").agg(notes=("note", "nunique"), misfit=("misfit", "any"))
    whole = notes_fit.index[
        (notes_fit["notes"].to_numpy() == size[notes_fit.index.to_numpy()])
        & ~notes_fit["misfit"].to_numpy()
    ]
    fit = fit[fit["cluster"].isin(whole)].drop_duplicates("cluster")
    return fit["note"].to_numpy(dtype=np.int64), fit["other"].to_numpy(dtype=np.int64)


def _number_classes(
    records: pd.DataFrame,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    has_number: np.ndarray[Any, np.dtype[np.bool_]],
    source_code: np.ndarray[Any, Any],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Resident-number codes, two numbers of one source made one where linked.

    A direct link between two records of one source under two numbers (the
    model weighed the two numbers against name, reading and birth date) says
    both numbers are one person's; clustering may then join them.
    """
    number_code: np.ndarray[Any, np.dtype[np.int64]] = pd.factorize(records["resident_id"])[
        0
    ].astype(np.int64)
    twice = has_number[left] & has_number[right] & (source_code[left] == source_code[right])
    twice &= number_code[left] != number_code[right]
    if not twice.any():
        return number_code
    n_codes = int(number_code.max()) + 1
    classes = components(n_codes, number_code[left[twice]], number_code[right[twice]])
    result: np.ndarray[Any, np.dtype[np.int64]] = np.where(
        number_code >= 0, classes[np.maximum(number_code, 0)], -1
    ).astype(np.int64)
    return result


def _write_warnings(path: Path, warnings: list[ValueWarning]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "record_id", "column", "problem"])
        for w in warnings:
            writer.writerow([w.source, w.record_id, w.column, w.problem])


def link_directory(
    input_dir: Path, out_dir: Path, options: LinkOptions | None = None, progress: Progress = _noop
) -> LinkSummary:
    """Link every extract of ``input_dir`` and write the contract's output files.

    Writes clusters.csv, households.csv, warnings.csv, review.csv,
    model.json and records.parquet into ``out_dir`` (created if needed).

    Args:
        input_dir: directory of ``*.csv`` extracts (contracts/linkage.md).
        out_dir: output directory.
        options: run options; defaults when None.
        progress: called with a stage name and the fraction done.

    Returns:
        Counts and timing for the summary.

    Raises:
        InputError: a file (or the decisions file) cannot be used, naming
            file and row.

    Example:
        >>> link_directory(Path("extracts"), Path("out")).people  # doctest: +SKIP
        41210
    """
    import json

    options = options or LinkOptions()
    started = time.perf_counter()
    decided = review.read_decisions(options.decisions) if options.decisions else []
    records, warnings, _ = load_records(
        input_dir, progress, workers=options.workers, as_of=options.as_of
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    decisions = review.resolve(records, decided)
    empty = np.zeros(0, dtype=np.int64)
    if len(records) > 1:
        matched = match_people(records, options, progress, decisions)
        person, trained, band = matched.person, matched.trained, matched.band
    else:
        person, trained = np.arange(len(records), dtype=np.int64), {}
        band = (empty, empty, np.zeros(0))
    records["person"] = person

    progress("finding households", 0.85)
    people = person_table(records, options.as_of or date.today())
    household = infer_households(people)
    width = max(6, len(str(len(people))))
    person_ids = np.array([f"P{i:0{width}d}" for i in range(len(people))], dtype=object)
    household_ids = np.array([f"H{h:0{width}d}" for h in household.tolist()], dtype=object)

    progress("writing results", 0.95)
    records["person_id"] = person_ids[person] if len(records) else []
    records["household_id"] = household_ids[person] if len(records) else []
    records[["source", "record_id", "person_id"]].to_csv(out_dir / CLUSTERS_FILE, index=False)
    pd.DataFrame({"person_id": person_ids, "household_id": household_ids}).to_csv(
        out_dir / HOUSEHOLDS_FILE, index=False
    )
    _write_warnings(out_dir / WARNINGS_FILE, warnings)
    pairs = review.review_pairs(
        records,
        *band,
        person=person,
        person_ids=person_ids,
        decided={review.pair_key(*d[:4]) for d in decided},
        threshold=options.threshold,
    )
    pairs.to_csv(out_dir / REVIEW_FILE, index=False)
    (out_dir / MODEL_FILE).write_text(
        json.dumps(trained, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    records.drop(columns=["uid", "person"]).to_parquet(out_dir / RECORDS_FILE, index=False)
    progress("done", 1.0)
    return LinkSummary(
        records=len(records),
        sources=records["source"].value_counts(sort=False).astype(int).to_dict(),
        warnings=len(warnings),
        people=len(people),
        households=len(set(household.tolist())),
        seconds=time.perf_counter() - started,
        review_pairs=len(pairs),
        decisions_applied=decisions.count,
        decisions_unknown=decisions.unknown,
    )
