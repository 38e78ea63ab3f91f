"""The departments: their columns, extract dates, record keys and the
attributes each passes through; and the registry's own records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

from thirdgen.world import Household, Person

if TYPE_CHECKING:
    from thirdgen.generate import Renderer

COMMON = ["name_kanji", "name_kana", "birth_date", "sex", "address", "phone"]
COLUMNS: dict[str, list[str]] = {
    "registry": [
        "record_id",
        "resident_id",
        "household_id",
        "name_kanji",
        "name_kana",
        "birth_date",
        "sex",
        "address",
        "status",
        "relationship",
        "extracted_on",
    ],
    "kaigo": ["record_id", "resident_id", *COMMON, "care_level", "certified_on", "extracted_on"],
    "shogai": ["record_id", "resident_id", *COMMON, "handbook", "grade", "extracted_on"],
    "seiho": [
        "record_id",
        "resident_id",
        "household_id",
        *COMMON,
        "relationship",
        "started_on",
        "extracted_on",
    ],
    "kosodate": ["record_id", "resident_id", *COMMON, "guardian_name", "extracted_on"],
    "kenko": ["record_id", "resident_id", *COMMON, "checkup", "extracted_on"],
    "shakyo": ["record_id", *COMMON, "service", "extracted_on"],
    "houkatsu": ["record_id", *COMMON, "center", "consulted_on", "topic", "extracted_on"],
    "minsei": ["record_id", *COMMON, "noted_on", "note", "extracted_on"],
    "npo": ["record_id", *COMMON, "registered_on", "extracted_on"],
}
EXTRACTED_ON = {
    "registry": dt.date(2025, 4, 1),
    "kaigo": dt.date(2025, 3, 31),
    "shogai": dt.date(2025, 3, 31),
    "seiho": dt.date(2025, 3, 1),
    "kosodate": dt.date(2025, 4, 1),
    "kenko": dt.date(2024, 12, 27),
    "shakyo": dt.date(2024, 9, 30),
    "houkatsu": dt.date(2025, 2, 28),
    "minsei": dt.date(2024, 11, 30),
    "npo": dt.date(2025, 1, 31),
}
# Outside bodies save from Excel: BOM and CRLF. Ward systems export plain UTF-8.
EXCEL_SAVED = {"shakyo", "houkatsu", "minsei", "npo"}


CARE_LEVELS = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
CENTERS = ("亀戸", "大島", "北砂", "南砂", "東砂", "豊洲", "深川", "白河", "富岡", "有明", "塩浜")


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def source_extras(
    source: str, p: Person, hh: Household, r: Renderer, row_no: int
) -> dict[str, str]:
    rng = r.rng
    if source == "kaigo":
        level = CARE_LEVELS[min(6, max(0, int(rng.gauss(2 + (p.age - 80) / 6, 1.6))))]
        return {
            "care_level": level,
            "certified_on": _date_between(
                rng, dt.date(2022, 4, 1), dt.date(2025, 3, 1)
            ).isoformat(),
        }
    if source == "shogai":
        kind = (
            "精神障害者保健福祉手帳"
            if (hh.pattern == "8050" and p.role == "子")
            else rng.choice(
                (
                    "身体障害者手帳",
                    "身体障害者手帳",
                    "身体障害者手帳",
                    "愛の手帳",
                    "精神障害者保健福祉手帳",
                )
            )
        )
        grade = {
            "身体障害者手帳": f"{rng.randint(1, 6)}級",
            "愛の手帳": f"{rng.randint(1, 4)}度",
            "精神障害者保健福祉手帳": f"{rng.randint(1, 3)}級",
        }[kind]
        return {"handbook": kind, "grade": grade}
    if source == "seiho":
        return {
            "household_id": hh.seiho_case,
            "relationship": p.role,
            "started_on": _date_between(rng, dt.date(2010, 4, 1), dt.date(2025, 2, 1)).isoformat(),
        }
    if source == "kosodate":
        guardian = next(
            (m for m in hh.members if m.age >= 20 and m.role in ("世帯主", "妻", "夫")), None
        )
        g = guardian.name if guardian else None
        return {"guardian_name": f"{g.surname}　{g.given.replace('_', ' ')}" if g else ""}
    if source == "kenko":
        return {
            "checkup": rng.choice(
                ("特定健診", "特定健診", "長寿健診" if p.age >= 75 else "がん検診", "胃がん検診")
            )
        }
    if source == "shakyo":
        return {
            "service": rng.choice(
                ("ふれあいサービス", "生活福祉資金", "見守り", "配食", "日常生活自立支援")
            )
        }
    if source == "houkatsu":
        town = hh.address.town or "亀戸"
        center = town if town in CENTERS else rng.choice(CENTERS)
        topics = {
            "8050": ("家族の相談", "介護保険申請", "同居家族について"),
            "double_care": ("介護と子育ての両立", "介護保険申請"),
        }
        return {
            "center": f"{center}長寿サポートセンター",
            "consulted_on": _date_between(
                rng, dt.date(2023, 4, 1), dt.date(2025, 2, 28)
            ).isoformat(),
            "topic": rng.choice(
                topics.get(hh.pattern, ("介護保険申請", "物忘れの相談", "見守り", "住まい"))
            ),
        }
    if source == "minsei":
        notes = {
            "8050": (
                "息子と二人暮らし。息子は長く外に出ていない様子。",
                "同居の子（50代）と連絡取れず。",
                "親の介護を子がしているが負担大きい様子。",
            ),
            "single_old": (
                "独居。見守り訪問。",
                "最近郵便物がたまっている。",
                "独居、近所付き合いなし。",
                "室内にごみが溜まっている様子。",
            ),
            "young_carer": ("子どもが家族の世話をしている様子。", "中学生の孫が介護している。"),
            "couple_old": ("高齢夫婦のみ。老老介護。",),
        }
        return {
            "noted_on": _date_between(rng, dt.date(2022, 4, 1), EXTRACTED_ON["minsei"]).isoformat(),
            "note": rng.choice(notes.get(hh.pattern, ("訪問。特記なし。",))),
        }
    if source == "npo":
        return {
            "registered_on": _date_between(
                rng, dt.date(2021, 4, 1), EXTRACTED_ON["npo"]
            ).isoformat()
        }
    return {}


def registry_rows(
    r: Renderer, p: Person, hh: Household
) -> Iterator[tuple[dict[str, str], list[str]]]:
    """The person's current registry record, and a second one where a
    difficulty leaves it (re-registration, 住登外, data-entry duplicate)."""
    rng = r.rng
    on = EXTRACTED_ON["registry"]
    row, tags = r.record("registry", p, hh, on)
    split = r.split.get(hh.hid)
    if split is None:
        split = r.split[hh.hid] = hh.split_candidate and r.hit("household_split", "registry")
    elders = {m.pid for m in hh.members if m.age >= 65}
    household_id = p.setai
    relationship = p.role
    if split and 0 < len(elders) < len(hh.members):
        tags.append("household_split")
        if p.pid in elders:
            household_id = hh.alt_setai
            first_elder = min(elders)
            relationship = "世帯主" if p.pid == first_elder else ("妻" if p.sex == 2 else "夫")
        elif p.role in ("妻", "夫") and any(
            m.role == "世帯主" and m.pid in elders for m in hh.members
        ):
            relationship = "世帯主"
    if hh.outside_ward:
        household_id, status, relationship = "", "住登外", ""
    else:
        status = "住民"
    row.update(
        {
            "record_id": p.rid,
            "household_id": household_id,
            "status": status,
            "relationship": relationship,
        }
    )
    yield row, tags
    if p.old_kind in ("moved_back", "jutogai") and r.hit("registry_dup", "registry"):
        name = p.name
        detail = p.old_kind
        if p.earlier_name is not None and rng.random() < 0.5:
            name = p.earlier_name
            detail += "+maiden"
        old = Person(p.pid, p.hid, p.sex, p.birth, name, p.role, rid=p.old_rid)
        old_hh = Household(hh.hid, hh.pattern, p.old_address or hh.address)
        row2, tags2 = r.record("registry", old, old_hh, on)
        r.extra_setai += rng.randint(1, 50)
        row2.update(
            {
                "record_id": p.old_rid,
                "resident_id": p.old_rid,
                "household_id": "" if p.old_kind == "jutogai" else f"{r.extra_setai:08d}",
                "status": "消除（転出）" if p.old_kind == "moved_back" else "住登外",
                "relationship": "世帯主" if p.old_kind == "moved_back" else "",
            }
        )
        yield row2, [*tags2, f"registry_dup={detail}"]
    elif not hh.outside_ward and rng.random() < r.rates["registry_dup"] / 100:
        r.extra_rid += rng.randint(1, 500)
        dup_rid = f"{r.extra_rid:010d}"
        r.entry_dup_rid[p.pid] = dup_rid
        older = (
            hh.prev_address if hh.prev_address is not None and rng.random() < 0.6 else hh.address
        )
        dup_hh = Household(hh.hid, hh.pattern, older)
        row2, tags2 = r.record("registry", p, dup_hh, on)
        # a second clerk types the name afresh
        row2["name_kanji"] = row2["name_kanji"].replace("　", rng.choice(("", " ", "　")))
        row2.update(
            {
                "record_id": dup_rid,
                "resident_id": dup_rid,
                "household_id": p.setai if older is hh.address else "",
                "status": "住民",
                "relationship": p.role if older is hh.address else "世帯主",
            }
        )
        yield (
            row2,
            [
                *tags2,
                "registry_dup=entry_dup" + ("+older_address" if older is not hh.address else ""),
            ],
        )


RECORD_ID = {
    "kaigo": lambda n: f"{1300000000 + n * 7}",
    "shogai": lambda n: f"SH{n:07d}",
    "kosodate": lambda n: f"JT{n:08d}",
    "kenko": lambda n: f"2024{n:07d}",
    "shakyo": lambda n: f"SK-2024-{n:05d}",
    "houkatsu": lambda n: f"KS{n:07d}",
    "minsei": lambda n: f"MS{n:06d}",
    "npo": lambda n: f"{n}",
}
