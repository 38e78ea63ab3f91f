"""The true ward: people, households, their histories and the services they use.

Everything here is decided by the world random stream only, so a seed gives
the same people whatever difficulties are later applied to their records.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from thirdgen import data

REFERENCE_DATE = dt.date(2025, 4, 1)
T = TypeVar("T")

SOURCES = (
    "registry",
    "kaigo",
    "shogai",
    "seiho",
    "kosodate",
    "kenko",
    "shakyo",
    "houkatsu",
    "minsei",
    "npo",
)


class Weighted(Generic[T]):
    """Draw from weighted items in O(log n)."""

    def __init__(self, items: list[tuple[T, float]]) -> None:
        self.items = [item for item, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


@dataclass(slots=True)
class Address:
    """A dwelling. `outside` holds a full address outside Koto instead."""

    town: str = ""
    chome: int = 0
    ban: int = 0
    go: int = 0
    building: str = ""
    room: str = ""
    outside: str = ""


@dataclass(slots=True)
class Name:
    surname: str
    given: str
    surname_kana: str
    given_kana: str
    foreign: str = ""  # country code for foreign residents
    alt_surname_kana: tuple[str, ...] = ()
    alt_given_kana: tuple[str, ...] = ()
    homophones: tuple[str, ...] = ()  # other kanji for the same given reading


@dataclass(slots=True)
class Person:
    pid: int
    hid: int
    sex: int
    birth: dt.date
    name: Name
    role: str
    rid: str = ""
    setai: str = ""  # registry 世帯番号
    old_rid: str = ""  # earlier 宛名番号 after re-registration
    old_kind: str = ""  # moved_back | jutogai | purged
    old_address: Address | None = None  # address on the earlier registration
    earlier_name: Name | None = None  # maiden / married surname before a change
    earlier_address: Address | None = None
    mobile: str = ""
    services: dict[str, int] = field(default_factory=dict)  # source -> rows
    namesake_of: int = -1

    @property
    def age(self) -> int:
        return age_on(self.birth, REFERENCE_DATE)


@dataclass(slots=True)
class Household:
    hid: int
    pattern: str
    address: Address
    members: list[Person] = field(default_factory=list)
    prev_address: Address | None = None
    landline: str = ""
    outside_ward: bool = False
    split_candidate: bool = False  # multi-generation, an older member: 世帯分離 is plausible
    seiho: bool = False  # on public assistance (生活保護)
    alt_setai: str = ""
    seiho_case: str = ""


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _parse_surnames() -> Weighted[tuple[str, tuple[str, ...]]]:
    items: list[tuple[tuple[str, tuple[str, ...]], float]] = []
    for token in data.SURNAMES.split():
        kanji, readings, weight = token.split(":")
        items.append(((kanji, tuple(readings.split("/"))), float(weight)))
    return Weighted(items)


def _parse_given() -> tuple[
    dict[tuple[int, str], Weighted[tuple[str, tuple[str, ...]]]], dict[str, set[str]]
]:
    tables: dict[tuple[int, str], Weighted[tuple[str, tuple[str, ...]]]] = {}
    readings_of: dict[str, set[str]] = {}
    for key, text in data.GIVEN.items():
        items: list[tuple[tuple[str, tuple[str, ...]], float]] = []
        for token in text.split():
            reading, forms, weight = token.split(":")
            form_list = tuple(forms.split("|"))
            items.append(((reading, form_list), float(weight)))
            for form in form_list:
                readings_of.setdefault(form, set()).add(reading)
        tables[key] = Weighted(items)
    return tables, readings_of


SURNAME_TABLE = _parse_surnames()
GIVEN_TABLES, GIVEN_READINGS = _parse_given()
TOWN_TABLE = Weighted(
    [((t.split(":")[0], int(t.split(":")[1])), float(t.split(":")[2])) for t in data.TOWNS.split()]
)
FOREIGN_TABLE = Weighted([(code, float(spec["share"])) for code, spec in data.FOREIGN.items()])


def cohort(birth_year: int) -> str:
    if birth_year < 1958:
        return "old"
    if birth_year < 1990:
        return "mid"
    return "young"


class WorldBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"thirdgen-world-{seed}")
        self.people: list[Person] = []
        self.households: list[Household] = []
        self.buildings: list[Address] = []
        self.used_rooms: set[tuple[int, str]] = set()
        self.phone_seen: set[str] = set()

    # --- small draws -------------------------------------------------
    def birth_for_age(self, age: int) -> dt.date:
        rng = self.rng
        latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age) - dt.timedelta(days=1)
        return latest - dt.timedelta(days=rng.randrange(365))

    def surname(self) -> tuple[str, str, tuple[str, ...]]:
        kanji, readings = SURNAME_TABLE.draw(self.rng)
        if len(readings) > 1 and self.rng.random() < 0.3:
            readings = (readings[1], readings[0], *readings[2:])
        return kanji, readings[0], tuple(readings[1:])

    def given(self, sex: int, birth_year: int) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        reading, forms = GIVEN_TABLES[(sex, cohort(birth_year))].draw(self.rng)
        form = forms[0] if self.rng.random() < 0.55 else self.rng.choice(forms)
        alt_readings = tuple(sorted(GIVEN_READINGS.get(form, set()) - {reading}))
        others = tuple(f for f in forms if f != form)
        return form, reading, alt_readings, others

    def japanese_name(
        self, sex: int, birth: dt.date, surname: tuple[str, str, tuple[str, ...]]
    ) -> Name:
        g, gr, galt, homo = self.given(sex, birth.year)
        return Name(surname[0], g, surname[1], gr, "", surname[2], galt, homo)

    def foreign_name(
        self, country: str, sex: int, surname: tuple[str, str, tuple[str, ...]]
    ) -> Name:
        spec = data.FOREIGN[country]
        given, readings = self.rng.choice(spec["given1" if sex == 1 else "given2"].split()).split(
            ":"
        )
        r = readings.split("/")
        return Name(surname[0], given, surname[1], r[0], country, surname[2], tuple(r[1:]))

    def foreign_surname(self, country: str) -> tuple[str, str, tuple[str, ...]]:
        kanji, readings = self.rng.choice(data.FOREIGN[country]["surnames"].split()).split(":")
        r = readings.split("/")
        return kanji, r[0], tuple(r[1:])

    def landline(self) -> str:
        while True:
            number = f"03-{self.rng.choice(data.LANDLINE_PREFIXES)}-{self.rng.randrange(10000):04d}"
            if number not in self.phone_seen:
                self.phone_seen.add(number)
                return number

    def mobile(self) -> str:
        while True:
            head = self.rng.choice(("090", "080", "080", "070"))
            number = f"{head}-{self.rng.randrange(1000, 10000)}-{self.rng.randrange(10000):04d}"
            if number not in self.phone_seen:
                self.phone_seen.add(number)
                return number

    def koto_address(self, apartment_share: float = 0.7) -> Address:
        rng = self.rng
        if self.buildings and rng.random() < apartment_share:
            base = (
                self.buildings[rng.randrange(len(self.buildings))] if rng.random() < 0.75 else None
            )
            if base is None:
                base = self._new_building()
            for _ in range(20):
                room = f"{rng.randint(1, 14)}{rng.randint(1, 12):02d}"
                key = (id(base), room)
                if key not in self.used_rooms:
                    self.used_rooms.add(key)
                    return Address(base.town, base.chome, base.ban, base.go, base.building, room)
            return self.koto_address(0.0)
        if rng.random() < apartment_share:
            base = self._new_building()
            room = f"{rng.randint(1, 8)}{rng.randint(1, 8):02d}"
            self.used_rooms.add((id(base), room))
            return Address(base.town, base.chome, base.ban, base.go, base.building, room)
        town, max_chome = TOWN_TABLE.draw(rng)
        chome = rng.randint(1, max_chome) if max_chome else 0
        return Address(town, chome, rng.randint(1, 30), rng.randint(1, 28))

    def _new_building(self) -> Address:
        rng = self.rng
        town, max_chome = TOWN_TABLE.draw(rng)
        chome = rng.randint(1, max_chome) if max_chome else 0
        head = rng.choice(data.BUILDING_HEADS)
        tail = rng.choice(data.BUILDING_TAILS)
        if head in ("都営", "UR"):
            middle = f"{town}{chome or ''}{'丁目' if chome else ''}"
            tail = rng.choice(("アパート", "団地", "住宅", "第2アパート"))
        else:
            middle = rng.choice((town, town, "", "江東", "リバー", "シーサイド", "サン"))
        name = f"{head}{middle}{tail}" or f"{town}ハイツ"
        b = Address(town, chome, rng.randint(1, 30), rng.randint(1, 28), name)
        self.buildings.append(b)
        return b

    def outside_address(self) -> Address:
        rng = self.rng
        template = rng.choice(data.OUTSIDE)
        return Address(
            outside=template.format(c=rng.randint(1, 4), b=rng.randint(1, 25), g=rng.randint(1, 20))
        )

    # --- households --------------------------------------------------
    def household(self, pattern: str, outside: bool = False) -> Household:
        rng = self.rng
        hid = len(self.households)
        address = self.outside_address() if outside else self.koto_address()
        hh = Household(hid, pattern, address, outside_ward=outside)
        self.households.append(hh)
        country = str(FOREIGN_TABLE.draw(rng)) if not outside and rng.random() < 0.05 else ""
        family = self.foreign_surname(country) if country else self.surname()

        def add(
            role: str, sex: int, age: int, surname: tuple[str, str, tuple[str, ...]] | None = None
        ) -> Person:
            birth = self.birth_for_age(max(0, age))
            sn = surname or family
            name = (
                self.foreign_name(country, sex, sn)
                if country
                else self.japanese_name(sex, birth, sn)
            )
            p = Person(len(self.people), hid, sex, birth, name, role)
            self.people.append(p)
            hh.members.append(p)
            return p

        def adult_age(lo: int, hi: int) -> int:
            return rng.randint(lo, hi)

        def other_surname() -> tuple[str, str, tuple[str, ...]]:
            return self.foreign_surname(country) if country else self.surname()

        def couple(lo: int, hi: int) -> tuple[Person, Person]:
            h_age = adult_age(lo, hi)
            w_age = max(18, h_age - rng.randint(-3, 6))
            husband = add("世帯主", 1, h_age)
            wife_surname = other_surname() if country in ("CN", "KR") else None
            wife = add("妻", 2, w_age, wife_surname)
            # a recent marriage: records from before it still carry the maiden name
            if not country and (
                (w_age < 45 and rng.random() < 0.5) or (w_age < 65 and rng.random() < 0.05)
            ):
                self.give_earlier_surname(wife)
            return husband, wife

        def children(parent_age: int, count: int, max_age: int = 24) -> list[Person]:
            top = max(0, min(max_age, parent_age - 22))
            return [add("子", rng.choice((1, 2)), rng.randint(0, top)) for _ in range(count)]

        if pattern == "single_young":
            add("世帯主", rng.choice((1, 2)), int(min(64, max(20, rng.gauss(38, 12)))))
        elif pattern == "single_old":
            add(
                "世帯主", 2 if rng.random() < 0.65 else 1, int(min(101, 65 + abs(rng.gauss(0, 11))))
            )
        elif pattern == "couple":
            couple(25, 64)
        elif pattern == "couple_old":
            couple(66, 92)
        elif pattern == "nuclear":
            _h, w = couple(28, 55)
            children(w.age, rng.choice((1, 1, 2, 2, 2, 3)))
        elif pattern == "single_parent":
            sex = 2 if rng.random() < 0.88 else 1
            parent = add("世帯主", sex, adult_age(25, 55))
            kids_surname = None
            if sex == 2 and not country and rng.random() < 0.45:
                # divorced: the mother is back on her maiden name, the children
                # often keep the father's surname
                married = self.surname()
                self.give_earlier_surname(parent, married)
                kids_surname = married if rng.random() < 0.6 else None
            for _ in range(rng.choice((1, 1, 2))):
                add(
                    "子",
                    rng.choice((1, 2)),
                    rng.randint(0, max(0, min(18, parent.age - 20))),
                    kids_surname,
                )
        elif pattern == "three_gen":
            gp_age = adult_age(68, 90)
            add("父" if rng.random() < 0.4 else "母", rng.choice((1, 2)), gp_age)
            _h, w = couple(max(30, gp_age - 35), gp_age - 24)
            children(w.age, rng.choice((1, 2, 2, 3)))
            hh.split_candidate = True
        elif pattern == "8050":
            parent_age = adult_age(78, 94)
            parent = add("世帯主", 2 if rng.random() < 0.65 else 1, parent_age)
            if rng.random() < 0.35:
                add(
                    "夫" if parent.sex == 2 else "妻",
                    3 - parent.sex,
                    parent_age + rng.randint(-3, 4),
                )
            add("子", 1 if rng.random() < 0.65 else 2, min(parent_age - 20, adult_age(48, 60)))
            hh.split_candidate = True
        elif pattern == "parent_adult_child":
            parent_age = adult_age(50, 82)
            parent = add("世帯主", rng.choice((1, 2, 2)), parent_age)
            if rng.random() < 0.5:
                add(
                    "妻" if parent.sex == 1 else "夫",
                    3 - parent.sex,
                    parent_age + rng.randint(-4, 4),
                )
            for _ in range(rng.choice((1, 1, 2))):
                add("子", rng.choice((1, 2)), rng.randint(20, max(20, min(48, parent_age - 22))))
            hh.split_candidate = parent_age >= 65
        elif pattern == "double_care":
            _h, w = couple(35, 50)
            children(w.age, rng.choice((1, 2, 2)), 12)
            elder_age = max(w.age + 22, adult_age(72, 92))
            # the wife's mother carries the wife's maiden surname
            wife_mother = w.earlier_name is not None and rng.random() < 0.5
            if wife_mother and w.earlier_name is not None:
                n = w.earlier_name
                add("妻の母", 2, elder_age, (n.surname, n.surname_kana, n.alt_surname_kana))
            else:
                add("母" if rng.random() < 0.75 else "父", rng.choice((2, 2, 1)), elder_age)
            hh.split_candidate = True
        elif pattern == "young_carer":
            if rng.random() < 0.6:
                parent = add("世帯主", 2 if rng.random() < 0.8 else 1, adult_age(33, 55))
                add("子", rng.choice((1, 2)), rng.randint(10, min(18, parent.age - 20)))
                if rng.random() < 0.5:
                    add("子", rng.choice((1, 2)), rng.randint(3, 12))
            else:
                add("世帯主", rng.choice((1, 2, 2)), adult_age(72, 90))
                add("孫", rng.choice((1, 2)), rng.randint(12, 18))
        elif pattern == "siblings":
            age = adult_age(40, 78)
            add("世帯主", rng.choice((1, 2)), age)
            add("兄弟姉妹", rng.choice((1, 2)), max(20, age + rng.randint(-8, 8)))
        elif pattern == "outside":
            if rng.random() < 0.7:
                add("世帯主", rng.choice((1, 2, 2)), adult_age(70, 98))
            else:
                add("世帯主", rng.choice((1, 2)), adult_age(25, 69))
        else:
            raise ValueError(f"unknown household pattern {pattern!r}")

        # phones: a landline is shared by the household; older people keep one
        oldest = max(p.age for p in hh.members)
        if rng.random() < (0.75 if oldest >= 65 else 0.18):
            hh.landline = self.landline()
        for p in hh.members:
            if p.age >= 12 and rng.random() < (
                0.65 if p.age >= 75 else 0.97 if p.age >= 18 else 0.7
            ):
                p.mobile = self.mobile()
        if not outside and rng.random() < 0.3:
            hh.prev_address = self.koto_address() if rng.random() < 0.75 else self.outside_address()
        return hh

    def give_earlier_surname(
        self, person: Person, earlier: tuple[str, str, tuple[str, ...]] | None = None
    ) -> None:
        """A marriage (or a divorce) changed the surname; records made before it
        hold the earlier surname, usually at the parents' (or marital) home."""
        rng = self.rng
        parents = None
        if earlier is None and self.households and rng.random() < 0.4:
            candidate = self.households[rng.randrange(len(self.households))]
            if (
                candidate.members
                and not candidate.outside_ward
                and not candidate.members[0].name.foreign
            ):
                parents = candidate
        if parents is not None:
            head = parents.members[0].name
            earlier = (head.surname, head.surname_kana, head.alt_surname_kana)
            address = parents.address
        else:
            earlier = earlier or self.surname()
            address = self.koto_address() if rng.random() < 0.6 else self.outside_address()
        n = person.name
        person.earlier_name = Name(
            earlier[0],
            n.given,
            earlier[1],
            n.given_kana,
            "",
            earlier[2],
            n.alt_given_kana,
            n.homophones,
        )
        person.earlier_address = address


