"""Normalising extract rows into comparison fields with ``tsunagari.text``.

Every text function runs once per distinct raw value (names, dates and
addresses repeat a lot across sources), which keeps a million records fast.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    "dob_lo",
    "dob_hi",
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
_KANA_ONLY = "[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe\uff66-\uff9f]+"
# The same class for Arrow's RE2, anchored: the whole value is kana.
_KANA_ONLY_RE2 = f"^{_KANA_ONLY}$"
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


#: The date ages in vague birth dates (91歳位, 80代) are counted on: the
#: run's reference date (set by the pipeline from --as-of; today if unset).
AS_OF: date | None = None
#: Worker processes for normalising distinct values (set by the pipeline
#: from --workers); 1 keeps everything in this process.
WORKERS = 1
#: Below this many new distinct values a second process costs more than it saves.
_PARALLEL_MIN = 20_000
#: Results of the text functions by raw value, kept across the extracts of
#: one run: the registry and the departments spell many addresses, names and
#: dates alike, so each is read once per run, not once per file.
#: :func:`split_names` (the end of a run's reading) empties it.
_MEMO: dict[Callable[[str], Any], dict[str, Any]] = {}
#: A run stopped midway (a bad file) leaves the memo filled; beyond this many
#: values it is emptied before it grows further.
_MEMO_MAX = 3_000_000


#: Sources normalised since the memo was last emptied: a source seen again
#: means a new run (the last one may have stopped at a bad file).
_MEMO_SOURCES: set[str] = set()
_UNSEEN = object()


def clear_memo() -> None:
    """Forget the normalised values kept across the extracts of a run."""
    _MEMO.clear()
    _MEMO_SOURCES.clear()


def _apply(fn: Callable[[str], T], values: list[str]) -> list[T]:
    return [fn(v) for v in values]


def _strings(values: pd.Series) -> pa.Array:
    """The values as one Arrow string array, nulls as ""."""
    array = pa.array(values.array, type=pa.string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        array = pc.fill_null(array, "")
    return array


def _compute(fn: Callable[[str], T], distinct: list[str]) -> list[T]:
    if WORKERS <= 1 or len(distinct) < _PARALLEL_MIN:
        return _apply(fn, distinct)
    # The text functions are pure Python: this process reads one share of the
    # distinct values while forked workers (which inherit the loaded module,
    # nothing else) read the others.
    size = -(-len(distinct) // WORKERS)
    chunks = [distinct[i : i + size] for i in range(0, len(distinct), size)]
    if len(chunks) < 2:
        return _apply(fn, distinct)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=context) as pool:
        others = [pool.submit(_apply, fn, chunk) for chunk in chunks[1:]]
        results = _apply(fn, chunks[0])
        for other in others:
            results.extend(other.result())
    return results


def _map_unique(
    values: pd.Series, fn: Callable[[str], T]
) -> tuple[np.ndarray[Any, np.dtype[np.intp]], list[T]]:
    """Apply ``fn`` once per distinct value (and once per run, see ``_MEMO``).

    Returns the code of each row's value and the result for each code.
    """
    encoded = pc.dictionary_encode(_strings(values))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    distinct: list[str] = encoded.dictionary.to_pylist()
    if sum(len(m) for m in _MEMO.values()) > _MEMO_MAX:
        _MEMO.clear()
    memo: dict[str, Any] = _MEMO.setdefault(fn, {})
    if not memo:
        results = _compute(fn, distinct)
        memo.update(zip(distinct, results, strict=True))
        return codes, results
    # One look-up per value: hashing and probing a million keys twice costs.
    results = [memo.get(v, _UNSEEN) for v in distinct]
    todo = [i for i, r in enumerate(results) if r is _UNSEEN]
    if todo:
        computed = _compute(fn, [distinct[i] for i in todo])
        for i, value in zip(todo, computed, strict=True):
            results[i] = value
            memo[distinct[i]] = value
    return codes, results


def _take(codes: np.ndarray[Any, np.dtype[np.intp]], table: list[Any]) -> pd.Series:
    """Expand per-distinct-value results to rows without a Python object per row."""
    values = pa.array(table, type=pa.string()).take(pa.array(codes, type=pa.int64()))
    return pd.Series(pd.arrays.ArrowStringArray(values))


def _transpose(rows: list[Any], width: int) -> list[list[Any]]:
    """Columns of a list of equal-length tuples (``width`` empty lists if none)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


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


