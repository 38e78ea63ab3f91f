"""Linkage benchmark: Tsunagari against two baselines on generated extracts.

Prints, per method and engine: records per second, peak memory, and pairwise
precision / recall / F1 for same-person (record pairs) and same-household
(pairs of true persons) against the generator's ground truth.

    .venv/bin/python bench/linkage_bench.py --records 100000
    .venv/bin/python bench/linkage_bench.py --records 1000000 --methods tsunagari

Methods:
    exact      same normalised reading (kana_key) and birth date; households
               from the registry's 世帯番号
    splink     plain Splink on DuckDB: default comparisons on the columns after
               generic cleaning (NFKC, spaces removed), no Japanese
               normalisation; households from the 世帯番号
    tsunagari  the `link` command's engine (duckdb, or spark with --engines)

Every method runs in its own process so that peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RECORDS_PER_PERSON = 1.36  # the generator's extracts hold about this many records per resident


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def generate(records: int, seed: int, work: Path, noise: str = "default") -> tuple[Path, Path]:
    """Generate (once) a ward with about ``records`` extract records.

    ``noise="hard"`` triples every noise rate (``NoiseConfig.hard()``), a
    stress test closer to extracts written by other systems than our own.
    """
    data_in, truth = work / "in", work / "truth"
    if (truth / "persons.csv").exists():
        return data_in, truth
    from tsunagari.demo.extracts import NoiseConfig, write_extracts
    from tsunagari.demo.population import generate_ward

    people = round(records / RECORDS_PER_PERSON)
    started = time.perf_counter()
    ward = generate_ward(people, seed=seed)
    config = NoiseConfig.hard() if noise == "hard" else NoiseConfig()
    summary = write_extracts(ward, data_in, noise=config, seed=seed, truth_dir=truth)
    print(
        f"generated {summary.total_records:,} records of {people:,} residents "
        f"in {time.perf_counter() - started:.0f} s -> {data_in}",
        flush=True,
    )
    return data_in, truth


# ---------------------------------------------------------------------------
# Methods (each run in a child process)
# ---------------------------------------------------------------------------


def _read_all(data_in: Path) -> pd.DataFrame:
    frames = []
    for path in sorted(data_in.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.insert(0, "source", path.stem)
        frames.append(frame)
    # Columns one source lacks (csw has no resident_id) are empty, not NaN.
    return pd.concat(frames, ignore_index=True).fillna("")


def _households_from_registry(records: pd.DataFrame, person: pd.Series) -> pd.DataFrame:
    """Baseline households: the 世帯番号 of the person's registry record."""
    frame = pd.DataFrame({"person_id": person, "hh": records.get("household_id", "")})
    frame["hh"] = frame["hh"].fillna("")
    hh = frame.loc[frame["hh"] != ""].drop_duplicates("person_id").set_index("person_id")["hh"]
    people = pd.Series(sorted(set(person)))
    household = people.map(hh)
    household = household.where(household.notna(), "solo:" + people.astype(str))
    return pd.DataFrame({"person_id": people, "household_id": household})


def run_exact(data_in: Path, out: Path) -> None:
    from tsunagari import text

    records = _read_all(data_in)

    def kana(value: str) -> str:
        return text.kana_key(value) if value else ""

    def dob(value: str) -> str:
        parsed = text.parse_date(value) if value else None
        return parsed.isoformat() if parsed is not None and hasattr(parsed, "isoformat") else ""

    kana_map = {v: kana(v) for v in records["name_kana"].unique()}
    dob_map = {v: dob(v) for v in records["birth_date"].unique()}
    key = records["name_kana"].map(kana_map) + "|" + records["birth_date"].map(dob_map)
    usable = records["name_kana"].map(kana_map).ne("") & records["birth_date"].map(dob_map).ne("")
    key = key.where(usable, "row:" + records.index.astype(str))
    person = "P" + pd.Series(pd.factorize(key)[0]).astype(str)
    _write(out, records, person)


def run_plain_splink(data_in: Path, out: Path, threads: int) -> None:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    records = _read_all(data_in)
    cols = ["name_kanji", "name_kana", "birth_date", "sex", "address", "phone"]
    # Generic cleaning any Splink user would do (Unicode NFKC, no spaces),
    # but nothing Japanese: no kana folding, eras, variant kanji or addresses.
    frame = records[cols].apply(
        lambda col: col.map(lambda v: unicodedata.normalize("NFKC", v).replace(" ", "") or None)
    )
    frame.insert(0, "unique_id", np.arange(len(frame)))
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("name_kanji"),
            cl.NameComparison("name_kana"),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.LevenshteinAtThresholds("address", [1, 3]),
            cl.ExactMatch("phone"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name_kana", "birth_date"),
            block_on("name_kanji", "birth_date"),
            block_on("name_kanji", "address"),
            block_on("phone"),
        ],
    )
    linker = Linker(db_api.register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_kanji", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), max_pairs=1e6
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_kanji"), max_pairs=1e6
    )
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pandas_dataframe()
    cluster = clusters.set_index("unique_id")["cluster_id"]
    person = "P" + pd.Series(frame["unique_id"].map(cluster)).astype(str)
    _write(out, records, person)


