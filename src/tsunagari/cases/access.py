"""Who may see and work on a case: one rule, registered with the policy layer.

A case is seen by the staff of its team agencies, and only while the
regime's basis holds for the viewer's agency:

* 支援会議: the case's decision is still confirmed and not ended, and the
  viewer's agency is one of its member agencies;
* 重層的支援会議: a consent of the person in force today names the viewer's
  agency (a withdrawal or expiry ends this the same day).

Working on the case (moving its stage, closing, reopening, adding an agency)
takes ``Action.WORK_CASES`` (the coordinating role) under the same rule.
Every refusal is audited with its reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, Decision, register_object_rule, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.cases.models import Case, ConfidentialityConfirmation, Regime
from tsunagari.consent.models import DecisionStatus, SupportMeeting
from tsunagari.consent.services import consent_covering
from tsunagari.people import sections

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

NOT_ON_TEAM = _("この事例は、チームに入っている機関の職員だけが見られます。")
NOT_A_MEETING_MEMBER = _(
    "この事例は支援会議で扱われています。見られるのは、支援会議の決定が有効な間の構成機関だけです。"
)
NO_CONSENT = _(
    "この事例は本人の同意にもとづく重層的支援会議で扱われています。"
    "あなたの機関を含む同意が撤回されたか、期限が切れたため、見られません。"
)


CONFIRM_FIRST = _(
    "この事例は支援会議で扱われています。最初に守秘義務を確認してから開いてください。"
)


def basis_holds(agency_id: int | None, case: Case) -> Decision:
    """Whether the regime's basis holds for the agency today (team membership aside)."""
    if agency_id is None:
        return Decision(False, str(NOT_ON_TEAM))
    if case.regime == Regime.SUPPORT_MEETING:
        # Read live: the decision may have ended since the case was loaded.
        if (
            case.support_meeting_id is None
            or not SupportMeeting.objects.filter(
                pk=case.support_meeting_id,
                status=DecisionStatus.CONFIRMED,
                ended_on__isnull=True,
                agencies__id=agency_id,
            ).exists()
        ):
            return Decision(False, str(NOT_A_MEETING_MEMBER))
        return Decision(True)
    if consent_covering(case.person_id, agency_id) is None:
        return Decision(False, str(NO_CONSENT))
    return Decision(True)


def bases_holding(agency_id: int, cases: list[Case]) -> set[int]:
    """Of ``cases``, the ids of those whose regime's basis holds for the agency
    today: ``basis_holds`` for a list, with one query for all the 支援会議
    decisions and one consent look-up per person (a test keeps the two equal)."""
    meeting_ids = {c.support_meeting_id for c in cases
                   if c.regime == Regime.SUPPORT_MEETING and c.support_meeting_id is not None}  # fmt: skip
    confirmed = set(
        SupportMeeting.objects.filter(pk__in=meeting_ids, status=DecisionStatus.CONFIRMED,
                                      ended_on__isnull=True, agencies__id=agency_id)
        .values_list("pk", flat=True)
    ) if meeting_ids else set()  # fmt: skip
    consented: dict[int, bool] = {}
    holding = set()
    for case in cases:
        if case.regime == Regime.SUPPORT_MEETING:
            ok = case.support_meeting_id in confirmed
        else:
            if case.person_id not in consented:
                consented[case.person_id] = consent_covering(case.person_id, agency_id) is not None
            ok = consented[case.person_id]
        if ok:
            holding.add(case.pk)
    return holding


def _case_rule(staff: Staff, case: Case) -> Decision:
    agency_id = staff.agency_id
    if agency_id is None or not case.team.filter(agency_id=agency_id).exists():
        return Decision(False, str(NOT_ON_TEAM))
    return basis_holds(agency_id, case)


def register() -> None:
    register_object_rule(Action.VIEW_PERSONAL_DATA, Case, _case_rule)
    register_object_rule(Action.WORK_CASES, Case, _case_rule)


