"""Write a ward's department extracts (and their ground truth) from the linkage contract alone.

    .venv/bin/python -m bench.othergen.generate --people 20000 --out DIR --truth TRUTHDIR --seed 1

DIR receives registry.csv, care.csv, disability.csv, child.csv, poverty.csv and
community.csv. TRUTHDIR receives persons.csv (source, record_id, person_id),
households.csv (person_id, household_id), cases.csv (person_id, case, source,
record_id: which people were made with which hard case, and the record that
shows it) and styles.json (the notation each source was given).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
import unicodedata
import zlib
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from . import names as N

AS_OF = date(2026, 4, 1)
SOURCES = ["registry", "care", "disability", "child", "poverty", "community"]

# ---------------------------------------------------------------------------
# Character helpers
# ---------------------------------------------------------------------------


def _half_width_table() -> dict[str, str]:
    single = {}
    for cp in range(0xFF61, 0xFFA0):
        ch = chr(cp)
        full = unicodedata.normalize("NFKC", ch)
        if len(full) == 1:
            single[full] = ch
    table = {}
    for cp in range(0x30A1, 0x30FD):
        ch = chr(cp)
        if ch in single:
            table[ch] = single[ch]
            continue
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 2 and parts[0] in single:
            table[ch] = single[parts[0]] + ("ﾞ" if parts[1] == "\u3099" else "ﾟ")
    table.update({"ー": "ｰ", "　": " ", "・": "･"})
    return table


HALF = str.maketrans(_half_width_table())
HIRA = str.maketrans({chr(cp): chr(cp - 0x60) for cp in range(0x30A1, 0x30F7)})
FULL_DIGITS = str.maketrans("0123456789-()/.", "０１２３４５６７８９－（）／．")
KANJI_DIGITS = "〇一二三四五六七八九"
SMALL_LARGE = dict(zip("ァィゥェォャュョッ", "アイウエオヤユヨツ", strict=True))
SMALL_LARGE.update({v: k for k, v in SMALL_LARGE.items()})
ROWS = ["アイウエオ", "カキクケコ", "サシスセソ", "タチツテト", "ナニヌネノ", "ハヒフヘホ",
        "マミムメモ", "ヤユヨ", "ラリルレロ", "ワン"]  # fmt: skip
ROW_OF = {ch: row for row in ROWS for ch in row}


def kanji_number(n: int) -> str:
    """12 -> 十二 (for 丁目 and hand-written 番地)."""
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + (KANJI_DIGITS[ones] if ones else "")


def kana_typo(kana: str, rng: random.Random) -> str:
    """One mistyped character in a katakana reading (dakuten, small kana, long vowel, row)."""
    positions = [i for i, ch in enumerate(kana) if ch not in " 　"]
    for _ in range(10):
        i = rng.choice(positions)
        ch = kana[i]
        voiced = unicodedata.normalize("NFC", ch + "\u3099")
        plain = unicodedata.normalize("NFD", ch)
        r = rng.random()
        if ch in SMALL_LARGE:
            new = SMALL_LARGE[ch]
        elif len(plain) == 2 and r < 0.6:
            new = plain[0]
        elif len(voiced) == 1 and r < 0.4:
            new = voiced
        elif ch in "ウー":
            new = "ー" if ch == "ウ" else "ウ"
        elif ch in ROW_OF and r < 0.85:
            new = rng.choice(ROW_OF[ch].replace(ch, ""))
        elif len(positions) > 3:
            new = ""
        else:
            continue
        out = kana[:i] + new + kana[i + 1 :]
        if out != kana:
            return out
    return kana + "ー"


ERAS = [
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
    (date(1912, 7, 30), "大正", "T"),
    (date(1868, 1, 1), "明治", "M"),
]
DATE_STYLES = ["iso", "slash", "slash0", "compact", "wareki", "wareki_short", "wareki_fw"]


def format_date(d: date, style: str) -> str:
    y, m, dd = d.year, d.month, d.day
    if style == "iso":
        return f"{y:04d}-{m:02d}-{dd:02d}"
    if style == "slash":
        return f"{y}/{m}/{dd}"
    if style == "slash0":
        return f"{y}/{m:02d}/{dd:02d}"
    if style == "compact":
        return f"{y:04d}{m:02d}{dd:02d}"
    start, era, letter = next(e for e in ERAS if d >= e[0])
    ey = y - start.year + 1
    if style == "wareki_short":
        return f"{letter}{ey}.{m}.{dd}"
    text = f"{era}{'元' if ey == 1 else ey}年{m}月{dd}日"
    return text.translate(FULL_DIGITS) if style == "wareki_fw" else text


# ---------------------------------------------------------------------------
# Name and address pools
# ---------------------------------------------------------------------------


class Pools:
    def __init__(self, rng: random.Random) -> None:
        listed = N.pairs(N.SURNAMES)
        self.surnames = listed
        self.surname_cum = list(accumulate(1 / (r + 4) ** 0.9 for r in range(len(listed))))
        prefixes = N.pairs(N.PREFIXES)
        suffixes = N.pairs(N.SUFFIXES)
        known = {k for k, _ in listed}
        tail = []
        for pk, pr in prefixes:
            for sk, sr in suffixes:
                kanji = pk + sk
                if kanji in known:
                    continue
                readings = sr.split("/")
                main = (
                    readings[zlib.crc32(kanji.encode()) % len(readings)]
                    if len(readings) > 1
                    else readings[0]
                )
                tail.append((kanji, pr + main, [pr + r for r in readings]))
        rng.shuffle(tail)
        self.tail = tail
        self.tail_cum = list(accumulate(1 / (r + 20) ** 0.7 for r in range(len(tail))))
        self.given = {}
        self.same_reading: dict[tuple[str, str], list[str]] = {}
        for sex, table in (("M", N.MALE), ("F", N.FEMALE)):
            for cohort, block in table.items():
                entries = N.pairs(block)
                cum = list(accumulate(1 / (r + 3) ** 0.7 for r in range(len(entries))))
                self.given[sex, cohort] = (entries, cum)
                for kanji, reading in entries:
                    group = self.same_reading.setdefault((sex, reading), [])
                    if kanji not in group:
                        group.append(kanji)
        towns = []
        for item in N.TOWNS.split():
            name, _, chome = item.partition(":")
            towns.append((name, int(chome)))
        self.towns = towns
        self.town_cum = list(accumulate(max(c, 1) + 1.5 for _, c in towns))
        self.buildings: list[list] = []
        self.open_buildings: list[int] = []
        self.lots: set[tuple] = set()

    def surname(self, rng: random.Random) -> tuple[str, str]:
        if rng.random() < 0.72:
            kanji, kana = rng.choices(self.surnames, cum_weights=self.surname_cum)[0]
            if kanji in N.VARIANT_FAMILIES:
                forms = N.VARIANT_FAMILIES[kanji]
                kanji = rng.choices([f for f, _ in forms], weights=[w for _, w in forms])[0]
            return kanji, kana
        kanji, main, readings = rng.choices(self.tail, cum_weights=self.tail_cum)[0]
        # The same kanji are read differently by some families (ナカシマ/ナカジマ).
        kana = main if len(readings) == 1 or rng.random() < 0.85 else rng.choice(readings)
        return kanji, kana

    def given_name(self, sex: str, born: int, rng: random.Random) -> tuple[str, str]:
        cohort = "A" if born <= 1950 else "B" if born <= 1975 else "C" if born <= 1995 else "D"
        if rng.random() < 0.12:
            order = "ABCD"
            i = order.index(cohort) + rng.choice((-1, 1))
            cohort = order[min(max(i, 0), 3)]
        entries, cum = self.given[sex, cohort]
        return rng.choices(entries, cum_weights=cum)[0]

    def address(self, rng: random.Random, apartment_p: float = 0.8) -> tuple:
        if rng.random() < apartment_p:
            if self.open_buildings and rng.random() < 0.85:
                slot = rng.randrange(len(self.open_buildings))
                b = self.buildings[self.open_buildings[slot]]
            else:
                b = self._new_building(rng)
                self.open_buildings.append(len(self.buildings))
                self.buildings.append(b)
                slot = len(self.open_buildings) - 1
            town, chome, ban, go, name, used, floors, units = b
            floor, unit = divmod(used, units)
            b[5] += 1
            if b[5] >= floors * units:
                self.open_buildings[slot] = self.open_buildings[-1]
                self.open_buildings.pop()
            return (town, chome, ban, go, name, f"{floor + 1}{unit + 1:02d}")
        town, chome, ban, go = self._lot(rng)
        return (town, chome, ban, go, "", "")

    def _lot(self, rng: random.Random) -> tuple[int, int, int, int]:
        """A 番-号 no other house or building stands on."""
        while True:
            town, chome = self._town_chome(rng)
            key = (town, chome, rng.randint(1, 45), rng.randint(1, 35))
            if key not in self.lots:
                self.lots.add(key)
                return key

    def _town_chome(self, rng: random.Random) -> tuple[int, int]:
        town = rng.choices(range(len(self.towns)), cum_weights=self.town_cum)[0]
        chomes = self.towns[town][1]
        return town, (rng.randint(1, chomes) if chomes else 0)

    def _new_building(self, rng: random.Random) -> list:
        town, chome, ban, go = self._lot(rng)
        tname = self.towns[town][0]
        if rng.random() < 0.15:
            pattern = rng.choice(N.PUBLIC_HOUSING)
            name = pattern.format(town=tname, chome=kanji_number(chome) + "丁目" if chome else "")
            name += f"{rng.randint(1, 12)}号棟"
            floors, units = rng.randint(4, 11), rng.randint(6, 12)
        else:
            name = rng.choice(N.BUILDING_HEADS) + tname + rng.choice(N.BUILDING_TAILS)
            floors, units = rng.randint(3, 15), rng.randint(3, 8)
        return [town, chome, ban, go, name, 0, floors, units]


def _foreign_tables() -> dict[str, tuple[list, list]]:
    def parse(block: str) -> list[tuple[str, str, str]]:
        out = []
        for kanji, readings in N.pairs(block):
            main, _, alt = readings.partition("/")
            out.append((kanji.replace("_", " "), main.replace("_", " "), alt.replace("_", " ")))
        return out

    return {
        "cn": (parse(N.CHINESE_SURNAMES), parse(N.CHINESE_GIVEN)),
        "kr": (parse(N.KOREAN_SURNAMES), parse(N.KOREAN_GIVEN)),
        "vn": (parse(N.VIETNAMESE_SURNAMES), parse(N.VIETNAMESE_GIVEN)),
        "np": (parse(N.NEPALI_SURNAMES), parse(N.NEPALI_GIVEN)),
    }


FOREIGN = _foreign_tables()

# ---------------------------------------------------------------------------
# People and households
# ---------------------------------------------------------------------------


class Person:
    __slots__ = (
        "addr", "alt_kana", "dob", "foreign", "giv", "giv_kana", "hh", "home_phone", "kind",
        "latin", "maiden", "mobile", "named", "old_addr", "old_rid", "pid", "reg_hh", "rel", "rid",
        "sex", "sur", "sur_kana",
    )  # fmt: skip

    def age(self) -> int:
        return (
            AS_OF.year - self.dob.year - ((AS_OF.month, AS_OF.day) < (self.dob.month, self.dob.day))
        )


HOUSEHOLD_TYPES = [
    ("single_young", 24), ("single_elderly", 14), ("couple_young", 9), ("couple_elderly", 9),
    ("couple_kids", 23), ("single_parent", 5), ("p8050", 5), ("three_gen", 5), ("elder_child", 4),
]  # fmt: skip


class World:
    def __init__(self, people: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pools = Pools(self.rng)
        self.people: list[Person] = []
        self.households: list[tuple[str, list[Person]]] = []
        self.cases: list[tuple[str, str, str, str]] = []
        self.reg_counter = 0
        self.target = people
        self.rid_pool = iter(self.rng.sample(range(10**9, 10**10), int(people * 1.05) + 100))
        reg_ids = self.rng.sample(range(10**8, 10**9), people + 100)
        self.reg_ids = iter(reg_ids)

    def case(self, p: Person, name: str, source: str = "", record_id: str = "") -> None:
        self.cases.append((p.pid, name, source, record_id))

    def dob_for_age(self, age: int) -> date:
        return AS_OF - timedelta(days=int((age + self.rng.random()) * 365.25))

    def person(self, hh: int, sex: str, age: int, surname: tuple[str, str], rel: str) -> Person:
        p = Person()
        p.pid = f"T{len(self.people):07d}"
        p.hh = hh
        p.sex = sex
        p.dob = self.dob_for_age(age)
        p.sur, p.sur_kana = surname
        p.giv, p.giv_kana = self.pools.given_name(sex, p.dob.year, self.rng)
        p.rel = rel
        p.rid = str(next(self.rid_pool))
        p.old_rid = p.old_addr = p.maiden = p.latin = p.alt_kana = None
        p.foreign = ""
        p.kind = ""
        p.home_phone = None
        p.mobile = None
        p.reg_hh = None
        p.named = False  # a name chosen for a hard case, kept as it is
        self.people.append(p)
        return p

    def build(self) -> None:
        rng = self.rng
        kinds = [k for k, _ in HOUSEHOLD_TYPES]
        cum = list(accumulate(w for _, w in HOUSEHOLD_TYPES))
        while len(self.people) < self.target:
            kind = rng.choices(kinds, cum_weights=cum)[0]
            members = getattr(self, "_" + kind)(len(self.households))
            # Parents do not give two children (or a child and themselves) one name.
            seen: set[str] = set()
            for p in sorted(members, key=lambda m: not m.named):
                while p.giv in seen and not p.named:
                    p.giv, p.giv_kana = self.pools.given_name(p.sex, p.dob.year, rng)
                seen.add(p.giv)
            addr = self.pools.address(rng, 0.7 if kind in ("three_gen", "couple_kids") else 0.85)
            oldest = max(p.age() for p in members)
            landline = 0.75 if oldest >= 65 else 0.2
            home = _landline(rng) if rng.random() < landline else None
            reg = self.next_reg()
            for p in members:
                p.addr = addr
                p.kind = kind
                p.home_phone = home
                a = p.age()
                if 15 <= a <= 85 and rng.random() < (0.85 if a < 65 else 0.45):
                    p.mobile = _mobile(rng)
                if p.reg_hh is None:
                    p.reg_hh = reg
            self.households.append((f"H{len(self.households):07d}", members))
        self._foreigners()
        self._namesakes()

    def next_reg(self) -> str:
        return f"{next(self.reg_ids):09d}"

    # -- household kinds ------------------------------------------------------

    def _single_young(self, hh: int) -> list[Person]:
        rng = self.rng
        age = int(min(64, 20 + rng.expovariate(1 / 14)))
        p = self.person(hh, rng.choice("MF"), age, self.pools.surname(rng), "世帯主")
        return [p]

    def _single_elderly(self, hh: int) -> list[Person]:
        rng = self.rng
        age = int(min(101, 65 + rng.expovariate(1 / 11)))
        sex = "F" if rng.random() < 0.68 else "M"
        p = self.person(hh, sex, age, self.pools.surname(rng), "世帯主")
        return [p]

    def _couple(self, hh: int, man_age: int, wife_gap: tuple[int, int]) -> list[Person]:
        rng = self.rng
        sur = self.pools.surname(rng)
        man = self.person(hh, "M", man_age, sur, "世帯主")
        wife_age = max(18, man_age - rng.randint(*wife_gap))
        wife = self.person(hh, "F", wife_age, sur, "妻")
        if rng.random() < 0.06:  # the wife is registered as head
            man.rel, wife.rel = "夫", "世帯主"
        return [man, wife]

    def _couple_young(self, hh: int) -> list[Person]:
        return self._couple(hh, self.rng.randint(25, 64), (-3, 8))

    def _couple_elderly(self, hh: int) -> list[Person]:
        return self._couple(hh, min(99, 65 + int(self.rng.expovariate(1 / 9))), (0, 6))

    def _kids(self, hh: int, parents: list[Person], n: int, sur: tuple[str, str]) -> list[Person]:
        rng = self.rng
        mother_age = min(p.age() for p in parents)
        kids = []
        for i in range(n):
            age = rng.randint(0, max(0, min(22, mother_age - 22)))
            kid = self.person(hh, rng.choice("MF"), age, sur, "子")
            kids.append(kid)
            if i == 0 and n >= 2 and rng.random() < 0.03:  # twins
                twin = self.person(hh, rng.choice("MF"), age, sur, "子")
                twin.dob = kid.dob
                twin.giv, twin.giv_kana = self._twin_name(kid, twin.sex)
                kid.named = twin.named = True
                kids.append(twin)
                self.case(kid, "twin")
                self.case(twin, "twin")
                break
        return kids

    def _twin_name(self, kid: Person, sex: str) -> tuple[str, str]:
        rng = self.rng

        def distinct(giv: tuple[str, str]) -> bool:
            # Not the same name, nor the same reading, nor variants of one character.
            return giv[1] != kid.giv_kana and giv[0].translate(N.SIMPLIFY) != kid.giv

        for _ in range(20):
            giv = self.pools.given_name(sex, kid.dob.year, rng)
            # Twins often share a character or the first sound of their names.
            if distinct(giv) and (giv[0][0] == kid.giv[0] or giv[1][0] == kid.giv_kana[0]):
                return giv
        while True:
            giv = self.pools.given_name(sex, kid.dob.year, rng)
            if distinct(giv):
                return giv

    def _couple_kids(self, hh: int) -> list[Person]:
        rng = self.rng
        parents = self._couple(hh, rng.randint(28, 56), (-3, 6))
        n = rng.choices((1, 2, 3), weights=(40, 45, 15))[0]
        kids = self._kids(hh, parents, n, (parents[0].sur, parents[0].sur_kana))
        self._same_reading(parents[0], kids, 0.02)
        return parents + kids

    def _single_parent(self, hh: int) -> list[Person]:
        rng = self.rng
        sex = "F" if rng.random() < 0.85 else "M"
        parent = self.person(hh, sex, rng.randint(24, 55), self.pools.surname(rng), "世帯主")
        kids = self._kids(hh, [parent], rng.choice((1, 1, 2)), (parent.sur, parent.sur_kana))
        return [parent, *kids]

    def _same_reading(self, father: Person, kids: list[Person], p: float) -> None:
        """A son whose given name reads like his father's, in other characters."""
        sons = [k for k in kids if k.sex == "M" and k.rel == "子"]
        if father.sex != "M" or not sons or self.rng.random() >= p:
            return
        options = [
            k for k in self.pools.same_reading.get(("M", father.giv_kana), []) if k != father.giv
        ]
        if not options:
            return
        son = sons[0]
        son.giv, son.giv_kana = self.rng.choice(options), father.giv_kana
        son.named = father.named = True
        self.case(father, "parent_child_same_reading")
        self.case(son, "parent_child_same_reading")

    def _separate(self, olds: list[Person], p: float) -> None:
        """世帯分離: the elderly parents form their own registry household at the address."""
        if self.rng.random() >= p:
            return
        reg = self.next_reg()
        head = olds[0]
        for q in olds:
            q.reg_hh = reg
            q.rel = "世帯主" if q is head else ("妻" if q.sex == "F" else "夫")
            self.case(q, "setai_bunri")

    def _p8050(self, hh: int) -> list[Person]:
        rng = self.rng
        sur = self.pools.surname(rng)
        page = min(99, 78 + int(rng.expovariate(1 / 6)))
        if rng.random() < 0.4:
            olds = self._couple(hh, page, (0, 5))
        else:
            olds = [self.person(hh, "F" if rng.random() < 0.7 else "M", page, sur, "世帯主")]
        sur = (olds[0].sur, olds[0].sur_kana)
        child = self.person(hh, rng.choice("MMF"), rng.randint(46, 62), sur, "子")
        self._same_reading(olds[0], [child], 0.15)
        self._separate(olds, 0.3)
        if child.reg_hh is None and olds[0].reg_hh is not None:
            child.reg_hh = self.next_reg()
            child.rel = "世帯主"
        return [*olds, child]

    def _three_gen(self, hh: int) -> list[Person]:
        rng = self.rng
        mid = self._couple(hh, rng.randint(33, 60), (-3, 6))
        kids = self._kids(hh, mid, rng.choice((0, 1, 1, 2)), (mid[0].sur, mid[0].sur_kana))
        gage = max(mid[0].age() + rng.randint(24, 36), 62)
        if rng.random() < 0.7:  # the husband's parents
            sur = (mid[0].sur, mid[0].sur_kana)
            olds = [self.person(hh, "M", gage, sur, "父")]
            if rng.random() < 0.5:
                olds.append(self.person(hh, "F", gage - rng.randint(0, 5), sur, "母"))
            else:
                olds[0].sex = "F"
                olds[0].giv, olds[0].giv_kana = self.pools.given_name("F", olds[0].dob.year, rng)
                olds[0].rel = "母"
            self._same_reading(olds[0], [mid[0]], 0.1)
        else:  # the wife's mother, with her own surname
            olds = [self.person(hh, "F", gage, self.pools.surname(rng), "妻の母")]
        self._separate(olds, 0.3)
        return mid + kids + olds

    def _elder_child(self, hh: int) -> list[Person]:
        """An elderly parent living with a married child who keeps the registry head."""
        rng = self.rng
        mid = self._couple(hh, rng.randint(40, 64), (-3, 6))
        sur = (mid[0].sur, mid[0].sur_kana)
        old = self.person(hh, "F" if rng.random() < 0.75 else "M", rng.randint(72, 98), sur, "母")
        if old.sex == "M":
            old.rel = "父"
        self._separate([old], 0.45)
        return [*mid, old]

    # -- population-level hard cases -----------------------------------------

    def _foreigners(self) -> None:
        rng = self.rng
        for _, members in self.households:
            if members[0].kind not in ("single_young", "couple_young", "couple_kids"):
                continue
            if rng.random() >= 0.035:
                continue
            nat = rng.choices(("cn", "kr", "vn", "np"), weights=(45, 20, 25, 10))[0]
            surs, givs = FOREIGN[nat]
            sur = rng.choice(surs)
            native = rng.random() < 0.5  # which reading the registry holds
            taken: list[tuple[str, str, str]] = []
            for p in members:
                p.foreign = nat
                if nat == "np":
                    pool = [g for g in givs if (g[0] in N.NEPALI_FEMALE) == (p.sex == "F")]
                elif nat == "vn":
                    pool = [g for g in givs if ("THI" in g[0]) == (p.sex == "F")]
                else:
                    pool = givs
                unused = [g for g in pool if g not in taken] or pool
                giv = rng.choice(unused)
                taken.append(giv)
                if nat in ("cn", "kr"):
                    p.sur, p.giv = sur[0], giv[0]
                    first = (sur[2], giv[2]) if native else (sur[1], giv[1])
                    other = (sur[1], giv[1]) if native else (sur[2], giv[2])
                    p.sur_kana, p.giv_kana = first
                    p.alt_kana = other
                else:
                    p.latin = f"{sur[0]} {giv[0]}"
                    p.sur, p.giv = sur[1], giv[1]
                    p.sur_kana, p.giv_kana = sur[1], giv[1]
                    p.alt_kana = (sur[2], giv[2])

    def _namesakes(self) -> None:
        """Two people with one name, reading and birth date at different addresses."""
        rng = self.rng
        singles = [p for p in self.people if p.kind in ("single_young", "single_elderly")]
        others = [p for p in self.people if not p.foreign and p.age() >= 20]
        for _ in range(len(self.people) // 900):
            b = rng.choice(singles)
            if b.foreign or b.kind == "namesake":
                continue
            a = rng.choice(others)
            if a is b or a.addr == b.addr:
                continue
            b.sur, b.sur_kana, b.giv, b.giv_kana = a.sur, a.sur_kana, a.giv, a.giv_kana
            b.sex, b.dob = a.sex, a.dob
            b.kind = "namesake"
            self.case(a, "namesake")
            self.case(b, "namesake")


def _landline(rng: random.Random) -> str:
    return f"03{rng.choice('3556')}{rng.randint(100, 999)}{rng.randint(0, 9999):04d}"


def _mobile(rng: random.Random) -> str:
    return (
        f"{rng.choice(('090', '080', '070'))}{rng.randint(0, 9999):04d}{rng.randint(0, 9999):04d}"
    )


# ---------------------------------------------------------------------------
# Sources: who is in them, and how each vendor writes
# ---------------------------------------------------------------------------

KANA_STYLES = ["fw_zspace", "fw_hspace", "fw_nospace", "hw_space", "hw_nospace", "hira_space"]
ADDRESS_STYLES = ["kanji_full", "kanji_ku", "hyphen_ku", "hyphen", "fw_hyphen", "banchi"]
PHONE_STYLES = ["hyphen", "paren", "plain", "fw"]
SEX_STYLES = ["12", "kanji", "MF", "empty"]
NAME_SEPS = ["　", " ", ""]


class Style:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def pick_styles(rng: random.Random, id_rate: float = 1.0) -> dict[str, Style]:
    """Each vendor system gets its own notation; the registry is the tidiest."""
    vendors = ["care", "disability", "child", "poverty"]
    dates = rng.sample(["slash", "compact", "wareki", "wareki_short", "wareki_fw", "slash0"], 4)
    kanas = rng.sample(["fw_hspace", "fw_nospace", "hw_space", "hw_nospace", "hira_space"], 4)
    addrs = rng.sample(["kanji_ku", "hyphen_ku", "hyphen", "fw_hyphen", "banchi"], 4)
    phones = rng.sample(PHONE_STYLES, 4)
    sexes = rng.sample(["12", "kanji", "MF", "12"], 4)
    seps = [rng.choice(NAME_SEPS) for _ in vendors]
    styles = {
        "registry": Style(
            date=rng.choice(["iso", "wareki", "slash0"]), kana="fw_zspace", sep="　",
            address="kanji_full", building=1.0, room=rng.choice(["goshitsu", "fullspace"]),
            phone=None, sex=rng.choice(["12", "kanji"]),
            simplify=0.0, kana_missing=0.0, rid=1.0, relation=rng.choice(["続柄", "relation"]),
        ),
    }  # fmt: skip
    for i, name in enumerate(vendors):
        styles[name] = Style(
            date=dates[i], kana=kanas[i], sep=seps[i], address=addrs[i],
            building=rng.choice([0.95, 0.8, 0.5]), phone=phones[i], sex=sexes[i],
            room=rng.choice(["goshitsu", "space", "dash", "room_only"]),
            simplify=rng.choice([0.3, 0.6, 1.0]), kana_missing=rng.choice([0.0, 0.02, 0.1]),
            rid=id_rate * {"care": 0.97, "disability": 0.9, "child": 0.98, "poverty": 0.85}[name],
        )  # fmt: skip
    styles["community"] = Style(
        date="mixed", kana="mixed", sep="mixed", address="mixed", building=0.6, room="mixed",
        phone="mixed",
        sex="mixed", simplify=0.5, kana_missing=0.6, rid=0.0,
    )  # fmt: skip
    return styles


def format_kana(kana: str, style: str) -> str:
    if style.startswith("hw"):
        kana = kana.translate(HALF)
    elif style.startswith("hira"):
        kana = kana.translate(HIRA)
    if style.endswith("nospace"):
        return kana.replace(" ", "")
    if style.endswith("zspace"):
        return kana.replace(" ", "　")
    return kana


ROOM_FORMATS = {
    "goshitsu": " {b} {r}号室",
    "space": " {b} {r}",
    "dash": " {b}-{r}",
    "fullspace": "　{b}　{r}",
    "joined": "{b}{r}",  # hand-typed only: 第2 + 103 reads as 第2103
    "room_only": "-{r}",
}


def format_address(
    addr: tuple, style: str, building: bool, towns: list, room_format: str = "goshitsu"
) -> str:
    town, chome, ban, go, bname, room = addr
    tname = towns[town][0]
    room_no = room if bname and building else ""
    tail = ROOM_FORMATS[room_format].format(b=bname, r=room_no) if room_no else ""
    if style in ("kanji_full", "kanji_ku", "banchi"):
        prefix = "東京都江東区" if style == "kanji_full" else "江東区"
        if style == "banchi":
            body = f"{tname}{str(chome) + '丁目' if chome else ''}{ban}番地{go}"
        else:
            body = f"{tname}{kanji_number(chome) + '丁目' if chome else ''}{ban}番{go}号"
        if tail.startswith("-"):
            tail = f" {bname} {room_no}"
        return prefix + body + tail
    parts = [str(chome)] if chome else []
    parts += [str(ban), str(go)]
    if style == "fw_hyphen":
        if room_no:
            parts.append(room_no)
        return (tname + "-".join(parts)).translate(FULL_DIGITS)
    return ("江東区" if style == "hyphen_ku" else "") + tname + "-".join(parts) + tail


def format_phone(number: str, style: str) -> str:
    if number.startswith("03"):
        a, b, c = number[:2], number[2:6], number[6:]
    else:
        a, b, c = number[:3], number[3:7], number[7:]
    if style == "paren":
        return f"{a}({b}){c}" if a == "03" else f"({a}){b}-{c}"
    if style == "plain":
        return number
    text = f"{a}-{b}-{c}"
    return text.translate(FULL_DIGITS) if style == "fw" else text


def format_sex(sex: str, style: str) -> str:
    if style == "12":
        return "1" if sex == "M" else "2"
    if style == "kanji":
        return "男" if sex == "M" else "女"
    if style == "MF":
        return sex
    return ""


CARE_LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
DISABILITY = [("身体", ["1級", "2級", "3級", "4級", "5級", "6級"]), ("療育", ["A1", "A2", "B1", "B2"]),
              ("精神", ["1級", "2級", "3級"])]  # fmt: skip
NOTES = ["見守り訪問", "サロン参加", "民生委員より連絡", "配食サービス", "近隣から相談", "電話連絡",
         "ふれあい会食", "ごみ出し支援", "安否確認"]  # fmt: skip


class Writer:
    """Decides who appears in each source, applies the hard cases and writes the files."""

    def __init__(
        self, world: World, out: Path, truth: Path, seed: int, id_rate: float = 1.0
    ) -> None:
        self.w = world
        self.rng = world.rng
        self.out = out
        self.truth = truth
        # Notations depend on the seed only, so runs of different sizes share them.
        self.styles = pick_styles(random.Random(seed), id_rate)
        self.towns = world.pools.towns

    def membership(self) -> list[tuple[Person, str]]:
        rng = self.rng
        plan: list[tuple[Person, str]] = []
        poor_households = set()
        for hid, members in self.w.households:
            kind = members[0].kind
            p_poor = {"single_elderly": 0.07, "single_young": 0.02, "single_parent": 0.12,
                      "p8050": 0.16, "namesake": 0.03}.get(kind, 0.008)  # fmt: skip
            if rng.random() < p_poor:
                poor_households.add(hid)
        for hid, members in self.w.households:
            for p in members:
                a = p.age()
                plan.append((p, "registry"))
                care = 0.55 if a >= 85 else 0.2 if a >= 75 else 0.05 if a >= 65 else 0.003
                if p.kind == "p8050" and a >= 75:
                    care = 0.7
                if a >= 40 and rng.random() < care:
                    plan.append((p, "care"))
                dis = 0.02 if a < 18 else 0.045 if a < 65 else 0.11
                if p.kind == "p8050" and a < 65:
                    dis = 0.35
                if rng.random() < dis:
                    plan.append((p, "disability"))
                if a < 18 and rng.random() < 0.9:
                    plan.append((p, "child"))
                if hid in poor_households:
                    plan.append((p, "poverty"))
                com = 0.2 if a >= 75 else 0.1 if a >= 65 else 0.015
                if p.kind in ("single_elderly", "p8050"):
                    com *= 1.8
                if rng.random() < com:
                    plan.append((p, "community"))
                    if rng.random() < 0.15:
                        plan.append((p, "community"))
        return plan

    def run(self) -> dict[str, int]:
        rng = self.rng
        plan = self.membership()
        by_person: dict[str, list[int]] = {}
        for i, (p, source) in enumerate(plan):
            if source != "registry":
                by_person.setdefault(p.pid, []).append(i)
        overrides: list[dict | None] = [None] * len(plan)

        def mark(i: int, **kw: object) -> None:
            if overrides[i] is None:
                overrides[i] = {}
            overrides[i].update(kw)

        people = {p.pid: p for p in self.w.people}
        # Households that moved inside the ward: other sources may still hold the old address.
        for _, members in self.w.households:
            if rng.random() >= 0.04 or not any(p.pid in by_person for p in members):
                continue
            old = self.w.pools.address(rng)
            for p in members:
                p.old_addr = old
                for i in by_person.get(p.pid, []):
                    if rng.random() < 0.7:
                        mark(i, old_addr=True)
        for pid, idx in by_person.items():
            p = people[pid]
            # Marriage: a married woman's older records keep her maiden name.
            if p.sex == "F" and p.rel in ("妻", "世帯主") and p.kind in ("couple_young",
                    "couple_kids", "three_gen") and 22 <= p.age() <= 50 and not p.foreign:  # fmt: skip
                if rng.random() < 0.12:
                    p.maiden = self.w.pools.surname(rng)
                    if p.maiden[0] != p.sur:
                        for i in idx:
                            if plan[i][1] in ("disability", "poverty", "community"):
                                mark(i, maiden=True)
            # Re-registration: the registry holds a new 宛名番号, other sources the old one.
            if rng.random() < 0.006:
                p.old_rid = p.rid
                p.rid = str(next(self.w.rid_pool))
                for i in idx:
                    mark(i, old_rid=True)
            if rng.random() < 0.035:
                mark(rng.choice(idx), kana_typo=True)
            if p.dob.day <= 12 and p.dob.day != p.dob.month and rng.random() < 0.008:
                mark(rng.choice(idx), dmy_swap=True)
        return self.write(plan, overrides)

    # -- rendering ---------------------------------------------------------

    def write(self, plan: list[tuple[Person, str]], overrides: list[dict | None]) -> dict[str, int]:
        rng = self.rng
        order = list(range(len(plan)))
        rng.shuffle(order)
        rows: dict[str, list[dict]] = {s: [] for s in SOURCES}
        truth_rows = []
        counters = dict.fromkeys(SOURCES, 0)
        prefix = {"registry": "J", "care": "KG", "disability": "SH-", "child": "JT",
                  "poverty": "SEI", "community": "C24-"}  # fmt: skip
        width = {"registry": 8, "care": 7, "disability": 6, "child": 8, "poverty": 6,
                 "community": 6}  # fmt: skip
        poverty_case: dict[str, str] = {}
        guardians: dict[int, Person] = {}
        for _, members in self.w.households:
            adults = [m for m in members if m.age() >= 20]
            for m in members:
                if m.age() < 18 and adults:
                    guardians[id(m)] = min(adults, key=lambda a: abs(a.age() - m.age() - 30))
        for i in order:
            p, source = plan[i]
            counters[source] += 1
            rid = f"{prefix[source]}{rng.randint(0, 9) if source == 'care' else ''}"
            record_id = f"{rid}{counters[source]:0{width[source]}d}"
            ov = overrides[i] or {}
            row = self.render(p, source, record_id, ov)
            if source == "registry":
                row["household_id"] = p.reg_hh
                row[self.styles["registry"].relation] = p.rel
            elif source == "care":
                level = CARE_LEVELS[min(6, max(0, int(rng.gauss(2 + (p.age() - 75) / 8, 1.6))))]
                row["care_level"] = level
                row["insured_no"] = f"{rng.randint(0, 99999999):010d}"
            elif source == "disability":
                kind, grades = rng.choice(DISABILITY)
                row["handbook"] = kind
                row["grade"] = rng.choice(grades)
            elif source == "child":
                g = guardians.get(id(p))
                row["guardian_name"] = f"{g.sur}　{g.giv}" if g else ""
                row["allowance"] = "児童手当"
            elif source == "poverty":
                key = p.addr
                row["case_no"] = poverty_case.setdefault(str(key), f"{len(poverty_case) + 1:05d}")
                row["started_on"] = format_date(
                    AS_OF - timedelta(days=rng.randint(30, 4000)), self.styles["poverty"].date
                )
            else:
                row["worker"] = rng.choice(["民生委員", "CSW", "地域包括", "社協職員"])
                row["note"] = rng.choice(NOTES)
            rows[source].append(row)
            truth_rows.append((source, record_id, p.pid))
        self.out.mkdir(parents=True, exist_ok=True)
        self.truth.mkdir(parents=True, exist_ok=True)
        base = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex",
                "address", "phone"]  # fmt: skip
        extra = {
            "registry": ["household_id", self.styles["registry"].relation],
            "care": ["care_level", "insured_no"],
            "disability": ["handbook", "grade"],
            "child": ["guardian_name", "allowance"],
            "poverty": ["case_no", "started_on"],
            "community": ["worker", "note"],
        }
        for source in SOURCES:
            cols = base + extra[source]
            if source == "registry":
                cols.remove("phone")
            elif source == "community":
                cols.remove("resident_id")
            else:
                head, tail = cols[:1], cols[1:]
                rng.shuffle(tail)
                cols = head + tail
            encoding = "utf-8-sig" if source in ("care", "poverty", "community") else "utf-8"
            with open(self.out / f"{source}.csv", "w", newline="", encoding=encoding) as fh:
                writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows[source])
        with open(self.truth / "persons.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["source", "record_id", "person_id"])
            writer.writerows(truth_rows)
        with open(self.truth / "households.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["person_id", "household_id"])
            for hid, members in self.w.households:
                writer.writerows((m.pid, hid) for m in members)
        with open(self.truth / "cases.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["person_id", "case", "source", "record_id"])
            writer.writerows(self.w.cases)
        styles = {s: vars(st) for s, st in self.styles.items()}
        (self.truth / "styles.json").write_text(json.dumps(styles, ensure_ascii=False, indent=1))
        return {s: len(r) for s, r in rows.items()}

    def render(self, p: Person, source: str, record_id: str, ov: dict) -> dict:
        rng = self.rng
        st = self.styles[source]
        hand = source == "community"
        case = self.w.case
        # Name in kanji.
        sur, sur_kana = p.maiden if ov.get("maiden") else (p.sur, p.sur_kana)
        if ov.get("maiden"):
            case(p, "marriage", source, record_id)
        giv, giv_kana = p.giv, p.giv_kana
        sep = rng.choice(NAME_SEPS) if hand else st.sep
        if p.latin and source == "registry":
            name = p.latin
        elif p.latin:
            name = f"{sur}{rng.choice(('・', ' ', '　'))}{giv}"
        else:
            if source != "registry" and rng.random() < st.simplify:
                simple = sur.translate(N.SIMPLIFY)
                if simple != sur:
                    case(p, "variant_kanji", source, record_id)
                    sur = simple
                simple = giv.translate(N.SIMPLIFY)
                if simple != giv:
                    case(p, "variant_kanji", source, record_id)
                    giv = simple
            if hand and rng.random() < 0.04:
                # The worker heard the name and picked other characters for it.
                options = [k for k in self.w.pools.same_reading.get((p.sex, p.giv_kana), [])
                           if k != p.giv]  # fmt: skip
                if options:
                    giv = rng.choice(options)
                    case(p, "kanji_homophone", source, record_id)
            name = f"{sur}{sep}{giv}"
            if hand and rng.random() < 0.005:
                name += rng.choice(("様", " 様", "さん"))
                case(p, "honorific", source, record_id)
        # Reading.
        if p.foreign:
            case(p, "foreign_name", source, record_id)
            if source != "registry" and p.alt_kana and rng.random() < 0.35:
                sur_kana, giv_kana = p.alt_kana
        kana = f"{sur_kana} {giv_kana}"
        if ov.get("kana_typo"):
            kana = kana_typo(kana, rng)
            case(p, "kana_typo", source, record_id)
        kstyle = rng.choice(KANA_STYLES) if hand else st.kana
        kana_text = "" if rng.random() < st.kana_missing else format_kana(kana, kstyle)
        # Birth date.
        dob = p.dob
        if ov.get("dmy_swap"):
            dob = date(dob.year, dob.day, dob.month)
            case(p, "dmy_swap", source, record_id)
        dstyle = rng.choice(DATE_STYLES) if hand else st.date
        birth = format_date(dob, dstyle)
        if hand and rng.random() < 0.02:
            birth = ""
            case(p, "no_birth_date", source, record_id)
        elif hand and rng.random() < 0.01:
            wrong = dob + timedelta(days=rng.choice((-365, 365, -10, 10, 1, -1)))
            birth = format_date(wrong, dstyle)
            case(p, "birth_date_typo", source, record_id)
        # Address.
        addr = p.addr
        if ov.get("old_addr"):
            addr = p.old_addr
            case(p, "moved", source, record_id)
        astyle = rng.choice(ADDRESS_STYLES) if hand else st.address
        if hand:
            rooms = ["goshitsu", "space", "dash", "fullspace", "joined", "room_only"]
            room_format = rng.choices(rooms, weights=(30, 25, 15, 10, 10, 10))[0]
        else:
            room_format = st.room
        keep = rng.random() < st.building
        address = format_address(addr, astyle, keep, self.towns, room_format)
        if hand and rng.random() < 0.05 and astyle in ("hyphen", "hyphen_ku") and not keep:
            address = address.rsplit("-", 1)[0]  # the 号 left off
            case(p, "partial_address", source, record_id)
        # Phone.
        phone = ""
        if st.phone is not None:
            number = p.home_phone if rng.random() < 0.6 else p.mobile
            number = number or p.home_phone or p.mobile
            if number and rng.random() < (0.5 if hand else 0.85):
                phone = format_phone(number, rng.choice(PHONE_STYLES) if hand else st.phone)
        sex_style = rng.choice(SEX_STYLES) if hand else st.sex
        rid = ""
        if rng.random() < st.rid:
            rid = p.old_rid if ov.get("old_rid") and p.old_rid else p.rid
            if ov.get("old_rid") and p.old_rid:
                case(p, "reregistered", source, record_id)
        return {
            "record_id": record_id, "resident_id": rid, "name_kanji": name,
            "name_kana": kana_text, "birth_date": birth, "sex": format_sex(p.sex, sex_style),
            "address": address, "phone": phone,
        }  # fmt: skip


def generate(
    people: int, out: Path, truth: Path, seed: int, id_rate: float = 1.0
) -> dict[str, int]:
    world = World(people, seed)
    world.build()
    counts = Writer(world, out, truth, seed, id_rate).run()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--id-rate",
        type=float,
        default=1.0,
        help="scale how often department systems fill in the resident number (1.0: as designed)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.people, args.out, args.truth, args.seed, args.id_rate)
    total = sum(counts.values())
    print(
        f"{total} records ({', '.join(f'{s} {n}' for s, n in counts.items())}) "
        f"in {time.perf_counter() - started:.1f}s"
    )


if __name__ == "__main__":
    main()
