"""Department extracts: contract format, ground truth and noise."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tsunagari.demo.extracts import (
    ADDRESS_STYLES,
    DATE_STYLES,
    SOURCES,
    ExtractSummary,
    NoiseConfig,
    format_address,
    format_date,
    write_extracts,
)
from tsunagari.demo.population import PARENT_RELATIONS, Address, Resident, Ward, generate_ward

CONTRACT_REQUIRED = ("record_id", "name_kanji", "birth_date", "address")
CLEAN = NoiseConfig().scaled(0)


@pytest.fixture(scope="module")
def ward() -> Ward:
    return generate_ward(2_000, seed=21)


@pytest.fixture(scope="module")
def written(
    ward: Ward, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, ExtractSummary]:
    root = tmp_path_factory.mktemp("extracts")
    summary = write_extracts(ward, root / "in", truth_dir=root / "truth")
    return root / "in", root / "truth", summary


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def people_by_id(ward: Ward) -> dict[int, Resident]:
    return {p.person_id: p for p in ward.persons()}


def records_with_truth(in_dir: Path, truth_dir: Path) -> list[tuple[str, dict[str, str], int]]:
    truth = {
        (r["source"], r["record_id"]): int(r["person_id"]) for r in read(truth_dir / "persons.csv")
    }
    out = []
    for source in SOURCES:
        for row in read(in_dir / f"{source}.csv"):
            out.append((source, row, truth[(source, row["record_id"])]))
    return out


def write(
    ward: Ward, tmp_path: Path, noise: NoiseConfig, seed: int = 7
) -> tuple[Path, Path, ExtractSummary]:
    summary = write_extracts(
        ward, tmp_path / "in", noise=noise, seed=seed, truth_dir=tmp_path / "truth"
    )
    return tmp_path / "in", tmp_path / "truth", summary


_ERA_START = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_ERA_LETTER = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}


def parse_date(text: str) -> date:
    """A small, independent reader of the contract's date notations."""
    t = unicodedata.normalize("NFKC", text).replace("元年", "1年")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})/(\d{1,2})/(\d{1,2})", t):
        y, mo, d = (int(x) for x in m.groups() if x)
        return date(y, mo, d)
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t):
        return date(*(int(x) for x in m.groups()))
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t):
        return date(*(int(x) for x in m.groups()))
    if m := re.fullmatch(r"(明治|大正|昭和|平成|令和)(\d{1,2})年(\d{1,2})月(\d{1,2})日", t):
        era, y, mo, d = m.groups()
        return date(_ERA_START[era] + int(y), int(mo), int(d))
    if m := re.fullmatch(r"([MTSHR])(\d{1,2})\.(\d{1,2})\.(\d{1,2})", t):
        letter, y, mo, d = m.groups()
        return date(_ERA_START[_ERA_LETTER[letter]] + int(y), int(mo), int(d))
    raise ValueError(text)


_KANJI = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _kanji_chome(m: re.Match[str]) -> str:
    text = m.group(1)
    tens, _, ones = text.rpartition("十")
    value = _KANJI.get(ones, 0) if ones else 0
    if "十" in text:
        value += 10 * (_KANJI[tens] if tens else 1)
    return f"{value}-"


def digits(text: str) -> list[int]:
    text = re.sub(
        "([〇一二三四五六七八九十]+)丁目", _kanji_chome, unicodedata.normalize("NFKC", text)
    )
    return [int(x) for x in re.findall(r"\d+", text)]


def strip_spaces(text: str) -> str:
    return text.replace(" ", "").replace("\u3000", "")


# -- format --------------------------------------------------------------------


def test_it_writes_every_source_with_the_contract_columns(
    written: tuple[Path, Path, ExtractSummary],
) -> None:
    in_dir, _, summary = written

    assert sorted(p.name for p in in_dir.iterdir()) == sorted(f"{s}.csv" for s in SOURCES)
    for source in SOURCES:
        rows = read(in_dir / f"{source}.csv")
        assert rows, source
        assert set(CONTRACT_REQUIRED) <= set(rows[0]), source
        assert len(rows) == summary.records[source]
        assert len({r["record_id"] for r in rows}) == len(rows)
    registry = read(in_dir / "registry.csv")
    assert {"household_id", "relation", "sealed"} <= set(registry[0])
    assert any(r["sealed"] == "1" for r in registry)
    assert "resident_id" not in read(in_dir / "csw.csv")[0]
    assert {"care_level"} <= set(read(in_dir / "care.csv")[0])
    assert {"disability_grade"} <= set(read(in_dir / "disability.csv")[0])


