"""Demo multi-agency cases for the synthetic ward, made through the actions.

Run after the front door's demo (``consultations.demo``), from needs the
coordinator picked up there. Each step happens at its own moment
(``lib.clock.frozen``), after the need was picked up and before now:

* an 8050 household under 支援会議: the coordinator records the decision
  naming the middle-aged child, the ward's supervisor confirms it, the case
  is opened with the child concerned and moved to 支援;
* a household under 重層的支援会議: the person's consent names the team;
* a case carried to モニタリング and closed, handed over to the agency that
  raised the need.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

from tsunagari.accounts.models import Role, Staff
from tsunagari.cases.models import Case, EndReason, Regime, Stage
from tsunagari.cases.services import CaseInput, EndInput, TeamInput, end_case, move_stage, open_case
from tsunagari.consent.models import ConsentForm, InfoCategory
from tsunagari.consent.services import (
    ConsentInput,
    SupportMeetingInput,
    active_support_meeting,
    confirm_support_meeting,
    current_household,
    is_ward_supervisor,
    place_under_support_meeting,
    record_consent,
)
from tsunagari.consultations.models import Need, NeedKind, NeedStatus
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on

# Days between the steps of a demo case.
STEP_DAYS = 6


def _moments(start: datetime, now: datetime) -> Iterator[datetime]:
    """Moments a few working days apart from ``start``, never after ``now``."""
    at = start
    while True:
        yield min(at, now - timedelta(minutes=5))
        at += timedelta(days=STEP_DAYS)


def _picked(need: Need) -> datetime:
    # The demo's needs are read with ``picked_up_at`` set (see load_demo_cases).
    return need.picked_up_at or timezone.now()


def _coordinator() -> Staff | None:
    rows = Staff.objects.filter(agency__code="mac-01", is_active=True).order_by("username")
    return next((s for s in rows if s.has_role(Role.COORDINATOR)), None)


def _supervisor() -> Staff | None:
    rows = Staff.objects.filter(is_active=True, agency__isnull=False).order_by("username")
    return next((s for s in rows if is_ward_supervisor(s)), None)


def _team(need: Need) -> list[TeamInput]:
    codes = ["mac-01", "srs-01", need.raised_agency.code]
    roles = {"mac-01": "調整（多機関協働）", "srs-01": "生活費・就労の相談"}
    return [TeamInput(c, roles.get(c, "最初の相談先・見守り")) for c in dict.fromkeys(codes)]


def _lead(need: Need, coordinator: Staff) -> str:
    return (
        need.raised_by.username
        if need.raised_by.agency_id == need.raised_agency_id
        else coordinator.username
    )


def _eightyfifty(needs: list[Need]) -> tuple[Need, int] | None:
    """A need for an elderly person living with a middle-aged child, not under a decision yet."""
    today = timezone.localdate()
    for need in needs:
        age = age_on(need.person.birth_date, today)
        if age is None or age < 70 or active_support_meeting(need.person_id) is not None:
            continue
        for pk, m in current_household(need.person).items():
            child = age_on(m.person.birth_date, today)
            if child is not None and 40 <= child <= 65:
                return need, pk
    return None


def load_demo_cases(seed: int) -> str:
    """Create the demo ward's cases; returns a one-line summary (a second run changes nothing)."""
    del seed  # the choice of households is deterministic from the front door's demo
    if Case.objects.exists():
        return f"{Case.objects.count()} cases already present"
    coordinator = _coordinator()
    if coordinator is None:
        return "no cases (no coordinator)"
    now = timezone.now()
    needs = list(
        Need.objects.filter(kind=NeedKind.MULTI_AGENCY, status=NeedStatus.PICKED_UP,
                            picked_up_by=coordinator, picked_up_at__lte=now - timedelta(days=40))
        .select_related("person", "raised_agency", "raised_by").order_by("picked_up_at", "pk")
    )  # fmt: skip
    made: list[str] = []
    supervisor = _supervisor()
    found = _eightyfifty(needs) if supervisor is not None else None
    if found is not None and supervisor is not None:
        need, child = found
        needs.remove(need)
        steps = _moments(_picked(need) + timedelta(days=2), now)
        team = _team(need)
        with clock.frozen(next(steps)):
            meeting = place_under_support_meeting(coordinator, need.person_id, SupportMeetingInput(
                decided_on=clock.today().isoformat(), agencies=[t.agency for t in team],
                reason="8050世帯。高齢の親と無職の子が孤立しており、子の同意が得られないため。",
                members=[str(child)]))  # fmt: skip
            confirm_support_meeting(supervisor, meeting.pk)
        with clock.frozen(next(steps)):
            case = open_case(coordinator, need.pk, CaseInput(regime=Regime.SUPPORT_MEETING,
                             team=team, lead=_lead(need, coordinator), members=[str(child)]))  # fmt: skip
        for stage in (Stage.ASSESSMENT, Stage.PLAN, Stage.SUPPORT):
            with clock.frozen(next(steps)):
                move_stage(coordinator, case.pk, stage)
        made.append("an 8050 household under 支援会議")
    for closing in (False, True):
        if not needs:
            break
        need = needs.pop(0)
        steps = _moments(_picked(need) + timedelta(days=3), now)
        team = _team(need)
        with clock.frozen(next(steps)):
            record_consent(coordinator, need.person_id, ConsentInput(
                form=ConsentForm.WITH_CONSENT, given_on=clock.today().isoformat(),
                expires_on=(clock.today() + timedelta(days=365)).isoformat(),
                agencies=[t.agency for t in team],
                categories=[InfoCategory.BASIC, InfoCategory.CONSULTATION, InfoCategory.FAMILY,
                            InfoCategory.SUPPORT],
                members=[]))  # fmt: skip
        with clock.frozen(next(steps)):
            case = open_case(coordinator, need.pk, CaseInput(regime=Regime.LAYERED, team=team,
                                                             lead=_lead(need, coordinator)))  # fmt: skip
        stages = (
            [Stage.ASSESSMENT, Stage.PLAN, Stage.SUPPORT, Stage.MONITORING]
            if closing
            else [Stage.ASSESSMENT]
        )
        for stage in stages:
            with clock.frozen(next(steps)):
                move_stage(coordinator, case.pk, stage)
        if closing:
            with clock.frozen(next(steps)):
                end_case(coordinator, case.pk, EndInput(
                    state="closed", reason=EndReason.HANDED_OVER, handover_agency=need.raised_agency.code,
                    note="生活が安定し、定期的な見守りで足りるようになった。",
                    handover_note="月1回の訪問による見守りを継続。変化があれば多機関協働の窓口へ連絡。"))  # fmt: skip
            made.append("one closed with a handover")
        else:
            made.append("one under 重層的支援会議 with consent")
    if not made:
        return "no cases (no picked-up multi-agency needs old enough)"
    return f"{len(made)} cases ({', '.join(made)})"


__all__ = ["load_demo_cases"]
