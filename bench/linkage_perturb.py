"""Perturbation bench: turn each assumption of a generator off, one at a time.

For a generator's extracts (the project's own ``tsunagari.demo``, the second
generator ``bench/othergen`` or the third ``bench/thirdgen``, run as a black
box), writes one copy per perturbation in which a single assumption no longer
holds, runs exact matching, plain Splink and ``tsunagari link`` on each, and
prints person precision / recall / F1 (and household F1) per perturbation.
A rule that breaks under one perturbation shows at once.

    .venv/bin/python bench/linkage_perturb.py --generator othergen --people 20000
    .venv/bin/python bench/linkage_perturb.py --generator demo --people 20000 --methods tsunagari
    .venv/bin/python bench/linkage_perturb.py --generator thirdgen --people 20000 --only no_kana

Perturbations (each on top of the generator's own data; "department records"
are those outside the resident registry):

    none            the generator's data as it is
    dup_numbers     5 % of registry records written twice under a new resident
                    number, half of the copies with another registry address
                    (the older one), a few with another surname
    no_kana         no reading in any department record
    vague_dates     30 % of department birth dates as 昭和63年頃, 80代, 91歳位
                    or empty
    moved           30 % of department records at another registry address
    maiden          30 % of department records under another surname (kanji
                    and reading) and, half of them, another address
    stale_numbers   30 % of department resident numbers replaced by numbers
                    nobody else has
    hiragana        every reading in hiragana; 20 % of department names
                    written in hiragana in the name column
    surname_only    30 % of department records with the surname only

Everything is cached under bench/out/perturb-GENERATOR-N-sSEED/.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
REGISTRY = "registry"
#: The date ages in vague birth dates are counted on (passed to the linker).
AS_OF = date.today()


def _load(name: str) -> Any:
    """A bench script loaded by path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------
# Generators: each writes extracts into work/in and truth into work/truth
# (persons.csv: source,record_id,person_id; households.csv: person_id,household_id)
# ---------------------------------------------------------------------------


def gen_demo(people: int, seed: int, work: Path) -> tuple[Path, Path]:
    bench = _load("linkage_bench")
    data_in, truth = bench.generate(round(people * bench.RECORDS_PER_PERSON), seed, work)
    return Path(data_in), Path(truth)


def gen_othergen(people: int, seed: int, work: Path) -> tuple[Path, Path]:
    data_in, truth = _load("linkage_othergen").generate(people, seed, work, 1.0)
    return Path(data_in), Path(truth)


def gen_thirdgen(people: int, seed: int, work: Path) -> tuple[Path, Path]:
    """The third generator, run as a black box (see bench/thirdgen/README.md)."""
    data_in, truth = work / "in", work / "truth"
    if (truth / "persons.csv").exists():
        return data_in, truth
    raw = work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    subprocess.run(
        [str(PYTHON), "bench/thirdgen/generate.py", "--people", str(people),
         "--seed", str(seed), "--out", str(raw)],
        cwd=REPO, check=True,
    )  # fmt: skip
    _thirdgen_layout(raw, data_in, truth)
    return data_in, truth