def test_it_parses_back_with_the_csv_module(written: tuple[Path, Path, ExtractSummary]) -> None:
    in_dir, _, _ = written

    for source in SOURCES:
        with (in_dir / f"{source}.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        width = len(rows[0])
        assert all(len(r) == width for r in rows), source


def test_it_writes_a_bom_on_some_files_only(written: tuple[Path, Path, ExtractSummary]) -> None:
    in_dir, _, _ = written

    boms = {s: (in_dir / f"{s}.csv").read_bytes().startswith(b"\xef\xbb\xbf") for s in SOURCES}

    assert any(boms.values()) and not all(boms.values())


def test_it_lists_everyone_once_in_the_registry(
    ward: Ward, written: tuple[Path, Path, ExtractSummary]
) -> None:
    in_dir, truth_dir, _ = written
    registry = [
        (row, pid)
        for source, row, pid in records_with_truth(in_dir, truth_dir)
        if source == "registry"
    ]

    in_registry = sorted(pid for _, pid in registry)
    assert len(in_registry) == len(set(in_registry))
    assert len(in_registry) == ward.person_count - written[2].noise.get("unregistered", 0)
    assert all(row["resident_id"] and row["household_id"] for row, _ in registry)


def test_it_puts_the_right_people_in_each_department_source(
    ward: Ward, written: tuple[Path, Path, ExtractSummary]
) -> None:
    in_dir, truth_dir, _ = written
    people = people_by_id(ward)
    by_source: dict[str, set[int]] = {}
    for source, _, pid in records_with_truth(in_dir, truth_dir):
        by_source.setdefault(source, set()).add(pid)

    assert by_source["care"] == {p.person_id for p in people.values() if p.care_level}
    assert by_source["poverty"] == {p.person_id for p in people.values() if p.poverty_support}
    assert by_source["csw"] == {p.person_id for p in people.values() if p.csw_note}
    assert {p.person_id for p in people.values() if p.child_support} <= by_source["child"]


# -- ground truth ----------------------------------------------------------------


def test_it_covers_every_record_exactly_once_in_the_truth(
    written: tuple[Path, Path, ExtractSummary],
) -> None:
    in_dir, truth_dir, summary = written
    truth = [(r["source"], r["record_id"]) for r in read(truth_dir / "persons.csv")]
    records = [(s, r["record_id"]) for s in SOURCES for r in read(in_dir / f"{s}.csv")]

    assert len(truth) == len(set(truth)) == summary.total_records
    assert sorted(truth) == sorted(records)


def test_it_writes_true_households_for_every_person(
    ward: Ward, written: tuple[Path, Path, ExtractSummary]
) -> None:
    _, truth_dir, _ = written
    rows = read(truth_dir / "households.csv")

    assert {int(r["person_id"]): r["household_id"] for r in rows} == {
        p.person_id: h.household_id for h in ward.households for p in h.members
    }
    assert read(truth_dir / "planted.csv")
    assert read(truth_dir / "hard_negatives.csv")


def test_it_never_writes_truth_into_the_extracts_directory(ward: Ward, tmp_path: Path) -> None:
    write_extracts(ward, tmp_path / "in")

    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == sorted(
        f"{s}.csv" for s in SOURCES
    )
    with pytest.raises(ValueError):
        write_extracts(ward, tmp_path / "in", truth_dir=tmp_path / "in")


def test_it_writes_identical_files_for_the_same_seed(ward: Ward, tmp_path: Path) -> None:
    write_extracts(ward, tmp_path / "a", seed=3)
    write_extracts(ward, tmp_path / "b", seed=3)
    write_extracts(ward, tmp_path / "c", seed=4)

    for source in SOURCES:
        a = (tmp_path / "a" / f"{source}.csv").read_bytes()
        assert a == (tmp_path / "b" / f"{source}.csv").read_bytes()
    assert (tmp_path / "a" / "care.csv").read_bytes() != (tmp_path / "c" / "care.csv").read_bytes()


def test_it_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    code = (
        "import hashlib, sys; from pathlib import Path; "
        "from tsunagari.demo.population import generate_ward; "
        "from tsunagari.demo.extracts import write_extracts, SOURCES; "
        "out = Path(sys.argv[1]); write_extracts(generate_ward(600, seed=5), out); "
        "print(hashlib.sha256(b''.join((out / f'{s}.csv').read_bytes() for s in SOURCES)).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / hash_seed)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        digests.add(run.stdout.strip())

    assert len(digests) == 1


def test_it_reports_progress(ward: Ward, tmp_path: Path) -> None:
    seen: list[int] = []

    summary = write_extracts(ward, tmp_path / "in", progress=seen.append)

    assert seen and seen[-1] == summary.total_records
    assert seen == sorted(seen)


# -- clean extracts agree with the ward ---------------------------------------------


def test_it_writes_the_true_values_when_noise_is_off(ward: Ward, tmp_path: Path) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, CLEAN)
    people = people_by_id(ward)

    assert not summary.noise
    for source, row, pid in records_with_truth(in_dir, truth_dir):
        p = people[pid]
        assert parse_date(row["birth_date"]) == p.birth_date, (source, row)
        if source == "csw":
            assert strip_spaces(row["name_kanji"]).startswith(p.surname)
            continue
        assert strip_spaces(row["name_kanji"]) == p.surname + p.given_name, (source, row)
        kana = unicodedata.normalize("NFKC", strip_spaces(row["name_kana"]))
        full = unicodedata.normalize("NFKC", p.surname_kana + p.given_kana)
        assert kana in (full, "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in full))
        if source == "registry":
            assert row["resident_id"] == p.resident_id
            assert row["household_id"] == p.household_id


def test_it_writes_every_date_notation_of_the_contract() -> None:
    d = date(1948, 3, 5)

    assert {style: format_date(d, style) for style in DATE_STYLES} == {
        "iso": "1948-03-05",
        "slash": "1948/3/5",
        "compact": "19480305",
        "era": "昭和23年3月5日",
        "era_short": "S23.3.5",
        "era_fullwidth": "昭和２３年３月５日",
        "kanji_year": "1948年3月5日",
    }
    assert format_date(date(1989, 1, 8), "era") == "平成元年1月8日"
    assert format_date(date(2019, 5, 1), "era_short") == "R1.5.1"
    assert format_date(date(1926, 12, 24), "era") == "大正15年12月24日"


def test_it_writes_the_contract_address_notations() -> None:
    a = Address(town="北砂", chome=3, banchi=12, go=5, building="北砂ハイツ", room="203")
    texts = {style: format_address(a, style) for style in ADDRESS_STYLES}

    assert texts["registry"] == "東京都江東区北砂三丁目12番5号 北砂ハイツ203"
    assert format_address(a, "hyphen", prefix=1) == "江東区北砂3-12-5 北砂ハイツ203"
    assert format_address(a, "fullwidth", prefix=0) == "北砂３－１２－５－２０３"
    assert format_address(a, "short", prefix=0) == "北砂3-12-5"
    assert format_address(a, "mixed", prefix=0) == "北砂三丁目12-5-203"
    no_chome = Address(town="石島", chome=None, banchi=7, go=3)
    assert format_address(no_chome, "hyphen", prefix=0) == "石島7-3"


# -- noise ---------------------------------------------------------------------------


def test_it_applies_noise_at_roughly_the_configured_rates(
    ward: Ward, written: tuple[Path, Path, ExtractSummary]
) -> None:
    _, _, summary = written
    cfg = NoiseConfig()

    for kind in (
        "phone_missing",
        "old_address",
        "name_spacing",
        "kana_style",
        "date_style",
        "address_style",
    ):
        expected = getattr(cfg, kind)
        n = summary.eligible[kind]
        tolerance = 4 * (expected * (1 - expected) / n) ** 0.5 + 0.01
        assert abs(summary.rate(kind) - expected) <= tolerance, (kind, summary.rate(kind), n)


def test_it_shows_the_configured_rate_in_the_files(ward: Ward, tmp_path: Path) -> None:
    noise = replace(CLEAN, phone_missing=0.4, old_address=0.3)
    in_dir, truth_dir, _ = write(ward, tmp_path, noise)
    people = people_by_id(ward)
    households = {p.person_id: h for h in ward.households for p in h.members}
    with_phone = missing = moved = dept = 0
    for source, row, pid in records_with_truth(in_dir, truth_dir):
        if source == "registry":
            continue
        dept += 1
        p = people[pid]
        if p.phone:
            with_phone += 1
            missing += row["phone"] == ""
        address = households[pid].address
        numbers = [x for x in (address.chome, address.banchi, address.go) if x is not None]
        moved += (address.town not in row["address"]) or digits(row["address"])[
            : len(numbers)
        ] != numbers

    assert abs(missing / with_phone - 0.4) < 0.06
    # an old address may share the town by chance, so a little under 30 % is seen as moved
    assert 0.2 < moved / dept < 0.35


def test_it_swaps_variant_kanji_in_department_records(ward: Ward, tmp_path: Path) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, variant_kanji=1.0))
    people = people_by_id(ward)

    changed = 0
    for source, row, pid in records_with_truth(in_dir, truth_dir):
        p = people[pid]
        if source in ("registry", "csw") or not re.search(
            "[齋齊髙邊邉﨑濱澤廣櫻𠮷澁冨眞瀧嶋]", p.surname + p.given_name
        ):
            continue
        assert strip_spaces(row["name_kanji"]) != p.surname + p.given_name
        changed += 1
    assert changed > 0
    assert summary.rate("variant_kanji") == 1.0


