"""Printable papers of a case: the support plan (支援プラン) and a conference's
record (会議録), as PDF.

WeasyPrint in Noto Sans CJK JP (Debian's fonts-noto-cjk), through
``tsunagari.lib.pdf`` as the disaster roster and the survey report. Every page carries the regime the paper was
made under, in a block repeated at the foot of each page:

* 支援会議 (社会福祉法第106条の6): the duty of confidentiality, 「会議の外に
  持ち出さない」, and the meeting's member agencies;
* 重層的支援会議: the person's consent's scope (agencies, categories of
  information, its date and expiry).

Persons appear only as the presenter's views (``Purpose.EXPORT``, which
writes the audit event): names and relations, never an address or phone, so
a sealed person's address cannot reach a paper. The download itself is
audited as an export by the view that sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from tsunagari.cases.models import Case, Conference, Regime, SupportPlan
from tsunagari.cases.services import concerned, plan_content
from tsunagari.consent.models import Consent
from tsunagari.consent.services import consent_in_force_on
from tsunagari.lib.pdf import PdfUnavailable as PdfUnavailable  # the pages catch it here
from tsunagari.lib.pdf import pdf_from_html
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_people

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tsunagari.accounts.models import Staff
    from tsunagari.consent.models import SupportMeeting


@dataclass(frozen=True)
class RegimeNotice:
    """What every page of a paper says about the basis it was made under."""

    title: str
    lines: list[str] = field(default_factory=list)


def _names(rows: Any) -> str:
    return "、".join(a.name for a in rows) or "—"


def regime_notice(
    regime: str, meeting: SupportMeeting | None, consent: Consent | None
) -> RegimeNotice:
    if regime == Regime.SUPPORT_MEETING:
        agencies = _names(meeting.agencies.order_by("code")) if meeting is not None else "—"
        return RegimeNotice(gettext("支援会議（社会福祉法第106条の6）の資料"), [
            gettext("会議の外に持ち出さないでください。構成機関の職員には守秘義務があります"
                    "（同条第6項）。複写・転送・持ち帰りはしないでください。"),
            gettext("構成機関: %(names)s") % {"names": agencies},
        ])  # fmt: skip
    if consent is None:
        return RegimeNotice(gettext("重層的支援会議の資料"), [
            gettext("本人の同意の記録が見つかりません。共有の範囲を確かめてから扱ってください。")])  # fmt: skip
    until = consent.expires_on.isoformat() if consent.expires_on else "—"
    return RegimeNotice(gettext("重層的支援会議の資料（本人の同意の範囲）"), [
        gettext("本人の同意（%(day)s、有効期限 %(until)s）の範囲でだけ共有します。"
                "同意が撤回されたときは、その日から共有できません。")
        % {"day": consent.given_on.isoformat(), "until": until},
        gettext("共有先: %(names)s") % {"names": _names(consent.agencies.order_by("code"))},
        gettext("共有する情報: %(cats)s") % {"cats": "、".join(consent.category_labels) or "—"},
    ])  # fmt: skip


def _case_consent(case: Case) -> Consent | None:
    if case.consent_id is None:
        return None
    return Consent.objects.filter(pk=case.consent_id).prefetch_related("agencies").first()


def _persons(actor: Staff, case: Case, request: HttpRequest | None,
             detail: dict[str, Any]) -> dict[int, PersonView]:  # fmt: skip
    ids = concerned(case)
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    views = present_people(actor, [persons[i] for i in ids if i in persons], Purpose.EXPORT,
                           request=request, object_type="cases.case", detail=detail)  # fmt: skip
    return {v.id: v for v in views}


def _name(views: dict[int, PersonView], pk: int) -> str:
    view = views.get(pk)
    return view.name if view is not None and view.level == "full" else gettext("（表示できない方）")


def _header(actor: Staff, case: Case, views: dict[int, PersonView]) -> dict[str, Any]:
    members = [(_name(views, m.person_id), m.relation) for m in case.members.all()]
    return {
        "case": case, "person_name": _name(views, case.person_id), "members": members,
        "team": list(case.team.select_related("agency", "worker")),
        "printed": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "printed_by": f"{actor.display_name}（{actor.agency.name if actor.agency else '—'}）",
    }  # fmt: skip


def plan_pdf(actor: Staff, case: Case, request: HttpRequest | None = None) -> bytes:
    """The case's support plan as it reads now (goals, actions, review date, the
    agreed revision), under the case's regime."""
    plan = SupportPlan.objects.filter(case=case).first()
    views = _persons(actor, case, request, {"case": case.pk, "pdf": "plan"})
    content = plan_content(plan) if plan is not None else None
    agreed = (
        plan.revisions.filter(number=plan.agreed_version).first()
        if plan and plan.agreed_version
        else None
    )
    notice = regime_notice(case.regime, case.support_meeting, _case_consent(case))
    html = render_to_string("cases/plan_pdf.html", {
        **_header(actor, case, views), "plan": plan, "content": content, "agreed": agreed,
        "notice": notice,
    })  # fmt: skip
    return pdf_from_html(html)


def conference_consent(held: Conference) -> Consent | None:
    """The person's consent in force on the conference's day covering the agencies
    that attended (重層的支援会議): what the paper says the sharing rested on then,
    whatever was withdrawn or renewed since."""
    attended = list(held.agencies.values_list("agency_id", flat=True))
    return consent_in_force_on(held.case.person_id, held.held_on, attended)


def conference_pdf(actor: Staff, case: Case, held: Conference,
                   request: HttpRequest | None = None) -> bytes:  # fmt: skip
    """A conference's record (会議録): date, attending agencies and their share of
    the work, attendees, agenda, minutes, decisions and actions, under the regime it
    was held under (for 重層的支援会議, the consent in force on the conference's day)."""
    views = _persons(actor, case, request, {"case": case.pk, "pdf": "conference",
                                            "conference": held.pk})  # fmt: skip
    consent = conference_consent(held) if held.regime == Regime.LAYERED else None
    notice = regime_notice(held.regime, held.support_meeting, consent)
    html = render_to_string("cases/conference_pdf.html", {
        **_header(actor, case, views), "c": held, "notice": notice,
        "agencies": list(held.agencies.select_related("agency")),
        "attendees": list(held.attendees.select_related("staff", "staff__agency")),
        "actions": list(held.actions.select_related("agency")),
    })  # fmt: skip
    return pdf_from_html(html)
