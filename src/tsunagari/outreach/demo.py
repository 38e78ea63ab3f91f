"""Demo outreach for the synthetic ward, played through the actions at past moments.

Runs after the consultations, cases, linkage and directory demos. Targets
come from every source:

* the outreach needs the outreach worker picked up at the front door;
* early-detection candidates of the linkage run, which the (designated)
  outreach worker decides to pass to outreach first;
* consultations whose referral ended 「連絡がつかなかった」;
* tips from the 民生委員 persona (partly identified; some tied to a person
  through the look-up).

Each source's targets are carried to different states (new, trying, in
contact, building trust, connected, closed, paused), with contacts over the
past weeks, some next contacts overdue, and one sign of immediate risk
escalated. Deterministic from the seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.consultations.models import Need, NeedKind, NeedStatus, Referral, ReferralOutcome
from tsunagari.lib import clock
from tsunagari.linkage.models import Candidate, CandidateStatus
from tsunagari.outreach import services
from tsunagari.outreach.models import OutreachTarget, State
from tsunagari.people.models import Person

T = TypeVar("T")
STEP_DAYS = 5
# The states each source's targets are carried to, in turn.
SCRIPT = [
    State.TRYING, State.IN_CONTACT, State.BUILDING_TRUST, State.CONNECTED,
    State.CLOSED, State.PAUSED, State.NEW,
]  # fmt: skip
TIPS = [
    ("commissioner", "北砂", "北砂五丁目の都営住宅 2号棟", "一人暮らしの高齢男性。新聞が3日分たまっている。"),
    ("commissioner", "大島", "大島六丁目 木造アパート1階", "夜に大声がする。子どもの泣き声も。"),
    ("landlord", "南砂", "南砂二丁目 メゾン南砂 203", "家賃が2か月滞っている。姿を見ない。"),
    ("utility", "東砂", "東砂四丁目の戸建て", "ガスの停止予告に応答がない。"),
    ("neighbour", "亀戸", "亀戸七丁目 団地3号棟", "ごみが玄関の外まであふれている。"),
    ("commissioner", "北砂", "北砂三丁目の団地", "50代の息子と80代の母。母の姿を最近見ない。"),
    ("agency", "豊洲", "豊洲四丁目のマンション", "転入後、子どもの健診に来ていない。"),
]  # fmt: skip
LIVING = [
    "室内は片付いている。食事は自分で用意している。",
    "玄関先で少し話せた。体調は悪くないとのこと。",
    "郵便受けに手紙を入れた。",
    "隣の方によると、日中は不在が多い。",
    "居室に物が多い。冷蔵庫の中はほとんど空。",
]


class _Player:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.counts: Counter[str] = Counter()

    def at(self, moment: datetime, action: Callable[[], T]) -> T | None:
        """Run the action at ``moment`` (never later than just before now); None if refused."""
        with clock.frozen(min(moment, self.now - timedelta(minutes=5))):
            try:
                return action()
            except services.OutreachError:
                return None

    def contact(self, staff: Staff, target: OutreachTarget, moment: datetime, result: str,
                *, next_days: int | None = None, risks: list[str] | None = None,
                told: str = "") -> None:  # fmt: skip
        moment = min(moment, self.now - timedelta(minutes=5))
        day = timezone.localdate(moment)
        next_on = (day + timedelta(days=next_days)).isoformat() if next_days is not None else ""
        method = self.rng.choice(["visit", "visit", "phone", "letter", "partner"])
        if result == "met":
            method = self.rng.choice(["visit", "visit", "phone"])
        data = services.ContactInput(
            on=day.isoformat(),
            method=method,
            result=result,
            living=self.rng.choice(LIVING),
            next_on=next_on,
            risks=risks or [],
            told=told,
        )
        if self.at(moment, partial(services.log_contact, staff, target.pk, data)) is not None:
            self.counts["contacts"] += 1

    def play(self, staff: Staff, target: OutreachTarget, goal: State, start: datetime,
             handover: str) -> None:  # fmt: skip
        step = timedelta(days=STEP_DAYS)
        if goal == State.NEW:
            return
        if target.worker_id is None:
            self.at(start, lambda: services.take_target(staff, target.pk))
        risky = self.counts["risk"] == 0 and goal == State.TRYING
        if risky:
            self.counts["risk"] += 1
        self.contact(staff, target, start + step, "no_answer", next_days=7,
                     risks=["no_answer_mail"] if risky else None,
                     told="地域包括支援センター 長寿 良子、深川警察署 生活安全課" if risky else "")  # fmt: skip
        if goal == State.TRYING:
            self.contact(staff, target, start + 2 * step, "note_left", next_days=3)
            return
        if goal == State.CLOSED:
            self.contact(staff, target, start + 2 * step, "no_answer", next_days=7)
            self.at(
                start + 3 * step, lambda: services.close_target(staff, target.pk, "unreachable")
            )
            return
        self.contact(staff, target, start + 2 * step, "met", next_days=7)
        if goal == State.PAUSED:
            until = (self.now + timedelta(days=21)).date().isoformat()
            self.at(
                start + 3 * step, lambda: services.pause_target(staff, target.pk, until, "入院中")
            )
            return
        if goal == State.IN_CONTACT:
            return
        self.at(
            start + 3 * step, lambda: services.move_state(staff, target.pk, State.BUILDING_TRUST)
        )
        self.contact(staff, target, start + 4 * step, "met", next_days=10)
        if goal == State.CONNECTED:
            data = services.ConnectInput(to="agency", agency=handover,
                                handover_note="本人の了解を得て、相談の場に同行した。訪問は午前中が良い。")  # fmt: skip
            self.at(start + 5 * step, lambda: services.connect_target(staff, target.pk, data))


def _outreach_worker() -> Staff | None:
    rows = Staff.objects.filter(agency__code="swc-01", is_active=True).order_by("username")
    return next((s for s in rows if s.has_role(Role.OUTREACH)), None)


def load_demo_outreach(seed: int) -> str:
    if OutreachTarget.objects.exists():
        return f"{OutreachTarget.objects.count()} outreach targets already present"
    worker = _outreach_worker()
    commissioner = Staff.objects.filter(username="commissioner").first()
    if worker is None or commissioner is None:
        return "no outreach targets (no outreach worker or commissioner)"
    rng = random.Random(seed * 31 + 15)
    now = clock.now()
    player = _Player(rng, now)
    began = now - timedelta(days=70)
    made: list[tuple[OutreachTarget, Staff, datetime, State]] = []

    def spread(i: int) -> datetime:
        return began + timedelta(days=(i * 3) % 40, hours=rng.randint(0, 6))

    # 1. picked-up outreach needs
    needs = list(Need.objects.filter(kind=NeedKind.OUTREACH, status=NeedStatus.PICKED_UP,
                                     picked_up_by__isnull=False)
                 .select_related("picked_up_by").order_by("picked_up_at", "pk")[:10])  # fmt: skip
    for i, need in enumerate(needs):
        taker = need.picked_up_by
        if taker is None:
            continue
        start = max(spread(i), (need.picked_up_at or began) + timedelta(hours=2))
        target = player.at(start, partial(services.create_target_from_need, taker, need.pk))
        if target is not None:
            made.append((target, taker, start, SCRIPT[i % len(SCRIPT)]))
    # 2. candidates of the linkage run, passed to outreach by the designated worker
    if worker.flag_access:
        from tsunagari.linkage.candidates import decide

        chosen = 0
        for i, candidate in enumerate(Candidate.objects.filter(status=CandidateStatus.NEW)
                                      .order_by("pk")[:40]):  # fmt: skip
            if chosen >= 3:
                break
            if not candidate.members.exists():
                continue
            start = spread(i + 5)
            with clock.frozen(start):
                decide(worker, candidate, CandidateStatus.REFERRED, "訪問で様子を確かめる。")
            target = player.at(start + timedelta(hours=1),
                               partial(services.create_target_from_candidate, worker, candidate.pk))  # fmt: skip
            if target is not None:
                made.append((target, worker, start, SCRIPT[(chosen + 2) % len(SCRIPT)]))
                chosen += 1
    # 3. consultations whose person could not be reached
    for i, referral in enumerate(Referral.objects.filter(outcome=ReferralOutcome.NO_CONTACT)
                                 .order_by("pk")[:3]):  # fmt: skip
        start = max(spread(i + 9), (referral.closed_at or began) + timedelta(hours=2))
        target = player.at(start, partial(services.create_target_from_consultation, worker,
                                          referral.consultation_id))  # fmt: skip
        if target is not None:
            made.append((target, worker, start, SCRIPT[(i + 4) % len(SCRIPT)]))
    # 4. tips from the 民生委員 persona and partners: one per state
    people = list(Person.objects.filter(sealed=False).exclude(surname_kana="")
                  .exclude(birth_date__isnull=True).order_by("pk")[:200])  # fmt: skip
    for i, (tipster, town, address, text) in enumerate(TIPS):
        start = spread(i + 12)
        tip = player.at(start, partial(services.send_tip, commissioner, services.TipInput(
            tipster=tipster, town=town, address=address, description=text)))  # fmt: skip
        if tip is None:
            continue
        target = OutreachTarget.objects.get(tip=tip)
        goal = SCRIPT[i % len(SCRIPT)]
        if goal in {State.CONNECTED, State.BUILDING_TRUST} and people:
            person = rng.choice(people)
            query = f"{person.full_kana} {person.birth_date:%Y-%m-%d}"
            player.at(start + timedelta(days=2),
                      partial(services.identify_target, worker, target.pk, query, person.pk))  # fmt: skip
        made.append((target, worker, start + timedelta(days=2), goal))
    for target, staff, start, goal in made:
        target.refresh_from_db()
        handover = "lsc-16" if rng.random() < 0.5 else "srs-01"
        player.play(staff, target, goal, start, handover)
    states = Counter(OutreachTarget.objects.values_list("state", flat=True))
    summary = ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
    return (
        f"{sum(states.values())} outreach targets ({summary}), {player.counts['contacts']} contacts"
    )
