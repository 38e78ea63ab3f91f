"""Proposing a column mapping for a responses file, and checking every value with it.

No database here: the service stores what this module returns. A file is
read into text columns once; the check turns every mapped column into codes
with the engine's own parsers (``parse_codes``, ``normalise_sex``), so what
is imported is scored exactly as ``tsunagari survey analyse`` would score it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.surveys.engine.ages import age_bands
from tsunagari.surveys.engine.instruments import (
    DIRECT_QUESTION,
    HELP_SEEKING,
    HOUSEHOLD_TYPE,
    PLACES_USE,
    SEX,
    SOCIAL_CONTACT,
    TOWN,
    UCLA_ITEMS,
    Item,
)
from tsunagari.surveys.engine.io import normalise_sex
from tsunagari.surveys.engine.scoring import parse_codes
from tsunagari.surveys.reading import (
    Table,
    normalise_header,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True, slots=True)
class ImportField:
    """One thing an import needs to find in the file."""

    key: str
    label: StrOrPromise
    required: bool
    aliases: tuple[str, ...]
    item: Item | None = None


def _aliases(*names: str) -> tuple[str, ...]:
    return tuple(normalise_header(n) for n in names)


FIELDS: tuple[ImportField, ...] = (
    ImportField("respondent_id", _("回答者ID"), True, _aliases("respondent_id", "id", "回答者id", "回答者番号", "番号", "no")),
    ImportField("age", _("年齢"), False, _aliases("age", "年齢", "満年齢")),
    ImportField("age_band", _("年齢区分"), False, _aliases("age_band", "年齢区分", "年代")),
    ImportField("sex", _("性別"), True, _aliases("sex", "性別", SEX.question), SEX),
    ImportField("town", _("町名"), True, _aliases("town", "町名", "住所（町名）", TOWN.question), TOWN),
    ImportField("household", _("世帯構成"), False, _aliases("household", "世帯構成", "世帯", HOUSEHOLD_TYPE.question), HOUSEHOLD_TYPE),
    ImportField("direct", _("孤独感（直接質問）"), True, _aliases("direct", "孤独感", "q_direct", DIRECT_QUESTION.question), DIRECT_QUESTION),
    *(
        ImportField(item.column, format_lazy("{} {}", _("UCLA孤独感尺度"), i), True, _aliases(item.column, f"ucla_{i}", f"ucla{i}", item.question), item)
        for i, item in enumerate(UCLA_ITEMS, start=1)
    ),
    ImportField("contact", _("対面での交流"), False, _aliases("contact", "交流頻度", SOCIAL_CONTACT.question), SOCIAL_CONTACT),
    ImportField("help_seeking", _("相談の状況"), False, _aliases("help_seeking", "相談", HELP_SEEKING.question), HELP_SEEKING),
    ImportField("places", _("利用した地域の場所"), False, _aliases("places", "利用した場所", PLACES_USE.question), PLACES_USE),
)  # fmt: skip
FIELD_KEYS = tuple(f.key for f in FIELDS)
CODED = ("household", "direct", "ucla1", "ucla2", "ucla3", "contact", "help_seeking")


def samples(table: Table, per_column: int = 3) -> dict[str, list[str]]:
    """The first few non-empty values of each column (clipped), shown beside the mapping."""
    out: dict[str, list[str]] = {}
    head = table.frame.head(200)
    for column in table.header:
        values = [str(v) for v in head[column].tolist() if str(v).strip()]
        out[column] = [_clip(v)[:30] for v in values[:per_column]]
    return out


def propose_mapping(header: Sequence[str]) -> dict[str, str]:
    """Which file column each field probably is, by name or question text.

    Returns:
        field key -> column name as written in the file (fields not found are left out).

    Example:
        >>> propose_mapping(["ID", "年齢", "性別", "町名", "孤独感", "ucla1", "x"])["respondent_id"]
        'ID'
    """
    by_key = {normalise_header(h): h for h in header}
    out: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS:
        for alias in f.aliases:
            column = by_key.get(alias)
            if column is not None and column not in used:
                out[f.key] = column
                used.add(column)
                break
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One value the check found: its row in the file (header = row 1), field, value, what is wrong."""

    row: int
    field: str
    value: str
    problem: str
    blocking: bool


