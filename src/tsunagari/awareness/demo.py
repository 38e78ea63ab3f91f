"""A year of demo awareness activities for the synthetic ward, made through the actions.

Welfare education in schools across the towns, ゲートキーパー研修 for
residents, 民生委員 and staff, public talks, 出前講座 at neighbourhood
associations and seniors' clubs, three campaigns (the months against
suicide and against loneliness) and a few others. The community worker
records each on its evening (``lib.clock.frozen``). Counts only.

Deterministic for a seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.awareness.models import Activity, ActivityKind, Theme
from tsunagari.awareness.services import ActivityInput, record_activity
from tsunagari.lib import clock

SCHOOLS = (
    ("区立第二亀戸小学校", "亀戸", "primary"), ("区立大島南央小学校", "大島", "primary"),
    ("区立北砂小学校", "北砂", "primary"), ("区立豊洲北小学校", "豊洲", "primary"),
    ("区立東雲小学校", "東雲", "primary"), ("区立深川第三中学校", "深川", "secondary"),
    ("区立南砂中学校", "南砂", "secondary"), ("都立江東高等学校（仮称）", "東陽", "secondary"),
)  # fmt: skip
TOWNS = ("亀戸", "大島", "北砂", "南砂", "東砂", "豊洲", "東雲", "有明", "深川", "白河",
         "森下", "住吉", "木場", "東陽", "塩浜", "枝川")  # fmt: skip
TALKS = (
    # kind, title, themes, typical size, older share
    (ActivityKind.LECTURE, "地域共生社会を考える講演会", [Theme.KYOSEI, Theme.ISOLATION], 120, 0.5),
    (ActivityKind.LECTURE, "認知症になっても安心して暮らせるまち", [Theme.DEMENTIA, Theme.RIGHTS], 90, 0.7),
    (ActivityKind.LECTURE, "ヤングケアラーを知る講演会", [Theme.CARERS, Theme.KYOSEI], 70, 0.3),
    (ActivityKind.LECTURE, "成年後見制度と権利擁護", [Theme.RIGHTS], 60, 0.6),
)  # fmt: skip
GATEKEEPERS = (
    ("ゲートキーパー研修（区民向け）", 40, 0.4),
    ("ゲートキーパー研修（民生委員・児童委員）", 35, 0.8),
    ("ゲートキーパー研修（区職員・相談機関）", 45, 0.05),
    ("ゲートキーパー研修（商店会・事業所）", 25, 0.2),
)
DELIVERY_HOSTS = ("町会", "老人クラブ", "マンション管理組合", "PTA", "商店会")
DELIVERY_TOPICS = (
    ("孤独・孤立を防ぐ見守りのコツ", [Theme.ISOLATION]),
    ("「断らない相談」の窓口を知ろう", [Theme.KYOSEI]),
    ("認知症サポーター養成講座", [Theme.DEMENTIA]),
    ("消費者被害と権利擁護", [Theme.RIGHTS]),
)
CAMPAIGNS = (
    # title, month, themes, estimated reach
    ("孤独・孤立対策強化月間 駅頭キャンペーン", 5, [Theme.ISOLATION, Theme.KYOSEI], 8000),
    ("自殺対策強化月間 チラシ配布とSNS発信", 9, [Theme.SUICIDE], 24000),
    ("自殺対策強化月間（3月） 図書館展示とSNS発信", 3, [Theme.SUICIDE, Theme.ISOLATION], 15000),
)
ORGANISER = "江東区 福祉部 地域福祉課"


def _worker() -> Staff | None:
    return Staff.objects.filter(username="community").first()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(19, 0)))


def _split(total: int, shares: list[float], rng: random.Random) -> list[int]:
    """``total`` people over bands by ``shares`` (the last band takes the rest)."""
    out = []
    left = total
    for share in shares[:-1]:
        n = min(left, max(0, round(total * share + rng.uniform(-1.5, 1.5))))
        out.append(n)
        left -= n
    out.append(left)
    return out


def _feedback(total: int, rng: random.Random) -> dict[str, int]:
    if rng.random() < 0.35:
        return {}
    answered = round(total * rng.uniform(0.6, 0.9))
    understood = round(answered * rng.uniform(0.55, 0.8))
    partly = round((answered - understood) * rng.uniform(0.6, 0.9))
    return {"understood": understood, "partly": partly,
            "not_understood": answered - understood - partly}  # fmt: skip


def _adult_input(
    kind: str, title: str, themes: Sequence[str], day: date, town: str, place: str, organiser: str,
    total: int, older: float, rng: random.Random,
) -> ActivityInput:  # fmt: skip
    unknown = 0.03
    bands = _split(total, [0.0, 0.02, 1 - older - 0.02 - unknown, older, unknown], rng)
    names = ("age_primary", "age_secondary", "age_18_64", "age_65_plus", "age_unknown")
    return ActivityInput(title=title, kind=kind, held_on=day, town=town, place=place,
                         organiser=organiser, themes=[str(t) for t in themes], participants=total,
                         bands=dict[str, object](zip(names, bands, strict=True)), **_feedback(total, rng))  # fmt: skip


def _inputs(rng: random.Random, today: date) -> list[ActivityInput]:
    out: list[ActivityInput] = []

    def day_in(lo: int, hi: int) -> date:
        return today - timedelta(days=rng.randint(lo, hi))

    for name, town, level in SCHOOLS:
        pupils = rng.randint(60, 140)
        adults = rng.randint(2, 6)
        bands: dict[str, object] = {"age_primary": pupils if level == "primary" else 0,
                 "age_secondary": pupils if level == "secondary" else 0,
                 "age_18_64": adults}  # fmt: skip
        out.append(ActivityInput(
            title=f"福祉教育「車いす体験と共生のまち」（{name}）", kind=ActivityKind.SCHOOL,
            held_on=day_in(20, 340), town=town, place=name, organiser="江東区社会福祉協議会",
            themes=[Theme.KYOSEI, Theme.DISABILITY], participants=pupils + adults, bands=bands,
            **_feedback(pupils, rng),
        ))  # fmt: skip
    for title, size, older in GATEKEEPERS:
        total = max(8, size + rng.randint(-8, 8))
        out.append(_adult_input(ActivityKind.GATEKEEPER, title, [Theme.SUICIDE, Theme.ISOLATION],
                                day_in(15, 350), "東陽", "江東区役所 会議室", ORGANISER, total,
                                older, rng))  # fmt: skip
    for kind, title, themes, size, older in TALKS:
        town = rng.choice(TOWNS)
        out.append(_adult_input(kind, title, themes, day_in(15, 350), town,
                                f"{town}文化センター", ORGANISER, size + rng.randint(-20, 20),
                                older, rng))  # fmt: skip
    for _ in range(10):
        town = rng.choice(TOWNS)
        host = rng.choice(DELIVERY_HOSTS)
        topic, themes = rng.choice(DELIVERY_TOPICS)
        out.append(_adult_input(ActivityKind.DELIVERY, f"出前講座「{topic}」（{town}{host}）",
                                themes, day_in(10, 355), town, f"{town}の{host}の集会所",
                                "江東区社会福祉協議会", rng.randint(12, 45), 0.75, rng))  # fmt: skip
    for title, month, themes, reach in CAMPAIGNS:
        year = today.year if date(today.year, month, 15) < today else today.year - 1
        held = min(date(year, month, rng.randint(5, 25)), today - timedelta(days=1))
        out.append(ActivityInput(
            title=title, kind=ActivityKind.CAMPAIGN, held_on=held, town="", place="区内全域",
            organiser=ORGANISER, themes=[str(t) for t in themes],
            estimated_reach=reach + rng.randint(-500, 500),
        ))  # fmt: skip
    for title in ("多世代交流 福祉体験フェア", "障害者週間 パネル展と交流会"):
        out.append(_adult_input(ActivityKind.OTHER, title, [Theme.KYOSEI, Theme.DISABILITY],
                                day_in(30, 300), "東陽", "江東区文化センター", ORGANISER,
                                rng.randint(80, 200), 0.35, rng))  # fmt: skip
    return out


def load_demo_awareness(seed: int) -> str:
    """A year of awareness activities recorded by the community worker."""
    if Activity.objects.exists():
        return "demo awareness activities already present"
    rng = random.Random(seed * 7_919 + 10)
    worker = _worker()
    inputs = sorted(_inputs(rng, clock.today()), key=lambda d: str(d.held_on))
    people = 0
    for data in inputs:
        assert isinstance(data.held_on, date)
        with clock.frozen(min(_at(data.held_on), clock.now())):
            activity = record_activity(worker, data)
        people += activity.participants
    return f"{len(inputs)} awareness activities ({people:,} participants)"
