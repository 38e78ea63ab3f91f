"""Recall bench: the engine before and after a change, on every generator, in one run.

For each generator (the project's own ``tsunagari.demo``, the second
``bench/othergen`` and the third ``bench/thirdgen``, both written outside the
engine) and each chosen perturbation of ``bench/linkage_perturb.py`` (``none``:
the generator's data as it is; ``dup_numbers``: registry records written twice
under a new resident number, the issue's main failure), runs ``tsunagari
link`` twice: once with the engine of a git revision (``--before``, default
``HEAD``; its ``src/`` is extracted once under ``bench/out/engine-REV/`` and put
first on ``PYTHONPATH``) and once with the working tree. Prints person
precision / recall / F1, household F1, seconds and peak memory side by side.

    .venv/bin/python bench/linkage_recall.py --people 20000
    .venv/bin/python bench/linkage_recall.py --people 20000 --before 4eee7df --only none
    .venv/bin/python bench/linkage_recall.py --people 20000 --reviewed

``--reviewed`` adds a row per perturbation: the working tree run again with
every pair of its ``review.csv`` decided right (``--decisions``), as a
reviewer would: what the review queue is worth.

Extracts are the perturbation bench's, cached under
``bench/out/perturb-GENERATOR-N-sSEED/``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def engine_src(rev: str) -> Path:
    """The ``src/`` directory of a revision, extracted once."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    target = REPO / "bench" / "out" / f"engine-{sha}"
    if not (target / "src" / "tsunagari").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", sha, "src"], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def run_link(
    src: Path | None, data_in: Path, out: Path, threads: int, decisions: Path | None = None
) -> dict[str, float]:
    """``tsunagari link`` in its own process; ``src`` overrides the installed engine."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [str(PYTHON), "-c", "import sys; from tsunagari.cli import main; sys.exit(main())",
               "link", str(data_in), "--out", str(out), "--no-progress",
               "--threads", str(threads)]  # fmt: skip
    if decisions is not None:
        command += ["--decisions", str(decisions)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"tsunagari link failed on {data_in}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024}


def reviewer_decisions(out: Path, truth: Path, target: Path) -> int:
    """A reviewer who decides every pair of ``review.csv`` right, as a decisions file.

    Returns:
        How many pairs were decided.
    """
    review = pd.read_csv(out / "review.csv", dtype=str)
    persons = pd.read_csv(truth / "persons.csv", dtype=str)
    person = dict(zip(zip(persons["source"], persons["record_id"], strict=True),
                      persons["person_id"], strict=True))  # fmt: skip
    same = [
        person[(a, b)] == person[(c, d)]
        for a, b, c, d in zip(review["source_l"], review["record_id_l"], review["source_r"],
                              review["record_id_r"], strict=True)
    ]  # fmt: skip
    decided = review[["source_l", "record_id_l", "source_r", "record_id_r"]].copy()
    decided["decision"] = ["same" if s else "different" for s in same]
    decided.to_csv(target, index=False)
    return len(decided)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--generators", default="demo,othergen,thirdgen")
    parser.add_argument("--only", default="none,dup_numbers")
    parser.add_argument("--before", default="HEAD", help="git revision of the 'before' engine")
    parser.add_argument("--no-before", action="store_true", help="only the working tree")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--reviewed",
        action="store_true",
        help="also run the working tree again with every review.csv pair decided right",
    )
    args = parser.parse_args()
    perturb, bench = _load("linkage_perturb"), _load("linkage_bench")
    engines: list[tuple[str, Path | None]] = []
    if not args.no_before:
        engines.append((f"before ({args.before})", engine_src(args.before)))
    engines.append(("after (working tree)", None))
    print(f"\n{args.people} people, seed {args.seed}\n")
    print(
        "| generator | perturbation | records | engine | person P | person R | person F1 "
        "| household F1 | seconds | peak MB |"
    )
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for generator in args.generators.split(","):
        work = REPO / "bench" / "out" / f"perturb-{generator}-{args.people}-s{args.seed}"
        data_in, truth = perturb.GENERATORS[generator](args.people, args.seed, work / "base")
        for name in args.only.split(","):
            p_in, p_truth = perturb.perturb(name, data_in, truth, work, args.seed)
            n_records = len(pd.read_csv(p_truth / "persons.csv", dtype=str))
            for label, src in engines:
                tag = "before" if src is not None else "after"
                out = work / name / f"out-recall-{tag}"
                cost = run_link(src, p_in, out, args.threads)
                scores = bench.score(out, p_truth)
                ps, hs = scores["person"], scores["household"]
                print(
                    f"| {generator} | {name} | {n_records:,} | {label} | {ps['precision']:.4f} "
                    f"| {ps['recall']:.4f} | {ps['f1']:.4f} | {hs['f1']:.4f} "
                    f"| {cost['seconds']:.1f} | {cost['peak_mb']:,.0f} |"
                )
                sys.stdout.flush()
                if args.reviewed and src is None:
                    decisions = work / name / "decisions-reviewer.csv"
                    n_pairs = reviewer_decisions(out, p_truth, decisions)
                    reviewed = work / name / "out-recall-reviewed"
                    cost = run_link(None, p_in, reviewed, args.threads, decisions)
                    scores = bench.score(reviewed, p_truth)
                    ps, hs = scores["person"], scores["household"]
                    print(
                        f"| {generator} | {name} | {n_records:,} | after, {n_pairs:,} review "
                        f"pairs decided | {ps['precision']:.4f} | {ps['recall']:.4f} "
                        f"| {ps['f1']:.4f} | {hs['f1']:.4f} | {cost['seconds']:.1f} "
                        f"| {cost['peak_mb']:,.0f} |"
                    )
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
