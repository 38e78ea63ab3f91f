"""Demo liaison council: member organisations (public and private alike), meetings, minutes, actions."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.accounts.models import Agency, Staff
from tsunagari.council import services
from tsunagari.council.models import ActionItem, Meeting, Organisation, Sector
from tsunagari.lib import clock

# (name, sector, agency code or "", description)
MEMBERS = (
    ("江東区 福祉課", Sector.PUBLIC, "dept-01", "事務局。孤独・孤立対策の計画と実態調査を担当。"),
    (
        "江東区社会福祉協議会",
        Sector.SOCIAL_WELFARE,
        "swc-01",
        "地域福祉コーディネーター、ボランティアセンター。",
    ),
    ("見守りネット江東", Sector.NPO, "npo-05", "ひとり暮らし高齢者の見守りと居場所づくり。"),
    ("砂町地区民生委員児童委員協議会", Sector.COMMUNITY, "msd-08", "地域の見守りと相談のつなぎ。"),
    ("亀戸地区町会連合会", Sector.COMMUNITY, "", "町会の集まり、防災訓練、夏祭り。"),
    ("こうとうフードパントリー", Sector.NPO, "", "食品の配布と子ども食堂の支援。"),
    ("豊洲商店会", Sector.BUSINESS, "", "商店街での声かけ、休憩スペースの提供。"),
    ("区内大学 地域連携センター", Sector.OTHER, "", "学生ボランティア、調査の分析協力。"),
)

MEETINGS = (
    (
        -150,
        "第1回 孤独・孤立対策連携会議",
        "会議の進め方と構成団体の紹介\n実態調査（2024年度）の結果報告\n各団体の取り組みの共有",
        "実態調査の結果を事務局が報告した。孤独感が「しばしば・常に」ある人は全国と同程度で、"
        "20代・30代の単身世帯で高い。各団体が居場所と相談の取り組みを紹介した。",
    ),
    (
        -60,
        "第2回 孤独・孤立対策連携会議",
        "若い世代への情報発信\n居場所マップの作成\n2025年度調査の設問の確認",
        "若い世代へは SNS と大学を通じた発信を試す。居場所マップは社協が原案を作る。"
        "2025年度調査は全国調査の設問をそのまま使い、区独自の設問は据え置く。",
    ),
    (
        -10,
        "第3回 孤独・孤立対策連携会議",
        "2026年度調査の結果（速報）\n居場所マップの進み具合\n年末年始の見守り",
        "2026年度調査の速報を共有した。居場所マップは町会の集まりの情報が未収録。"
        "年末年始は見守りネットと民生委員で訪問を分担する。",
    ),
    (30, "第4回 孤独・孤立対策連携会議", "来年度の取り組み計画\n居場所マップの公開", ""),
)

# (meeting index, title, owner index, days from meeting to due, done)
ACTIONS = (
    (0, "大学と連携した若者向け相談窓口の案内を作る", 7, 60, True),
    (0, "構成団体の連絡先一覧を整える", 0, 30, True),
    (1, "居場所マップの原案を作る", 1, 45, False),
    (1, "町会の集まりの情報を集める", 4, 40, False),
    (1, "フードパントリー利用者への調査案内の配布", 5, 90, False),
    (2, "年末年始の見守り訪問の分担表を作る", 2, 20, False),
    (2, "商店会の休憩スペースを居場所マップに載せる", 6, 45, False),
)


def _secretariat() -> Staff:
    staff = Staff.objects.filter(username="planner").first()
    if staff is None:
        from tsunagari.accounts.personas import ensure_personas

        staff = ensure_personas()["planner"]
    return staff


def load_demo_council(seed: int) -> str:
    """Member organisations, four meetings (three with minutes), actions (some overdue), one paper."""
    rng = random.Random(seed)
    staff = _secretariat()
    today = clock.today()
    orgs: list[Organisation] = []
    for i, (name, sector, code, description) in enumerate(MEMBERS):
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            agency = Agency.objects.filter(code=code).first() if code else None
            if agency is not None and Organisation.objects.filter(agency=agency).exists():
                agency = None
            org = services.add_organisation(
                staff,
                name=name,
                sector=sector,
                agency=agency,
                description=description,
                joined_on=today - timedelta(days=200 - i),
            )
        orgs.append(org)
    if Meeting.objects.exists():
        return f"liaison council with {len(orgs)} member organisations (meetings kept)"
    meetings: list[Meeting] = []
    for offset, title, agenda, minutes in MEETINGS:
        meeting = services.schedule_meeting(
            staff,
            held_on=today + timedelta(days=offset),
            title=title,
            place=rng.choice(["江東区役所 7階会議室", "江東区文化センター", "オンライン"]),
            agenda=agenda,
        )
        if minutes:
            services.record_minutes(staff, meeting, minutes)
        meetings.append(meeting)
    for m, title, owner, due, done in ACTIONS:
        item = services.add_action(
            staff,
            title=title,
            owner=orgs[owner],
            due_on=meetings[m].held_on + timedelta(days=due),
            meeting=meetings[m],
        )
        if done:
            services.complete_action(staff, item, on=item.due_on - timedelta(days=3))
    paper = (
        "第3回 連携会議 資料\n\n2026年度 実態調査 速報（集計値のみ）\n"
        "孤独感が「しばしば・常に」ある人の割合は、ページ「実態調査の結果」を参照してください。\n"
    ).encode()
    services.upload_document(
        staff,
        SimpleUploadedFile("第3回資料.txt", paper, "text/plain"),
        title="第3回 会議資料（速報）",
        meeting=meetings[2],
    )
    overdue = services.overdue_actions().count()
    return (
        f"liaison council with {len(orgs)} member organisations, {len(meetings)} meetings, "
        f"{ActionItem.objects.count()} actions ({overdue} overdue)"
    )
