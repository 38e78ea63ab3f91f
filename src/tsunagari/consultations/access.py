"""Who may see a consultation, a referral or a need: one helper per object type.

* A consultation is seen by the agency that received it (its staff and
  supervisors), nobody else: other agencies learn about it only through a
  referral, which shares what the sender chose.
* A referral is seen by the sending and the receiving agency.
* Needs raised at intake are seen by the raising agency and by the staff
  who pick them up (multi-agency coordinators, outreach workers).
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
from tsunagari.consultations.models import Consultation, Need, Referral

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
NOT_YOUR_NEED = _("この依頼は、多機関協働・アウトリーチの担当者と依頼した機関だけが見られます。")


def _consultation_rule(staff: Staff, consultation: Consultation) -> Decision:
    if staff.agency_id is not None and staff.agency_id == consultation.agency_id:
        return Decision(True)
    return Decision(False, str(NOT_YOUR_CONSULTATION))


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


def get_consultation_for(actor: Staff | AnonymousUser, consultation_id: int) -> Consultation:
    """The one way to fetch a consultation: it exists and ``actor`` may see it."""
    rows = Consultation.objects.select_related("agency", "received_by", "person")
    return _visible(actor, rows, consultation_id, gettext("その番号の相談はありません。"))


def get_referral_for(actor: Staff | AnonymousUser, referral_id: int) -> Referral:
    """The one way to fetch a referral: it exists and ``actor`` is on one of its sides."""
    rows = Referral.objects.select_related("from_agency", "to_agency", "person", "sent_by")
    return _visible(actor, rows, referral_id, gettext("その番号のつなぎはありません。"))
