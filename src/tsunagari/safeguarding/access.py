"""Who may see a report: the designated team only.

Anyone who works with people may *file* a report (``FILE_SAFEGUARDING_REPORT``);
reading and working reports, and every reporter's identity, takes
``WORK_SAFEGUARDING``, which needs the ``safeguarding_access`` designation on
the staff record. The person's other agencies, the filer included, see no
report page: what they may know comes through their own records. Every
refusal is audited with its reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, decide
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.safeguarding.models import Advocacy, Petition, Report

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

NOT_THE_TEAM = _(
    "虐待・暴力の通報と権利擁護支援の記録は、指定された担当チームの職員だけが見られます。"
    "通報は「通報・届出」のページから誰でも行えます。"
)


def team_only(actor: Staff | AnonymousUser, *, obj_type: str = "", obj_id: str = "") -> None:
    """Refuse (audited, with the reason) anyone outside the designated team."""
    decision = decide(actor, Action.WORK_SAFEGUARDING)
    if not decision.allowed:
        reason = str(NOT_THE_TEAM) if getattr(actor, "is_authenticated", False) else decision.reason
        if getattr(actor, "is_authenticated", False):
            record(actor, AuditAction.DENIED, object_type=obj_type, object_id=obj_id,
                   reason=reason)  # fmt: skip
        raise PermissionDenied(reason)


def get_report_for(actor: Staff | AnonymousUser, report_id: int) -> Report:
    team_only(actor, obj_type="safeguarding.report", obj_id=str(report_id))
    report = (
        Report.objects.select_related("person", "filed_agency", "handed_to")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(gettext("その番号の通報はありません。"))
    return report


def get_advocacy_for(actor: Staff | AnonymousUser, advocacy_id: int) -> Advocacy:
    team_only(actor, obj_type="safeguarding.advocacy", obj_id=str(advocacy_id))
    advocacy = Advocacy.objects.select_related("person").filter(pk=advocacy_id).first()
    if advocacy is None:
        raise Http404(gettext("その番号の権利擁護支援はありません。"))
    return advocacy


def get_petition_for(actor: Staff | AnonymousUser, petition_id: int) -> Petition:
    team_only(actor, obj_type="safeguarding.petition", obj_id=str(petition_id))
    petition = Petition.objects.select_related("advocacy__person").filter(pk=petition_id).first()
    if petition is None:
        raise Http404(gettext("その番号の申立てはありません。"))
    return petition
