"""Who may see a consultation, a referral or a need: one helper per object type.

* A consultation is seen by the agency that received it (its staff and
  supervisors), nobody else: other agencies learn about it only through a
  referral, which shares what the sender chose.
* A referral is seen by the sending and the receiving agency.
* Needs raised at intake are seen by the raising agency and by the staff
  who pick them up (multi-agency coordinators, outreach workers).
* On the need's basis, the staff member who picked up a need also *reads*
  the consultation that raised it (escalation without re-typing), and may
  record the person's consent or a support-meeting decision from there
  (:func:`need_basis`). Only the receiving agency works on a consultation
  (edits it, refers from it): ``Action.WORK_CONSULTATIONS`` on the object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, Decision, allowed, register_object_rule, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.consultations.models import Consultation, Need, NeedStatus, Referral

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from tsunagari.accounts.models import Staff

_Seen = TypeVar("_Seen", Consultation, Referral)

NOT_YOUR_CONSULTATION = _(
    "この相談は他の機関が受け付けたものです。受け付けた機関からのつなぎ（紹介）がある場合は、"
    "つなぎの画面から共有された内容を確認してください。"
)
NOT_YOUR_REFERRAL = _("このつなぎ（紹介）は、送った機関と受け取る機関だけが見られます。")
NOT_YOUR_AGENCYS_CONSULTATION = _(
    "この相談を編集したり、ここから他機関へつないだりできるのは、受け付けた機関だけです。"
)
NOT_YOUR_NEED = _("この依頼は、多機関協働・アウトリーチの担当者と依頼した機関だけが見られます。")


def need_basis(
    staff: Staff | AnonymousUser,
    *,
    person_id: int | None = None,
    consultation_id: int | None = None,
) -> Need | None:
    """The need this staff member picked up, for the person or the consultation, if any.

    It is the staff member's own basis (not their agency's): a colleague who
    did not pick the need up has none. It lasts while the need is picked up
    and ends when the multi-agency case opened from it is closed (終結; a
    reopened case brings it back): from then on the team's own bases decide.
    """  # fmt: skip
    staff_id = getattr(staff, "pk", None)
    if staff_id is None or not getattr(staff, "is_authenticated", False):
        return None
    if (person_id is None and consultation_id is None) or not allowed(staff, Action.WORK_NEEDS):
        return None
    rows = Need.objects.filter(picked_up_by_id=staff_id, status=NeedStatus.PICKED_UP).exclude(
        case__state="closed"  # cases.CaseState.CLOSED (cases builds on this app)
    )
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if consultation_id is not None:
        rows = rows.filter(consultation_id=consultation_id)
    return rows.order_by("-picked_up_at", "-pk").first()


def _consultation_rule(staff: Staff, consultation: Consultation) -> Decision:
    if staff.agency_id is not None and staff.agency_id == consultation.agency_id:
        return Decision(True)
    if need_basis(staff, consultation_id=consultation.pk) is not None:
        return Decision(True)
    return Decision(False, str(NOT_YOUR_CONSULTATION))


def _consultation_work_rule(staff: Staff, consultation: Consultation) -> Decision:
    # Reading on a need's basis never extends to changing another agency's record.
    if staff.agency_id is not None and staff.agency_id == consultation.agency_id:
        return Decision(True)
    return Decision(False, str(NOT_YOUR_AGENCYS_CONSULTATION))


def _referral_rule(staff: Staff, referral: Referral) -> Decision:
    if staff.agency_id is not None and staff.agency_id in {
        referral.from_agency_id,
        referral.to_agency_id,
    }:
        return Decision(True)
    return Decision(False, str(NOT_YOUR_REFERRAL))


def _need_rule(staff: Staff, need: Need) -> Decision:
    if staff.agency_id is not None and staff.agency_id == need.raised_agency_id:
        return Decision(True)
    if allowed(staff, Action.WORK_NEEDS):
        return Decision(True)
    return Decision(False, str(NOT_YOUR_NEED))


def register() -> None:
    register_object_rule(Action.VIEW_PERSONAL_DATA, Consultation, _consultation_rule)
    register_object_rule(Action.WORK_CONSULTATIONS, Consultation, _consultation_work_rule)
    register_object_rule(Action.VIEW_PERSONAL_DATA, Referral, _referral_rule)
    register_object_rule(Action.VIEW_PERSONAL_DATA, Need, _need_rule)


def _refuse(
    actor: Staff | AnonymousUser, obj: Consultation | Referral | Need, exc: Exception
) -> None:
    record(
        actor,
        AuditAction.DENIED,
        obj=obj,
        person_id=getattr(obj, "person_id", None) or "",
        reason=str(exc)[:200],
    )


def _visible(
    actor: Staff | AnonymousUser, rows: QuerySet[_Seen], pk: int, missing: StrOrPromise
) -> _Seen:
    """``rows``' object ``pk`` when ``actor`` may see it; a refusal is audited."""
    require(actor, Action.VIEW_PERSONAL_DATA)
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404(missing)
    try:
        require(actor, Action.VIEW_PERSONAL_DATA, obj)
    except PermissionDenied as exc:
        _refuse(actor, obj, exc)
        raise
    return obj


def get_consultation_for(
    actor: Staff | AnonymousUser, consultation_id: int, *, to_work: bool = False
) -> Consultation:
    """The one way to fetch a consultation: it exists and ``actor`` may see it.

    ``to_work``: the caller changes it or refers from it, which only the
    receiving agency may do (a need's basis reads only); a refusal is audited.
    """
    rows = Consultation.objects.select_related("agency", "received_by", "person")
    consultation = _visible(actor, rows, consultation_id, gettext("その番号の相談はありません。"))
    if to_work:
        try:
            require(actor, Action.WORK_CONSULTATIONS, consultation)
        except PermissionDenied as exc:
            _refuse(actor, consultation, exc)
            raise
    return consultation


def get_referral_for(actor: Staff | AnonymousUser, referral_id: int) -> Referral:
    """The one way to fetch a referral: it exists and ``actor`` is on one of its sides."""
    rows = Referral.objects.select_related("from_agency", "to_agency", "person", "sent_by")
    return _visible(actor, rows, referral_id, gettext("その番号のつなぎはありません。"))
