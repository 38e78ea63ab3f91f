"""Pages for recording consent, its withdrawal (the person's statement), and
支援会議 decisions with their second-agency confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.consent.models import (
    Consent,
    ConsentForm,
    ConsentMember,
    InfoCategory,
    MemberAgreement,
    ProxyBasis,
    WithdrawalChannel,
)
from tsunagari.consent.services import (
    MAX_HOUSEHOLD_MEMBERS,
    ConsentError,
    ConsentInput,
    MemberInput,
    SupportMeetingInput,
    WithdrawalInput,
    confirm_support_meeting,
    consenting_agencies,
    end_support_meeting,
    has_need_basis,
    mark_withdrawal_seen,
    may_confirm,
    may_review_support_meetings,
    may_see_household,
    pending_support_meetings,
    place_under_support_meeting,
    record_consent,
    reject_support_meeting,
    withdraw_consent,
    withdraw_member_consent,
)
from tsunagari.lib.http import attempt, form_id, safe_next, said, signed_in_staff
from tsunagari.people import sections
from tsunagari.people.models import Person
from tsunagari.people.presenter import (
    MemberRow,
    PersonView,
    Purpose,
    present_people,
    present_person,
)


def _back(request: HttpRequest, consultation_id: int | None) -> str:
    if consultation_id:
        default = reverse("consultations:detail", args=[consultation_id]) + "#consent"
    else:
        default = reverse("consultations:worklist")
    return safe_next(request, default)


def _person(request: HttpRequest) -> Person:
    person_id = form_id(request.GET.get("person") or request.POST.get("person"))
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise Http404(gettext("本人が指定されていません。"))
    return person


def _posted_members(request: HttpRequest) -> list[MemberInput]:
    """The household members ticked on the form, each with the answer typed
    beside them. One more than the limit is kept so the service can refuse."""
    ids = request.POST.getlist("members")[: MAX_HOUSEHOLD_MEMBERS + 1]
    post = request.POST
    return [
        MemberInput(person=i, agreement=post.get(f"agreement-{i}", ""),
                    proxy_name=post.get(f"proxy_name-{i}", ""),
                    proxy_basis=post.get(f"proxy_basis-{i}", ""),
                    proxy_note=post.get(f"proxy_note-{i}", ""))
        for i in ids
    ]  # fmt: skip


def _present(
    request: HttpRequest, staff: Any, person: Person, form: str
) -> tuple[PersonView | None, list[MemberRow]]:
    """The person as the form shows them, with the household members the
    viewer may name (names, relations and ages only: never an address or phone).

    On a need's basis the form itself shares whom the person lives with: the
    staff member who picked the need up records the household's consent or
    decision. Without any basis nothing is shown (and nothing audited as shown).
    """
    need = has_need_basis(staff, person.pk)
    household = may_see_household(staff, person.pk)
    if not need and not allowed(staff, Action.VIEW_PERSONAL_DATA, person):
        return None, []
    granted = frozenset({sections.HOUSEHOLD}) if need else frozenset()
    view = present_person(staff, person, Purpose.VIEW, request=request, granted=granted,
                          with_household=household, detail={"form": form})  # fmt: skip
    members = [m for m in view.household.members if not m.is_self] if view.household else []
    return view, members


def _member_rows(
    members: list[MemberRow], typed: list[MemberInput], errors: dict[str, str]
) -> list[dict[str, Any]]:
    given = {m.person: m for m in typed}
    rows = []
    for m in members:
        answer = given.get(str(m.person_id))
        rows.append({"m": m, "checked": answer is not None,
                     "agreement": answer.agreement if answer else "",
                     "proxy_name": answer.proxy_name if answer else "",
                     "proxy_basis": answer.proxy_basis if answer else "",
                     "proxy_note": answer.proxy_note if answer else "",
                     "error": errors.get(f"member-{m.person_id}", "")})  # fmt: skip
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    person = _person(request)
    if not has_need_basis(staff, person.pk):
        require(staff, Action.VIEW_PERSONAL_DATA, person)
    consultation_id = form_id(request.GET.get("consultation") or request.POST.get("consultation"))
    today = timezone.localdate()
    typed: dict[str, Any] = {
        "form": ConsentForm.WITH_CONSENT, "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(), "agencies": [],
        "categories": [InfoCategory.BASIC, InfoCategory.CONSULTATION], "note": "",
    }  # fmt: skip
    errors: dict[str, str] = {}
    typed_members: list[MemberInput] = []
    if request.method == "POST":
        typed = {
            "form": request.POST.get("form", ""),
            "given_on": request.POST.get("given_on", ""),
            "expires_on": request.POST.get("expires_on", ""),
            "agencies": request.POST.getlist("agencies"),
            "categories": request.POST.getlist("categories"),
            "note": request.POST.get("note", ""),
        }
        typed_members = _posted_members(request)
        try:
            record_consent(staff, person.pk, ConsentInput(**typed, members=typed_members))
        except ConsentError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("同意を記録しました。"))
            return redirect(_back(request, consultation_id))
    # The form shows the person, on first sight and after a refused save alike.
    view, members = _present(request, staff, person, "consent")
    return render(
        request,
        "consent/new.html",
        {"person": view, "person_id": person.pk, "consultation_id": consultation_id,
         "typed": typed, "errors": errors, "agencies": consenting_agencies(),
         "categories": InfoCategory.choices, "forms": ConsentForm.choices,
         "members": _member_rows(members, typed_members, errors), "with_agreement": True,
         "agreements": MemberAgreement.choices, "proxy_bases": ProxyBasis.choices},
        status=400 if errors else 200,
    )  # fmt: skip


def _end(
    request: HttpRequest, end: Callable[[], object], done: str, back: str | None = None
) -> HttpResponse:
    """Run one short action (end, confirm, reject, seen) and go back with its outcome."""
    attempt(request, end, refused=ConsentError, done=done, say=said)
    return redirect(back or _back(request, None))


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    """The person's withdrawal as they said it: when, how, to whom."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    consent = (
        Consent.objects.select_related("person", "recorded_agency").filter(pk=consent_id).first()
    )
    if consent is None:
        raise Http404(gettext("その番号の同意は記録されていません。"))
    require(staff, Action.VIEW_PERSONAL_DATA, consent.person)
    return _withdrawal_page(
        request, staff, consent, consent.person,
        lambda statement: withdraw_consent(staff, consent.pk, statement),
        gettext("同意の撤回を記録しました。この同意で共有していた機関は、今から閲覧できません。"
                "同意を記録した機関と共有先の機関には、業務一覧でお知らせします。"),
    )  # fmt: skip


