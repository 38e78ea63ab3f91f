"""Demo workforce registers for the synthetic ward, made through the actions.

The persona agencies and a few more keep a register: 3–7 workers each
(the personas among them, linked to their accounts), qualifications that
fit the agency, a year of the agency's own training, three of the ward's
cross-agency courses of the layered support system with participants from
many agencies, and monthly supervision. Each step happens at its own moment
(``lib.clock.frozen``): workers are registered about 13 months ago, a course
is recorded on its evening, a supervision session on its day. The
supervisor persona of 長寿サポートセンター北砂 keeps that register
themself; the administrator keeps the others and the ward's courses.

Deterministic for a seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from tsunagari.accounts.models import Agency, AgencyKind, Staff
from tsunagari.accounts.personas import PERSONA_AGENCIES
from tsunagari.lib import clock
from tsunagari.workforce.models import QualificationKind, SupervisionFormat, Worker
from tsunagari.workforce.services import (
    SupervisionInput,
    TrainingInput,
    WorkerInput,
    add_worker,
    record_qualification,
    record_supervision,
    record_training,
)

MORE_AGENCIES = ("lsc-12", "lsc-14", "lsc-17", "dis-01", "dis-08", "cfc-01", "npo-04")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "斎藤")  # fmt: skip
GIVEN = ("陽菜", "結衣", "葵", "蓮", "大翔", "悠真", "美咲", "健太", "直子", "和也",
         "由美", "誠", "拓也", "恵子", "翔太", "彩", "亮", "真由美", "修", "千尋")  # fmt: skip
JOBS: dict[str, tuple[str, ...]] = {
    AgencyKind.LONGEVITY_SUPPORT_CENTRE: ("社会福祉士（相談員）", "主任ケアマネジャー", "保健師", "相談員"),
    AgencyKind.DISABILITY_CONSULTATION: ("相談支援専門員", "精神保健福祉士", "相談員"),
    AgencyKind.CHILD_FAMILY_CENTRE: ("子ども家庭支援員", "心理職", "保健師"),
    AgencyKind.SELF_RELIANCE_SUPPORT: ("主任相談支援員", "相談支援員", "就労支援員"),
    AgencyKind.SOCIAL_WELFARE_COUNCIL: ("CSW", "生活支援コーディネーター", "ボランティアコーディネーター"),
    AgencyKind.MULTI_AGENCY: ("多機関協働コーディネーター", "相談支援包括化推進員"),
    AgencyKind.WARD_DEPARTMENT: ("ケースワーカー", "保健師", "福祉職"),
    AgencyKind.NPO: ("相談員", "コーディネーター"),
}  # fmt: skip
QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    AgencyKind.LONGEVITY_SUPPORT_CENTRE: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.CHIEF_CARE_MANAGER, QualificationKind.PUBLIC_HEALTH_NURSE,
        QualificationKind.CARE_MANAGER, QualificationKind.CARE_WORKER),
    AgencyKind.DISABILITY_CONSULTATION: (QualificationKind.DISABILITY_CONSULTANT,
        QualificationKind.PSYCHIATRIC_SOCIAL_WORKER, QualificationKind.SOCIAL_WORKER),
    AgencyKind.CHILD_FAMILY_CENTRE: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.PSYCHOLOGIST, QualificationKind.PUBLIC_HEALTH_NURSE),
    AgencyKind.SELF_RELIANCE_SUPPORT: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.PSYCHIATRIC_SOCIAL_WORKER),
    AgencyKind.SOCIAL_WELFARE_COUNCIL: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.PSYCHIATRIC_SOCIAL_WORKER, QualificationKind.CARE_WORKER),
    AgencyKind.MULTI_AGENCY: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.PSYCHIATRIC_SOCIAL_WORKER, QualificationKind.CHIEF_CARE_MANAGER),
    AgencyKind.WARD_DEPARTMENT: (QualificationKind.SOCIAL_WORKER,
        QualificationKind.PUBLIC_HEALTH_NURSE),
}  # fmt: skip
OWN_COURSES = ("新任職員研修", "個人情報の取り扱い研修", "アセスメント研修", "虐待対応研修",
               "認知症の理解", "ひきこもり支援の基礎", "ヤングケアラーの理解")  # fmt: skip
CROSS_COURSES = (
    # title, days ago, hours
    ("重層的支援体制 合同研修 第1回 断らない相談と多機関協働", 300, "3.0"),
    ("重層的支援体制 合同研修 第2回 事例検討の進め方", 180, "3.5"),
    ("重層的支援体制 合同研修 第3回 権利擁護と意思決定支援", 60, "3.0"),
)
WARD_ORGANISER = "江東区 福祉部 福祉課"
# Agencies whose supervisors meet their workers monthly.
SUPERVISED = (AgencyKind.LONGEVITY_SUPPORT_CENTRE, AgencyKind.DISABILITY_CONSULTATION,
              AgencyKind.CHILD_FAMILY_CENTRE, AgencyKind.MULTI_AGENCY,
              AgencyKind.SOCIAL_WELFARE_COUNCIL, AgencyKind.SELF_RELIANCE_SUPPORT)  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _keeper(agency: Agency, admin: Staff | None, supervisor: Staff | None) -> Staff | None:
    if supervisor is not None and supervisor.agency_id == agency.pk:
        return supervisor
    return admin


def load_demo_workforce(seed: int) -> str:
    """Registers, a year of training (three cross-agency courses) and supervision."""
    if Worker.objects.exists():
        return "demo workforce registers already present"
    rng = random.Random(seed * 9_173 + 91)
    admin = Staff.objects.filter(username="admin").first()
    supervisor = Staff.objects.filter(username="supervisor.elderly").first()
    codes = [c for c in PERSONA_AGENCIES if not c.startswith("msd-")] + list(MORE_AGENCIES)
    agencies = list(Agency.objects.filter(code__in=codes).order_by("code"))
    today = clock.today()
    start = today - timedelta(days=390)
    by_agency: dict[int, list[Worker]] = {}
    with clock.frozen(_at(start, 10)):
        for agency in agencies:
            keeper = _keeper(agency, admin, supervisor)
            accounts = list(Staff.objects.filter(agency=agency, is_active=True).order_by("pk"))
            jobs = JOBS.get(agency.kind, ("相談員",))
            quals = QUALIFICATIONS.get(agency.kind, ())
            workers = []
            for i in range(rng.randint(3, 7)):
                account = accounts[i] if i < len(accounts) else None
                name = account.display_name if account and account.display_name else (
                    f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}")  # fmt: skip
                worker = add_worker(keeper, agency, WorkerInput(
                    name=name, job=rng.choice(jobs), staff=account.pk if account else None))  # fmt: skip
                workers.append(worker)
                held = rng.sample(quals, k=min(len(quals), rng.choice((0, 1, 1, 1, 2))))
                for kind in held:
                    obtained = date(rng.randint(1998, start.year - 1), rng.randint(1, 12), 1)
                    record_qualification(keeper, worker.pk, kind, obtained)
            by_agency[agency.pk] = workers
    trainings = attendances = 0
    agency_by_pk = {a.pk: a for a in agencies}
    for agency_pk, workers in by_agency.items():
        agency = agency_by_pk[agency_pk]
        keeper = _keeper(agency, admin, supervisor)
        for _ in range(rng.randint(1, 3)):
            day = today - timedelta(days=rng.randint(10, 350))
            chosen = rng.sample(workers, k=rng.randint(1, len(workers)))
            with clock.frozen(_at(day, 18)):
                record_training(keeper, TrainingInput(
                    title=rng.choice(OWN_COURSES), held_on=day, hours=rng.choice(("1.5", "2.0", "3.0")),
                    organiser=agency.name), [w.pk for w in chosen], agency=agency)  # fmt: skip
            trainings += 1
            attendances += len(chosen)
    everyone = [w for ws in by_agency.values() for w in ws]
    for title, days_ago, hours in CROSS_COURSES:
        day = today - timedelta(days=days_ago)
        chosen = [w for w in everyone if rng.random() < 0.45]
        with clock.frozen(_at(day, 18)):
            record_training(admin, TrainingInput(
                title=title, held_on=day, hours=Decimal(hours), organiser=WARD_ORGANISER,
                cross_agency=True), [w.pk for w in chosen])  # fmt: skip
        trainings += 1
        attendances += len(chosen)
    sessions = 0
    for agency_pk, workers in by_agency.items():
        agency = agency_by_pk[agency_pk]
        if agency.kind not in SUPERVISED:
            continue
        keeper = _keeper(agency, admin, supervisor)
        lead = f"{agency.name} 管理者"
        for month in range(12):
            day = today - timedelta(days=30 * month + rng.randint(3, 20))
            group = month % 3 == 0 and len(workers) >= 2
            chosen = workers if group else [rng.choice(workers)]
            with clock.frozen(_at(day, 17)):
                record_supervision(keeper, agency, SupervisionInput(
                    held_on=day, supervisor=lead,
                    format=SupervisionFormat.GROUP if group else SupervisionFormat.INDIVIDUAL,
                    hours="1.5" if group else "1.0", workers=[w.pk for w in chosen]))  # fmt: skip
            sessions += 1
    return (
        f"{len(everyone)} workers in {len(by_agency)} agencies' registers, {trainings} trainings "
        f"({len(CROSS_COURSES)} cross-agency, {attendances} attendances), {sessions} supervisions"
    )