def test_it_writes_alphabet_names_in_katakana_or_full_width_in_some_sources(tmp_path: Path) -> None:
    ward = generate_ward(10_000, seed=21)
    in_dir, truth_dir, _ = write(ward, tmp_path, replace(CLEAN, alphabet_name=1.0))
    people = people_by_id(ward)

    seen = Counter()
    for source, row, pid in records_with_truth(in_dir, truth_dir):
        p = people[pid]
        if not p.surname.isascii():
            continue
        name = strip_spaces(row["name_kanji"])
        if source == "registry":
            assert name == p.surname + p.given_name
            continue
        assert not name.isascii()
        assert unicodedata.normalize("NFKC", name) == p.surname + p.given_name or name == (
            p.surname_kana + p.given_kana
        )
        seen[name.isascii() or bool(re.match("[ァ-ヶ]", name))] += 1
    assert seen[True] > 0


def test_it_splits_elderly_parents_into_their_own_registry_household(
    ward: Ward, tmp_path: Path
) -> None:
    in_dir, truth_dir, _ = write(ward, tmp_path, replace(CLEAN, household_split=1.0))
    people = people_by_id(ward)
    registry = {
        pid: row
        for source, row, pid in records_with_truth(in_dir, truth_dir)
        if source == "registry"
    }

    split = [
        pid for pid, row in registry.items() if row["household_id"] != people[pid].household_id
    ]
    assert split
    for pid in split:
        p = people[pid]
        assert p.relation in PARENT_RELATIONS
        assert registry[pid]["relation"] in ("世帯主", "妻", "夫")
        head = next(
            q
            for q in people.values()
            if q.household_id == p.household_id and q.relation == "世帯主"
        )
        assert registry[pid]["address"] == registry[head.person_id]["address"]