def run_tsunagari(data_in: Path, out: Path, engine: str, threads: int) -> None:
    from tsunagari.linkage.engine import LinkOptions, link_directory

    link_directory(data_in, out, LinkOptions(engine=engine, threads=threads))


def _write(out: Path, records: pd.DataFrame, person: pd.Series) -> None:
    out.mkdir(parents=True, exist_ok=True)
    person = person.reset_index(drop=True)
    pd.DataFrame(
        {"source": records["source"], "record_id": records["record_id"], "person_id": person}
    ).to_csv(out / "clusters.csv", index=False)
    _households_from_registry(records.reset_index(drop=True), person).to_csv(
        out / "households.csv", index=False
    )


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _pairs(sizes: pd.Series) -> int:
    n = sizes.to_numpy(dtype=np.int64)
    return int((n * (n - 1) // 2).sum())


def pairwise(pred: pd.Series, true: pd.Series) -> dict[str, float]:
    """Pairwise precision, recall and F1 of two labellings of the same items."""
    frame = pd.DataFrame({"p": pred.to_numpy(), "t": true.to_numpy()})
    tp = _pairs(frame.groupby(["p", "t"]).size())
    pp = _pairs(frame.groupby("p").size())
    tt = _pairs(frame.groupby("t").size())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score(out: Path, truth: Path) -> dict[str, dict[str, float]]:
    clusters = pd.read_csv(out / "clusters.csv", dtype=str)
    households = pd.read_csv(out / "households.csv", dtype=str)
    persons = pd.read_csv(truth / "persons.csv", dtype=str)
    true_households = pd.read_csv(truth / "households.csv", dtype=str)
    merged = persons.merge(clusters, on=["source", "record_id"], suffixes=("_true", "_pred"))
    assert len(merged) == len(persons), "every record must appear in clusters.csv exactly once"
    person = pairwise(merged["person_id_pred"], merged["person_id_true"])
    # Households: each true person takes the predicted household of its records
    # (the most common one), then pairs of true persons are compared.
    merged["household_pred"] = merged["person_id_pred"].map(
        households.set_index("person_id")["household_id"]
    )
    chosen = (
        merged.groupby(["person_id_true", "household_pred"])
        .size()
        .reset_index(name="n")
        .sort_values(["person_id_true", "n"], ascending=[True, False])
        .drop_duplicates("person_id_true")
    )
    chosen["household_true"] = chosen["person_id_true"].map(
        true_households.set_index("person_id")["household_id"]
    )
    household = pairwise(chosen["household_pred"], chosen["household_true"])
    return {"person": person, "household": household}


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    data_in, out = Path(args.input), Path(args.out)
    if args.run == "exact":
        run_exact(data_in, out)
    elif args.run == "splink":
        run_plain_splink(data_in, out, args.threads)
    else:
        run_tsunagari(data_in, out, args.engine, args.threads)


def measure(method: str, engine: str, data_in: Path, out: Path, threads: int) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--run", method, "--engine", engine,
        "--input", str(data_in), "--out", str(out), "--threads", str(threads),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{method}/{engine} failed with exit code {process.returncode}")
    # Spark's JVM is a grandchild; its memory is reported separately by Spark.
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--methods", default="exact,splink,tsunagari")
    parser.add_argument("--engines", default="duckdb", help="for tsunagari: duckdb,spark")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--noise", choices=["default", "hard"], default="default", help="hard: every noise rate x3"
    )
    parser.add_argument("--work", type=Path, default=None, help="default bench/out/linkage-N")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="duckdb", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        child(args)
        return

    suffix = "" if args.noise == "default" else f"-{args.noise}"
    work = args.work or REPO / "bench" / "out" / f"linkage-{args.records}{suffix}"
    data_in, truth = generate(args.records, args.seed, work, args.noise)
    n_records = len(pd.read_csv(truth / "persons.csv", usecols=["record_id"]))
    rows = []
    for method in args.methods.split(","):
        engines = args.engines.split(",") if method == "tsunagari" else ["duckdb"]
        for engine in engines:
            out = work / f"out-{method}-{engine}"
            print(f"running {method} ({engine}) ...", flush=True)
            run = measure(method, engine, data_in, out, args.threads)
            scores = score(out, truth)
            rows.append((method, engine, run, scores))
            print(json.dumps({"method": method, "engine": engine, **run, **scores}), flush=True)

    print()
    print(f"{n_records:,} records, {args.threads} threads")
    print(
        "| method | engine | seconds | records/s | peak MB | person P | person R | person F1 "
        "| household P | household R | household F1 |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for method, engine, run, s in rows:
        p, h = s["person"], s["household"]
        print(
            f"| {method} | {engine} | {run['seconds']:.1f} | {n_records / run['seconds']:,.0f} "
            f"| {run['peak_mb']:,.0f} | {p['precision']:.4f} | {p['recall']:.4f} | {p['f1']:.4f} "
            f"| {h['precision']:.4f} | {h['recall']:.4f} | {h['f1']:.4f} |"
        )


if __name__ == "__main__":
    main()
