"""Finding households with complex-need patterns in a link run's output.

The patterns are data (``linkage/rules/patterns.yaml``); this module only
evaluates them. Each hit carries its evidence: which members fill which role,
their ages and the sources and attribute values that made them qualify.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from tsunagari.linkage.engine.households import _age
from tsunagari.linkage.engine.pipeline import ATTRIBUTE_PREFIX, RECORDS_FILE

#: The rules shipped with Tsunagari.
DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules" / "patterns.yaml"
CANDIDATES_FILE = "candidates.csv"
CANDIDATE_COLUMNS = (
    "household_id",
    "pattern",
    "pattern_ja",
    "members",
    "sources",
    "reason",
    "evidence",
)
_CONDITION_KEYS = {"age", "any_source", "no_source", "attributes", "attributes_contain", "any_of"}

Condition = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One complex-need pattern read from the rules file."""

    code: str
    name_ja: str
    meaning: str
    roles: dict[str, Condition]
    size: tuple[int | None, int | None]
    absent: Condition | None
    require_any_member: Condition | None


class RulesError(ValueError):
    """The rules file is not usable; the message names the pattern and key."""


def _check_condition(where: str, condition: Any) -> Condition:
    if not isinstance(condition, dict):
        raise RulesError(f"{where}: a condition must be a mapping")
    unknown = set(condition) - _CONDITION_KEYS
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for item in condition.get("any_of", []):
        _check_condition(f"{where}.any_of", item)
    return condition


