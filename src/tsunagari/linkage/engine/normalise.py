"""Normalising extract rows into comparison fields with ``tsunagari.text``.

Every text function runs once per distinct raw value (names, dates and
addresses repeat a lot across sources), which keeps a million records fast.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from tsunagari import text
from tsunagari.linkage.engine.errors import ValueWarning
from tsunagari.linkage.engine.reader import Extract

T = TypeVar("T")

#: Columns of the normalised record table, in order (all strings or null).
NORMALISED_COLUMNS = (
    "source",
    "record_id",
    "resident_id",
    "household_ref",
    "name_key",
    "sur_kanji",
    "giv_kanji",
    "kana_key",
    "sur_kana",
    "giv_kana",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "sex",
    "addr_key",
    "addr_go",
    "addr_banchi",
    "addr_chome",
    "addr_town",
    "addr_room",
    "phone",
)

_SPACE = re.compile(r"[\s\u3000]+")
_KANA_ONLY = r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe\uff66-\uff9f]+"
_SEX = {
    "1": "M",
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "2": "F",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
}


#: Worker processes for normalising distinct values (set by the pipeline
#: from --threads); 1 keeps everything in this process.
WORKERS = 1
#: Below this many distinct values a second process costs more than it saves.
_PARALLEL_MIN = 20_000


def _apply(fn: Callable[[str], T], values: list[str]) -> list[T]:
    return [fn(v) for v in values]


def _map_unique(
    values: pd.Series, fn: Callable[[str], T]
) -> tuple[np.ndarray[Any, np.dtype[np.intp]], list[T]]:
    codes, uniques = pd.factorize(values, sort=False)
    distinct = [str(u) for u in uniques]
    if WORKERS <= 1 or len(distinct) < _PARALLEL_MIN:
        return codes, _apply(fn, distinct)
    # The text functions are pure Python: split the distinct values over
    # forked worker processes (they inherit the loaded module, nothing else).
    size = -(-len(distinct) // WORKERS)
    chunks = [distinct[i : i + size] for i in range(0, len(distinct), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
        parts = list(pool.map(_apply, [fn] * len(chunks), chunks))
    return codes, [item for part in parts for item in part]


def _take(codes: np.ndarray[Any, np.dtype[np.intp]], table: list[Any]) -> pd.Series:
    """Expand per-distinct-value results to rows without a Python object per row."""
    values = pa.array(table, type=pa.string()).take(pa.array(codes, type=pa.int64()))
    return pd.Series(pd.arrays.ArrowStringArray(values))


def _reason(error: text.TextError) -> str:
    return error.reason


class _Warnings:
    def __init__(self, source: str, record_ids: pd.Series) -> None:
        self.source = source
        self.record_ids = record_ids
        self.items: list[ValueWarning] = []

    def add(
        self,
        column: str,
        codes: np.ndarray[Any, np.dtype[np.intp]],
        problems: list[str | None],
    ) -> None:
        bad = [i for i, p in enumerate(problems) if p]
        if not bad:
            return
        mask = np.isin(codes, bad)
        for row in np.flatnonzero(mask).tolist():
            problem = problems[codes[row]]
            assert problem is not None
            record_id = str(self.record_ids.iat[row])
            self.items.append(ValueWarning(self.source, record_id, column, problem))


def _name(raw: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Return (full key, surname key, given key, problem) for a kanji name."""
    if not raw:
        return None, None, None, "name is empty"
    parsed = text.parse_name(raw)
    if isinstance(parsed, text.TextError):
        return text.name_key(raw) or None, None, None, _reason(parsed)
    if not parsed.given_key:
        return parsed.key or None, None, None, None
    return parsed.key or None, parsed.surname_key or None, parsed.given_key, None


