"""The demo ward's evacuation-support roster, played through the actions at
past moments: the rules, the care and disability extracts loaded for the
roster, a rebuild, consent in every state, recipients in every town,
releases, plans in progress (zero-metre towns first) and a past disaster
declaration with safety checks and its follow-up list.

Deterministic from the seed; a second run adds nothing.
"""

from __future__ import annotations

import random
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from tsunagari.accounts.models import Agency, Staff
from tsunagari.disaster import selection, services
from tsunagari.disaster.models import (
    AreaPriority,
    ConsentStatus,
    PlanStatus,
    Recipient,
    RecipientKind,
    RosterEntry,
    RosterRebuild,
    SafetyStatus,
)
from tsunagari.lib import clock
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from tsunagari.demo.population import Ward

#: Consent answers and their shares among the people asked.
CONSENT_SHARES = (
    (ConsentStatus.AGREED, 0.50),
    (ConsentStatus.PRESUMED, 0.22),
    (ConsentStatus.REFUSED, 0.12),
    (ConsentStatus.OPTED_OUT, 0.06),
)
#: Share of the roster not asked yet (their letters are due).
NOT_ASKED = 0.18
PLACES = ("{town}小学校", "{town}中学校", "{town}区民館", "江東区スポーツ会館", "有明西学園")
NEEDS = {
    "medication": ("降圧剤（朝夕）", "インスリン（冷蔵が必要）", "抗てんかん薬", ""),
    "equipment": ("在宅酸素", "車いす", "歩行器", "たん吸引器", ""),
    "mobility": ("階段の昇り降りに介助が必要", "車いすで移動", "杖歩行・ゆっくり", ""),
    "communication": ("耳が聞こえにくい（筆談）", "視覚障害（声をかけて誘導）", "日本語が苦手（やさしい日本語）", ""),
}  # fmt: skip
FIRE = {"城東消防署": 1, "深川消防署": 2}
POLICE = {"城東警察署": 1, "深川警察署": 2, "東京湾岸警察署": 3}


def _answer(draw: float) -> str:
    for status, share in CONSENT_SHARES:
        if draw < share:
            return status
        draw -= share
    return CONSENT_SHARES[-1][0]


def _at(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour)))


def _department_extracts(ward: Ward, seed: int, officer: Staff) -> str:
    """Load the ward's care and disability extracts for the roster (the real path)."""
    from tsunagari.demo.extracts import write_extracts

    loaded = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "extracts"
        write_extracts(ward, folder, seed=seed)
        for source in ("care", "disability"):
            path = folder / f"{source}.csv"
            if path.exists():
                try:
                    load = services.load_department_facts(
                        officer, source, path.read_bytes(), path.name
                    )
                except services.DisasterError:
                    continue  # no basis recorded: the rule will say it could not run
                loaded.append(f"{load.matched} {source}")
    return ", ".join(loaded)


def _ward(seed: int) -> Ward | None:
    """The synthetic ward behind the stored residents, when it is the same one."""
    from tsunagari.demo.population import generate_ward

    count = Person.objects.exclude(resident_id="").count()
    if not count:
        return None
    ward = generate_ward(count, seed=seed)
    first = ward.households[0].members[0].resident_id if ward.households else ""
    return ward if Person.objects.filter(resident_id=first).exists() else None


def _recipients(towns: list[str]) -> int:
    """A 町会 in every town, the 民生委員 council, fire, police and the 社協."""
    priority = dict(AreaPriority.objects.values_list("town", "priority"))
    made = 0
    commissioner = Agency.objects.filter(code="msd-08").first()

    def make(name: str, kind: str, covered: list[str], agency: Agency | None = None) -> None:
        nonlocal made
        if covered and not Recipient.objects.filter(name=name).exists():
            services.save_recipient(None, None, services.RecipientInput(
                name=name, kind=kind, towns=covered, contact="03-0000-0000",
                agency=agency.code if agency else ""))  # fmt: skip
            made += 1

    for town in towns:
        make(f"{town}町会（自主防災組織）", RecipientKind.NEIGHBOURHOOD, [town])
    suna = [t for t in towns if "砂" in t]
    make("砂町地区民生委員協議会", RecipientKind.COMMISSIONER, suna or towns[:3], commissioner)
    make("江東区民生委員協議会（砂町以外）", RecipientKind.COMMISSIONER,
         [t for t in towns if t not in suna])  # fmt: skip
    for name, level in FIRE.items():
        make(
            name,
            RecipientKind.FIRE,
            [t for t in towns if (priority.get(t, 3) == 1) == (level == 1)],
        )
    for name, level in POLICE.items():
        make(name, RecipientKind.POLICE, [t for t in towns if min(priority.get(t, 3), 3) == level])
    make("江東区社会福祉協議会", RecipientKind.WELFARE_COUNCIL, towns)
    return made