def load_rules(path: Path = DEFAULT_RULES) -> list[Pattern]:
    """Read and check the pattern rules.

    Args:
        path: a YAML rules file (default: the shipped ``patterns.yaml``).

    Returns:
        The patterns in file order.

    Raises:
        RulesError: an unknown key or a malformed pattern, named.

    Example:
        >>> [p.code for p in load_rules()][:2]
        ['8050', 'double_care']
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise RulesError(f"{path.name}: expected a 'patterns:' list")
    patterns: list[Pattern] = []
    for raw in data["patterns"]:
        code = str(raw.get("code", ""))
        if not code or not raw.get("roles"):
            raise RulesError(f"{path.name}: every pattern needs a code and roles")
        size = raw.get("size") or [None, None]
        patterns.append(
            Pattern(
                code=code,
                name_ja=str(raw.get("name_ja", code)),
                meaning=str(raw.get("meaning", "")),
                roles={
                    str(role): _check_condition(f"{code}.roles.{role}", cond)
                    for role, cond in raw["roles"].items()
                },
                size=(size[0], size[1]),
                absent=_check_condition(f"{code}.absent", raw["absent"])
                if raw.get("absent")
                else None,
                require_any_member=_check_condition(
                    f"{code}.require_any_member", raw["require_any_member"]
                )
                if raw.get("require_any_member")
                else None,
            )
        )
    return patterns


class _People:
    """Per-person facts the conditions look at, computed once."""

    def __init__(self, records: pd.DataFrame, as_of: date) -> None:
        self.records = records
        codes, self.person_ids = pd.factorize(records["person_id"])
        self.record_person = codes
        self.n = len(self.person_ids)
        # The birth date most of the person's records give.
        dob = (
            records.loc[records["dob"].notna()]
            .groupby(["person_id", "dob"], observed=True)
            .size()
            .reset_index(name="n")
            .sort_values(["person_id", "n"], ascending=[True, False])
            .drop_duplicates("person_id")
            .set_index("person_id")["dob"]
        )
        dob_by_person = pd.Series(self.person_ids).map(dob).astype("string")
        self.age = _age(dob_by_person, as_of).to_numpy()
        self.dob = dob_by_person.to_numpy()
        household = records.drop_duplicates("person_id").set_index("person_id")["household_id"]
        self.household = pd.Series(self.person_ids).map(household).to_numpy()
        self.sources: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = {}
        self._records_of = _groups(codes, self.n)

    def _any_record(self, mask: np.ndarray[Any, np.dtype[np.bool_]]) -> np.ndarray[Any, Any]:
        out = np.zeros(self.n, dtype=bool)
        out[self.record_person[mask]] = True
        return out

    def has_source(self, source: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
        if source not in self.sources:
            self.sources[source] = self._any_record((self.records["source"] == source).to_numpy())
        return self.sources[source]

    def evaluate(self, condition: Condition) -> np.ndarray[Any, np.dtype[np.bool_]]:
        mask = np.ones(self.n, dtype=bool)
        if "age" in condition:
            low, high = condition["age"]
            with np.errstate(invalid="ignore"):
                if low is not None:
                    mask &= np.nan_to_num(self.age, nan=-1) >= low
                if high is not None:
                    mask &= np.nan_to_num(self.age, nan=10_000) <= high
        if "any_source" in condition:
            any_of = np.zeros(self.n, dtype=bool)
            for source in condition["any_source"]:
                any_of |= self.has_source(str(source))
            mask &= any_of
        for source in condition.get("no_source", []):
            mask &= ~self.has_source(str(source))
        for column, values in (condition.get("attributes") or {}).items():
            name = ATTRIBUTE_PREFIX + str(column)
            if name not in self.records.columns:
                mask &= False
                continue
            col = self.records[name]
            wanted = [str(v) for v in values]
            hit = col.notna() if "*" in wanted else col.isin(wanted)
            mask &= self._any_record(hit.fillna(False).to_numpy(dtype=bool))
        for column, texts in (condition.get("attributes_contain") or {}).items():
            name = ATTRIBUTE_PREFIX + str(column)
            if name not in self.records.columns:
                mask &= False
                continue
            pattern = "|".join(re.escape(str(t)) for t in texts)
            hit = self.records[name].str.contains(pattern, regex=True, na=False)
            mask &= self._any_record(hit.to_numpy(dtype=bool))
        if "any_of" in condition:
            any_of = np.zeros(self.n, dtype=bool)
            for sub in condition["any_of"]:
                any_of |= self.evaluate(sub)
            mask &= any_of
        return mask

    def facts(self, persons: list[int]) -> dict[int, dict[str, Any]]:
        """Evidence for the given people in one pass over their records."""
        wanted = np.zeros(self.n, dtype=bool)
        wanted[persons] = True
        rows = self.records.loc[wanted[self.record_person]]
        owner = self.record_person[wanted[self.record_person]].tolist()
        attributes = [c for c in rows.columns if c.startswith(ATTRIBUTE_PREFIX)]
        values = {c: rows[c].to_numpy(dtype=object, na_value=None).tolist() for c in attributes}
        sources = rows["source"].astype(str).tolist()
        found: dict[int, dict[str, Any]] = {
            p: {"sources": set(), "attributes": {}} for p in set(persons)
        }
        for i, person in enumerate(owner):
            entry = found[person]
            entry["sources"].add(sources[i])
            for column in attributes:
                value = values[column][i]
                if value is not None:
                    entry["attributes"].setdefault(column[len(ATTRIBUTE_PREFIX) :], set()).add(
                        str(value)
                    )
        out: dict[int, dict[str, Any]] = {}
        for person, entry in found.items():
            age = self.age[person]
            out[person] = {
                "person_id": str(self.person_ids[person]),
                "age": None if np.isnan(age) else int(age),
                "sources": sorted(entry["sources"]),
                "attributes": {k: sorted(v) for k, v in sorted(entry["attributes"].items())},
            }
        return out


def _groups(codes: np.ndarray[Any, Any], n: int) -> Any:
    """Return a function giving the positions that carry code i, fast."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))

    def positions(i: int) -> list[int]:
        result: list[int] = order[bounds[i] : bounds[i + 1]].tolist()
        return result

    return positions


def _assign(roles: list[str], candidates: dict[str, list[int]]) -> dict[str, int] | None:
    """Give each role a different member (small backtracking search)."""

    def search(i: int, used: set[int]) -> dict[str, int] | None:
        if i == len(roles):
            return {}
        for member in candidates[roles[i]]:
            if member in used:
                continue
            rest = search(i + 1, used | {member})
            if rest is not None:
                return {roles[i]: member, **rest}
        return None

    return search(0, set())