def _thirdgen_layout(raw: Path, data_in: Path, truth: Path) -> None:
    """The third generator's extracts and truth in the layout the scorer reads.

    Its README: ``raw/extracts/*.csv``; ``raw/truth/truth.csv`` with
    ``source,record_id,person,household`` per record.
    """
    shutil.copytree(raw / "extracts", data_in, dirs_exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    rows = pd.read_csv(raw / "truth" / "truth.csv", dtype=str, keep_default_na=False)
    rows.rename(columns={"person": "person_id"})[["source", "record_id", "person_id"]].to_csv(
        truth / "persons.csv", index=False
    )
    households = rows.drop_duplicates("person")[["person", "household"]]
    households.columns = ["person_id", "household_id"]
    households.to_csv(truth / "households.csv", index=False)


GENERATORS: dict[str, Callable[[int, int, Path], tuple[Path, Path]]] = {
    "demo": gen_demo,
    "othergen": gen_othergen,
    "thirdgen": gen_thirdgen,
}


# ---------------------------------------------------------------------------
# Perturbations
# ---------------------------------------------------------------------------

Frames = dict[str, pd.DataFrame]
HIRA = str.maketrans({chr(cp + 0x60): chr(cp) for cp in range(0x3041, 0x3097)})


def _split(name: str) -> tuple[str, str] | None:
    parts = unicodedata.normalize("NFKC", name).replace("\u3000", " ").split()
    return (parts[0], " ".join(parts[1:])) if len(parts) >= 2 else None


def _hiragana(value: str) -> str:
    return unicodedata.normalize("NFKC", value).translate(HIRA)


def _departments(frames: Frames) -> list[str]:
    return [s for s in frames if s != REGISTRY]


def _pick(rng: np.random.Generator, n: int, rate: float) -> np.ndarray[Any, Any]:
    return np.flatnonzero(rng.random(n) < rate)


def _fresh_numbers(frames: Frames, k: int, rng: np.random.Generator) -> list[str]:
    used = {v for f in frames.values() if "resident_id" in f for v in f["resident_id"]}
    width = max((len(v) for v in used if v), default=10)
    out: list[str] = []
    while len(out) < k:
        v = "9" + "".join(rng.choice(list("0123456789"), width - 1))
        if v not in used:
            used.add(v)
            out.append(v)
    return out


def _registry_addresses(frames: Frames, rng: np.random.Generator, k: int) -> list[str]:
    addresses = frames[REGISTRY]["address"].to_numpy()
    return [str(a) for a in rng.choice(addresses, k)]


def p_none(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    return truth


def p_dup_numbers(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    registry = frames[REGISTRY]
    rows = _pick(rng, len(registry), 0.05)
    copies = registry.iloc[rows].copy()
    copies["record_id"] = copies["record_id"] + "-D"
    copies["resident_id"] = _fresh_numbers(frames, len(copies), rng)
    older = rng.random(len(copies)) < 0.5
    copies.loc[older, "address"] = _registry_addresses(frames, rng, int(older.sum()))
    maiden = np.flatnonzero(rng.random(len(copies)) < 0.1)
    _other_surnames(copies, maiden, registry, rng)
    if "household_id" in copies:
        copies["household_id"] = ""
    frames[REGISTRY] = pd.concat([registry, copies], ignore_index=True)
    person = truth[truth["source"] == REGISTRY].set_index("record_id")["person_id"]
    added = pd.DataFrame(
        {
            "source": REGISTRY,
            "record_id": copies["record_id"].to_numpy(),
            "person_id": person.reindex(registry.iloc[rows]["record_id"]).to_numpy(),
        }
    )
    return pd.concat([truth, added], ignore_index=True)


def p_no_kana(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        if "name_kana" in frames[source]:
            frames[source]["name_kana"] = ""
    return truth


def _vague(value: str, rng: np.random.Generator) -> str:
    from tsunagari import text

    parsed = text.parse_date(value) if value else None
    if not isinstance(parsed, date):
        return value
    choice = rng.integers(4)
    age = AS_OF.year - parsed.year - ((AS_OF.month, AS_OF.day) < (parsed.month, parsed.day))
    if choice == 0:
        for era in reversed(text.ERAS):
            if parsed >= era.first:
                return f"{era.name}{parsed.year - era.first.year + 1}年頃"
    if choice == 1 and age >= 10:
        return f"{age // 10 * 10}代"
    if choice == 2:
        return f"{age}歳位"
    return ""


def p_vague_dates(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        frame = frames[source]
        rows = _pick(rng, len(frame), 0.3)
        column = frame.columns.get_loc("birth_date")
        frame.iloc[rows, column] = [_vague(str(v), rng) for v in frame.iloc[rows, column]]
    return truth


def p_moved(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        frame = frames[source]
        rows = _pick(rng, len(frame), 0.3)
        frame.iloc[rows, frame.columns.get_loc("address")] = _registry_addresses(
            frames, rng, len(rows)
        )
    return truth


def _other_surnames(
    frame: pd.DataFrame, rows: np.ndarray[Any, Any], donors: pd.DataFrame, rng: np.random.Generator
) -> None:
    """Give ``rows`` of ``frame`` the surname (kanji and reading) of random donors."""
    has_kana = "name_kana" in frame and "name_kana" in donors
    for row in rows:
        donor = donors.iloc[int(rng.integers(len(donors)))]
        name, other = (
            _split(str(frame.iat[row, frame.columns.get_loc("name_kanji")])),
            _split(str(donor["name_kanji"])),
        )
        if not name or not other:
            continue
        frame.iat[row, frame.columns.get_loc("name_kanji")] = f"{other[0]}\u3000{name[1]}"
        if has_kana:
            kana = _split(str(frame.iat[row, frame.columns.get_loc("name_kana")]))
            donor_kana = _split(str(donor["name_kana"]))
            if kana and donor_kana:
                frame.iat[row, frame.columns.get_loc("name_kana")] = f"{donor_kana[0]} {kana[1]}"


def p_maiden(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        frame = frames[source]
        rows = _pick(rng, len(frame), 0.3)
        _other_surnames(frame, rows, frames[REGISTRY], rng)
        moved = rows[rng.random(len(rows)) < 0.5]
        frame.iloc[moved, frame.columns.get_loc("address")] = _registry_addresses(
            frames, rng, len(moved)
        )
    return truth


def p_stale_numbers(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        frame = frames[source]
        if "resident_id" not in frame:
            continue
        has = np.flatnonzero(frame["resident_id"].to_numpy() != "")
        rows = has[rng.random(len(has)) < 0.3]
        frame.iloc[rows, frame.columns.get_loc("resident_id")] = _fresh_numbers(
            frames, len(rows), rng
        )
    return truth


def p_hiragana(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source, frame in frames.items():
        if "name_kana" not in frame:
            continue
        frame["name_kana"] = frame["name_kana"].map(_hiragana)
        if source == REGISTRY:
            continue
        rows = _pick(rng, len(frame), 0.2)
        kana = frame["name_kana"].to_numpy()
        column = frame.columns.get_loc("name_kanji")
        for row in rows:
            if kana[row]:
                frame.iat[row, column] = kana[row]
    return truth


def p_surname_only(frames: Frames, truth: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    for source in _departments(frames):
        frame = frames[source]
        for row in _pick(rng, len(frame), 0.3):
            name = _split(str(frame.iat[row, frame.columns.get_loc("name_kanji")]))
            if not name:
                continue
            frame.iat[row, frame.columns.get_loc("name_kanji")] = name[0]
            if "name_kana" in frame:
                kana = _split(str(frame.iat[row, frame.columns.get_loc("name_kana")]))
                frame.iat[row, frame.columns.get_loc("name_kana")] = kana[0] if kana else ""
    return truth


PERTURBATIONS: dict[str, Callable[[Frames, pd.DataFrame, np.random.Generator], pd.DataFrame]] = {
    "none": p_none,
    "dup_numbers": p_dup_numbers,
    "no_kana": p_no_kana,
    "vague_dates": p_vague_dates,
    "moved": p_moved,
    "maiden": p_maiden,
    "stale_numbers": p_stale_numbers,
    "hiragana": p_hiragana,
    "surname_only": p_surname_only,
}


def perturb(name: str, data_in: Path, truth: Path, work: Path, seed: int) -> tuple[Path, Path]:
    """Write the generator's data with one perturbation into work/NAME/{in,truth}."""
    out_in, out_truth = work / name / "in", work / name / "truth"
    if (out_truth / "persons.csv").exists():
        return out_in, out_truth
    frames: Frames = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for p in sorted(data_in.glob("*.csv"))
    }
    persons = pd.read_csv(truth / "persons.csv", dtype=str)
    rng = np.random.default_rng([seed, sorted(PERTURBATIONS).index(name)])
    persons = PERTURBATIONS[name](frames, persons, rng)
    out_in.mkdir(parents=True, exist_ok=True)
    out_truth.mkdir(parents=True, exist_ok=True)
    for source, frame in frames.items():
        frame.to_csv(out_in / f"{source}.csv", index=False)
    persons.to_csv(out_truth / "persons.csv", index=False)
    shutil.copy(truth / "households.csv", out_truth / "households.csv")
    return out_in, out_truth


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generator", choices=sorted(GENERATORS), default="othergen")
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--methods", default="exact,splink,tsunagari")
    parser.add_argument("--only", default=",".join(PERTURBATIONS))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    work = REPO / "bench" / "out" / f"perturb-{args.generator}-{args.people}-s{args.seed}"
    data_in, truth = GENERATORS[args.generator](args.people, args.seed, work / "base")
    othergen, bench = _load("linkage_othergen"), _load("linkage_bench")
    print(f"\n{args.generator}, {args.people} people, seed {args.seed}\n")
    methods = args.methods.split(",")
    header = " | ".join(f"{m} P / R / F1" for m in methods)
    print(f"| perturbation | records | {header} | household F1 ({methods[-1]}) |")
    print("| --- | ---: |" + " --- |" * len(methods) + " ---: |")
    for name in args.only.split(","):
        p_in, p_truth = perturb(name, data_in, truth, work, args.seed)
        n_records = len(pd.read_csv(p_truth / "persons.csv", dtype=str))
        cells = []
        household = float("nan")
        for method in methods:
            out = work / name / f"out-{method}"
            othergen.measure(method, p_in, out, args.threads)
            scores = bench.score(out, p_truth)
            ps = scores["person"]
            cells.append(f"{ps['precision']:.4f} / {ps['recall']:.4f} / {ps['f1']:.4f}")
            household = scores["household"]["f1"]
        print(f"| {name} | {n_records:,} | " + " | ".join(cells) + f" | {household:.4f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