def _kana(raw: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Return (full key, surname key, given key, problem) for a reading."""
    if not raw:
        return None, None, None, None
    parsed = text.parse_kana(raw)
    if isinstance(parsed, text.TextError):
        return None, None, None, _reason(parsed)
    if not (parsed.surname_key and parsed.given_key):
        return parsed.key or None, None, None, None
    return parsed.key or None, parsed.surname_key, parsed.given_key, None


def _date(raw: str) -> tuple[str | None, str | None]:
    if not raw:
        return None, "birth date is empty"
    parsed = text.parse_date(raw)
    if isinstance(parsed, date):
        return parsed.isoformat(), None
    return None, _reason(parsed)


def _address(raw: str) -> tuple[tuple[str | None, ...], str | None]:
    """Return the address keys, coarse to fine, and a problem if any.

    Keys: full with room, 号, 番, 丁目, town, and the room alone.
    """
    if not raw:
        return (None,) * 6, "address is empty"
    parsed = text.parse_address(raw)
    if isinstance(parsed, text.TextError):
        # Keep what we can: a whitespace-free, width-folded string still
        # matches the same spelling elsewhere.
        fallback = _SPACE.sub("", text.fold_kanji(raw)) or None
        return (fallback, None, None, None, None, None), _reason(parsed)
    town = parsed.town_key or None
    chome = parsed.block_key or None
    banchi = f"{chome}|{parsed.banchi}" if chome and parsed.banchi else None
    go = parsed.key if banchi else None
    room = parsed.room or None
    full = f"{parsed.key}#{room}" if room else parsed.key
    return (full or None, go, banchi, chome, town, room), None


def _phone(raw: str) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    parsed = text.parse_phone(raw)
    if isinstance(parsed, text.TextError):
        return None, _reason(parsed)
    return parsed.digits or None, None


def _sex(raw: str) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    value = _SEX.get(raw.strip().lower())
    if value is None:
        return None, f"sex {raw!r} is not 1/2, 男/女 or M/F"
    return value, None


def _optional(extract: Extract, column: str) -> pd.Series:
    if column in extract.frame.columns:
        return extract.frame[column]
    return pd.Series([""] * len(extract.frame), index=extract.frame.index, dtype=object)


def normalise_extract(extract: Extract) -> tuple[pd.DataFrame, list[ValueWarning]]:
    """Normalise one extract into the comparison fields.

    Args:
        extract: a source file as read by :func:`read_extract`.

    Returns:
        A frame with :data:`NORMALISED_COLUMNS` (nulls where a value is missing
        or unusable) and the list of value warnings.

    Example:
        >>> frame, warnings = normalise_extract(read_extract(Path("registry.csv")))  # doctest: +SKIP
        >>> frame.loc[0, "sur_kana"]  # doctest: +SKIP
        'ヤマダ'
    """
    raw = extract.frame
    n = len(raw)
    warnings = _Warnings(extract.source, raw["record_id"])
    out: dict[str, pd.Series] = {
        "source": pd.Series([extract.source] * n, dtype="string"),
        "record_id": raw["record_id"].astype("string").reset_index(drop=True),
    }
    resident = _optional(extract, "resident_id").astype("string").reset_index(drop=True)
    out["resident_id"] = resident.where(resident != "", None)
    household = _optional(extract, "household_id").astype("string").reset_index(drop=True)
    out["household_ref"] = (extract.source + ":" + household).where(household != "", None)

    codes, names = _map_unique(raw["name_kanji"], _name)
    warnings.add("name_kanji", codes, [p[3] for p in names])
    for i, column in enumerate(("name_key", "sur_kanji", "giv_kanji")):
        out[column] = _take(codes, [p[i] for p in names])

    codes, kanas = _map_unique(_optional(extract, "name_kana"), _kana)
    warnings.add("name_kana", codes, [p[3] for p in kanas])
    for i, column in enumerate(("kana_key", "sur_kana", "giv_kana")):
        out[column] = _take(codes, [p[i] for p in kanas])

    codes, dates = _map_unique(raw["birth_date"], _date)
    warnings.add("birth_date", codes, [p[1] for p in dates])
    iso = [p[0] for p in dates]
    out["dob"] = _take(codes, iso)
    for column, part in (("dob_y", slice(0, 4)), ("dob_m", slice(5, 7)), ("dob_d", slice(8, 10))):
        out[column] = _take(codes, [d[part] if d else None for d in iso])

    codes, sexes = _map_unique(_optional(extract, "sex"), _sex)
    warnings.add("sex", codes, [p[1] for p in sexes])
    out["sex"] = _take(codes, [p[0] for p in sexes])

    codes, addresses = _map_unique(raw["address"], _address)
    warnings.add("address", codes, [p[1] for p in addresses])
    for i, column in enumerate(
        ("addr_key", "addr_go", "addr_banchi", "addr_chome", "addr_town", "addr_room")
    ):
        out[column] = _take(codes, [p[0][i] for p in addresses])

    codes, phones = _map_unique(_optional(extract, "phone"), _phone)
    warnings.add("phone", codes, [p[1] for p in phones])
    out["phone"] = _take(codes, [p[0] for p in phones])

    frame = pd.DataFrame({c: out[c] for c in NORMALISED_COLUMNS})
    return frame, warnings.items


def _split_by_known_prefix(
    whole: pd.Series, known: pd.Series, max_len: int = 5
) -> tuple[pd.Series, pd.Series]:
    """Split ``whole`` at the longest prefix found in ``known`` (null where none)."""
    surnames = set(known.dropna().astype(str))
    head = pd.Series(pd.NA, index=whole.index, dtype="string")
    for length in range(max_len, 0, -1):
        prefix = whole.str.slice(0, length)
        hit = head.isna() & prefix.isin(surnames) & (whole.str.len() > length)
        head[hit] = prefix[hit]
    tail = pd.Series(
        [w[len(h) :] if isinstance(h, str) else pd.NA for w, h in zip(whole, head, strict=True)],
        index=whole.index,
        dtype="string",
    )
    return head, tail


def _most_common_reading(known: pd.DataFrame, written: str, reading: str) -> pd.Series:
    counts = known.groupby([written, reading], observed=True).size().reset_index(name="n")
    best = counts.sort_values([written, "n"], ascending=[True, False]).drop_duplicates(written)
    return best.set_index(written)[reading]


def split_names(records: pd.DataFrame) -> pd.DataFrame:
    """Split unspaced names and readings using the splits seen elsewhere.

    Many extracts write 山田太郎 / ヤマダタロウ without a space. Records that
    do split tell us which surnames exist and how they are read; that table
    then splits the rest. Works on the whole run, so one source's spaced
    names help another's.

    Args:
        records: the normalised records of every source.

    Returns:
        The same frame with surname/given keys filled where a known surname
        (or its known reading) is a prefix of the whole name.

    Example:
        >>> split_names(records)  # doctest: +SKIP
    """
    todo = records["sur_kanji"].isna() & records["name_key"].notna()
    if todo.any():
        head, tail = _split_by_known_prefix(records.loc[todo, "name_key"], records["sur_kanji"])
        records.loc[todo, "sur_kanji"] = head
        records.loc[todo, "giv_kanji"] = tail

    # A name part written in kana in the name field (佐藤 ヒロシ, common when
    # the kanji is unknown) is also its reading.
    for part in ("sur", "giv"):
        written = records[f"{part}_kanji"]
        is_kana = written.str.fullmatch(_KANA_ONLY, na=False)
        fill = is_kana & records[f"{part}_kana"].isna()
        if fill.any():
            records.loc[fill, f"{part}_kana"] = written[fill].map(text.kana_key).astype("string")
    whole = records["name_key"]
    fill = whole.str.fullmatch(_KANA_ONLY, na=False) & records["kana_key"].isna()
    if fill.any():
        records.loc[fill, "kana_key"] = whole[fill].map(text.kana_key).astype("string")
    # A reading with a kana-only part filled above but not the other: rebuild
    # the whole reading only when both parts are known.
    both = records["sur_kana"].notna() & records["giv_kana"].notna() & records["kana_key"].isna()
    if both.any():
        records.loc[both, "kana_key"] = (
            records.loc[both, "sur_kana"] + records.loc[both, "giv_kana"]
        )

    known = records.dropna(subset=["sur_kanji", "sur_kana", "giv_kanji", "giv_kana"])
    sur_reading = _most_common_reading(known, "sur_kanji", "sur_kana")
    giv_reading = _most_common_reading(known, "giv_kanji", "giv_kana")
    todo = records["sur_kana"].isna() & records["kana_key"].notna()
    if not todo.any():
        return records
    sub = records.loc[todo, ["kana_key", "sur_kanji", "giv_kanji"]]
    sur_guess = sub["sur_kanji"].map(sur_reading)
    giv_guess = sub["giv_kanji"].map(giv_reading)
    fallback_head, _ = _split_by_known_prefix(sub["kana_key"], records["sur_kana"], max_len=8)
    sur_out: list[str | None] = []
    giv_out: list[str | None] = []
    for kana, sur, giv, other in zip(
        sub["kana_key"].tolist(),
        sur_guess.tolist(),
        giv_guess.tolist(),
        fallback_head.tolist(),
        strict=True,
    ):
        s = sur if isinstance(sur, str) else None
        g = giv if isinstance(giv, str) else None
        if s and kana.startswith(s) and len(kana) > len(s):
            sur_out.append(s)
            giv_out.append(kana[len(s) :])
        elif g and kana.endswith(g) and len(kana) > len(g):
            sur_out.append(kana[: -len(g)])
            giv_out.append(g)
        elif isinstance(other, str):
            sur_out.append(other)
            giv_out.append(kana[len(other) :])
        else:
            sur_out.append(None)
            giv_out.append(None)
    records.loc[todo, "sur_kana"] = pd.array(sur_out, dtype="string")
    records.loc[todo, "giv_kana"] = pd.array(giv_out, dtype="string")
    return records