def get_case_for(actor: Staff | AnonymousUser, case_id: int, *, to_work: bool = False) -> Case:
    """The one way to fetch a case: it exists and ``actor`` may see (or work on) it.

    A refusal is audited with its reason and raised as PermissionDenied.
    """
    require(actor, Action.WORK_CASES if to_work else Action.VIEW_PERSONAL_DATA)
    case = (
        Case.objects.select_related("person", "lead", "lead__agency", "support_meeting",
                                    "opened_agency", "handover_agency", "need")
        .filter(pk=case_id)
        .first()
    )  # fmt: skip
    if case is None:
        raise Http404(gettext("その番号の事例はありません。"))
    try:
        require(actor, Action.WORK_CASES if to_work else Action.VIEW_PERSONAL_DATA, case)
    except PermissionDenied as exc:
        record(actor, AuditAction.DENIED, obj=case, person_id=case.person_id,
               reason=str(exc)[:200])  # fmt: skip
        raise
    return case


def needs_confirmation(staff: Staff | AnonymousUser, case: Case) -> bool:
    """Whether ``staff`` must still confirm the 支援会議's confidentiality duty for the case.

    Only under 支援会議; each worker once per case (see ``ConfidentialityConfirmation``).
    """
    if case.regime != Regime.SUPPORT_MEETING:
        return False
    if staff.pk is None:
        return True
    return not ConfidentialityConfirmation.objects.filter(case=case, staff_id=staff.pk).exists()


def unconfirmed(staff: Staff | AnonymousUser, cases: list[Case]) -> set[int]:
    """Of ``cases``, the ids of those ``staff`` must still confirm (one query)."""
    ids = [c.pk for c in cases if c.regime == Regime.SUPPORT_MEETING]
    if not ids or staff.pk is None:
        return set(ids)
    done = set(ConfidentialityConfirmation.objects.filter(case_id__in=ids, staff_id=staff.pk)
               .values_list("case_id", flat=True))  # fmt: skip
    return set(ids) - done


def require_confirmed(actor: Staff | AnonymousUser, case: Case) -> None:
    """Refuse (audited) anything on a 支援会議 case before the worker confirmed the duty."""
    if needs_confirmation(actor, case):
        record(actor, AuditAction.DENIED, obj=case, person_id=case.person_id,
               reason=str(CONFIRM_FIRST)[:200])  # fmt: skip
        raise PermissionDenied(str(CONFIRM_FIRST))


def get_workable_case(actor: Staff | AnonymousUser, case_id: int, *, to_work: bool = True) -> Case:
    """``get_case_for`` plus, under 支援会議, the worker's confirmation of the duty."""
    case = get_case_for(actor, case_id, to_work=to_work)
    require_confirmed(actor, case)
    return case


# Which section of a person's record each life area of an assessment belongs
# to: under 重層的支援会議 a viewer sees an area only if the person's consent
# opens that section for their agency (under 支援会議 every section is open).
AREA_SECTIONS: dict[str, str] = {
    "health": sections.HEALTH, "disability": sections.HEALTH, "care": sections.HEALTH,
    "money": sections.MONEY, "housing": sections.MONEY,
    "family": sections.HOUSEHOLD, "childrearing": sections.HOUSEHOLD,
    "work": sections.SUPPORT, "isolation": sections.SUPPORT, "safety": sections.SUPPORT,
}  # fmt: skip

# The plan, conferences and monitoring are the person's support record.
WORK_SECTION = sections.SUPPORT

NO_SUPPORT_SECTION = _(
    "本人の同意が、あなたの機関に「支援の経過・計画」の共有を含んでいないため、"
    "支援プラン・会議の記録は表示しません。"
)


def reads_work(staff: Staff | AnonymousUser, case: Case) -> bool:
    """Whether the viewer's entitlement opens the case person's support record."""
    from tsunagari.people.presenter import entitlements

    held = entitlements(staff, [case.person_id]).get(case.person_id)
    return held is not None and WORK_SECTION in held.sections


def require_reads_work(actor: Staff | AnonymousUser, case: Case) -> None:
    if not reads_work(actor, case):
        record(actor, AuditAction.DENIED, obj=case, person_id=case.person_id,
               reason=str(NO_SUPPORT_SECTION)[:200])  # fmt: skip
        raise PermissionDenied(str(NO_SUPPORT_SECTION))
