"""Demo barrier reports: residents' reports over the past year, at places of
the directory and on streets, worked by the community desk into every state.
Played through the actions at past moments (``lib.clock.frozen``), from the
seed alone, and idempotent: a second run adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from tsunagari.barriers.models import BarrierReport, BarrierStatus, BarrierWhere, Department
from tsunagari.barriers.services import (
    assign_barrier,
    change_barrier_status,
    public_places,
    report_barrier,
)
from tsunagari.lib import clock
from tsunagari.resources.towns import TOWNS

STREET = (
    ("歩道の段差が高く、車いすで車道に降りられません。", Department.ROADS),
    ("点字ブロックがはがれて、途中で途切れています。", Department.ROADS),
    ("歩道に自転車がたくさん止められていて、ベビーカーで通れません。", Department.TRAFFIC),
    ("横断歩道の青信号が短く、杖を使う人が渡りきれません。", Department.TRAFFIC),
    ("公園のトイレに手すりがなく、使えません。", Department.PARKS),
    ("川沿いの遊歩道のスロープが急で、手押し車では上れません。", Department.PARKS),
    ("バス停にベンチがなく、長く立って待つのがつらいです。", Department.TRAFFIC),
    ("工事の仮歩道がでこぼこで、つまずきそうになりました。", Department.ROADS),
)
PLACE = (
    ("入口のスロープに物が置かれていて通れません。", Department.KEEPER),
    ("エレベーターが止まったままで、2階の会場に行けません。", Department.FACILITIES),
    ("多目的トイレが物置になっていて使えません。", Department.KEEPER),
    ("受付に筆談ボードがなく、聞こえないことを伝えられませんでした。", Department.KEEPER),
    ("案内表示の文字が小さく、会場の場所がわかりません。", Department.FACILITIES),
)
ANSWERS = {
    Department.ROADS: "道路課で現地を確認し、段差の解消・補修を行いました。ご連絡ありがとうございました。",
    Department.TRAFFIC: "交通対策課で現地を確認し、表示と巡回を増やしました。",
    Department.PARKS: "公園河川課で手すりを取り付けました。",
    Department.FACILITIES: "施設課で修理を行い、使えるようになりました。",
    Department.KEEPER: "施設の運営者に伝え、改善したとの報告を受けました。",
    Department.OTHER: "関係機関に伝えました。",
}
NOT_ACTIONABLE = (
    "区の管理ではない場所（私有地）のため、区では対応できません。所有者にお伝えしました。"
)


def _at(day: datetime, hours: float) -> datetime:
    return day + timedelta(hours=hours)


def load_demo_barriers(seed: int) -> str:
    rng = random.Random(f"barriers/{seed}")
    places = list(public_places().values_list("id", flat=True))
    today = clock.today()
    tz = timezone.get_current_timezone()
    planned = 40
    made = 0
    for n in range(planned):
        report_rng = random.Random(f"barriers/{seed}/{n}")
        days_ago = rng.randint(1, 360)
        received = datetime.combine(
            today - timedelta(days=days_ago), time(rng.randint(8, 21), rng.randint(0, 59)), tz
        )
        at_place = bool(places) and rng.random() < 0.4
        text, department = rng.choice(PLACE if at_place else STREET)
        location = rng.choice(places) if at_place else ""
        town = rng.choice(TOWNS)
        contact = (
            f"demo{n}@example.jp" if rng.random() < 0.4 else ""
        )  # example.jp: never a real address
        # How far it has got: older reports further along.
        roll = rng.random()
        if days_ago < 7:
            stage = 0 if roll < 0.6 else 1
        elif days_ago < 30:
            stage = [0, 1, 2, 3][min(3, int(roll * 4))]
        else:
            stage = 3 if roll < 0.8 else (4 if roll < 0.9 else 2)
        # Idempotent: the reference is drawn from this report's own stream.
        probe = random.Random(f"barriers/{seed}/{n}")
        reference = "BR-" + "".join(
            probe.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _i in range(6)
        )
        if BarrierReport.objects.filter(reference=reference).exists():
            continue
        with clock.frozen(received):
            report = report_barrier(
                where=BarrierWhere.PLACE if at_place else BarrierWhere.STREET,
                description=text,
                town=town,
                location_id=location,
                contact=contact,
                rng=report_rng,
            )
        made += 1
        step = received
        if stage >= 1 and stage != 4:
            step = _at(step, rng.randint(2, 48))
            with clock.frozen(max(received, min(step, clock.now() - timedelta(minutes=10)))):
                assign_barrier(
                    report.pk, department, actor=None, expected_status=BarrierStatus.RECEIVED
                )
        if stage >= 2 and stage != 4:
            step = _at(step, rng.randint(24, 24 * 10))
            with clock.frozen(max(received, min(step, clock.now() - timedelta(minutes=5)))):
                change_barrier_status(
                    report.pk,
                    BarrierStatus.IN_PROGRESS,
                    actor=None,
                    expected_status=BarrierStatus.ASSIGNED,
                    public_answer="担当の課で現地を確認しています。",
                )
        if stage == 3:
            step = _at(step, rng.randint(24, 24 * 30))
            with clock.frozen(max(received, min(step, clock.now() - timedelta(minutes=1)))):
                change_barrier_status(
                    report.pk,
                    BarrierStatus.RESOLVED,
                    actor=None,
                    expected_status=BarrierStatus.IN_PROGRESS,
                    public_answer=ANSWERS[department],
                )
        if stage == 4:
            step = _at(step, rng.randint(2, 72))
            with clock.frozen(max(received, min(step, clock.now() - timedelta(minutes=10)))):
                change_barrier_status(
                    report.pk,
                    BarrierStatus.NOT_ACTIONABLE,
                    actor=None,
                    expected_status=BarrierStatus.RECEIVED,
                    public_answer=NOT_ACTIONABLE,
                )
    return f"{made} barrier reports"
