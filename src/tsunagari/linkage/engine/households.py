"""Household inference from every source, not the registry's number alone.

Rules, in order (documented in docs/linkage.md):

1. A person's residence is, among the addresses their records give, one
   where other people live (a parent registered alone at an old address but
   cared for at the family's home lives there), then the one most records
   give, then the registry's.
2. People whose record is at their residence and carries the same
   household number (世帯番号: any source with a household_id column, the
   registry in practice) live together.
3. People at the same residence (down to 号 and room) with the same surname
   live together.
4. People outside the registry (or registered elsewhere) at a residence
   with nobody of their surname join the household already there.
5. Elderly parents registered as their own household at their family's
   address (世帯分離) join that family: one or two people aged 65+, a
   generation older than the family, whose family lists no parent already.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tsunagari.linkage.engine.graph import components, edges_within_groups

#: Tie-break order for a person's residence when sources disagree.
RESIDENCE_PRIORITY = ("registry", "care", "disability", "child", "poverty", "csw")
#: Age from which a separately registered household at the family's address
#: counts as 世帯分離 of elderly parents.
ELDERLY_AGE = 65
#: The 続柄 column (relation to the head) of a source with household numbers,
#: kept as a source attribute.
RELATION_COLUMN = "attr.relation"
#: A separately registered elderly household joins the family at its address
#: only if its oldest member is at least this many years older than the
#: family's oldest (a parent generation), and the family lists no parent.
PARENT_GAP_YEARS = 15

IntArray = np.ndarray[Any, np.dtype[np.int64]]
#: Whether an address that stops short of a dwelling (a town, 丁目 or 番
#: alone) yields to one that reaches it as a residence (switched off only to
#: measure the rule).
DWELLING_RULE = True


def address_level(records: pd.DataFrame) -> pd.Series:
    """The finest level each record's address gives: 号, 番, 丁目, or none.

    ``addr_go`` is the address key down to the 番 when there is no 号 (白河4-15
    is 白河 4丁目 15番), and ``addr_chome`` is the town itself where a town has
    no 丁目 (石島): a town alone places nobody.

    Returns:
        Per record ``"addr_go"``, ``"addr_banchi"``, ``"addr_chome"`` or NA.
    """

    def strings(column: str) -> pa.Array:
        values = pa.array(records[column].array, from_pandas=True)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        return values if values.type == pa.string() else values.cast(pa.string())

    town, chome, banchi, go = (
        strings(c) for c in ("addr_town", "addr_chome", "addr_banchi", "addr_go")
    )
    no_chome = pc.fill_null(pc.equal(chome, town), False)
    # addr_banchi is "丁目|番" (or "town|番"); addr_go spelled down to the 番.
    banchi_key = pc.if_else(
        no_chome, pc.replace_substring(banchi, "|", ""), pc.replace_substring(banchi, "|", "-")
    )
    is_go = pc.and_(pc.is_valid(go), pc.fill_null(pc.not_equal(go, banchi_key), True))
    is_chome = pc.and_(pc.is_valid(chome), pc.invert(no_chome))

    def flags(array: pa.Array) -> np.ndarray[Any, np.dtype[np.bool_]]:
        result: np.ndarray[Any, np.dtype[np.bool_]] = pc.fill_null(array, False).to_numpy(
            zero_copy_only=False
        )
        return result

    level = np.full(len(records), None, dtype=object)
    level[flags(is_chome)] = "addr_chome"
    level[flags(pc.is_valid(banchi))] = "addr_banchi"
    level[flags(is_go)] = "addr_go"
    return pd.Series(level, index=records.index, dtype=object)


def _age(dob: pd.Series, as_of: date) -> pd.Series:
    years = pd.to_numeric(dob.str.slice(0, 4), errors="coerce")
    month_day = pd.to_numeric(dob.str.slice(5, 7) + dob.str.slice(8, 10), errors="coerce")
    before_birthday = month_day > as_of.month * 100 + as_of.day
    return as_of.year - years - before_birthday.astype("float")


def _arrow(values: pd.Series) -> pa.Array:
    array = pa.array(values.array, type=pa.string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


class _Dictionary:
    """Integer codes for string columns, ordered like the strings; -1 is null.

    Grouping and sorting a million strings costs seconds in pandas; their
    codes cost milliseconds. Because the codes sort like the strings, every
    sort and tie-break gives the order the strings would.
    """

    def __init__(self, *columns: pd.Series) -> None:
        arrays = [_arrow(c) for c in columns]
        encoded = pc.dictionary_encode(
            pa.concat_arrays(arrays) if arrays else pa.array([], pa.string())
        )
        order = pc.sort_indices(encoded.dictionary).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        self.values = encoded.dictionary.take(pa.array(order))
        indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        codes = np.where(indices >= 0, rank[np.maximum(indices, 0)], -1).astype(np.int64)
        bounds = np.cumsum([0] + [len(a) for a in arrays])
        self.codes = [codes[bounds[i] : bounds[i + 1]] for i in range(len(arrays))]

    def strings(self, codes: IntArray) -> pd.Series:
        """The strings of ``codes`` (null where -1) as a string column."""
        picked = pa.array(codes, type=pa.int64(), mask=codes < 0)
        return pd.Series(pd.arrays.ArrowStringArray(self.values.take(picked)))


def _first_per_group(keys: IntArray, *order: IntArray) -> IntArray:
    """Positions of the first row of each key after a stable sort on (keys, order...)."""
    sort = np.lexsort((np.arange(len(keys)), *reversed(order), keys))
    ordered = keys[sort]
    first = np.ones(len(sort), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    result: IntArray = sort[first]
    return result


def _source_rank(source: pd.Series) -> IntArray:
    rank = {s: i for i, s in enumerate(RESIDENCE_PRIORITY)}
    codes, names = pd.factorize(source)
    table = np.array([rank.get(str(n), len(rank)) for n in names] + [len(rank)], dtype=np.int64)
    result: IntArray = table[codes]
    return result


def _first_of_runs(keys: IntArray) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where a sorted array starts a new run of equal keys."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _distinct(values: IntArray) -> IntArray:
    """The distinct values, sorted (a sort is faster here than np.unique's hashing)."""
    ordered = np.sort(values)
    result: IntArray = ordered[_first_of_runs(ordered)]
    return result


def _residence(
    person: IntArray,
    source_rank: IntArray,
    key: IntArray,
    go: IntArray,
    numbered: np.ndarray[Any, Any],
    dwelling: np.ndarray[Any, Any] | None = None,
) -> tuple[IntArray, IntArray]:
    """Pick each person's residence among the addresses their records give.

    Addresses are compared down to 号 (a record without the room number
    agrees with one that has it) and the most specific spelling is kept. An
    address where other people live beats one where nobody else does: a
    parent registered alone at an old address but cared for at the family's
    home lives at the family's home. Then more records win, then the source
    order of :data:`RESIDENCE_PRIORITY`, then the address that sorts first.
    An address that stops short of a dwelling (a town, 丁目 or 番 alone
    without a room, as a note writes 木場2) comes after every address that
    reaches one, and nobody lives there with others: a 世帯 is the people of
    one dwelling (住民基本台帳法 art. 6 keeps the registry by 世帯), and a
    丁目 holds thousands.

    Args:
        person: per record, its person.
        source_rank: per record, its source's place in RESIDENCE_PRIORITY.
        key: per record, the code of its address with room (-1: none).
        go: per record, the code of its address down to 号 (-1: none).
        numbered: per record, whether it carries a household number.
        dwelling: per record, whether its address reaches a dwelling (a 号);
            None: every address does.

    Returns:
        (persons, their residence's address code), one entry per person
        with an address.
    """
    has = key >= 0
    if dwelling is None or not DWELLING_RULE:
        dwelling = np.ones(len(key), dtype=bool)
    person, key, go, dwelling = person[has], key[has], go[has], dwelling[has]
    if not len(person):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # A source that keeps household numbers is the resident registry, whatever
    # its file is called: it comes first among equals.
    rank = np.where(numbered[has], 0, source_rank[has] + 1)
    place = np.where(go >= 0, go, key)
    n_people = int(person.max()) + 1
    n_codes = int(max(key.max(), place.max())) + 1
    # How many people give each address (with room) and each place (to 号).
    at_key = np.bincount(_distinct(key * n_people + person) // n_people, minlength=n_codes)
    at_place = np.bincount(_distinct(place * n_people + person) // n_people, minlength=n_codes)
    # Per person and place: its votes, its best source, and its spelling (the
    # one with a room, then the one most records give, then the first).
    pair = person * n_codes + place
    spellings, counts = np.unique(pair * n_codes + key, return_counts=True)
    spelled_pair, spelled = spellings // n_codes, spellings % n_codes
    with_room = spelled != spelled_pair % n_codes
    order = np.lexsort((spelled, -counts, ~with_room, spelled_pair))
    order = order[_first_of_runs(spelled_pair[order])]
    pairs, full = spelled_pair[order], spelled[order]
    by_pair = np.argsort(pair, kind="stable")
    starts = np.flatnonzero(_first_of_runs(pair[by_pair]))
    votes = np.diff(np.append(starts, len(pair)))
    best_rank = np.minimum.reduceat(rank[by_pair], starts)
    home = np.maximum.reduceat(dwelling[by_pair], starts)
    cand_person, cand_place = pairs // n_codes, pairs % n_codes
    occupancy = np.where(full != cand_place, at_key[full], at_place[cand_place])
    others = (occupancy > 1) & home
    order = np.lexsort((cand_place, best_rank, -votes, ~others, ~home, cand_person))
    order = order[_first_of_runs(cand_person[order])]
    return cand_person[order], full[order]


def person_table(records: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per person: residence, surname, birth date, registry household.

    Args:
        records: normalised records with a ``person`` column (int, 0..n-1).
        as_of: date used for ages.

    Returns:
        A frame indexed by person with ``residence``, ``surname``, ``dob``,
        ``age`` and ``registry_household`` (null when the registry's address
        is not where the person lives).

    Example:
        >>> person_table(records, date(2026, 4, 1)).loc[0, "residence"]  # doctest: +SKIP
        '東砂|2|5-3#201'
    """
    n_people = int(records["person"].max()) + 1 if len(records) else 0
    people = pd.DataFrame(index=pd.RangeIndex(n_people, name="person"))
    person = records["person"].to_numpy(dtype=np.int64)
    source_rank = _source_rank(records["source"])
    numbered = records["household_ref"].notna().to_numpy()
    addresses = _Dictionary(records["addr_key"], records["addr_go"])
    key, go = addresses.codes
    dwelling = None
    if {"addr_town", "addr_chome", "addr_banchi"} <= set(records.columns):
        # A 号, or a room (青海1-11#1612: a building known by its 番).
        dwelling = (address_level(records) == "addr_go").fillna(False).to_numpy(dtype=bool)
        if "addr_room" in records.columns:
            dwelling = dwelling | records["addr_room"].notna().to_numpy(dtype=bool)
    who, where = _residence(person, source_rank, key, go, numbered, dwelling)
    residence = np.full(n_people, -1, dtype=np.int64)
    residence[who] = where
    known = residence >= 0
    column = np.full(n_people, np.nan, dtype=object)
    column[known] = np.asarray(addresses.strings(residence[known]), dtype=object)
    people["residence"] = column

    def mode(values: _Dictionary) -> IntArray:
        """Per person, the code of the value most of their records give."""
        code = values.codes[0]
        has = code >= 0
        n_values = len(values.values)
        chosen = np.full(n_people, -1, dtype=np.int64)
        if not has.any():
            return chosen
        pairs, counts = np.unique(person[has] * n_values + code[has], return_counts=True)
        who, value = pairs // n_values, pairs % n_values
        order = np.lexsort((value, -counts, who))
        order = order[_first_of_runs(who[order])]
        chosen[who[order]] = value[order]
        return chosen

    surnames = _Dictionary(records["sur_kanji"])
    people["surname"] = surnames.strings(mode(surnames)).set_axis(people.index)
    dates = _Dictionary(records["dob"])
    dob = mode(dates)
    people["dob"] = dates.strings(dob).set_axis(people.index)
    # Ages of the distinct dates, then per person.
    ages = _age(dates.strings(np.arange(len(dates.values), dtype=np.int64)), as_of)
    age = np.append(ages.to_numpy(dtype=float), np.nan)
    people["age"] = pd.array(age[np.where(dob >= 0, dob, len(age) - 1)], dtype="Float64")

    # Household numbers come from whichever source has them (the registry's
    # 世帯番号 in practice), preferring sources in RESIDENCE_PRIORITY order.
    rows = np.flatnonzero(numbered & (key == residence[person]) & (key >= 0))
    first = rows[_first_per_group(person[rows], source_rank[rows])]
    household = np.full(n_people, -1, dtype=np.int64)
    household[person[first]] = first
    registry = records["household_ref"].take(np.maximum(household, 0)).where(household >= 0, None)
    people["registry_household"] = registry.astype("string").set_axis(people.index)
    # 続柄 where the registry gives it (an extra column, so maybe absent).
    if RELATION_COLUMN in records.columns:
        relation = records[RELATION_COLUMN]
        rows = np.flatnonzero(numbered & relation.notna().to_numpy())
        _, first_of = np.unique(person[rows], return_index=True)
        picked = np.full(n_people, -1, dtype=np.int64)
        picked[person[rows[first_of]]] = rows[first_of]
        people["relation"] = (
            relation.take(np.maximum(picked, 0)).where(picked >= 0, None).astype("string")
        ).set_axis(people.index)
    else:
        people["relation"] = pd.Series(pd.NA, index=people.index, dtype="string")
    return people


def _codes(values: pd.Series) -> IntArray:
    """Integer codes of a column (equal values, equal codes); -1 for null."""
    codes: IntArray = pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64)
    return codes


def infer_households(people: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Label each person with a household number.

    Args:
        people: the output of :func:`person_table`.

    Returns:
        Household labels, one per person, numbered from 0.

    Example:
        >>> infer_households(person_table(records, date(2026, 4, 1)))  # doctest: +SKIP
        array([0, 0, 1, ...])
    """
    n = len(people)
    residence = _codes(people["residence"])
    surname = _codes(people["surname"])
    household = _codes(people["registry_household"])
    has_registry = household >= 0
    lefts: list[IntArray] = []
    rights: list[IntArray] = []

    def add(pair: tuple[IntArray, IntArray]) -> None:
        lefts.append(pair[0])
        rights.append(pair[1])

    def keys(codes: IntArray) -> np.ndarray[Any, Any]:
        return np.where(codes >= 0, codes.astype(float), np.nan)

    # Rule 2: the registry's household number, where the registry is right.
    add(edges_within_groups(keys(household)))
    # Rule 3: same residence and surname.
    same_name = np.where(
        (residence >= 0) & (surname >= 0),
        residence * (int(surname.max(initial=0)) + 1) + surname,
        -1,
    )
    add(edges_within_groups(keys(same_name)))

    # Rule 5 needs, per registry household: all elderly? size, oldest birth
    # year, and whether it already lists a parent (父/母) of its head.
    birth_year = pd.to_numeric(people["dob"].astype("string").str.slice(0, 4), errors="coerce")
    has_parent = people["relation"].astype("string").str.contains("父|母", regex=True, na=False)
    units = (
        pd.DataFrame(
            {
                "household": household,
                "old": (people["age"] >= ELDERLY_AGE).to_numpy(),
                "year": birth_year.to_numpy(dtype=float),
                "parent": has_parent.to_numpy(dtype=bool),
            }
        )
        .loc[has_registry]
        .groupby("household")
        .agg(
            all_old=("old", "all"),
            size=("old", "size"),
            oldest=("year", "min"),
            parent=("parent", "any"),
        )
    )
    n_units = int(household.max(initial=-1)) + 1

    def per_unit(column: str, fill: Any, dtype: Any) -> np.ndarray[Any, Any]:
        table = np.full(n_units + 1, fill, dtype=dtype)
        table[units.index.to_numpy()] = units[column].to_numpy(dtype=dtype)
        return table[np.where(has_registry, household, n_units)]

    elderly_unit = per_unit("all_old", False, bool)
    unit_size = per_unit("size", 0, float)
    unit_oldest = per_unit("oldest", np.nan, float)
    unit_parent = per_unit("parent", False, bool)

    # Anchor of each residence: its first person in a registry household that
    # is not all elderly, else in any registry household, else its first person.
    main = has_registry & ~elderly_unit
    pos = np.flatnonzero(residence >= 0)
    first = pos[
        _first_per_group(
            residence[pos], (~main[pos]).astype(np.int64), (~has_registry[pos]).astype(np.int64)
        )
    ]
    anchor_of = np.full(int(residence.max(initial=-1)) + 1, -1, dtype=np.int64)
    anchor_of[residence[first]] = first
    anchor_pos = anchor_of[residence[pos]]

    # Rule 4: alone with their surname at the residence.
    named = same_name >= 0
    name_count = np.zeros(n, dtype=np.int64)
    if named.any():
        _, inverse, counts = np.unique(same_name[named], return_inverse=True, return_counts=True)
        name_count[named] = counts[inverse]
    alone = ((name_count == 1) | (surname < 0)) & ~has_registry
    # Rule 5: elderly parents registered as a household of their own (世帯分離)
    # join the family household at the same residence.
    gap = unit_oldest[anchor_pos] - unit_oldest[pos]
    parents = (
        elderly_unit[pos]
        & (unit_size[pos] <= 2)
        & main[anchor_pos]
        & ~unit_parent[anchor_pos]
        & (np.nan_to_num(gap, nan=0.0) >= PARENT_GAP_YEARS)
    )
    join = (alone[pos] | parents) & (anchor_pos != pos)
    lefts.append(anchor_pos[join])
    rights.append(pos[join])

    return components(n, np.concatenate(lefts), np.concatenate(rights))