def _withdrawal_page(
    request: HttpRequest,
    staff: Staff,
    consent: Consent,
    person: Person,
    withdraw: Callable[[WithdrawalInput], object],
    done: str,
    member: ConsentMember | None = None,
) -> HttpResponse:
    """The person's withdrawal as they said it (when, how, to whom), for a
    consent or for one household member's agreement to it."""
    agency = staff.agency.name if staff.agency else ""
    typed: dict[str, Any] = {
        "said_on": timezone.localdate().isoformat(), "channel": "",
        "told_to": f"{agency} {staff}".strip()[:100], "note": "",
    }  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in ("said_on", "channel", "told_to", "note")}
        try:
            withdraw(WithdrawalInput(**typed))
        except ConsentError as exc:
            errors = exc.errors
        else:
            messages.success(request, done)
            return redirect(_back(request, None))
    view = present_person(staff, person, Purpose.VIEW, request=request,
                          detail={"form": "consent withdrawal", "consent": consent.pk})  # fmt: skip
    return render(
        request,
        "consent/withdraw.html",
        {"consent": consent, "member": member, "person": view, "typed": typed,
         "errors": errors, "channels": WithdrawalChannel.choices,
         "next": safe_next(request, "")},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_member(request: HttpRequest, consent_id: int, person_id: int) -> HttpResponse:
    """A household member's withdrawal of their own agreement: it ends only their coverage."""
    staff = signed_in_staff(request)
    require(staff, Action.WORK_CONSULTATIONS)
    row = (
        ConsentMember.objects.select_related("consent", "person")
        .filter(consent_id=consent_id, person_id=person_id)
        .first()
    )
    if row is None:
        raise Http404(gettext("この同意は、その世帯員を対象にしていません。"))
    require(staff, Action.VIEW_PERSONAL_DATA, row.person)
    return _withdrawal_page(
        request, staff, row.consent, row.person,
        lambda statement: withdraw_member_consent(staff, consent_id, person_id, statement),
        gettext("世帯員の同意の撤回を記録しました。この方の情報は、今から共有先の機関に表示されません。"
                "同意したほかの方の共有は続きます。"),
        member=row,
    )  # fmt: skip


@login_required
@require_POST
def withdrawal_seen(request: HttpRequest, consent_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _end(
        request,
        lambda: mark_withdrawal_seen(staff, consent_id),
        gettext("撤回のお知らせを確認済みにしました。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.DECIDE_SUPPORT_MEETING)
    person = _person(request)
    consultation_id = form_id(request.GET.get("consultation") or request.POST.get("consultation"))
    typed: dict[str, Any] = {
        "decided_on": timezone.localdate().isoformat(),
        "agencies": [staff.agency.code] if staff.agency else [],
        "reason": "",
    }
    errors: dict[str, str] = {}
    typed_members: list[MemberInput] = []
    if request.method == "POST":
        typed = {
            "decided_on": request.POST.get("decided_on", ""),
            "agencies": request.POST.getlist("agencies"),
            "reason": request.POST.get("reason", ""),
        }
        ids = request.POST.getlist("members")[: MAX_HOUSEHOLD_MEMBERS + 1]
        typed_members = [MemberInput(person=i) for i in ids]
        try:
            place_under_support_meeting(staff, person.pk, SupportMeetingInput(**typed, members=ids))
        except ConsentError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext(
                "支援会議の決定を「確認待ち」として記録しました。ほかの構成機関の職員か区の統括"
                "スーパーバイザーが確認するまで、どの機関も閲覧できるようになりません。"))  # fmt: skip
            return redirect(_back(request, consultation_id))
    # Deciders without a basis to see the person record the decision blind,
    # as before; those who may see the household can name its members.
    view, members = _present(request, staff, person, "support meeting")
    return render(
        request,
        "consent/meeting_new.html",
        {"person": view, "person_id": person.pk, "consultation_id": consultation_id,
         "typed": typed, "errors": errors, "agencies": consenting_agencies(),
         "members": _member_rows(members, typed_members, errors), "with_agreement": False},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def meeting_end(request: HttpRequest, meeting_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _end(
        request,
        lambda: end_support_meeting(staff, meeting_id, reason=request.POST.get("reason", "")),
        gettext("支援会議での取り扱いを終了しました。"),
    )


@login_required
@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    """Pending 支援会議 decisions of the actor's agency (or all, for the ward's supervisor)."""
    staff = signed_in_staff(request)
    if not may_review_support_meetings(staff):
        raise PermissionDenied(gettext(
            "支援会議の決定を確認できるのは、構成機関の決定権限をもつ職員か、区の統括スーパーバイザーです。"))  # fmt: skip
    pending = pending_support_meetings(staff)
    # Members of the meeting are bound by its duty of confidentiality
    # (art. 106-6): they see whom a decision is about (names only) to confirm it.
    # The household members a decision names are shown too: confirming opens them all.
    concerned = {m.person_id: m.person for m in pending}
    for meeting in pending:
        concerned.update({r.person_id: r.person for r in meeting.members.all()})
    views = present_people(staff, list(concerned.values()), Purpose.LIST, request=request,
                           object_type="consent.supportmeeting",
                           granted=frozenset({sections.IDENTITY}),
                           detail={"meetings": [m.pk for m in pending]})  # fmt: skip
    people = {v.id: v for v in views}
    rows = []
    for meeting in pending:
        decision = may_confirm(staff, meeting)
        rows.append({"meeting": meeting, "person": people.get(meeting.person_id),
                     "members": [(people.get(r.person_id), r.relation)
                                 for r in meeting.members.all()],
                     "can_confirm": decision.allowed, "why_not": decision.reason,
                     "own": meeting.decided_by_id == staff.pk})  # fmt: skip
    return render(
        request,
        "consent/meetings.html",
        {"rows": rows, "to_confirm": sum(1 for r in rows if r["can_confirm"])},
    )


@login_required
@require_POST
def meeting_confirm(request: HttpRequest, meeting_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _end(
        request,
        lambda: confirm_support_meeting(staff, meeting_id),
        gettext("支援会議の決定を確認しました。構成機関は今からこの方の情報を閲覧できます。"),
        reverse("consent:meetings"),
    )


@login_required
@require_POST
def meeting_reject(request: HttpRequest, meeting_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    return _end(
        request,
        lambda: reject_support_meeting(staff, meeting_id, reason=request.POST.get("reason", "")),
        gettext("支援会議の決定を差し戻しました。"),
        reverse("consent:meetings"),
    )
