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


def _age(dob: pd.Series, as_of: date) -> pd.Series:
    years = pd.to_numeric(dob.str.slice(0, 4), errors="coerce")
    month_day = pd.to_numeric(dob.str.slice(5, 7) + dob.str.slice(8, 10), errors="coerce")
    before_birthday = month_day > as_of.month * 100 + as_of.day
    return as_of.year - years - before_birthday.astype("float")


def _residence(records: pd.DataFrame) -> pd.Series:
    """Pick each person's residence among the addresses their records give.

    Addresses are compared down to 号 (a record without the room number
    agrees with one that has it) and the most specific spelling is kept. An
    address where other people live beats one where nobody else does: a
    parent registered alone at an old address but cared for at the family's
    home lives at the family's home. Then more records win, then the source
    order of :data:`RESIDENCE_PRIORITY`.
    """
    rank = {s: i for i, s in enumerate(RESIDENCE_PRIORITY)}
    rec = records.loc[
        records["addr_key"].notna(), ["person", "source", "addr_key", "addr_go", "household_ref"]
    ]
    # A source that keeps household numbers is the resident registry, whatever
    # its file is called: it comes first among equals.
    rank_by_source = rec["source"].map(rank).fillna(len(rank)).astype(int) + 1
    rec = rec.assign(
        place=rec["addr_go"].fillna(rec["addr_key"]),
        has_room=rec["addr_key"] != rec["addr_go"].fillna(rec["addr_key"]),
        rank=rank_by_source.where(rec["household_ref"].isna(), 0),
    )
    persons_at_key = rec.groupby("addr_key", observed=True)["person"].nunique()
    persons_at_place = rec.groupby("place", observed=True)["person"].nunique()
    spelled = (
        rec.groupby(["person", "place", "addr_key"], observed=True)
        .agg(n=("source", "size"), has_room=("has_room", "first"))
        .reset_index()
        .sort_values(["person", "place", "has_room", "n"], ascending=[True, True, False, False])
        .drop_duplicates(["person", "place"])
        .set_index(["person", "place"])["addr_key"]
    )
    cand = (
        rec.groupby(["person", "place"], observed=True)
        .agg(votes=("source", "size"), rank=("rank", "min"))
        .reset_index()
    )
    cand["full"] = spelled.reindex(pd.MultiIndex.from_frame(cand[["person", "place"]])).to_numpy()
    full_has_room = cand["full"] != cand["place"]
    occupancy = np.where(
        full_has_room,
        cand["full"].map(persons_at_key).to_numpy(dtype=float),
        cand["place"].map(persons_at_place).to_numpy(dtype=float),
    )
    cand["others"] = occupancy > 1
    best = cand.sort_values(
        ["person", "others", "votes", "rank"], ascending=[True, False, False, True]
    ).drop_duplicates("person")
    return best.set_index("person")["full"]


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
    people["residence"] = _residence(records)

    def mode(column: str) -> pd.Series:
        values = records.loc[records[column].notna(), ["person", column]]
        counts = values.groupby(["person", column], observed=True).size().reset_index(name="n")
        best = counts.sort_values(["person", "n"], ascending=[True, False]).drop_duplicates(
            "person"
        )
        return best.set_index("person")[column]

    people["surname"] = mode("sur_kanji")
    people["dob"] = mode("dob")
    people["age"] = _age(people["dob"].astype("string"), as_of)

    # Household numbers come from whichever source has them (the registry's
    # 世帯番号 in practice), preferring sources in RESIDENCE_PRIORITY order.
    rank = {s: i for i, s in enumerate(RESIDENCE_PRIORITY)}
    numbered = records.loc[
        records["household_ref"].notna(), ["person", "source", "addr_key", "household_ref"]
    ]
    numbered = numbered.assign(rank=numbered["source"].map(rank).fillna(len(rank)))
    at_home = numbered.merge(people[["residence"]].reset_index(), on="person", how="inner")
    at_home = at_home.loc[at_home["addr_key"] == at_home["residence"]].sort_values(
        ["person", "rank"]
    )
    people["registry_household"] = at_home.drop_duplicates("person").set_index("person")[
        "household_ref"
    ]
    # 続柄 where the registry gives it (an extra column, so maybe absent).
    if RELATION_COLUMN in records.columns:
        relation = records.loc[
            records["household_ref"].notna() & records[RELATION_COLUMN].notna(),
            ["person", RELATION_COLUMN],
        ]
        people["relation"] = relation.drop_duplicates("person").set_index("person")[RELATION_COLUMN]
    else:
        people["relation"] = pd.Series(pd.NA, index=people.index, dtype="string")
    return people


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
    residence = people["residence"].astype(object).to_numpy()
    lefts: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    rights: list[np.ndarray[Any, np.dtype[np.int64]]] = []

    def add(pair: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]) -> None:
        lefts.append(pair[0])
        rights.append(pair[1])

    # Rule 2: the registry's household number, where the registry is right.
    add(edges_within_groups(people["registry_household"].astype(object).to_numpy()))
    # Rule 3: same residence and surname.
    same_name = (people["residence"] + "\t" + people["surname"]).astype(object).to_numpy()
    add(edges_within_groups(same_name))

    # Rule 5 needs, per registry household: all elderly? size, oldest birth
    # year, and whether it already lists a parent (父/母) of its head.
    household = people["registry_household"]
    birth_year = pd.to_numeric(people["dob"].astype("string").str.slice(0, 4), errors="coerce")
    has_parent = people["relation"].astype("string").str.contains("父|母", regex=True, na=False)
    units = (
        people.assign(old=people["age"] >= ELDERLY_AGE, year=birth_year, parent=has_parent)
        .groupby("registry_household", observed=True)
        .agg(
            all_old=("old", "all"),
            size=("old", "size"),
            oldest=("year", "min"),
            parent=("parent", "any"),
        )
    )
    elderly_unit = household.map(units["all_old"]).fillna(False).astype(bool).to_numpy()
    unit_size = household.map(units["size"]).fillna(0).to_numpy()
    unit_oldest = household.map(units["oldest"]).to_numpy(dtype=float)
    unit_parent = household.map(units["parent"]).fillna(False).astype(bool).to_numpy()

    # Anchor of each residence: its first person in a registry household that
    # is not all elderly, else in any registry household, else its first person.
    frame = pd.DataFrame(
        {
            "residence": residence,
            "pos": np.arange(n),
            "has_registry": people["registry_household"].notna().to_numpy(),
            "main": people["registry_household"].notna().to_numpy() & ~elderly_unit,
        }
    ).dropna(subset=["residence"])
    anchor = (
        frame.sort_values(["main", "has_registry", "pos"], ascending=[False, False, True])
        .drop_duplicates("residence")
        .set_index("residence")["pos"]
    )
    frame["anchor"] = frame["residence"].map(anchor)

    # Rule 4: alone with their surname at the residence.
    name_count = pd.Series(same_name).map(pd.Series(same_name).value_counts())
    alone = ((name_count.to_numpy() == 1) | pd.isna(people["surname"]).to_numpy()) & people[
        "registry_household"
    ].isna().to_numpy()
    # Rule 5: elderly parents registered as a household of their own (世帯分離)
    # join the family household at the same residence.
    pos = frame["pos"].to_numpy()
    anchor_pos = frame["anchor"].to_numpy(dtype=np.int64)
    anchor_is_main = frame["main"].to_numpy()[
        pd.Series(np.arange(len(frame)), index=frame["pos"]).reindex(anchor_pos).to_numpy()
    ]
    gap = unit_oldest[anchor_pos] - unit_oldest[pos]
    parents = (
        elderly_unit[pos]
        & (unit_size[pos] <= 2)
        & anchor_is_main
        & ~unit_parent[anchor_pos]
        & (np.nan_to_num(gap, nan=0.0) >= PARENT_GAP_YEARS)
    )
    joins = frame.loc[alone[pos] | parents]
    joins = joins.loc[joins["anchor"] != joins["pos"]]
    lefts.append(joins["anchor"].to_numpy(dtype=np.int64))
    rights.append(joins["pos"].to_numpy(dtype=np.int64))

    return components(n, np.concatenate(lefts), np.concatenate(rights))