PATTERNS = Weighted(
    [
        ("single_young", 29.0),
        ("single_old", 15.5),
        ("couple", 10.0),
        ("couple_old", 8.5),
        ("nuclear", 13.0),
        ("single_parent", 3.5),
        ("three_gen", 2.0),
        ("8050", 2.0),
        ("parent_adult_child", 7.0),
        ("double_care", 1.2),
        ("young_carer", 0.6),
        ("siblings", 1.5),
        ("outside", 0.7),
    ]
)


def build_world(n_people: int, seed: int) -> WorldBuilder:
    """Households until `n_people` people exist (the last household may be cut short)."""
    w = WorldBuilder(seed)
    while len(w.people) < n_people:
        pattern = str(PATTERNS.draw(w.rng))
        w.household(pattern, outside=pattern == "outside")
    # trim the overshoot of the last household
    while len(w.people) > n_people:
        p = w.people.pop()
        hh = w.households[p.hid]
        hh.members.remove(p)
        if not hh.members:
            w.households.pop()
    assign_histories(w)
    assign_services(w)
    assign_numbers(w)
    return w


def assign_histories(w: WorldBuilder) -> None:
    """Earlier 宛名番号 (re-registration) for about 2% of residents."""
    rng = w.rng
    for p in w.people:
        hh = w.households[p.hid]
        if hh.outside_ward or rng.random() >= 0.02:
            continue
        roll = rng.random()
        if roll < 0.6:
            p.old_kind = "moved_back"
            prev = hh.prev_address
            p.old_address = prev if prev is not None and not prev.outside else w.koto_address()
        elif roll < 0.85:
            p.old_kind = "jutogai"
            p.old_address = w.outside_address()
        else:
            p.old_kind = "purged"
            p.old_address = hh.prev_address or hh.address