def test_it_keeps_the_registry_at_an_old_address_while_care_shows_the_home(tmp_path: Path) -> None:
    # cared-for parents living with family are rare: take a larger ward
    ward = generate_ward(10_000, seed=21)
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, registered_elsewhere=1.0))
    households = {p.person_id: h for h in ward.households for p in h.members}
    rows = records_with_truth(in_dir, truth_dir)
    registry = {pid: row for source, row, pid in rows if source == "registry"}
    care = {pid: row for source, row, pid in rows if source == "care"}

    elsewhere = [
        pid for pid, row in registry.items() if row["address"] != households[pid].address.text()
    ]
    assert elsewhere and len(elsewhere) == summary.noise["registered_elsewhere"]
    for pid in elsewhere:
        home = households[pid].address
        assert home.town in care[pid]["address"]
        assert registry[pid]["household_id"] != households[pid].household_id


def test_it_keeps_maiden_names_in_some_department_records(ward: Ward, tmp_path: Path) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, maiden_name=1.0))
    people = people_by_id(ward)

    maiden = 0
    for source, row, pid in records_with_truth(in_dir, truth_dir):
        p = people[pid]
        if source != "registry" and p.relation == "妻" and p.birth_date.year > 1966:
            assert strip_spaces(row["name_kanji"]).endswith(p.given_name)
            maiden += not strip_spaces(row["name_kanji"]).startswith(p.surname)
    assert maiden > 0 and maiden >= summary.noise["maiden_name"] * 0.9


