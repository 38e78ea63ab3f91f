"""Demo reports and rights advocacy for the synthetic ward, made through the actions.

Reports in every state, each step at its own past moment (``lib.clock.frozen``):
one received hours ago (within its clock), one received three days ago and
never confirmed (overdue, escalated), one with safety confirmed, one DV
report with facts found, the address sealed and a safety plan, one under
monitoring, one closed, one closed as not abuse, and a child's report handed
to the child and family support centre. Advocacy: mayor's petitions in
progress (at the doctor's certificate, filed with the court) and one
appointed with a fee subsidy, and a referral to the 社協's 日常生活自立支援事業.

Deterministic from ``seed``; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from tsunagari.accounts.models import Agency, AgencyKind, Staff
from tsunagari.lib import clock
from tsunagari.people.models import Person
from tsunagari.safeguarding.models import Advocacy, Report
from tsunagari.safeguarding.services import (
    AdvocacyInput,
    DecisionInput,
    ReportInput,
    SafetyPlanInput,
    SupportInput,
    add_support,
    advance_petition,
    close_report,
    confirm_safety,
    decide,
    escalate_overdue,
    file_report,
    monitor,
    open_advocacy,
    record_facts,
    record_safety_plan,
    seal_address,
    start_petition,
)


def _people(rng: random.Random, today: date) -> tuple[list[Person], list[Person], list[Person]]:
    """Older people, adults and children, a deterministic sample of each."""
    old_cut = date(today.year - 70, today.month, 1)
    adult_cut = date(today.year - 20, today.month, 1)
    child_cut = date(today.year - 15, today.month, 1)
    rows = Person.objects.filter(birth_date__isnull=False, sealed=False).order_by("pk")
    older = list(rows.filter(birth_date__lt=old_cut).values_list("pk", flat=True)[:400])
    adults = list(rows.filter(birth_date__lt=adult_cut, birth_date__gte=old_cut)
                  .values_list("pk", flat=True)[:400])  # fmt: skip
    children = list(rows.filter(birth_date__gte=child_cut).values_list("pk", flat=True)[:200])

    def pick(pks: list[int], n: int) -> list[Person]:
        chosen = rng.sample(pks, min(n, len(pks)))
        found = Person.objects.in_bulk(chosen)
        return [found[p] for p in chosen]

    return pick(older, 9), pick(adults, 2), pick(children, 1)


def _report(filer: Staff, law: str, person: Person, reporter: str, summary: str,
            kinds: list[str], **extra: str) -> Report:  # fmt: skip
    return file_report(filer, ReportInput(
        law=law, person=str(person.pk), kinds=kinds, summary=summary, reporter_type=reporter,
        reporter_name="（デモ）通報者" if reporter != "anonymous" else "",
        reporter_relation={"neighbour": "近所の住民", "care_manager": "担当ケアマネジャー"}.get(reporter, ""),
        reporter_contact="03-0000-0000" if reporter != "anonymous" else "", **extra,
    ))  # fmt: skip


def load_demo_safeguarding(seed: int) -> str:
    if Report.objects.exists() or Advocacy.objects.exists():
        return f"{Report.objects.count()} safeguarding reports, {Advocacy.objects.count()} advocacies (kept)"
    staff = {s.username: s for s in Staff.objects.filter(
        username__in=["safeguarding", "consultant.elderly", "commissioner", "consultant.disability",
                      "consultant.child"])}  # fmt: skip
    team = staff.get("safeguarding")
    if team is None or len(staff) < 5:
        return "no safeguarding demo (the personas are missing)"
    rng = random.Random(seed * 7919 + 19)
    now = clock.now().replace(second=0, microsecond=0)
    older, adults, children = _people(rng, timezone.localdate(now))
    if len(older) < 9 or len(adults) < 2:
        return "no safeguarding demo (too few residents)"
    centre = (
        Agency.objects.filter(kind=AgencyKind.CHILD_FAMILY_CENTRE, is_active=True)
        .order_by("code")
        .first()
    )
    council = (
        Agency.objects.filter(kind=AgencyKind.SOCIAL_WELFARE_COUNCIL, is_active=True)
        .order_by("code")
        .first()
    )

    def at(days: float = 0, hours: float = 0) -> datetime:
        return now - timedelta(days=days, hours=hours)

    meeting = DecisionInput(recognised="yes", urgency="medium", separation="none",
                            kinds=["physical", "psychological"],
                            note="コアメンバー会議（課長・係長・担当・長寿サポートセンター）。介護負担による身体的虐待と判断。")  # fmt: skip
    # Within its clock: received six hours ago.
    with clock.frozen(at(hours=6)):
        _report(staff["consultant.elderly"], "elder_carer", older[0], "care_manager",
                "訪問時、本人の腕に新しいあざ。家族の説明があいまい。", ["physical"])  # fmt: skip
    # Overdue: received three days ago, never confirmed; escalated to the supervisor.
    with clock.frozen(at(days=3)):
        _report(staff["commissioner"], "elder_carer", older[1], "commissioner",
                "数日、姿を見ない。家の中から怒鳴り声が聞こえる。", ["psychological", "neglect"])  # fmt: skip
    escalate_overdue()
    # Safety confirmed.
    with clock.frozen(at(days=2)):
        r = _report(staff["consultant.disability"], "disability", adults[0], "service_staff",
                    "通所先で、家族に金銭を取り上げられていると話した。", ["economic"])  # fmt: skip
    with clock.frozen(at(days=1, hours=14)):
        confirm_safety(team, r.pk, "通所先で本人と面談。けが・体調の問題なし。")
    # DV: facts found, address sealed, safety plan.
    with clock.frozen(at(days=12)):
        r = _report(staff["consultant.elderly"], "dv", adults[1], "self",
                    "配偶者からの暴力。避難を考えている。", ["physical", "psychological"])  # fmt: skip
    with clock.frozen(at(days=11, hours=20)):
        confirm_safety(team, r.pk, "来所時に面談。配偶者暴力相談支援センターと連携。")
    with clock.frozen(at(days=9)):
        record_facts(team, r.pk, "本人・配偶者暴力相談支援センターから聞き取り。")
    with clock.frozen(at(days=8)):
        seal_address(team, r.pk, "住民基本台帳の支援措置 申出受付済み（デモ）")
        record_safety_plan(team, r.pk, SafetyPlanInput(
            risks="配偶者が転居先を探している。", measures="転居先は指定職員のみが知る。来所は予約制。",
            contacts="配偶者暴力相談支援センター、警察署生活安全課", review_on=(now + timedelta(days=60)).date().isoformat(),
        ))  # fmt: skip
    # Monitoring.
    for person, start in ((older[2], 40), (older[3], 25)):
        with clock.frozen(at(days=start)):
            r = _report(staff["consultant.elderly"], "elder_carer", person, "care_manager",
                        "ショートステイ利用時に体重減少と傷。", ["physical", "neglect"])  # fmt: skip
        with clock.frozen(at(days=start - 1)):
            confirm_safety(team, r.pk, "自宅を訪問し本人と面談。")
        with clock.frozen(at(days=start - 4)):
            record_facts(team, r.pk, "長男・ケアマネジャーから聞き取り。")
        with clock.frozen(at(days=start - 8)):
            decide(team, r.pk, meeting)
        with clock.frozen(at(days=max(start - 20, 1))):
            monitor(team, r.pk, "デイサービスを週3回に増やし、長男の介護負担が軽くなった。")
    # Closed (resolved) and closed as not abuse.
    with clock.frozen(at(days=120)):
        r = _report(staff["commissioner"], "elder_facility", older[4], "anonymous",
                    "施設で夜間に職員が大声で叱っている。", ["psychological"])  # fmt: skip
    with clock.frozen(at(days=119, hours=12)):
        confirm_safety(team, r.pk, "施設を訪問し本人と面談。")
    with clock.frozen(at(days=112)):
        record_facts(team, r.pk, "施設長・職員から聞き取り。記録を確認。")
    with clock.frozen(at(days=105)):
        decide(team, r.pk, DecisionInput(recognised="yes", urgency="low", separation="none",
               kinds=["psychological"], note="施設に改善計画を求める。"))  # fmt: skip
    with clock.frozen(at(days=30)):
        close_report(team, r.pk, "resolved", "")
    with clock.frozen(at(days=50)):
        r = _report(staff["consultant.elderly"], "elder_carer", older[5], "neighbour",
                    "夜に大きな物音。", ["physical"])  # fmt: skip
    with clock.frozen(at(days=49, hours=10)):
        confirm_safety(team, r.pk, "訪問。家具の移動の音だった。")
    with clock.frozen(at(days=47)):
        close_report(team, r.pk, "not_recognised", "")
    # A child's report, handed over at once.
    if children and centre is not None:
        with clock.frozen(at(days=5)):
            _report(staff["consultant.child"], "child", children[0], "school",
                    "登校時に空腹を訴える。服が数日同じ。", ["neglect"], hand_to=centre.code)  # fmt: skip
    # Rights advocacy: petitions in progress and one appointed with a subsidy.
    petitions = 0
    for person, days, upto in ((older[6], 70, "certificate"), (older[7], 150, "petitioned"),
                               (older[8], 300, "appointed")):  # fmt: skip
        with clock.frozen(at(days=days)):
            advocacy = open_advocacy(team, AdvocacyInput(person=str(person.pk),
                                     reason="認知症が進み、金銭管理が難しい。身寄りが遠方。"))  # fmt: skip
            petition = start_petition(team, advocacy.pk, "guardianship")
        step_day = days
        for step in ("relatives", "certificate", "petitioned", "appointed"):
            step_day -= 25
            with clock.frozen(at(days=max(step_day, 1))):
                advance_petition(team, petition.pk, step,
                                 guardian="（デモ）江東区社会福祉士会 会員" if step == "appointed" else "")  # fmt: skip
            if step == upto:
                break
        petitions += 1
        if upto == "appointed":
            with clock.frozen(at(days=max(step_day - 10, 1))):
                add_support(team, advocacy.pk, SupportInput(kind="fee_subsidy", amount="28000"))
        elif upto == "certificate" and council is not None:
            with clock.frozen(at(days=days - 3)):
                add_support(team, advocacy.pk, SupportInput(kind="daily_life", agency=council.code))
    return f"{Report.objects.count()} safeguarding reports, {petitions} mayor's petitions"
