"""Applying the roster's inclusion rules to what the ward knows (no Django import).

A rule is data (``RuleSpec``): which source it reads, which attribute values
qualify, an age and whether the person must live alone. :func:`evaluate`
applies every rule to the facts it is given and says, for each rule, whom it
matched or why it could not be evaluated: a rule whose data is not in the
system is never reported as "nobody matched".

Example:
    >>> rule = RuleSpec("care", "要介護3〜5", "care", {"care_level": ["要介護3"]})
    >>> facts = Facts(people={1: PersonFacts(age=80, alone=False, town="北砂")},
    ...               records={"care": {1: [{"care_level": "要介護3"}]}},
    ...               columns={"care": {"care_level"}}, households_known=True)
    >>> result = evaluate([rule], facts)
    >>> result.rules[0].matched, result.reasons
    ({1}, {1: ['care']})
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "REGISTRY",
    "Evaluation",
    "Facts",
    "PersonFacts",
    "RuleResult",
    "RuleSpec",
    "evaluate",
    "normalise_value",
]

#: The source name of the people registry itself (age, household).
REGISTRY = "registry"


def normalise_value(value: object) -> str:
    """How attribute values are compared: NFKC, no spaces, a trailing 級 ignored.

    Example:
        >>> normalise_value(" １級"), normalise_value("1"), normalise_value("A")
        ('1', '1', 'A')
    """
    text = unicodedata.normalize("NFKC", str(value or "")).replace(" ", "").strip()
    return text[:-1] if text.endswith("級") and len(text) > 1 else text


@dataclass(frozen=True)
class RuleSpec:
    code: str
    label: str
    source: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    min_age: int | None = None
    living_alone: bool = False


@dataclass(frozen=True)
class PersonFacts:
    """What the registry says of one person: age (None if no birth date),
    whether they live alone (None if not in any household) and their town."""

    age: int | None
    alone: bool | None
    town: str


@dataclass
class Facts:
    """Everything the rules may read.

    ``records[source][person_id]`` are the person's records in a department
    extract loaded for the roster; ``columns[source]`` the columns that
    extract had (a source missing here was never loaded);
    ``households_known`` is False when the registry holds no households.
    """

    people: dict[int, PersonFacts]
    records: dict[str, dict[int, list[dict[str, str]]]] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)
    households_known: bool = True


@dataclass
class RuleResult:
    code: str
    label: str
    evaluated: bool
    # Why the rule could not be evaluated (Japanese), or a caveat when it was.
    problem: str = ""
    matched: set[int] = field(default_factory=set)
    # People the rule could not decide on (no birth date, no household).
    undecided: int = 0


@dataclass
class Evaluation:
    rules: list[RuleResult]
    # person id -> codes of the rules that matched them, in rule order.
    reasons: dict[int, list[str]]

    @property
    def not_evaluated(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.evaluated]


def _missing_data(rule: RuleSpec, facts: Facts) -> str:
    if rule.source != REGISTRY:
        if rule.source not in facts.columns:
            return f"データ元「{rule.source}」の記録が取り込まれていません。"
        missing = sorted(set(rule.attributes) - facts.columns[rule.source])
        if missing:
            return (
                f"データ元「{rule.source}」の取込に項目 {', '.join(missing)} がありません"
                "（項目名を確かめるか、規則を保存した後に取り込み直してください）。"
            )
    elif rule.attributes:
        return "住民記録には規則の項目がありません。データ元を指定してください。"
    if rule.min_age is not None and not any(p.age is not None for p in facts.people.values()):
        return "生年月日の記録がないため、年齢が分かりません。"
    if rule.living_alone and not facts.households_known:
        return "世帯の記録がないため、一人暮らしかどうかが分かりません。"
    if not rule.attributes and rule.min_age is None and not rule.living_alone:
        return "条件が1つもありません。"
    return ""


def _record_matches(rule: RuleSpec, record: dict[str, str]) -> bool:
    for column, values in rule.attributes.items():
        wanted = {normalise_value(v) for v in values}
        if normalise_value(record.get(column, "")) not in wanted:
            return False
    return True


def evaluate(rules: list[RuleSpec], facts: Facts) -> Evaluation:
    """Apply ``rules`` to ``facts``.

    Args:
        rules: the active rules, in display order.
        facts: the registry and the loaded department records.

    Returns:
        One :class:`RuleResult` per rule (matched person ids, or why the rule
        could not be evaluated) and each matched person's rule codes.
    """
    results: list[RuleResult] = []
    reasons: dict[int, list[str]] = {}
    for rule in rules:
        problem = _missing_data(rule, facts)
        if problem:
            results.append(RuleResult(rule.code, rule.label, False, problem))
            continue
        if rule.source == REGISTRY:
            candidates = set(facts.people)
        else:
            candidates = {
                pid
                for pid, records in facts.records.get(rule.source, {}).items()
                if pid in facts.people and any(_record_matches(rule, r) for r in records)
            }
        matched: set[int] = set()
        undecided = 0
        for pid in candidates:
            person = facts.people[pid]
            if rule.min_age is not None:
                if person.age is None:
                    undecided += 1
                    continue
                if person.age < rule.min_age:
                    continue
            if rule.living_alone:
                if person.alone is None:
                    undecided += 1
                    continue
                if not person.alone:
                    continue
            matched.add(pid)
        note = f"{undecided}人は生年月日または世帯が不明で判定できません。" if undecided else ""
        results.append(RuleResult(rule.code, rule.label, True, note, matched, undecided))
        for pid in sorted(matched):
            reasons.setdefault(pid, []).append(rule.code)
    return Evaluation(results, reasons)