def test_it_gives_reregistered_people_a_new_id_and_sources_the_stale_one(
    ward: Ward, tmp_path: Path
) -> None:
    in_dir, truth_dir, summary = write(
        ward, tmp_path, replace(CLEAN, reregistration=1.0, stale_id=0.5)
    )
    people = people_by_id(ward)
    rows = records_with_truth(in_dir, truth_dir)
    registry = {pid: row["resident_id"] for source, row, pid in rows if source == "registry"}

    renewed = {pid for pid, rid in registry.items() if rid != people[pid].resident_id}
    assert renewed and len(renewed) == summary.noise["reregistration"]
    assert len(set(registry.values())) == len(registry)
    stale = fresh = 0
    for source, row, pid in rows:
        if source not in ("registry", "csw") and pid in renewed:
            assert row["resident_id"] in (people[pid].resident_id, registry[pid])
            stale += row["resident_id"] == people[pid].resident_id
            fresh += row["resident_id"] == registry[pid]
    assert stale and fresh


def test_it_keeps_unregistered_people_out_of_the_registry_only(ward: Ward, tmp_path: Path) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, unregistered=0.5))
    people = people_by_id(ward)
    rows = records_with_truth(in_dir, truth_dir)
    registered = {pid for source, _, pid in rows if source == "registry"}
    outside = {pid for source, _, pid in rows if source not in ("registry", "csw")} - registered

    assert outside and len(outside) == summary.noise["unregistered"]
    for source, row, pid in rows:
        if pid in outside and source != "csw":
            assert row["resident_id"] != people[pid].resident_id
            assert row["resident_id"].startswith("9")


def test_it_leaves_some_department_records_without_a_resident_id(
    ward: Ward, tmp_path: Path
) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, missing_id=0.2))
    rows = [
        row
        for source, row, _ in records_with_truth(in_dir, truth_dir)
        if source not in ("registry", "csw")
    ]

    empty = sum(not row["resident_id"] for row in rows)
    assert empty == summary.noise["missing_id"]
    assert abs(empty / len(rows) - 0.2) < 0.04


def test_it_leaves_a_few_unusable_values_for_warnings(ward: Ward, tmp_path: Path) -> None:
    in_dir, truth_dir, summary = write(ward, tmp_path, replace(CLEAN, unusable=0.05))

    bad = 0
    for source, row, _ in records_with_truth(in_dir, truth_dir):
        if source == "registry":
            assert row["name_kanji"] and parse_date(row["birth_date"])
            continue
        try:
            parse_date(row["birth_date"])
            ok_date = True
        except ValueError:
            ok_date = False
        bad += (not row["name_kanji"]) or not ok_date
    assert bad == summary.noise["unusable"] > 0


def test_it_writes_kana_in_every_style(written: tuple[Path, Path, ExtractSummary]) -> None:
    in_dir, _, _ = written
    kana = [
        row["name_kana"] for s in SOURCES for row in read(in_dir / f"{s}.csv") if row["name_kana"]
    ]

    styles = Counter(
        "half" if re.search("[ｦ-ﾟ]", k) else "hira" if re.search("[ぁ-ゖ]", k) else "full"
        for k in kana
    )
    assert set(styles) == {"half", "hira", "full"}


@pytest.mark.slow
def test_it_writes_a_million_records_within_two_minutes(tmp_path: Path) -> None:
    ward = generate_ward(740_000)
    started = time.perf_counter()
    summary = write_extracts(ward, tmp_path / "in", truth_dir=tmp_path / "truth")
    seconds = time.perf_counter() - started

    assert summary.total_records >= 950_000
    assert seconds < 120