#: Whether an age in a note (91歳位, 80代) may have been written up to
#: :data:`NOTE_AGE_YEARS` before the run (switched off only to measure).
AGE_AS_WRITTEN = True
#: How long before the run an age may have been written: a 民生委員's term
#: (民生委員法 art. 10: three years), whose notes the successor keeps.
NOTE_AGE_YEARS = 3
_AGE_RE = re.compile(r"[歳才代]")
#: A decade or year of birth (1950年代, 昭和30年代, 1948年生) is no age.
_ABSOLUTE_RE = re.compile(r"年")


def _date(raw: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Return (ISO date, first and last birth year, problem).

    A full date gives its own year as both ends; an approximate one (昭和63年頃,
    80代, 91歳位) only the years it allows, which the model weighs as evidence.
    """
    if not raw:
        return None, None, None, "birth date is empty"
    parsed = text.parse_date(raw)
    if isinstance(parsed, date):
        year = f"{parsed.year:04d}"
        return parsed.isoformat(), year, year, None
    vague = text.parse_vague_birth(raw, AS_OF or date.today())
    if isinstance(vague, text.BirthYears):
        born_from = vague.first
        if AGE_AS_WRITTEN and _AGE_RE.search(raw) and not _ABSOLUTE_RE.search(raw):
            # An age is the age on the day the note was written, which may be
            # a term of office before the run: the person may be born earlier.
            born_from -= NOTE_AGE_YEARS
        first, last = f"{born_from:04d}", f"{vague.last:04d}"
        note = f"birth date is approximate: read as born {first}-{last}"
        return None, first, last, note
    return None, None, None, _reason(parsed)


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
    # The text functions build a few million short-lived strings and tuples;
    # the cyclic garbage collector would rescan every object alive (the
    # run's memo among them) again and again, a fifth of the reading time at
    # a million records. Nothing here makes reference cycles.
    if extract.source in _MEMO_SOURCES:
        clear_memo()
    _MEMO_SOURCES.add(extract.source)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _normalise_extract(extract)
    finally:
        if enabled:
            gc.enable()


def _normalise_extract(extract: Extract) -> tuple[pd.DataFrame, list[ValueWarning]]:
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
    *keys, problems = _transpose(names, 4)
    warnings.add("name_kanji", codes, problems)
    for column, values in zip(("name_key", "sur_kanji", "giv_kanji"), keys, strict=True):
        out[column] = _take(codes, values)

    codes, kanas = _map_unique(_optional(extract, "name_kana"), _kana)
    *keys, problems = _transpose(kanas, 4)
    warnings.add("name_kana", codes, problems)
    for column, values in zip(("kana_key", "sur_kana", "giv_kana"), keys, strict=True):
        out[column] = _take(codes, values)

    codes, dates = _map_unique(raw["birth_date"], _date)
    iso, first, last, problems = _transpose(dates, 4)
    warnings.add("birth_date", codes, problems)
    out["dob"] = _take(codes, iso)
    out["dob_lo"] = _take(codes, first)
    out["dob_hi"] = _take(codes, last)
    for column, part in (("dob_y", slice(0, 4)), ("dob_m", slice(5, 7)), ("dob_d", slice(8, 10))):
        out[column] = _take(codes, [d[part] if d else None for d in iso])

    codes, sexes = _map_unique(_optional(extract, "sex"), _sex)
    warnings.add("sex", codes, [p[1] for p in sexes])
    out["sex"] = _take(codes, [p[0] for p in sexes])

    codes, addresses = _map_unique(raw["address"], _address)
    keys, problems = _transpose(addresses, 2)
    warnings.add("address", codes, problems)
    for column, values in zip(
        ("addr_key", "addr_go", "addr_banchi", "addr_chome", "addr_town", "addr_room"),
        _transpose(keys, 6),
        strict=True,
    ):
        out[column] = _take(codes, values)

    codes, phones = _map_unique(_optional(extract, "phone"), _phone)
    digits, problems = _transpose(phones, 2)
    warnings.add("phone", codes, problems)
    out["phone"] = _take(codes, digits)

    frame = pd.DataFrame({c: out[c] for c in NORMALISED_COLUMNS})
    return frame, warnings.items


def _column(records: pd.DataFrame, name: str) -> pa.Array:
    array = pa.array(records[name].array, type=pa.string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def _assign(records: pd.DataFrame, name: str, array: pa.Array) -> None:
    records[name] = pd.Series(pd.arrays.ArrowStringArray(array), index=records.index)


def _is_kana_only(values: pa.Array) -> pa.Array:
    return pc.fill_null(pc.match_substring_regex(values, _KANA_ONLY_RE2), False)


def _with_kana_keys(target: pa.Array, written: pa.Array, fill: pa.Array) -> pa.Array:
    """``target`` with the reading key of ``written`` where ``fill`` holds."""
    if not pc.any(fill).as_py():
        return target
    picked = pc.filter(written, fill).to_pylist()
    keys = {v: text.kana_key(v) for v in set(picked)}
    return pc.replace_with_mask(target, fill, pa.array([keys[v] for v in picked], pa.string()))


def _split_by_known_prefix(
    whole: pa.Array, known: pa.Array, max_len: int = 5
) -> tuple[pa.Array, pa.Array]:
    """Split ``whole`` at the longest prefix found in ``known`` (null where none)."""
    surnames = pc.unique(known.drop_null())
    length = pc.utf8_length(whole)
    head = tail = pa.nulls(len(whole), pa.string())
    for n in range(max_len, 0, -1):
        prefix = pc.utf8_slice_codeunits(whole, 0, n)
        hit = pc.and_(
            pc.and_(pc.is_null(head), pc.is_in(prefix, value_set=surnames)),
            pc.fill_null(pc.greater(length, n), False),
        )
        head = pc.if_else(hit, prefix, head)
        tail = pc.if_else(hit, pc.utf8_slice_codeunits(whole, n), tail)
    return head, tail


def _most_common_reading(known: pd.DataFrame, written: str, reading: str) -> pd.Series:
    counts = known.groupby([written, reading], observed=True).size().reset_index(name="n")
    best = counts.sort_values([written, "n"], ascending=[True, False]).drop_duplicates(written)
    return best.set_index(written)[reading]


#: Whether an unspaced name that is a known surname (原田), or a known
#: surname with 氏 after it (村上氏), is read as that surname alone before
#: names are split at known surnames (switched off only to measure the rule).
SURNAME_ALONE_FIRST = True
#: The honorific written straight after a surname in notes (村上氏): 様 and
#: さん are dropped by ``tsunagari.text`` wherever they stand, 氏 only after a
#: space, since alone it could end a name; after a whole known surname it
#: cannot.
_SURNAME_HONORIFIC = "氏"


def _surname_alone(
    records: pd.DataFrame, name_key: pa.Array, sur_kanji: pa.Array
) -> tuple[pa.Array, pa.Array]:
    """Names that are one known surname and nothing else, read as that surname.

    A note that knows only 原田, or writes 村上氏, names the surname. Split at
    the longest *proper* prefix that is a surname, 原田 would become 原 + 田
    (a given name 田 that vetoes every 原田 at the address), and 村上氏 村上 +
    氏. Known surnames are those written with a space elsewhere in the run.
    """
    known = pc.unique(sur_kanji.drop_null())
    unsplit = pc.and_(pc.is_null(sur_kanji), pc.is_null(_column(records, "giv_kanji")))
    ends = pc.and_(unsplit, pc.fill_null(pc.ends_with(name_key, _SURNAME_HONORIFIC), False))
    rest = pc.utf8_slice_codeunits(name_key, 0, -len(_SURNAME_HONORIFIC))
    honour = pc.and_(ends, pc.is_in(rest, value_set=known))
    name_key = pc.if_else(honour, rest, name_key)
    alone = pc.and_(unsplit, pc.fill_null(pc.is_in(name_key, value_set=known), False))
    if pc.any(honour).as_py() or pc.any(alone).as_py():
        _assign(records, "name_key", name_key)
        sur_kanji = pc.if_else(alone, name_key, sur_kanji)
        _assign(records, "sur_kanji", sur_kanji)
    return name_key, sur_kanji


def split_names(records: pd.DataFrame) -> pd.DataFrame:
    """Split unspaced names and readings using the splits seen elsewhere.

    Many extracts write 山田太郎 / ヤマダタロウ without a space. Records that
    do split tell us which surnames exist and how they are read; that table
    then splits the rest. Works on the whole run, so one source's spaced
    names help another's. It ends a run's reading: the values kept across
    extracts (``_MEMO``) are let go.

    Args:
        records: the normalised records of every source.

    Returns:
        The same frame with surname/given keys filled where a known surname
        (or its known reading) is a prefix of the whole name.

    Example:
        >>> split_names(records)  # doctest: +SKIP
    """
    clear_memo()
    # Whole columns at a time in Arrow: a Python object per row would cost
    # seconds at a million records.
    name_key = _column(records, "name_key")
    sur_kanji = _column(records, "sur_kanji")
    if SURNAME_ALONE_FIRST:
        name_key, sur_kanji = _surname_alone(records, name_key, sur_kanji)
    todo = pc.and_(pc.is_null(sur_kanji), pc.is_valid(name_key))
    if pc.any(todo).as_py():
        head, tail = _split_by_known_prefix(pc.filter(name_key, todo), sur_kanji)
        _assign(records, "sur_kanji", pc.replace_with_mask(sur_kanji, todo, head))
        giv_kanji = _column(records, "giv_kanji")
        _assign(records, "giv_kanji", pc.replace_with_mask(giv_kanji, todo, tail))

    # A name part written in kana in the name field (佐藤 ヒロシ, common when
    # the kanji is unknown) is also its reading.
    for part in ("sur", "giv"):
        written = _column(records, f"{part}_kanji")
        reading = _column(records, f"{part}_kana")
        fill = pc.and_(_is_kana_only(written), pc.is_null(reading))
        if pc.any(fill).as_py():
            _assign(records, f"{part}_kana", _with_kana_keys(reading, written, fill))
    kana_key = _column(records, "kana_key")
    fill = pc.and_(_is_kana_only(name_key), pc.is_null(kana_key))
    kana_key = _with_kana_keys(kana_key, name_key, fill)
    # A reading with a kana-only part filled above but not the other: rebuild
    # the whole reading only when both parts are known.
    sur_kana, giv_kana = _column(records, "sur_kana"), _column(records, "giv_kana")
    both = pc.and_(pc.and_(pc.is_valid(sur_kana), pc.is_valid(giv_kana)), pc.is_null(kana_key))
    if pc.any(both).as_py():
        joined = pc.binary_join_element_wise(sur_kana, giv_kana, "")
        kana_key = pc.if_else(both, joined, kana_key)
    _assign(records, "kana_key", kana_key)

    # A name that is one known surname and nothing else (a note that knows
    # only 佐藤) is that surname: it then meets the family at its address.
    for whole, part in (("name_key", "sur_kanji"), ("kana_key", "sur_kana")):
        written = _column(records, whole)
        target = _column(records, part)
        given = _column(records, "giv_kanji" if part == "sur_kanji" else "giv_kana")
        alone = pc.and_(pc.and_(pc.is_null(target), pc.is_null(given)), pc.is_valid(written))
        alone = pc.and_(alone, pc.is_in(written, value_set=pc.unique(target.drop_null())))
        if pc.any(alone).as_py():
            _assign(records, part, pc.if_else(alone, written, target))

    parts = ["sur_kanji", "sur_kana", "giv_kanji", "giv_kana"]
    known = records[parts].dropna()
    sur_reading = _most_common_reading(known, "sur_kanji", "sur_kana")
    giv_reading = _most_common_reading(known, "giv_kanji", "giv_kana")
    if SURNAME_ALONE_FIRST:
        # A surname alone (松本) whose reading is that surname's known reading
        # (まつもと) is not a surname マツ and a given name モト, however a
        # reading dictionary splits it.
        alone = records["giv_kanji"].isna() & records["sur_kanji"].notna()
        alone &= records["kana_key"].notna() & records["giv_kana"].notna()
        reading = records.loc[alone, "sur_kanji"].map(sur_reading)
        hit = reading.index[(reading == records.loc[alone, "kana_key"]).fillna(False).to_numpy()]
        if len(hit):
            records.loc[hit, "sur_kana"] = records.loc[hit, "kana_key"]
            records.loc[hit, "giv_kana"] = None
    # The readings as the steps above left them (a surname alone read as one).
    sur_kana, giv_kana = _column(records, "sur_kana"), _column(records, "giv_kana")
    todo = pc.and_(pc.is_null(sur_kana), pc.is_valid(kana_key))
    if not pc.any(todo).as_py():
        return records
    fallback_head, _ = _split_by_known_prefix(pc.filter(kana_key, todo), sur_kana, max_len=8)
    rows = np.flatnonzero(todo.to_numpy(zero_copy_only=False))
    sub = records[["sur_kanji", "giv_kanji"]].take(rows)
    sur_guess = sub["sur_kanji"].map(sur_reading)
    giv_guess = sub["giv_kanji"].map(giv_reading)
    sur_out: list[str | None] = []
    giv_out: list[str | None] = []
    for kana, sur, giv, other in zip(
        pc.filter(kana_key, todo).to_pylist(),
        sur_guess.tolist(),
        giv_guess.tolist(),
        fallback_head.to_pylist(),
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
    _assign(
        records, "sur_kana", pc.replace_with_mask(sur_kana, todo, pa.array(sur_out, pa.string()))
    )
    _assign(
        records, "giv_kana", pc.replace_with_mask(giv_kana, todo, pa.array(giv_out, pa.string()))
    )
    return records