@dataclass
class CheckResult:
    """The outcome of checking a file with a mapping."""

    rows: int
    problems: list[Problem] = field(default_factory=list)
    mapping_errors: list[str] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    clean: pd.DataFrame | None = None

    @property
    def blocking(self) -> int:
        return sum(1 for p in self.problems if p.blocking)

    @property
    def answers(self) -> int:
        return sum(1 for p in self.problems if not p.blocking)

    def can_import(self, accept_no_answer: bool) -> bool:
        if self.mapping_errors or self.blocking:
            return False
        return accept_no_answer or not self.answers

    def report(self) -> dict[str, object]:
        """A JSON-ready summary for the page, with at most ``MAX_PROBLEMS_SHOWN`` rows listed."""
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.field] = counts.get(p.field, 0) + 1
        return {
            "rows": self.rows,
            "mapping_errors": self.mapping_errors,
            "blocking": self.blocking,
            "answers": self.answers,
            "by_field": counts,
            "missing": self.missing,
            "problems": [
                {"row": p.row, "field": p.field, "value": p.value, "problem": p.problem, "blocking": p.blocking}
                for p in sorted(self.problems, key=lambda p: (not p.blocking, p.row))[:MAX_PROBLEMS_SHOWN]
            ],
            "shown": min(len(self.problems), MAX_PROBLEMS_SHOWN),
            "total": len(self.problems),
        }  # fmt: skip


def _clip(value: object) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= 60 else text[:60] + "…"


def check_mapping(mapping: Mapping[str, str], header: Sequence[str]) -> list[str]:
    """Problems with the mapping itself: a required field unmapped, a column used twice."""
    errors: list[str] = []
    labels: dict[str, StrOrPromise] = {f.key: f.label for f in FIELDS}
    for f in FIELDS:
        if f.required and not mapping.get(f.key):
            errors.append(
                gettext("「%(field)s」に対応する列を選んでください。") % {"field": f.label}
            )
    if not mapping.get("age") and not mapping.get("age_band"):
        errors.append(gettext("「年齢」か「年齢区分」のどちらかに対応する列を選んでください。"))
    used: dict[str, str] = {}
    for key, column in mapping.items():
        if not column:
            continue
        if column not in header:
            errors.append(
                gettext("「%(field)s」の列「%(column)s」がファイルにありません。")
                % {"field": labels.get(key, key), "column": column}
            )
        elif column in used:
            errors.append(
                gettext("列「%(column)s」が「%(first)s」と「%(second)s」の両方に選ばれています。")
                % {"column": column, "first": labels[used[column]], "second": labels.get(key, key)}
            )
        else:
            used[column] = key
    return errors