def _kaigo_probability(age: int) -> float:
    if age < 40:
        return 0.0
    if age < 65:
        return 0.004
    return (0.03, 0.045, 0.12, 0.26, 0.48, 0.72)[min(5, (age - 65) // 5)]


def assign_services(w: WorldBuilder) -> None:
    """Which department extracts each person is in, and with how many rows."""
    rng = w.rng
    for hh in w.households:
        pat = hh.pattern
        seiho_p = {
            "single_old": 0.06,
            "8050": 0.2,
            "single_parent": 0.12,
            "young_carer": 0.25,
            "single_young": 0.025,
            "siblings": 0.05,
        }.get(pat, 0.008)
        hh.seiho = not hh.outside_ward and rng.random() < seiho_p
        has_kids = any(p.age < 18 for p in hh.members)
        npo_family = (pat in ("single_parent", "young_carer") and rng.random() < 0.18) or (
            has_kids and ((hh.seiho and rng.random() < 0.2) or rng.random() < 0.008)
        )
        for p in hh.members:
            s = p.services
            age = p.age
            kaigo_p = _kaigo_probability(age)
            if pat in ("8050", "double_care", "young_carer", "three_gen") and age >= 70:
                kaigo_p = max(kaigo_p, 0.65)
            if hh.outside_ward and age >= 65:
                kaigo_p = 0.8  # 住所地特例: a facility outside the ward
            if rng.random() < kaigo_p:
                s["kaigo"] = 1
            shogai_p = 0.015 if age < 18 else 0.035 if age < 65 else 0.09
            if pat == "8050" and p.role == "子":
                shogai_p = 0.3
            if pat == "young_carer" and p.role == "世帯主":
                shogai_p = 0.55
            if rng.random() < shogai_p:
                s["shogai"] = 1
            if hh.seiho:
                s["seiho"] = 1
            if age < 18 and not hh.outside_ward and rng.random() < 0.97:
                s["kosodate"] = 1
            if age >= 40 and not hh.outside_ward and rng.random() < 0.3:
                s["kenko"] = 1
            shakyo_p = 0.03 if age >= 65 else 0.004
            if hh.seiho or pat == "8050":
                shakyo_p = 0.1 if age >= 18 else 0.0
            if rng.random() < shakyo_p:
                s["shakyo"] = 1
            houkatsu_p = 0.07 if age >= 65 else 0.0
            if pat == "single_old":
                houkatsu_p = 0.1
            elif pat == "8050":
                houkatsu_p = 0.4 if p.role != "子" else 0.25
            elif pat == "double_care" and age >= 65:
                houkatsu_p = 0.3
            if not hh.outside_ward and rng.random() < houkatsu_p:
                s["houkatsu"] = rng.choice((1, 1, 2, 3))
            minsei_p = {
                "single_old": 0.07,
                "8050": 0.3,
                "young_carer": 0.15,
                "couple_old": 0.03,
            }.get(pat, 0.002)
            if pat == "young_carer" and age >= 18 and p.role != "世帯主":
                minsei_p = 0.0
            if not hh.outside_ward and rng.random() < minsei_p:
                s["minsei"] = rng.choice((1, 1, 2))
            if npo_family and (age < 18 or p.role == "世帯主" or rng.random() < 0.3):
                s["npo"] = 1
            if not hh.outside_ward or any(k in s for k in ("kaigo", "shogai", "seiho", "kenko")):
                s["registry"] = 1


def assign_numbers(w: WorldBuilder) -> None:
    """宛名番号 in order of registration: old numbers first, household members adjacent."""
    rng = w.rng
    counter = 100_000_000 + rng.randrange(1000)
    for p in w.people:
        if p.old_kind:
            counter += rng.randint(1, 40)
            p.old_rid = f"{counter:010d}"
    counter += 5000
    setai = 20_000_000 + rng.randrange(1000)
    case = 300_000 + rng.randrange(100)
    order = list(range(len(w.households)))
    rng.shuffle(order)
    late: list[Person] = []
    for i in order:
        hh = w.households[i]
        setai += rng.randint(1, 6)
        hh_setai = f"{setai:08d}"
        setai += 1
        hh.alt_setai = f"{setai:08d}"  # used when the household is split (世帯分離)
        if hh.seiho:
            case += rng.randint(1, 4)
            hh.seiho_case = f"C{case:07d}"
        for p in hh.members:
            p.setai = hh_setai
            if p.age < 15 and rng.random() < 0.5:
                late.append(p)  # born after the household registered
                continue
            counter += rng.randint(1, 3)
            p.rid = f"{counter:010d}"
        counter += rng.randint(1, 25)
    for p in late:
        counter += rng.randint(1, 9)
        p.rid = f"{counter:010d}"