def detect(records: pd.DataFrame, patterns: list[Pattern], as_of: date) -> pd.DataFrame:
    """Find households matching the patterns.

    Args:
        records: a run's ``records.parquet`` (person_id, household_id, source,
            dob and ``attr.*`` columns).
        patterns: from :func:`load_rules`.
        as_of: reference date for ages.

    Returns:
        One row per (household, pattern) hit with :data:`CANDIDATE_COLUMNS`;
        ``evidence`` is JSON: each role's member with age, sources and attributes.

    Example:
        >>> detect(pd.read_parquet("out/records.parquet"), load_rules(), date.today())  # doctest: +SKIP
    """
    people = _People(records, as_of)
    household_codes, _ = pd.factorize(people.household)
    size = np.bincount(household_codes) if len(household_codes) else np.zeros(0, dtype=int)
    by_household = _groups(household_codes, len(size))
    hits: list[tuple[Pattern, dict[str, int], int]] = []
    for pattern in patterns:
        role_masks = {role: people.evaluate(cond) for role, cond in pattern.roles.items()}
        ok = np.ones(len(size), dtype=bool)
        low, high = pattern.size
        if low is not None:
            ok &= size >= low
        if high is not None:
            ok &= size <= high
        for mask in role_masks.values():
            ok &= np.bincount(household_codes[mask], minlength=len(size)) > 0
        if pattern.require_any_member is not None:
            need = people.evaluate(pattern.require_any_member)
            ok &= np.bincount(household_codes[need], minlength=len(size)) > 0
        absent = people.evaluate(pattern.absent) if pattern.absent is not None else None
        for code in np.flatnonzero(ok).tolist():
            members = by_household(code)
            candidates = {
                role: [m for m in members if mask[m]] for role, mask in role_masks.items()
            }
            chosen = _assign(list(pattern.roles), candidates)
            if chosen is None:
                continue
            if absent is not None and any(absent[m] for m in members if m not in chosen.values()):
                continue
            hits.append((pattern, chosen, members[0]))

    facts = people.facts([m for _, chosen, _ in hits for m in chosen.values()])
    rows: list[dict[str, str]] = []
    for pattern, chosen, first in hits:
        evidence = {role: facts[m] for role, m in chosen.items()}
        sources = sorted({s for fact in evidence.values() for s in fact["sources"]})
        reason = "; ".join(
            f"{role}: {fact['person_id']} age {fact['age']} in {', '.join(fact['sources'])}"
            for role, fact in evidence.items()
        )
        rows.append(
            {
                "household_id": str(people.household[first]),
                "pattern": pattern.code,
                "pattern_ja": pattern.name_ja,
                "members": ";".join(f["person_id"] for f in evidence.values()),
                "sources": ";".join(sources),
                "reason": f"{pattern.meaning} — {reason}",
                "evidence": json.dumps(evidence, ensure_ascii=False, sort_keys=True),
            }
        )
    return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))


def detect_directory(
    out_dir: Path, rules: Path = DEFAULT_RULES, as_of: date | None = None
) -> pd.DataFrame:
    """Run detection on a link output directory and write candidates.csv.

    Args:
        out_dir: a directory written by ``link`` (needs records.parquet).
        rules: the pattern rules file.
        as_of: reference date for ages; today if None.

    Returns:
        The candidates written to ``out_dir/candidates.csv``.

    Example:
        >>> detect_directory(Path("out"))["pattern"].value_counts()  # doctest: +SKIP
    """
    path = out_dir / RECORDS_FILE
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `tsunagari link INPUT_DIR --out {out_dir}` first"
        )
    records = pd.read_parquet(path)
    candidates = detect(records, load_rules(rules), as_of or date.today())
    candidates.to_csv(out_dir / CANDIDATES_FILE, index=False)
    return candidates