def load_demo_disaster(seed: int, ward: Ward | None = None) -> str:
    """The demo roster; ``ward`` is the demo's synthetic ward (regenerated when not given)."""
    if RosterRebuild.objects.exists():
        return "evacuation roster already present"
    officer = Staff.objects.filter(username="disaster").first()
    if officer is None:
        return "no evacuation roster (the disaster persona is missing)"
    rng = random.Random(seed * 7919 + 18)
    now = clock.now()
    start = now - timedelta(days=120)
    services.ensure_rules()
    with clock.frozen(_at(start, 9)):
        ward = ward or _ward(seed)
        extracts = _department_extracts(ward, seed, officer) if ward is not None else ""
        rebuild = services.rebuild_roster(officer)
    entries = list(
        RosterEntry.objects.filter(on_roster=True).select_related("person").order_by("person_id")
    )
    if not entries:
        return "an empty evacuation roster (no resident meets a rule)"
    towns = sorted({e.person.town for e in entries if e.person.town})
    with clock.frozen(_at(start + timedelta(days=1), 10)):
        recipients = _recipients(towns)
        due = selection.letters_due()
        services.mark_letters_sent(officer, due)
    # Answers come back over six weeks.
    states: dict[int, str] = {}
    for entry in entries:
        draw = rng.random()
        if draw < NOT_ASKED:
            continue
        answer = _answer(rng.random())
        day = start + timedelta(days=rng.randint(10, 50))
        with clock.frozen(_at(day, 11)):
            services.record_roster_consent(officer, entry.person_id, answer,
                                           day.date().isoformat(), "回答書の受付")  # fmt: skip
        states[entry.person_id] = answer
    # Plans for those who agreed, zero-metre towns first.
    priority = dict(AreaPriority.objects.values_list("town", "priority"))
    plans: dict[str, int] = {PlanStatus.DONE: 0, PlanStatus.DRAFT: 0}
    for entry in entries:
        if states.get(entry.person_id) != ConsentStatus.AGREED:
            continue
        chance = 0.7 if priority.get(entry.person.town, 3) == 1 else 0.35
        if rng.random() > chance:
            continue
        # About a third are still being made.
        plan_status = PlanStatus.DRAFT if sum(plans.values()) % 3 == 1 else PlanStatus.DONE
        town = entry.person.town or "江東"
        day = start + timedelta(days=rng.randint(55, 100))
        data = services.PlanInput(
            status=plan_status,
            helpers=[
                services.HelperInput(
                    f"{town}町会 支援員{rng.randint(1, 30)}",
                    "町会",
                    f"{town}一丁目",
                    "03-0000-0000",
                )
            ]
            if plan_status == PlanStatus.DONE or rng.random() < 0.5
            else [],
            place=rng.choice(PLACES).format(town=town),
            route="自宅前の道を通り、大通りの信号を渡って避難先へ（約10分）",
            family_contact="長男（携帯 090-0000-0000）" if rng.random() < 0.6 else "",
            consent_on=(day - timedelta(days=3)).date().isoformat(),
            medication=rng.choice(NEEDS["medication"]),
            equipment=rng.choice(NEEDS["equipment"]),
            mobility=rng.choice(NEEDS["mobility"]),
            communication=rng.choice(NEEDS["communication"]),
        )
        with clock.frozen(_at(day, 14)):
            services.record_plan(officer, entry.person_id, data)
        plans[plan_status] += 1
    # Each 町会 receives its list once consents are in.
    releases = 0
    with clock.frozen(_at(start + timedelta(days=60), 15)):
        for recipient in Recipient.objects.filter(kind=RecipientKind.NEIGHBOURHOOD)[:5]:
            services.release_roster(officer, recipient.pk, "xlsx")
            releases += 1
    # A typhoon three weeks ago: disaster mode for two towns, checks, then the end.
    declared = [t for t in towns if priority.get(t, 3) == 1][:2] or towns[:1]
    storm = now - timedelta(days=21)
    with clock.frozen(_at(storm, 6)):
        declaration = services.declare_disaster(
            officer, declared, "台風接近に伴う高齢者等避難の発令", hours=48
        )
        for recipient in Recipient.objects.filter(
            kind__in=[RecipientKind.NEIGHBOURHOOD, RecipientKind.FIRE]
        ):
            if set(recipient.towns) & set(declared):
                services.release_roster(officer, recipient.pk, "xlsx")
                releases += 1
    checked = 0
    statuses = list(SafetyStatus.values)
    weights = (0.55, 0.25, 0.08, 0.12)
    scope = list(services_scope_ids(officer, storm))
    for pid, at in zip(scope, check_times(storm, len(scope)), strict=True):
        with clock.frozen(at):
            status = rng.choices(statuses, weights)[0]
            services.record_safety_check(officer, pid, status)
            checked += 1
    with clock.frozen(_at(storm + timedelta(days=1), 12)):
        services.end_disaster(officer, declaration.pk, "台風通過・避難情報の解除")
    counts = {s: sum(1 for v in states.values() if v == s) for s in ConsentStatus.values}
    return (
        f"an evacuation roster of {rebuild.total} people ({extracts or 'no department extracts'}; "
        f"consent {counts}), {recipients} recipients, {plans[PlanStatus.DONE]} plans made and "
        f"{plans[PlanStatus.DRAFT]} in progress, {releases} releases, a past declaration with "
        f"{checked} safety checks"
    )


def check_times(storm: datetime, n: int) -> list[datetime]:
    """When the demo's ``n`` safety checks are recorded: three minutes apart
    from 8:00 on the storm's day, closer when there are many, so that all
    fall within a day, before the declaration ends (noon the next day) and a
    late check would be refused, however large the ward."""
    step = min(timedelta(minutes=3), timedelta(hours=24) / max(n, 1))
    return [_at(storm, 8) + step * i for i in range(n)]


def services_scope_ids(officer: Staff, storm: datetime) -> list[int]:
    with clock.frozen(_at(storm, 7)):
        return selection.check_scope(officer).person_ids