def check(table: Table, mapping: Mapping[str, str], towns: Iterable[str]) -> CheckResult:
    """Check every mapped column and build the rows to import.

    Blocking problems (the file is refused as long as any remains): empty,
    over-long or duplicate respondent ids, a mapping that misses a required
    field. Answer problems (an out-of-range or unreadable answer, an unknown
    town or age): the engine counts these as no answer, so staff may accept
    them as such after reading the report; otherwise the file is refused.

    Returns:
        ``CheckResult``; ``clean`` has one row per respondent with the stored codes.
    """
    mapping = {k: v for k, v in mapping.items() if k in FIELD_KEYS and v}
    result = CheckResult(rows=len(table.frame))
    result.mapping_errors = check_mapping(mapping, table.header)
    if result.mapping_errors:
        return result
    frame = table.frame
    n = len(frame)
    numbers = np.arange(2, n + 2)
    problems = result.problems

    def column(key: str) -> pd.Series:
        if key not in mapping:
            return pd.Series([""] * n, dtype=object)
        return frame[mapping[key]].astype(str).str.strip().reset_index(drop=True)

    ids = column("respondent_id").str.normalize("NFKC").str.strip()
    empty_id = gettext("回答者IDが空です。")
    for i in np.flatnonzero((ids == "").to_numpy()).tolist():
        problems.append(Problem(int(numbers[i]), "respondent_id", "", empty_id, True))
    for i in np.flatnonzero((ids.str.len() > 64).to_numpy()).tolist():
        problems.append(
            Problem(
                int(numbers[i]),
                "respondent_id",
                _clip(ids.iat[i]),
                gettext("回答者IDが長すぎます（64文字まで）。"),
                True,
            )
        )
    duplicated = ids.duplicated(keep="first") & (ids != "")
    if duplicated.any():
        first_row = {v: int(numbers[i]) for i, v in reversed(list(enumerate(ids.tolist())))}
        duplicate = gettext("回答者IDが重複しています（最初は%(row)s行目）。")
        for i in np.flatnonzero(duplicated.to_numpy()).tolist():
            problems.append(
                Problem(int(numbers[i]), "respondent_id", _clip(ids.iat[i]),
                        duplicate % {"row": first_row[ids.iat[i]]}, True)
            )  # fmt: skip

    clean = pd.DataFrame({"respondent_id": ids})
    clean["age_band"] = _age_bands(column("age"), column("age_band"), numbers, problems)
    raw_sex = column("sex")
    sex_lookup = {v: normalise_sex(v) for v in pd.unique(raw_sex)}
    sexes = raw_sex.map(sex_lookup)
    bad_sex = gettext("性別は 1/2/3 または 男/女/その他 で入力してください。無回答として扱います。")
    for i in np.flatnonzero((sexes.isna() & (raw_sex != "")).to_numpy()).tolist():
        problems.append(Problem(int(numbers[i]), "sex", _clip(raw_sex.iat[i]), bad_sex, False))
    clean["sex"] = sexes.fillna("").astype(str)

    known = set(towns)
    raw_town = column("town").str.normalize("NFKC").str.strip()
    unknown = ~raw_town.isin(known) & (raw_town != "")
    bad_town = gettext("区内の町名ではありません。町名なしとして扱います。")
    for i in np.flatnonzero(unknown.to_numpy()).tolist():
        problems.append(Problem(int(numbers[i]), "town", _clip(raw_town.iat[i]), bad_town, False))
    clean["town"] = raw_town.where(~unknown, "")

    for f in FIELDS:
        if f.key not in CODED:
            continue
        if f.key not in mapping:
            clean[f.key] = np.nan
            continue
        assert f.item is not None
        raw = column(f.key)
        codes, warnings = parse_codes(ids, raw, f.item)
        valid = sorted(f.item.codes)
        if warnings:
            positions = np.flatnonzero(
                np.isnan(codes) & (raw.str.normalize("NFKC").str.strip() != "").to_numpy()
            )
            bad_code = gettext(
                "回答の選択肢（%(first)s〜%(last)s）にない値です。無回答として扱います。"
            ) % {"first": valid[0], "last": valid[-1]}
            for i in positions.tolist():
                problems.append(Problem(int(numbers[i]), f.key, _clip(raw.iat[i]), bad_code, False))
        clean[f.key] = codes
        empty = int(np.isnan(codes).sum()) - len(warnings)
        if empty:
            result.missing[f.key] = empty

    clean["places"] = _places(column("places"), numbers, problems)
    for key in ("sex", "town", "age_band"):
        empty = int((clean[key] == "").sum())
        if empty:
            result.missing[key] = empty
    result.clean = clean
    return result


def _age_bands(
    ages: pd.Series, bands: pd.Series, numbers: np.ndarray[Any, Any], problems: list[Problem]
) -> pd.Series:
    """The age band of each row by the survey's one rule (``engine.ages.age_bands``)."""
    out, found = age_bands(ages, bands)
    japanese = (get_language() or "ja").startswith("ja")
    for p in found:
        reason = p.reason_ja if japanese else p.reason
        problems.append(Problem(int(numbers[p.position]), p.column, _clip(p.value), reason, False))
    return out.fillna("").astype(str)


_PLACE_SPLIT = re.compile(r"[,、;；/\s]+")


def _places(raw: pd.Series, numbers: np.ndarray[Any, Any], problems: list[Problem]) -> pd.Series:
    valid = {str(c) for c in PLACES_USE.codes}
    out: dict[str, str] = {}
    bad: set[str] = set()
    for value in pd.unique(raw):
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            out[value] = ""
            continue
        parts = [p.removesuffix(".0") for p in _PLACE_SPLIT.split(text) if p]
        if all(p in valid for p in parts) and len(parts) <= len(valid):
            out[value] = ",".join(sorted(set(parts), key=int))
        else:
            out[value] = ""
            bad.add(value)
    if bad:
        message = gettext(
            "選択肢（1〜8）の番号をカンマ区切りで入力してください。無回答として扱います。"
        )
        for i in np.flatnonzero(raw.isin(bad).to_numpy()).tolist():
            problems.append(Problem(int(numbers[i]), "places", _clip(raw.iat[i]), message, False))
    return raw.map(out).astype(str)
