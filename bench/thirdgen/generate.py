"""Write department extracts in the linkage contract's format, with ground truth.

    python bench/thirdgen/generate.py --people 20000 --seed 1 --out /tmp/extracts

Writes one CSV per source (registry.csv, kaigo.csv, …) to OUT/extracts/ (the
INPUT_DIR of `tsunagari link`) and the ground truth to OUT/truth/ (see README.md).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from thirdgen import render
from thirdgen.difficulties import (
    ADDRESS_STYLES,
    BY_NAME,
    DATE_STYLES,
    DIFFICULTIES,
    KANA_SCRIPTS,
    PHONE_STYLES,
    SEX_STYLES,
)
from thirdgen.sources import (
    COLUMNS,
    EXCEL_SAVED,
    EXTRACTED_ON,
    RECORD_ID,
    registry_rows,
    source_extras,
)
from thirdgen.world import SOURCES, Address, Household, Name, Person, WorldBuilder, build_world

CANONICAL_ADDRESS = {
    "prefix": "full",
    "chome": "kanji",
    "banchi": "bango",
    "digits": "ascii",
    "hyphen": "-",
    "building": "name_room",
    "sep": "",
    "room": "goshitsu",
}
NOTE_SOURCES = {"minsei"}


@dataclass
class Options:
    people: int
    seed: int
    out: Path
    rates: dict[str, float]


class Renderer:
    """Turns the true world into rows, applying difficulties with their rates."""

    def __init__(self, world: WorldBuilder, rates: dict[str, float], seed: int) -> None:
        self.w = world
        self.rates = rates
        self.rng = random.Random(f"thirdgen-noise-{seed}")
        self.p = {
            (d.name, s): min(1.0, rates[d.name] * d.weight(s))
            for d in DIFFICULTIES
            for s in SOURCES
        }
        self.extra_rid = 190_000_000
        self.extra_setai = 29_000_000
        self.entry_dup_rid: dict[int, str] = {}
        self.namesakes: set[int] = set()
        self.split: dict[int, bool] = {}
        self.seed = seed

    def hit(self, name: str, source: str) -> bool:
        p = self.p[(name, source)]
        return p > 0.0 and (p >= 1.0 or self.rng.random() < p)

    # --- difficulties on people -------------------------------------
    def apply_namesakes(self) -> None:
        rate = self.rates["namesake"]
        if rate <= 0:
            return
        people = self.w.people
        rng = self.rng
        for p in people:
            if rng.random() >= rate or p.pid in self.namesakes:
                continue
            for _ in range(30):
                q = people[rng.randrange(len(people))]
                if (
                    q.hid != p.hid
                    and q.sex == p.sex
                    and abs(q.age - p.age) <= 12
                    and q.pid not in self.namesakes
                ):
                    q.name = Name(
                        p.name.surname,
                        p.name.given,
                        p.name.surname_kana,
                        p.name.given_kana,
                        p.name.foreign,
                        p.name.alt_surname_kana,
                        p.name.alt_given_kana,
                        p.name.homophones,
                    )
                    q.birth = p.birth
                    q.earlier_name = None
                    q.namesake_of = p.pid
                    self.namesakes.update((p.pid, q.pid))
                    break

    def make_official(self) -> None:
        """The registry keeps old characters (髙, 﨑 …) for some residents."""
        rng = random.Random(f"thirdgen-official-{self.seed}")
        for p in self.w.people:
            for n in (p.name, p.earlier_name):
                if n is not None:
                    n.surname = render.official_form(n.surname, rng)
                    n.given = render.official_form(n.given, rng)

    # --- one record -------------------------------------------------
    def record(
        self, source: str, p: Person, hh: Household, on: dt.date
    ) -> tuple[dict[str, str], list[str]]:
        rng = self.rng
        tags: list[str] = []
        name = p.name
        address = hh.address
        is_registry = source == "registry"
        if not is_registry and p.earlier_name is not None and self.hit("surname_change", source):
            name = p.earlier_name
            address = p.earlier_address or address
            tags.append("surname_change")
        elif hh.prev_address is not None and self.hit("moved", source):
            address = hh.prev_address
            tags.append("moved")
        rid = p.rid
        if "resident_id" in COLUMNS[source] and not is_registry:
            if p.old_rid and self.hit("stale_id", source):
                rid = p.old_rid
                tags.append("stale_id")
            elif p.pid in self.entry_dup_rid and rng.random() < 0.3:
                rid = self.entry_dup_rid[p.pid]
                tags.append("registry_dup=entry_dup_ref")
        if p.namesake_of >= 0 or p.pid in self.namesakes:
            tags.append("namesake")
        row = {"resident_id": rid}
        row["name_kanji"], row["name_kana"] = self.names(source, name, tags, is_registry)
        row["birth_date"] = self.birth(source, p, on, tags)
        row["sex"] = self.sex(source, p, tags)
        row["address"] = self.address(source, address, tags)
        row["phone"] = "" if is_registry else self.phone(source, p, hh, tags)
        row["extracted_on"] = EXTRACTED_ON[source].isoformat()
        return row, tags

    def names(self, source: str, name: Name, tags: list[str], is_registry: bool) -> tuple[str, str]:
        rng = self.rng
        surname, given = name.surname, name.given
        skana, gkana = name.surname_kana, name.given_kana
        latin = surname.isascii()
        if not is_registry:
            if render.variant_positions(surname + given) and self.hit("kanji_variant", source):
                both = f"{surname}\t{given}"
                both, detail = render.swap_variant(both, rng)
                surname, given = both.split("\t")
                tags.append(f"kanji_variant={detail}")
            if name.homophones and self.hit("kanji_homophone", source):
                given = rng.choice(name.homophones)
                tags.append("kanji_homophone")
            if (
                (name.alt_surname_kana or name.alt_given_kana)
                and not name.foreign
                and self.hit("kana_reading", source)
            ):
                if name.alt_surname_kana and (not name.alt_given_kana or rng.random() < 0.5):
                    skana = rng.choice(name.alt_surname_kana)
                else:
                    gkana = rng.choice(name.alt_given_kana)
                tags.append("kana_reading")
        given = given.replace("_", " ")
        gkana_parts = gkana.split("_")
        foreign_kind = ""
        if name.foreign and not is_registry and self.hit("foreign_name", source):
            if latin:
                foreign_kind = rng.choice(("katakana", "katakana", "order", "middle"))
                if foreign_kind == "katakana":
                    surname, given = skana, "　".join(gkana_parts)
                elif foreign_kind == "order":
                    surname, given = given, surname
                elif " " in given:
                    given = given.split(" ")[-1]
                else:
                    foreign_kind = "katakana"
                    surname, given = skana, "　".join(gkana_parts)
            else:
                foreign_kind = "native_reading"
                if name.alt_surname_kana:
                    skana = name.alt_surname_kana[0]
                if name.alt_given_kana:
                    gkana_parts = name.alt_given_kana[0].split("_")
            tags.append(f"foreign_name={foreign_kind}")
        elif (
            name.foreign
            and latin
            and name.alt_given_kana
            and not is_registry
            and rng.random() < 0.2
        ):
            gkana_parts = name.alt_given_kana[0].split("_")
        if source in NOTE_SOURCES or source == "houkatsu":
            if self.hit("name_partial", source):
                roll = rng.random()
                if roll < 0.55:
                    suffix = rng.choice(("", "さん", "さん", "様", "氏"))
                    tags.append("name_partial=surname")
                    return surname + suffix, render.to_hiragana(skana) if rng.random() < 0.3 else ""
                tags.append("name_partial=none")
                return rng.choice(render_nameless()), ""
        kanji_sep = " " if latin and foreign_kind != "katakana" else "　"
        kana_sep = "　"
        if self.hit("name_space", source):
            choice = rng.choice(("", "", " "))
            if latin and foreign_kind != "katakana":
                choice = rng.choice(("　", ""))
            kanji_sep = choice
            kana_sep = choice if rng.random() < 0.7 else rng.choice(("", " "))
            tags.append("name_space")
        kanji = f"{surname}{kanji_sep}{given}"
        kana = kana_sep.join([skana, *gkana_parts])
        if "name_kana" not in COLUMNS[source]:
            return kanji, ""
        if self.hit("kana_missing", source):
            tags.append("kana_missing")
            return kanji, ""
        if self.hit("kana_typo", source):
            kana, kind = render.kana_typo(kana, rng)
            if kind:
                tags.append(f"kana_typo={kind}")
        if self.hit("kana_script", source):
            script = rng.choice(KANA_SCRIPTS.get(source, ("half", "hira")))
            kana = render.to_halfwidth_kana(kana) if script == "half" else render.to_hiragana(kana)
            tags.append(f"kana_script={script}")
        return kanji, kana

    def birth(self, source: str, p: Person, on: dt.date, tags: list[str]) -> str:
        rng = self.rng
        d = p.birth
        if source in NOTE_SOURCES or source in ("houkatsu", "npo", "shakyo"):
            if self.hit("birth_vague", source):
                text, kind = render.vague_birth(d, on, rng)
                tags.append(f"birth_vague={kind}")
                return text
        if self.hit("date_error", source):
            roll = rng.random()
            if roll < 0.7:
                d = d + dt.timedelta(days=rng.choice((-1, 1)))
                kind = "day"
            elif roll < 0.85 and d.day <= 12 and d.day != d.month:
                d = d.replace(month=d.day, day=d.month)
                kind = "month_day"
            else:
                try:
                    d = d.replace(year=d.year + rng.choice((-1, 1)))
                except ValueError:  # 29 February
                    d = d + dt.timedelta(days=1)
                kind = "year"
            tags.append(f"date_error={kind}")
        if self.hit("date_format", source):
            style = rng.choice(DATE_STYLES[source])
            tags.append(f"date_format={style}")
            return render.format_date(d, style)
        return d.isoformat()

    def sex(self, source: str, p: Person, tags: list[str]) -> str:
        if self.hit("sex_format", source):
            style = self.rng.choice(SEX_STYLES.get(source, ("kanji",)))
            tags.append(f"sex_format={style}")
            if style == "kanji":
                return "男" if p.sex == 1 else "女"
            if style == "latin":
                return "M" if p.sex == 1 else "F"
            return ""
        return str(p.sex)

    def address(self, source: str, a: Address, tags: list[str]) -> str:
        rng = self.rng
        if self.hit("address_partial", source):
            text, kind = render.partial_address(a, rng)
            tags.append(f"address_partial={kind}")
            return text
        if self.hit("address_format", source):
            styles = ADDRESS_STYLES[source]
            style = dict(CANONICAL_ADDRESS)
            for key, options in styles.items():
                style[key] = rng.choice(options)
            tags.append("address_format")
            return render.format_address(a, style)
        return render.format_address(a, CANONICAL_ADDRESS)

    def phone(self, source: str, p: Person, hh: Household, tags: list[str]) -> str:
        rng = self.rng
        if p.age < 18:
            guardian = next((m for m in hh.members if m.age >= 20 and m.mobile), None)
            number = guardian.mobile if guardian else hh.landline
        elif p.mobile and (p.age < 70 or not hh.landline):
            number = p.mobile
        else:
            number = hh.landline
        if not number:
            return ""
        if self.hit("phone_missing", source):
            tags.append("phone_missing")
            return ""
        if self.hit("phone_other", source):
            options = [n for n in (p.mobile, hh.landline) if n and n != number]
            kin = [m.mobile for m in hh.members if m is not p and m.mobile and m.mobile != number]
            if kin and (not options or rng.random() < 0.4):
                number = rng.choice(kin)
                tags.append("phone_other=household_member")
            elif options:
                number = options[0]
                tags.append("phone_other=" + ("landline" if number.startswith("03") else "mobile"))
        if self.hit("phone_format", source):
            style = rng.choice(PHONE_STYLES.get(source, render.PHONE_STYLES))
            tags.append(f"phone_format={style}")
            return render.format_phone(number, style)
        return number


def render_nameless() -> tuple[str, ...]:
    from thirdgen import data

    return tuple(data.NAMELESS)


def generate(opts: Options, progress: bool = False) -> dict[str, int]:
    """Build the world, write every extract and the truth; return rows per source."""
    t0 = time.monotonic()
    world = build_world(opts.people, opts.seed)
    r = Renderer(world, opts.rates, opts.seed)
    r.make_official()
    r.apply_namesakes()
    extracts, truth_dir = opts.out / "extracts", opts.out / "truth"
    extracts.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with (
        (truth_dir / "truth.csv").open("w", encoding="utf-8", newline="") as tf,
        (truth_dir / "hard_cases.csv").open("w", encoding="utf-8", newline="") as hf,
    ):
        truth = csv.writer(tf, lineterminator="\n")
        hard = csv.writer(hf, lineterminator="\n")
        truth.writerow(["source", "record_id", "person", "household"])
        hard.writerow(["source", "record_id", "difficulties"])
        for source in SOURCES:
            rows = list(_source_rows(source, r, world))
            if source == "registry":
                rows.sort(key=lambda x: x[0]["record_id"])
            else:
                r.rng.shuffle(rows)
                seiho_members: dict[str, int] = {}
                for i, (row, _tags, _p) in enumerate(rows, start=1):
                    if source == "seiho":
                        case = row["household_id"]
                        seiho_members[case] = seiho_members.get(case, 0) + 1
                        row["record_id"] = f"{case}-{seiho_members[case]:02d}"
                    else:
                        row["record_id"] = RECORD_ID[source](i)
                rows.sort(key=lambda x: x[0]["record_id"])
            _write_source(extracts / f"{source}.csv", source, rows)
            for row, tags, p in rows:
                truth.writerow([source, row["record_id"], f"P{p.pid:07d}", f"H{p.hid:07d}"])
                hard.writerow([source, row["record_id"], ";".join(tags)])
            counts[source] = len(rows)
            if progress:
                print(f"{source}: {len(rows)} rows ({time.monotonic() - t0:.1f}s)", file=sys.stderr)
    with (truth_dir / "people.csv").open("w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["person", "household", "pattern", "age", "role"])
        for p in world.people:
            wr.writerow(
                [f"P{p.pid:07d}", f"H{p.hid:07d}", world.households[p.hid].pattern, p.age, p.role]
            )
    manifest = {
        "people": opts.people,
        "seed": opts.seed,
        "households": len(world.households),
        "rates": opts.rates,
        "rows": counts,
        "records": sum(counts.values()),
        "reference_date": "2025-04-01",
        "extracted_on": {k: v.isoformat() for k, v in EXTRACTED_ON.items()},
    }
    (truth_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return counts


def _source_rows(
    source: str, r: Renderer, world: WorldBuilder
) -> Iterator[tuple[dict[str, str], list[str], Person]]:
    on = EXTRACTED_ON[source]
    for p in world.people:
        n = p.services.get(source, 0)
        if not n:
            continue
        hh = world.households[p.hid]
        if source == "registry":
            for row, tags in registry_rows(r, p, hh):
                yield row, tags, p
            continue
        for k in range(n):
            extras = source_extras(source, p, hh, r, k)
            noted_text = extras.get("noted_on") or extras.get("consulted_on")
            noted = dt.date.fromisoformat(noted_text) if noted_text else on
            row, tags = r.record(source, p, hh, noted)
            row.update(extras)
            yield row, tags, p


def _write_source(
    path: Path, source: str, rows: Sequence[tuple[dict[str, str], list[str], Person]]
) -> None:
    columns = COLUMNS[source]
    excel = source in EXCEL_SAVED
    with path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\r\n" if excel else "\n")
        wr.writerow(columns)
        for row, _tags, _p in rows:
            wr.writerow([row.get(c, "") for c in columns])


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        description="Write department extracts in the linkage contract's format, with ground truth."
    )
    parser.add_argument(
        "--people", type=int, required=True, help="people in the ward (539000 is Koto)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="writes OUT/extracts/*.csv (INPUT_DIR for tsunagari link) and OUT/truth/",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[d.name for d in DIFFICULTIES],
        default=[],
        help="apply only this difficulty (repeatable)",
    )
    parser.add_argument("--none", action="store_true", help="apply no difficulty at all")
    for d in DIFFICULTIES:
        parser.add_argument(
            f"--rate-{d.name.replace('_', '-')}",
            f"--rate-{d.name}",
            dest=f"rate_{d.name}",
            type=float,
            default=d.default,
            metavar="X",
            help=f"per {d.unit} (default {d.default})",
        )
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    if args.none and args.only:
        parser.error("--none and --only exclude each other")
    rates: dict[str, float] = {}
    for d in DIFFICULTIES:
        value = getattr(args, f"rate_{d.name}")
        if not 0.0 <= value <= 1.0:
            parser.error(f"--rate-{d.name} must be between 0 and 1, got {value}")
        if args.none or (args.only and d.name not in args.only):
            value = 0.0
        rates[d.name] = value
    return Options(args.people, args.seed, args.out, rates)


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    t0 = time.monotonic()
    counts = generate(opts, progress=sys.stderr.isatty())
    print(
        f"wrote {sum(counts.values())} records for {opts.people} people: "
        f"{opts.out / 'extracts'} (truth in {opts.out / 'truth'}) in {time.monotonic() - t0:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["BY_NAME", "COLUMNS", "generate", "main", "parse_args"]
