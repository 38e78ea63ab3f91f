"""The demo ward's directory of organisations, services and places.

Deterministic for a seed: the same seed gives the same ids and text, so
demo links and tests stay stable. The directory goes in through the same
import as any HSDS file (validated, all or nothing).
"""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from django.utils import translation

from tsunagari.lib import clock
from tsunagari.resources.hsds import bundle_from_tables
from tsunagari.resources.hsds.convert import Bundle
from tsunagari.resources.models import Audience, ResourceKind, Service
from tsunagari.resources.store import import_bundle
from tsunagari.resources.towns import TOWN_INFO, TOWNS

# Where people live; the last few are parks, port and reclaimed land.
RESIDENTIAL = TOWNS[:42]
LONGEVITY_TOWNS = (
    "亀戸", "大島", "北砂", "南砂", "東砂", "新砂", "東陽", "木場", "深川", "富岡", "白河",
    "森下", "扇橋", "住吉", "塩浜", "枝川", "豊洲", "東雲", "有明", "辰巳", "潮見",
)  # fmt: skip
TAXONOMY_ID = "6a1f1a8e-3f1e-4b7a-9d0c-0c0ffee00001"
LANGUAGE_NAMES = {
    "ja": "日本語",
    "en": "English",
    "zh": "中文",
    "ko": "한국어",
    "vi": "Tiếng Việt",
    "ne": "नेपाली",
}
DAYS_JA = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Readings of the community kinds' names (x_name_kana) and the groups' names
# in romaji, so English and やさしい日本語 pages have them from the data.
LABEL_KANA = {
    "子ども食堂": "こどもしょくどう",
    "ふれあいサロン": "ふれあいさろん",
    "通いの場 いきいき体操": "かよいのば いきいきたいそう",
    "居場所": "いばしょ",
    "認知症カフェ": "にんちしょうかふぇ",
    "地域サークル": "ちいきさーくる",
    "ボランティア募集": "ぼらんてぃあぼしゅう",
    "就労支援": "しゅうろうしえん",
}
FLAVOURS_EN = {
    "ひまわり": "Himawari",
    "さくら": "Sakura",
    "なかよし": "Nakayoshi",
    "あおぞら": "Aozora",
    "にこにこ": "Nikoniko",
    "みどり": "Midori",
    "すずらん": "Suzuran",
    "わかば": "Wakaba",
    "たんぽぽ": "Tanpopo",
    "かもめ": "Kamome",
}
# English descriptions the ward has written for its own windows (the
# community groups' entries are in Japanese only).
WINDOWS_EN = {
    "General Welfare Consultation (any worry)": "Not sure where to turn? Any worry, at any age: we listen and connect you to the right service.",
    "Disability Support Section": "For people with disabilities and their families: welfare services, disability certificates, work and daily life.",
    "Child and Family Support Centre": "Pregnancy, birth and raising children: advice and guidance to childcare services.",
    "Minamisuna Child and Family Support Centre": "Pregnancy, birth and raising children: advice, short-term childcare and a drop-in space for parents.",
    "Toyosu Child and Family Support Centre": "Pregnancy, birth and raising children: advice and a drop-in space for parents.",
    "Living and Work Consultation Desk": "When money, work or housing is a worry: household budgets, getting ready for work, and the housing benefit.",
}  # fmt: skip


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.n = 0

    def uid(self, *parts: object) -> str:
        return str(
            uuid.uuid5(
                uuid.NAMESPACE_URL, f"tsunagari-demo/{self.seed}/" + "/".join(map(str, parts))
            )
        )

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(
            {k: v for k, v in row.items() if v not in (None, "")}
        )
        return row

    def phone_number(self) -> str:
        # Never a real subscriber's number: no Tokyo number starts with 0 or 1.
        return f"03-{self.rng.choice(['0600', '0606', '1640', '1647', '0666'])}-{self.rng.randint(1000, 9999)}"

    def taxonomy(self) -> None:
        self.add(
            "taxonomies",
            {
                "id": TAXONOMY_ID,
                "name": "つながり地域資源分類",
                "description": "江東区の地域資源（相談窓口・居場所・活動）の種別。",
                "version": "2026",
            },
        )
        for kind, label in ResourceKind.choices:
            self.add(
                "taxonomy_terms",
                {
                    "id": self.uid("term", kind),
                    "code": kind,
                    "name": str(label),
                    "description": f"{label}（地域資源の種別）",
                    "taxonomy": "つながり地域資源分類",
                    "taxonomy_id": TAXONOMY_ID,
                    "language": "ja",
                },
            )

    def organization(
        self, key: str, name: str, description: str, legal: str = "", name_en: str = ""
    ) -> str:
        oid = self.uid("org", key)
        self.add(
            "organizations",
            {
                "id": oid,
                "name": name,
                "alternate_name": name_en,
                "description": description,
                "legal_status": legal,
            },
        )
        return oid

    def access_profile(self, lid: str, kind: str, step_free: bool) -> dict[str, Any]:
        """A realistic accessibility profile: public windows checked in full,
        community places partly (some features never checked: unknown).
        Its own random stream, so the rest of the directory stays as it was."""
        rng = random.Random(f"{self.seed}/access/{self.n}")
        public_window = kind in (ResourceKind.CONSULTATION, ResourceKind.LONGEVITY_CENTRE)

        def pick(p_yes: float, p_unknown: float) -> str:
            if not public_window and rng.random() < p_unknown:
                return "unknown"
            return "yes" if rng.random() < p_yes else "no"

        profile = {
            "step_free": "yes" if step_free else "no",
            "lift": pick(0.8 if step_free else 0.2, 0.3),
            "accessible_toilet": pick(0.75 if step_free else 0.15, 0.3),
            "hearing_loop": pick(0.7 if public_window else 0.1, 0.5),
            "braille": pick(0.8 if public_window else 0.15, 0.5),
            "seating": pick(0.9, 0.2),
            "parking": pick(0.5 if public_window else 0.15, 0.4),
            "quiet_room": pick(0.6 if public_window else 0.3, 0.5),
        }
        words = {"yes": "あり", "no": "なし", "unknown": "未確認"}
        labels = {
            "step_free": "段差のない入口", "lift": "エレベーター",
            "accessible_toilet": "車いす使用者用トイレ", "hearing_loop": "ヒアリングループ（磁気ループ）",
            "braille": "点字の案内", "seating": "座って待てる席", "parking": "障害者用駐車場",
            "quiet_room": "静かな部屋",
        }  # fmt: skip
        notes = (
            "",
            "",
            "入口のスロープは建物の裏側にあります。",
            "2階へは階段のみです。お手伝いが必要な方はお声がけください。",
            "筆談・手話通訳は事前にご相談ください。",
            "駐車場はありません。近くのコインパーキングをご利用ください。",
        )
        return {
            "id": self.uid("access", self.n),
            "location_id": lid,
            "description": " / ".join(f"{labels[k]}: {words[v]}" for k, v in profile.items()),
            "details": "筆談・手話通訳は事前にご相談ください。"
            if public_window
            else rng.choice(notes),
            **{f"x_{k}": v for k, v in profile.items()},
        }

    def entry(
        self,
        *,
        org: str,
        kind: str,
        name: str,
        name_en: str,
        town: str,
        description: str,
        easy: str,
        audience: str = Audience.ANYONE,
        days: tuple[str, ...] = (),
        monthly: str = "",
        hours: tuple[str, str] = ("10:00", "16:00"),
        free: bool = True,
        fee: str = "",
        wheelchair: bool | None = None,
        languages: tuple[str, ...] = ("ja",),
        bring: tuple[str, ...] = (),
        capacity: int | None = None,
        covers: tuple[str, ...] = (),
        confidential: bool = False,
        place_name: str = "",
        transport: str = "",
        eligibility: str = "",
        verified: str | None = None,
        name_kana: str = "",
        description_en: str = "",
    ) -> str:
        rng = self.rng
        self.n += 1
        sid = self.uid("service", self.n)
        lid = self.uid("location", self.n)
        if verified is None:
            checked = date(
                rng.choice([2024, 2025, 2025, 2026, 2026, 2026]),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            # Never in the future (the import refuses it): mirrored back from today.
            today = clock.today()
            verified = (checked if checked <= today else today - (checked - today)).isoformat()
        vacancies = None if capacity is None else rng.randint(0, max(capacity // 3, 1))
        self.add(
            "services",
            {
                "id": sid,
                "organization_id": org,
                "name": name,
                "alternate_name": name_en,
                "description": description,
                "status": "active",
                "eligibility_description": eligibility,
                "fees_description": "無料" if free else fee,
                "assured_date": verified,
                "x_kind": kind,
                "x_audience": audience,
                "x_easy_description": easy,
                "x_description_en": description_en,
                "x_name_kana": name_kana,
                "x_capacity": capacity,
                "x_vacancies": vacancies,
                "x_confidential": confidential or None,
                "x_verified_by": "地域福祉課" if verified else "",
            },
        )
        block = rng.randint(1, 6)
        self.add(
            "locations",
            {
                "id": lid,
                "location_type": "physical",
                "organization_id": org,
                "name": place_name or name,
                "transportation": transport
                or f"{town}の最寄り駅・バス停から徒歩{rng.randint(2, 12)}分",
                "x_town": town,
                "x_confidential": confidential or None,
            },
        )
        self.add(
            "addresses",
            {
                "id": self.uid("address", self.n),
                "location_id": lid,
                "address_1": f"{town}{block}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
                "city": "江東区",
                "state_province": "東京都",
                "postal_code": f"13{rng.choice(['5', '6'])}-00{rng.randint(10, 99)}",
                "country": "JP",
                "address_type": "physical",
            },
        )
        self.add(
            "service_at_location",
            {"id": self.uid("sal", self.n), "service_id": sid, "location_id": lid},
        )
        if wheelchair is None:
            wheelchair = rng.random() < 0.45
        self.add("accessibility", self.access_profile(lid, kind, wheelchair))
        schedule: dict[str, Any] = {
            "id": self.uid("schedule", self.n),
            "service_id": sid,
            "opens_at": f"{hours[0]}:00",
            "closes_at": f"{hours[1]}:00",
            "wkst": "MO",
        }
        if monthly:
            schedule.update({"freq": "MONTHLY", "byday": monthly, "interval": 1})
        elif days:
            schedule.update({"freq": "WEEKLY", "byday": ",".join(days), "interval": 1})
        self.add("schedules", schedule)
        self.add(
            "phones",
            {
                "id": self.uid("phone", self.n),
                "service_id": sid,
                "number": self.phone_number(),
                "type": "voice",
            },
        )
        for code in languages:
            self.add(
                "languages",
                {
                    "id": self.uid("lang", self.n, code),
                    "service_id": sid,
                    "code": code,
                    "name": LANGUAGE_NAMES[code],
                },
            )
        self.add(
            "cost_options",
            {
                "id": self.uid("cost", self.n),
                "service_id": sid,
                "option": "無料" if free else "参加費",
                "currency": "JPY",
                "amount": 0 if free else int("".join(c for c in fee if c.isdigit()) or 0),
                "amount_description": "無料" if free else fee,
            },
        )
        for i, doc in enumerate(bring):
            self.add(
                "required_documents",
                {"id": self.uid("doc", self.n, i), "service_id": sid, "document": doc},
            )
        for i, covered in enumerate(covers):
            self.add(
                "service_areas",
                {
                    "id": self.uid("area", self.n, i),
                    "service_id": sid,
                    "name": covered,
                    "extent_type": "town",
                },
            )
        self.add(
            "attributes",
            {
                "id": self.uid("attr", self.n),
                "link_id": sid,
                "link_entity": "service",
                "link_type": "kind",
                "taxonomy_term_id": self.uid("term", kind),
            },
        )
        return sid


def _weekdays(rng: random.Random, k: int) -> tuple[str, ...]:
    picked = set(rng.sample(DAYS_JA[:6], k))
    return tuple(d for d in DAYS_JA if d in picked)


def build_directory(
    seed: int, *, scale: int = 1, share: float = 1.0
) -> dict[str, list[dict[str, Any]]]:
    """HSDS tables of the demo directory. ``scale`` repeats the community
    part (benchmarks use it to make 10,000 services); ``share`` keeps only a
    part of it (fast tests). Always in Japanese: the kinds' names are the
    ward's data, whatever language the caller happens to have active."""
    with translation.override("ja"):
        return _build_directory(seed, scale=scale, share=share)


def _build_directory(seed: int, *, scale: int, share: float) -> dict[str, list[dict[str, Any]]]:
    b = _Builder(seed)
    rng = b.rng
    b.taxonomy()
    ward = b.organization(
        "ward", "江東区", "江東区役所 福祉部・こども未来部ほか", "地方公共団体", "Koto City"
    )
    # 長寿サポートセンター: 21, each covering its town and neighbours.
    for i, town in enumerate(LONGEVITY_TOWNS):
        org = b.organization(
            f"chojyu-{i}",
            f"社会福祉法人 江東福祉会 {town}",
            "長寿サポートセンターの運営法人",
            "社会福祉法人",
            f"Koto Welfare Association ({TOWN_INFO[town].romaji})",
        )
        others = [t for t in RESIDENTIAL if t not in LONGEVITY_TOWNS]
        covers = (town, *sorted({others[(i * 2) % len(others)], others[(i * 2 + 1) % len(others)]}))
        b.entry(
            org=org,
            kind=ResourceKind.LONGEVITY_CENTRE,
            name=f"長寿サポートセンター{town}",
            name_en=f"{TOWN_INFO[town].romaji} Longevity Support Centre (community general support centre)",
            name_kana=f"ちょうじゅさぽーとせんたー{TOWN_INFO[town].reading}",
            description_en=(
                "The consultation desk for older people (community general support centre): "
                "care, health, dementia and rights, and care plans that help you stay well."
            ),
            town=town,
            description="高齢者の総合相談窓口（地域包括支援センター）。介護・健康・認知症・権利擁護の相談、介護予防のケアプラン作成。",
            easy="おとしよりの こまりごとを きく ところです。かいご、びょうき、おかねの ことなど、なんでも そうだん できます。",
            audience=Audience.ELDERLY,
            days=("MO", "TU", "WE", "TH", "FR", "SA"),
            hours=("09:00", "17:00"),
            wheelchair=True,
            bring=("介護保険被保険者証（お持ちの方）", "お薬手帳（あれば）"),
            covers=covers,
            eligibility="担当地域にお住まいの65歳以上の方とそのご家族・関係者",
        )
    # The other three consultation services.
    windows = (
        ("総合相談", "福祉の総合相談窓口（なんでも相談）", "General Welfare Consultation (any worry)", Audience.ANYONE, "東陽",
         "年齢や分野を問わず、どこに相談したらよいかわからないことを受け止め、適切な窓口につなぎます（包括的相談支援）。",
         "なにを そうだん したら いいか わからない ときも だいじょうぶ です。はなしを きいて、てつだって くれる ところに つなぎます。", ()),
        ("障害者相談", "障害者支援課 相談窓口", "Disability Support Section", Audience.DISABILITY, "東陽",
         "障害のある方と家族の相談。福祉サービスの利用、手帳、就労、くらしの相談。",
         "しょうがいの ある ひとと かぞくの そうだんを きく ところです。", ("障害者手帳（お持ちの方）",)),
        ("子ども家庭支援センター", "子ども家庭支援センター（利用者支援）", "Child and Family Support Centre", Audience.CHILD, "大島",
         "妊娠・出産・子育ての相談、子育てサービスの案内（利用者支援事業）。",
         "こそだての そうだんを きく ところです。あかちゃんや こどもの ことを はなして ください。", ("母子健康手帳",)),
        ("子ども家庭支援センター", "子ども家庭支援センター 南砂", "Minamisuna Child and Family Support Centre", Audience.CHILD, "南砂",
         "妊娠・出産・子育ての相談、一時預かり、子育てひろば。",
         "こそだての そうだんを きく ところです。", ("母子健康手帳",)),
        ("子ども家庭支援センター", "子ども家庭支援センター 豊洲", "Toyosu Child and Family Support Centre", Audience.CHILD, "豊洲",
         "妊娠・出産・子育ての相談、子育てひろば。", "こそだての そうだんを きく ところです。", ("母子健康手帳",)),
        ("自立相談", "くらしとしごとの相談窓口（生活困窮者自立相談支援）", "Living and Work Consultation Desk", Audience.SELF_RELIANCE, "東陽",
         "お金・仕事・住まいに困ったときの相談。家計の相談、就労準備、住居確保給付金の案内。",
         "おかね、しごと、すむ ところに こまった ときに そうだん できます。", ("本人確認書類", "収入がわかるもの（あれば）")),
        ("障害者相談", "障害者相談支援センター 亀戸", "Kameido Disability Consultation Centre", Audience.DISABILITY, "亀戸",
         "障害のある方の生活全般の相談、計画相談、地域移行の支援。", "しょうがいの ある ひとの そうだんを きく ところです。", ()),
    )  # fmt: skip
    for key, name, name_en, audience, town, desc, easy, bring in windows:
        b.entry(
            description_en=WINDOWS_EN.get(name_en, ""),
            org=ward,
            kind=ResourceKind.CONSULTATION,
            name=name,
            name_en=name_en,
            town=town,
            description=desc,
            easy=easy,
            audience=audience,
            days=("MO", "TU", "WE", "TH", "FR"),
            hours=("08:30", "17:00"),
            wheelchair=True,
            languages=("ja", "en"),
            bring=bring,
            place_name="江東区役所" if town == "東陽" else f"{key}（{town}）",
            transport="東西線 東陽町駅から徒歩5分" if town == "東陽" else "",
        )
    # Confidential: the location of shelters is never published.
    for i in range(2):
        org = b.organization(
            f"shelter-{i}",
            f"社会福祉法人 あんしん{i + 1}",
            "一時保護施設の運営法人",
            "社会福祉法人",
        )
        b.entry(
            org=org,
            kind=ResourceKind.SHELTER,
            name=f"緊急一時保護施設 ひだまり{i + 1}",
            name_en=f"Emergency shelter Hidamari {i + 1}",
            town=rng.choice(RESIDENTIAL),
            description="DV・虐待から逃れる方の緊急一時保護。利用は相談窓口を通してのみ。",
            easy="あぶない ときに まもる ところです。",
            days=DAYS_JA,
            hours=("00:00", "23:59"),
            capacity=8,
            confidential=True,
            place_name=f"ひだまり{i + 1} 所在地",
        )
    community = (
        (ResourceKind.KODOMO_SHOKUDO, 40, "子ども食堂", "Children's cafeteria", "こどもと おやが いっしょに ごはんを たべる ところです。",
         "子どもとその家族が安心して食事できる地域の食堂。", Audience.CHILD),
        (ResourceKind.SALON, 80, "ふれあいサロン", "Neighbourhood salon", "ちかくの ひとと おちゃを のんで はなす ところです。",
         "地域の方がお茶を飲みながら交流するサロン。", Audience.ANYONE),
        (ResourceKind.KAYOI, 80, "通いの場 いきいき体操", "Exercise meet-up", "みんなで からだを うごかす あつまりです。",
         "高齢者が週1回集まる体操と交流の場。", Audience.ELDERLY),
        (ResourceKind.IBASHO, 30, "居場所", "Drop-in place", "だれでも ふらっと よれる ところです。",
         "年齢や障害の有無にかかわらず誰でも立ち寄れる居場所。", Audience.ANYONE),
        (ResourceKind.CAFE, 25, "認知症カフェ", "Dementia cafe", "にんちしょうの ひとと かぞくが はなせる カフェです。",
         "認知症の方と家族、地域の方が気軽に集うカフェ。", Audience.ELDERLY),
        (ResourceKind.GROUP, 40, "地域サークル", "Community club", "しゅみの なかまと あつまる グループです。",
         "趣味や学びの地域サークル。新しいメンバー歓迎。", Audience.ANYONE),
        (ResourceKind.VOLUNTEERING, 30, "ボランティア募集", "Volunteering", "ひとの やくに たつ かつどうに さんか できます。",
         "地域の活動を支えるボランティアの募集。", Audience.ANYONE),
        (ResourceKind.JOB_SUPPORT, 15, "就労支援", "Job support", "しごとを さがす ひとを てつだいます。",
         "就職や就労準備の支援、職場体験の紹介。", Audience.SELF_RELIANCE),
    )  # fmt: skip
    used: dict[str, int] = {}
    flavours = (
        "ひまわり",
        "さくら",
        "なかよし",
        "あおぞら",
        "にこにこ",
        "みどり",
        "すずらん",
        "わかば",
        "たんぽぽ",
        "かもめ",
    )
    for round_ in range(scale):
        for kind, count, label, label_en, easy, desc, audience in community:
            for i in range(max(1, round(count * share))):
                town = rng.choice(RESIDENTIAL)
                flavour = flavours[(i + round_) % len(flavours)]
                name = f"{label} {town}{flavour}" + (f" {round_ + 1}" if round_ else "")
                # Two groups of one kind, town and flavour: number the second,
                # so no two cards in a town listing read the same.
                used[name] = used.get(name, 0) + 1
                suffix = f" {used[name]}" if used[name] > 1 else ""
                info, flavour_en = TOWN_INFO[town], FLAVOURS_EN[flavour]
                org = b.organization(
                    f"{kind}-{round_}-{i}",
                    f"{town}{flavour}の会"
                    if kind != ResourceKind.JOB_SUPPORT
                    else f"NPO法人 はたらく{flavour}",
                    f"{town}で活動する地域団体",
                    "任意団体" if kind != ResourceKind.JOB_SUPPORT else "特定非営利活動法人",
                    f"{flavour_en} Club, {info.romaji}"
                    if kind != ResourceKind.JOB_SUPPORT
                    else f"NPO Hataraku {flavour_en}",
                )
                free = (
                    kind
                    in (ResourceKind.VOLUNTEERING, ResourceKind.JOB_SUPPORT, ResourceKind.IBASHO)
                    or rng.random() < 0.5
                )
                monthly = (
                    "" if rng.random() < 0.6 else f"{rng.randint(1, 4)}{rng.choice(DAYS_JA[:6])}"
                )
                b.entry(
                    org=org,
                    kind=kind,
                    name=name + suffix,
                    name_en=f"{label_en} {flavour_en}"
                    + (f" {round_ + 1}" if round_ else "")
                    + suffix
                    + f" ({info.romaji})",
                    name_kana=f"{LABEL_KANA[label]} {info.reading}{flavour}"
                    + (f" {round_ + 1}" if round_ else "")
                    + suffix,
                    town=town,
                    description=desc,
                    easy=easy,
                    audience=audience,
                    days=_weekdays(rng, rng.randint(1, 3)),
                    monthly=monthly,
                    hours=rng.choice(
                        (
                            ("10:00", "12:00"),
                            ("13:30", "15:30"),
                            ("17:00", "19:30"),
                            ("10:00", "16:00"),
                        )
                    ),
                    free=free,
                    fee="" if free else f"{rng.choice([100, 200, 300, 500])}円",
                    languages=("ja",)
                    + (
                        tuple(rng.sample(["en", "zh", "ko", "vi", "ne"], 1))
                        if rng.random() < 0.2
                        else ()
                    ),
                    capacity=rng.choice([20, 30, 40])
                    if kind == ResourceKind.KODOMO_SHOKUDO
                    else None,
                    bring=("上履き",) if kind == ResourceKind.KAYOI else (),
                )
    return b.tables


def load_demo_directory(seed: int) -> int:
    """Create the demo directory; returns the number of services."""
    tables = build_directory(seed)
    bundle = bundle_from_tables(tables)
    if not bundle.ok:
        raise ValueError("; ".join(str(r) for r in bundle.rejections[:5]))
    report = import_bundle(bundle, actor=None, source=f"demo-directory-seed-{seed}")
    _four_eyes(seed)
    return report.created["services"] + report.updated["services"] + report.unchanged["services"]


def _four_eyes(seed: int) -> None:
    """Staff keep the directory through the services, four eyes apart: the
    community worker registers a children's cafeteria and updates a salon,
    the administrator checks both (then residents see them); a second salon
    edit is left 確認待ち for the staff pages to show. Needs both personas
    (``tsunagari demo`` makes them); repeated runs add nothing."""
    from tsunagari.accounts.models import Staff
    from tsunagari.resources.services import create_service, update_service, verify_service

    staff = {s.username: s for s in Staff.objects.filter(username__in=["community", "admin"])}
    editor, checker = staff.get("community"), staff.get("admin")
    if editor is None or checker is None:
        return
    name = "こども食堂 ひだまり（デモ）"
    if not Service.objects.filter(name=name).exists():
        created = create_service(
            {
                "name": name,
                "x_kind": ResourceKind.KODOMO_SHOKUDO,
                "x_audience": Audience.CHILD,
                "status": "active",
                "description": "毎週水曜の夕方、子どもと保護者に温かい食事を出しています。",
                "x_easy_description": "こどもと おとなが いっしょに ごはんを たべる ところです。",
                "fees_description": "子ども無料、大人300円",
                "town": "北砂",
                "address_1": "北砂4-10-2",
                "phone": "03-0640-2021",
                "freq": "WEEKLY",
                "byday": "WE",
                "opens_at": "17:00",
                "closes_at": "19:00",
            },
            actor=editor,
        )
        if created.service is not None:
            verify_service(created.service.id, actor=checker)
    salons = list(
        Service.objects.filter(x_kind=ResourceKind.SALON, awaiting_check=False)
        .exclude(x_verified_by=checker.display_name)
        .order_by("id")[:2]
    )
    if len(salons) < 2 or Service.objects.filter(awaiting_check=True).exists():
        return
    checked, pending = salons
    result = update_service(
        checked.id,
        {"alert": "12月29日から1月3日はお休みです。"},
        expected_version=checked.version,
        actor=editor,
    )
    if result.saved:
        verify_service(checked.id, actor=checker)
    update_service(
        pending.id,
        {"alert": "会場が変わります（確認中）。"},
        expected_version=pending.version,
        actor=editor,
    )


def load_unchecked(tables: dict[str, list[dict[str, Any]]]) -> int:
    """Store generated tables without schema validation (benchmarks only)."""
    bundle = Bundle(tables={t: {r["id"]: r for r in rows} for t, rows in tables.items()})
    report = import_bundle(bundle, actor=None, source="bench")
    return report.created["services"]
