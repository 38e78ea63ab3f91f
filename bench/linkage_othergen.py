"""Linkage benchmark on extracts from a second, independent generator (bench/othergen).

Generates (once, cached in bench/out/othergen-N[-sSEED]/) a ward of N people with
bench.othergen, runs each method in its own process (so peak memory is its own)
and prints seconds, records per second, peak memory and pairwise precision /
recall / F1 for same-person record pairs and same-household person pairs. For
every method it also writes analysis-METHOD.md next to the data: false splits
and false merges by the hard case the generator put into the data, with
example records.

    .venv/bin/python bench/linkage_othergen.py --people 50000
    .venv/bin/python bench/linkage_othergen.py --people 200000 --methods exact,tsunagari

Methods:
    exact      same reading (NFKC, katakana, no spaces) and the same birth date
               read from ISO, slash or compact notation only; households from
               the registry's 世帯番号
    tsunagari  the real command: tsunagari link IN --out OUT --no-progress
    splink     plain Splink as in bench/linkage_bench.py (generic cleaning only)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
TSUNAGARI = REPO / ".venv" / "bin" / "tsunagari"


def _linkage_bench() -> Any:
    """bench/linkage_bench.py, loaded by path for its scoring and plain Splink."""
    spec = importlib.util.spec_from_file_location("linkage_bench", REPO / "bench/linkage_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(people: int, seed: int, work: Path, id_rate: float) -> tuple[Path, Path]:
    data_in, truth = work / "in", work / "truth"
    if not (truth / "cases.csv").exists():
        started = time.perf_counter()
        subprocess.run(
            [str(PYTHON), "-m", "bench.othergen.generate", "--people", str(people),
             "--out", str(data_in), "--truth", str(truth), "--seed", str(seed),
             "--id-rate", str(id_rate)],
            cwd=REPO, check=True,
        )  # fmt: skip
        print(f"generated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return data_in, truth


def read_all(data_in: Path) -> pd.DataFrame:
    """Every extract as strings, one frame, a ``source`` column first."""
    frame: pd.DataFrame = _linkage_bench()._read_all(data_in)
    return frame


# ---------------------------------------------------------------------------
# Exact baseline
# ---------------------------------------------------------------------------

HIRA_TO_KATA = str.maketrans({chr(cp): chr(cp + 0x60) for cp in range(0x3041, 0x3097)})
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$|^(\d{4})(\d{2})(\d{2})$")


def kana_key(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).translate(HIRA_TO_KATA)
    return text.replace(" ", "").replace("　", "")


def date_key(value: str) -> str:
    match = DATE_RE.match(value.strip())
    if not match:
        return ""
    y, m, d = (int(g) for g in match.groups() if g is not None)
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def run_exact(data_in: Path, out: Path) -> None:
    records = read_all(data_in)
    kana = records["name_kana"].map(kana_key)
    dob = records["birth_date"].map(date_key)
    key = kana + "|" + dob
    key = key.where(kana.ne("") & dob.ne(""), "row:" + records.index.astype(str))
    person = "P" + pd.Series(pd.factorize(key)[0]).astype(str)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {"source": records["source"], "record_id": records["record_id"], "person_id": person}
    ).to_csv(out / "clusters.csv", index=False)
    hh = pd.DataFrame({"person_id": person, "hh": records["household_id"]})
    hh = hh.loc[hh["hh"] != ""].drop_duplicates("person_id").set_index("person_id")["hh"]
    people = pd.Series(sorted(set(person)))
    household = people.map(hh)
    household = household.where(household.notna(), "solo:" + people)
    pd.DataFrame({"person_id": people, "household_id": household}).to_csv(
        out / "households.csv", index=False
    )


# ---------------------------------------------------------------------------
# Running the methods
# ---------------------------------------------------------------------------


def measure(method: str, data_in: Path, out: Path, threads: int) -> dict[str, Any]:
    if method == "tsunagari":
        command = [str(TSUNAGARI), "link", str(data_in), "--out", str(out), "--no-progress",
                   "--threads", str(threads)]  # fmt: skip
    else:
        command = [sys.executable, __file__, "--run", method, "--input", str(data_in),
                   "--out", str(out), "--threads", str(threads)]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{method} failed with exit code {code}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024}


def child(args: argparse.Namespace) -> None:
    data_in, out = Path(args.input), Path(args.out)
    if args.run == "exact":
        run_exact(data_in, out)
    elif args.run == "splink":
        _linkage_bench().run_plain_splink(data_in, out, args.threads)
    else:
        raise SystemExit(f"unknown method {args.run}")


# ---------------------------------------------------------------------------
# Error analysis by hard case
# ---------------------------------------------------------------------------

SHOW = ["source", "record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "address",
        "household_id"]  # fmt: skip
PERSON_CASES = ["twin", "namesake", "parent_child_same_reading", "setai_bunri", "foreign_name"]


def _record_line(row: pd.Series) -> str:
    return "`" + " | ".join(str(row.get(c, "")) for c in SHOW) + "`"


def _pct(k: int, n: int) -> str:
    return f"{k} ({100 * k / n:.1f}%)" if n else "0"


def analyse(data_in: Path, truth: Path, out: Path, examples: int = 3) -> str:
    """Errors by hard case: records split off their person, false merges, household errors."""
    records = read_all(data_in)
    persons = pd.read_csv(truth / "persons.csv", dtype=str)
    clusters = pd.read_csv(out / "clusters.csv", dtype=str)
    households = pd.read_csv(out / "households.csv", dtype=str)
    true_hh = pd.read_csv(truth / "households.csv", dtype=str).set_index("person_id")
    cases = pd.read_csv(truth / "cases.csv", dtype=str, keep_default_na=False)
    frame = persons.merge(clusters, on=["source", "record_id"], suffixes=("_true", "_pred"))
    frame = frame.merge(records, on=["source", "record_id"], how="left")
    t, p = frame["person_id_true"], frame["person_id_pred"]

    # A record is split off when it is not in the cluster of its person's registry record.
    registry = frame[frame["source"] == "registry"].drop_duplicates("person_id_true")
    home = t.map(registry.set_index("person_id_true")["person_id_pred"])
    frame["split_off"] = p != home
    n_true = frame.groupby("person_id_pred")["person_id_true"].nunique()
    bad_clusters = set(n_true.index[n_true > 1])
    merged = set(t[p.isin(bad_clusters)])

    # Households as the score takes them: each true person's most common predicted household.
    frame["hh_pred"] = p.map(households.set_index("person_id")["household_id"])
    chosen = (
        frame.groupby(["person_id_true", "hh_pred"]).size().reset_index(name="n")
        .sort_values(["person_id_true", "n"], ascending=[True, False])
        .drop_duplicates("person_id_true").set_index("person_id_true")["hh_pred"]
    )  # fmt: skip
    hh = pd.DataFrame({"pred": chosen})
    hh["true"] = true_hh["household_id"].reindex(hh.index).to_numpy()
    common = hh.groupby(["pred", "true"])["pred"].transform("size")
    hh_missing = set(hh.index[hh.groupby("true")["true"].transform("size") > common])
    hh_extra = set(hh.index[hh.groupby("pred")["pred"].transform("size") > common])

    lines = [
        f"{len(frame)} records, {t.nunique()} true persons; {int(frame['split_off'].sum())} "
        f"records split off their person; {len(bad_clusters)} predicted clusters hold more "
        f"than one true person ({len(merged)} persons); household mates missing for "
        f"{len(hh_missing)} persons, extra for {len(hh_extra)}.",
        "",
        "Record-level cases, on records outside the registry (a record can carry several; "
        "'alone' counts the records that carry only this one):",
        "",
        "| case | records | split off their person | alone | alone and split off |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rec_cases = cases[(cases["record_id"] != "") & (cases["source"] != "registry")]
    rec_cases = rec_cases.drop_duplicates(["source", "record_id", "case"])
    rec_cases = rec_cases.merge(frame, on=["source", "record_id"], how="left")
    on_record = rec_cases.groupby(["source", "record_id"])["case"].agg(", ".join)
    key = pd.MultiIndex.from_frame(rec_cases[["source", "record_id"]])
    rec_cases["all_cases"] = on_record.reindex(key).to_numpy()
    rec_cases["alone"] = rec_cases["all_cases"] == rec_cases["case"]
    for name, group in rec_cases.groupby("case"):
        alone = group[group["alone"]]
        lines.append(
            f"| {name} | {len(group)} | {_pct(int(group['split_off'].sum()), len(group))} "
            f"| {len(alone)} | {_pct(int(alone['split_off'].sum()), len(alone))} |"
        )
    clean = frame[~frame.set_index(["source", "record_id"]).index.isin(on_record.index)]
    for source, group in clean[clean["source"] != "registry"].groupby("source"):
        k = int(group["split_off"].sum())
        lines.append(f"| (none) {source} | {len(group)} | {_pct(k, len(group))} | | |")
    lines += [
        "",
        "Person-level cases:",
        "",
        "| case | persons | in a false merge | household mates missing | household mates extra |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    everyone = set(t)
    by_case = cases.groupby("case")["person_id"].agg(set)
    with_case = set().union(*by_case.tolist()) if len(by_case) else set()
    groups = {c: by_case[c] for c in by_case.index}
    groups |= {"(no hard case)": everyone - with_case, "(all)": everyone}
    for name, members in groups.items():
        n = len(members)
        lines.append(
            f"| {name} | {n} | {_pct(len(members & merged), n)} "
            f"| {_pct(len(members & hh_missing), n)} | {_pct(len(members & hh_extra), n)} |"
        )

    lines += ["", "Examples (" + ", ".join(SHOW) + "):", ""]
    by_true = frame.groupby("person_id_true")
    for name, group in rec_cases[rec_cases["split_off"]].groupby("case"):
        lines.append(f"### {name}: records split off")
        for _, row in group.head(examples).iterrows():
            reg = registry[registry["person_id_true"] == row["person_id_true"]]
            lines.append(f"* {row['person_id_true']} ({row['all_cases']}): {_record_line(row)}")
            if len(reg):
                lines.append(f"  * registry: {_record_line(reg.iloc[0])}")
        lines.append("")
    for name, members in groups.items():
        if name.startswith("("):
            continue
        bad = sorted(members & merged)[:examples]
        if bad:
            lines.append(f"### {name}: false merges")
        for pid in bad:
            rows = by_true.get_group(pid)
            cluster = rows.loc[rows["person_id_pred"].isin(bad_clusters), "person_id_pred"].iloc[0]
            others = frame[(p == cluster) & (t != pid)]
            lines.append(
                f"* {pid}: {_record_line(rows[rows['person_id_pred'] == cluster].iloc[0])}"
            )
            lines.append(
                f"  * with {others.iloc[0]['person_id_true']}: {_record_line(others.iloc[0])}"
            )
        if name in PERSON_CASES:
            bad = sorted(members & hh_missing)[:examples]
            if bad:
                lines.append(f"### {name}: household mates missing")
            for pid in bad:
                mates = hh.index[
                    (hh["true"] == hh.loc[pid, "true"]) & (hh["pred"] != hh.loc[pid, "pred"])
                ]
                lines.append(
                    f"* {pid}: {_record_line(registry[registry['person_id_true'] == pid].iloc[0])}"
                )
                for mate in mates[:2]:
                    reg = registry[registry["person_id_true"] == mate]
                    lines.append(f"  * apart from {mate}: {_record_line(reg.iloc[0])}")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--methods", default="exact,tsunagari,splink")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--id-rate", type=float, default=1.0,
        help="scale how often department extracts carry the resident number (generator option)",
    )  # fmt: skip
    parser.add_argument(
        "--reuse", action="store_true", help="score earlier outputs again instead of rerunning"
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        child(args)
        return
    suffix = "" if args.seed == 1 else f"-s{args.seed}"
    suffix += "" if args.id_rate == 1.0 else f"-ids{args.id_rate:g}"
    work = REPO / "bench" / "out" / f"othergen-{args.people}{suffix}"
    data_in, truth = generate(args.people, args.seed, work, args.id_rate)
    n_records = len(pd.read_csv(truth / "persons.csv", dtype=str))
    bench = _linkage_bench()
    results = []
    for method in args.methods.split(","):
        out = work / f"out-{method}"
        if args.reuse and (out / "clusters.csv").exists():
            stats = {"seconds": float("nan"), "peak_mb": float("nan")}
        else:
            stats = measure(method, data_in, out, args.threads)
        scores = bench.score(out, truth)
        (work / f"analysis-{method}.md").write_text(analyse(data_in, truth, out) + "\n")
        results.append((method, stats, scores))
        print(f"{method}: {stats['seconds']:.1f}s", file=sys.stderr)
    print(
        f"\n{args.people} people, {n_records} records, seed {args.seed}, id rate {args.id_rate:g}\n"
    )
    print("| method | seconds | records/s | peak MB | person P | person R | person F1 "
          "| household P | household R | household F1 |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for method, stats, scores in results:
        ps, hs = scores["person"], scores["household"]
        print(
            f"| {method} | {stats['seconds']:.1f} | {n_records / stats['seconds']:,.0f} "
            f"| {stats['peak_mb']:,.0f} | {ps['precision']:.4f} | {ps['recall']:.4f} "
            f"| {ps['f1']:.4f} | {hs['precision']:.4f} | {hs['recall']:.4f} | {hs['f1']:.4f} |"
        )


if __name__ == "__main__":
    main()
