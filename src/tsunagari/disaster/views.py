"""Pages of the evacuation-support roster. Each parses, calls one service and
responds; people are shown only through the presenter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagari.accounts.models import Agency
from tsunagari.accounts.policy import Action, allowed, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.disaster import selection, services
from tsunagari.disaster.documents import ROSTER_SECTIONS, PdfUnavailable, consent_letters_pdf
from tsunagari.disaster.models import (
    ConsentStatus,
    Declaration,
    EvacuationPlan,
    FactLoad,
    InclusionRule,
    ManualExclusion,
    ManualInclusion,
    PlanStatus,
    Recipient,
    RecipientKind,
    Release,
    RosterEntry,
    RosterRebuild,
    SafetyStatus,
)
from tsunagari.disaster.progress import area_progress, safety_board
from tsunagari.lib import clock
from tsunagari.lib.http import form_id, said, signed_in_staff
from tsunagari.linkage.models import DataSource
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_people, present_person

PAGE = 200
MAX_UPLOAD = 50 * 1024 * 1024


def _views(request: HttpRequest, persons: list[Person], purpose: Purpose = Purpose.LIST,
           **detail: Any) -> dict[int, PersonView]:  # fmt: skip
    staff = signed_in_staff(request)
    shown = present_people(staff, persons, purpose, request=request, granted=ROSTER_SECTIONS,
                           object_type="disaster.roster", detail=detail)  # fmt: skip
    return {v.id: v for v in shown}


def _audit_page(request: HttpRequest, what: str) -> None:
    record_request(request, AuditAction.VIEW, object_type=f"disaster.{what}")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    _audit_page(request, "index")
    entries = RosterEntry.objects.filter(on_roster=True)
    consent = {v: entries.filter(consent=v).count() for v in ConsentStatus.values}
    return render(request, "disaster/index.html", {
        "total": entries.count(), "consent": [(label, consent[v]) for v, label in ConsentStatus.choices],
        "rebuild": RosterRebuild.objects.first(), "areas": area_progress(),
        "declarations": selection.active_declarations(),
        "letters_due": entries.filter(consent=ConsentStatus.NOT_ASKED).count(),
        "may_declare": allowed(staff, Action.DECLARE_DISASTER),
    })  # fmt: skip


@login_required
@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    done = services.rebuild_roster(signed_in_staff(request))
    return redirect("disaster:rebuild", done.pk)


@login_required
@require_GET
def rebuild_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(signed_in_staff(request), Action.WORK_EVACUATION)
    done = get_object_or_404(RosterRebuild, pk=pk)
    ids = [row["person"] for row in done.added + done.removed + done.kept]
    persons = list(Person.objects.filter(pk__in=ids))
    views = _views(request, persons, rebuild=done.pk)

    def rows(items: list[dict[str, Any]]) -> list[tuple[PersonView | None, dict[str, Any]]]:
        return [(views.get(r["person"]), r) for r in items]

    return render(request, "disaster/rebuild.html", {
        "rebuild": done, "added": rows(done.added), "removed": rows(done.removed),
        "kept": rows(done.kept),
    })  # fmt: skip


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    require(signed_in_staff(request), Action.WORK_EVACUATION)
    town = request.GET.get("town", "")[:40]
    consent = request.GET.get("consent", "")
    qs = RosterEntry.objects.filter(on_roster=True).select_related("person")
    if town:
        qs = qs.filter(person__town=town)
    if consent in ConsentStatus.values:
        qs = qs.filter(consent=consent)
    entries = list(qs.order_by("person__town", "person__surname_kana", "pk")[:PAGE])
    plans = dict(EvacuationPlan.objects.filter(person_id__in=[e.person_id for e in entries])
                 .values_list("person_id", "status"))  # fmt: skip
    views = _views(request, [e.person for e in entries])
    return render(request, "disaster/roster.html", {
        "rows": [(e, views[e.person_id], PlanStatus(plans[e.person_id]).label
                  if e.person_id in plans else "") for e in entries],
        "total": qs.count(), "page": PAGE, "town": town, "consent": consent,
        "towns": sorted({a.town for a in area_progress()}), "consents": ConsentStatus.choices,
    })  # fmt: skip


# ── one person's entry: consent, plan, hand addition ────────────────────────


def _helpers_from(request: HttpRequest) -> list[services.HelperInput]:
    fields = ("name", "relation", "address", "phone")
    columns = [request.POST.getlist(f"helper_{f}")[: services.MAX_HELPERS + 1] for f in fields]
    count = max((len(c) for c in columns), default=0)
    rows = []
    for i in range(count):
        values = [c[i] if i < len(c) else "" for c in columns]
        rows.append(services.HelperInput(*values))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, person_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    found = RosterEntry.objects.filter(person_id=person_id).select_related("person").first()
    if found is None:
        raise Http404(gettext("この方は名簿に載っていません。"))
    errors: dict[str, str] = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        try:
            if form == "consent":
                services.record_roster_consent(staff, person_id, request.POST.get("status", ""),
                                               request.POST.get("on", ""),
                                               request.POST.get("note", ""))  # fmt: skip
                messages.success(request, gettext("同意の状況を記録しました。"))
            elif form == "plan":
                services.record_plan(staff, person_id, services.PlanInput(
                    status=request.POST.get("status", ""), helpers=_helpers_from(request),
                    **{k: request.POST.get(k, "") for k in (
                        "place", "route", "medication", "equipment", "mobility",
                        "communication", "family_contact", "consent_on")},
                    version=form_id(request.POST.get("version")) or 0))  # fmt: skip
                messages.success(request, gettext("個別避難計画を保存しました。"))
            elif form == "exclude":
                services.exclude_by_hand(staff, person_id, request.POST.get("reason", ""))
                messages.success(request, gettext("名簿から除外しました。"))
            elif form == "end_exclusion":
                services.end_exclusion(staff, person_id, request.POST.get("reason", ""))
                messages.success(
                    request,
                    gettext("除外を終了しました。次の更新で基準に当てはまれば名簿に戻ります。"),
                )
            elif form == "end_manual":
                services.end_by_hand(staff, person_id, request.POST.get("reason", ""))
                messages.success(request, gettext("手動での追加を終了しました。"))
            else:
                raise Http404
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            return redirect("disaster:entry", person_id)
    view = present_person(staff, found.person, Purpose.VIEW, request=request,
                          granted=ROSTER_SECTIONS, detail={"roster": found.pk})  # fmt: skip
    plan = EvacuationPlan.objects.filter(person_id=person_id).first()
    helpers = list(plan.helpers) if plan else []
    # Existing helpers and room for one or two more.
    helpers += [{}] * max(0, min(services.MAX_HELPERS, max(2, len(helpers) + 1)) - len(helpers))
    return render(request, "disaster/entry.html", {
        "entry": found, "person": view, "plan": plan, "helpers": helpers[: services.MAX_HELPERS],
        "errors": errors, "form": form, "consents": ConsentStatus.choices,
        "history": found.consents.select_related("recorded_by")[:20],
        "plan_statuses": PlanStatus.choices, "today": clock.today().isoformat(),
        "manual": ManualInclusion.objects.filter(person_id=person_id, ended_at__isnull=True).first(),
        "exclusion": ManualExclusion.objects.filter(person_id=person_id,
                                                    ended_at__isnull=True).first(),
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    typed = {"person": request.GET.get("person", ""), "reason": ""}
    if request.method == "POST":
        typed = {"person": request.POST.get("person", "")[:12],
                 "reason": request.POST.get("reason", "")}  # fmt: skip
        try:
            added = services.add_by_hand(staff, typed["person"], typed["reason"])
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("名簿に追加しました。"))
            return redirect("disaster:entry", added.person_id)
    return render(request, "disaster/add.html", {"errors": errors, "typed": typed},
                  status=400 if errors else 200)  # fmt: skip


@login_required
@require_POST
def letters(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    due = selection.letters_due()
    try:
        pdf = consent_letters_pdf(staff, due)
    except PdfUnavailable as exc:
        return HttpResponse(gettext(str(exc)), status=503, content_type="text/plain; charset=utf-8")
    services.mark_letters_sent(staff, due)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="consent-letters.pdf"'
    return response


# ── rules and data ──────────────────────────────────────────────────────────


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    require(signed_in_staff(request), Action.WORK_EVACUATION)
    _audit_page(request, "rules")
    return render(request, "disaster/rules.html", {
        "rules": InclusionRule.objects.all(),
        "loads": FactLoad.objects.filter(current=True).select_related("loaded_by"),
        "sources": [s for s in DataSource.objects.all() if s.has_basis],
        "rebuild": RosterRebuild.objects.first(),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    rule = get_object_or_404(InclusionRule, pk=pk) if pk else None
    errors: dict[str, str] = {}
    typed = services.RuleInput()
    if rule is not None:
        typed = services.RuleInput(rule.code, rule.label, rule.source,
                                   services.attributes_text(rule.attributes),
                                   str(rule.min_age or ""), rule.living_alone, rule.active)  # fmt: skip
    if request.method == "POST":
        typed = services.RuleInput(
            code=request.POST.get("code", ""),
            label=request.POST.get("label", ""),
            source=request.POST.get("source", ""),
            attributes=request.POST.get("attributes", ""),
            min_age=request.POST.get("min_age", ""),
            living_alone=bool(request.POST.get("living_alone")),
            active=bool(request.POST.get("active")),
        )
        try:
            services.save_rule(staff, pk, typed)
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, gettext("規則を保存しました。次に名簿を更新すると反映されます。")
            )
            return redirect("disaster:rules")
    return render(request, "disaster/rule_form.html", {"rule": rule, "typed": typed,
                                                       "errors": errors},
                  status=400 if errors else 200)  # fmt: skip


@login_required
@require_POST
def load_data(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    upload = request.FILES.get("file")
    source = request.POST.get("source", "")[:40]
    if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
        messages.error(request, gettext("取り込むファイル（50MB以下）を選んでください。"))
        return redirect("disaster:rules")
    try:
        load = services.load_department_facts(staff, source, upload.read(), upload.name or "")
    except services.DisasterError as exc:
        messages.error(request, said(exc))
    else:
        messages.success(request, gettext("%(rows)s行を取り込み、%(matched)s行が名簿の対象者と結び付きました。")
                         % {"rows": load.rows, "matched": load.matched})  # fmt: skip
    return redirect("disaster:rules")


# ── recipients and releases ─────────────────────────────────────────────────


def _recipient_input(request: HttpRequest) -> services.RecipientInput:
    return services.RecipientInput(
        name=request.POST.get("name", ""), kind=request.POST.get("kind", ""),
        towns=request.POST.getlist("towns")[:60], contact=request.POST.get("contact", ""),
        agency=request.POST.get("agency", ""), designated=bool(request.POST.get("designated")),
        active=bool(request.POST.get("active")),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recipients(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    typed = services.RecipientInput()
    if request.method == "POST":
        typed = _recipient_input(request)
        try:
            made = services.save_recipient(staff, None, typed)
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            return redirect("disaster:recipient", made.pk)
    _audit_page(request, "recipients")
    return render(request, "disaster/recipients.html", {
        "recipients": Recipient.objects.select_related("agency"), "typed": typed,
        "errors": errors, **_recipient_choices(),
    }, status=400 if errors else 200)  # fmt: skip


def _recipient_choices() -> dict[str, Any]:
    return {"kinds": RecipientKind.choices, "towns": selection.known_towns(),
            "agencies": Agency.objects.filter(is_active=True).order_by("kind", "code")}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recipient(request: HttpRequest, pk: int) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    found = get_object_or_404(Recipient, pk=pk)
    errors: dict[str, str] = {}
    typed = services.RecipientInput(found.name, found.kind, list(found.towns), found.contact,
                                    found.agency.code if found.agency else "", found.designated,
                                    found.active)  # fmt: skip
    if request.method == "POST":
        action = request.POST.get("form", "")
        if action in {"pdf", "xlsx"}:
            try:
                release, content = services.release_roster(staff, found.pk, action)
            except services.DisasterError as exc:
                errors = exc.errors
            except PdfUnavailable as exc:
                return HttpResponse(
                    gettext(str(exc)), status=503, content_type="text/plain; charset=utf-8"
                )
            else:
                kind = ("application/pdf" if action == "pdf" else
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
                response = HttpResponse(content, content_type=kind)
                response["Content-Disposition"] = (
                    f'attachment; filename="roster-release-{release.pk}.{action}"'
                )
                return response
        else:
            typed = _recipient_input(request)
            try:
                services.save_recipient(staff, found.pk, typed)
            except services.DisasterError as exc:
                errors = exc.errors
            else:
                messages.success(request, gettext("提供先を保存しました。"))
                return redirect("disaster:recipient", found.pk)
    _audit_page(request, "recipient")
    chosen = selection.select_release(found)
    return render(request, "disaster/recipient.html", {
        "recipient": found, "typed": typed, "errors": errors, "selection": chosen,
        "releases": found.releases.select_related("by", "declaration")[:50],
        **_recipient_choices(),
    }, status=400 if errors else 200)  # fmt: skip


# ── disaster mode ───────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.DECLARE_DISASTER)
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {"towns": [], "reason": "", "hours": str(services.mode_hours())}
    if request.method == "POST":
        typed = {"towns": request.POST.getlist("towns")[:60],
                 "reason": request.POST.get("reason", ""), "hours": request.POST.get("hours", "")}  # fmt: skip
        try:
            made = services.declare_disaster(staff, typed["towns"], typed["reason"], typed["hours"])
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            return redirect("disaster:declaration", made.pk)
    _audit_page(request, "declare")
    return render(request, "disaster/declare.html", {
        "typed": typed, "errors": errors, "towns": selection.known_towns(),
        "declarations": Declaration.objects.select_related("declared_by", "ended_by")[:20],
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.WORK_EVACUATION)
    services.expire_declarations()
    found = get_object_or_404(Declaration, pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.end_disaster(staff, found.pk, request.POST.get("note", ""))
        except services.DisasterError as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("災害時の名簿提供を終了しました。"))
            return redirect("disaster:declaration", found.pk)
    releases = list(Release.objects.filter(declaration=found).select_related("recipient", "by"))
    without = sorted({p for r in releases for p in r.without_consent})
    views = _views(request, list(Person.objects.filter(pk__in=without)), declaration=found.pk)
    return render(request, "disaster/declaration.html", {
        "declaration": found, "active": found.is_active(clock.now()), "releases": releases,
        "followup": [(views[p], [r.recipient for r in releases if p in r.without_consent])
                     for p in without if p in views],
        "errors": errors, "may_end": allowed(staff, Action.DECLARE_DISASTER),
    }, status=400 if errors else 200)  # fmt: skip


# ── safety checks ───────────────────────────────────────────────────────────


@login_required
@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    require(staff, Action.RECORD_SAFETY_CHECKS)
    scope = selection.check_scope(staff)
    if not allowed(staff, Action.WORK_EVACUATION) and scope.recipient is None:
        raise PermissionDenied(gettext(
            "あなたの機関は災害時の提供先（避難支援等関係者）に指定されていません。"
            "安否確認の対象者は区の防災担当にお問い合わせください。"
        ))  # fmt: skip
    services.record_page_release(staff, scope)
    town = request.GET.get("town", "")[:40]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=scope.person_ids)}
    ids = [i for i in scope.person_ids if not town or persons[i].town == town]
    views = _views(request, [persons[i] for i in ids], safety=True)
    latest = selection.latest_checks(sorted({d.pk for d in scope.declaration_of.values()}))
    return render(request, "disaster/safety.html", {
        "rows": [(views[i], persons[i].town, latest.get(i)) for i in ids],
        "towns": sorted({persons[i].town for i in scope.person_ids}), "town": town,
        "statuses": SafetyStatus.choices, "recipient": scope.recipient,
        "declared": sorted(scope.declaration_of),
    })  # fmt: skip


@login_required
@require_POST
def safety_record(request: HttpRequest, person_id: int) -> HttpResponse:
    staff = signed_in_staff(request)
    try:
        check = services.record_safety_check(staff, person_id, request.POST.get("status", ""),
                                             request.POST.get("note", ""))  # fmt: skip
    except services.DisasterError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(said(exc), status=400)
        messages.error(request, said(exc))
        return redirect("disaster:safety")
    if request.headers.get("HX-Request"):
        person = Person.objects.get(pk=person_id)
        view = _views(request, [person], safety=True)[person_id]
        return render(request, "disaster/_safety_row.html", {
            "view": view, "town": person.town, "check": check, "statuses": SafetyStatus.choices,
            "saved": True,
        })  # fmt: skip
    messages.success(request, gettext("安否を記録しました。"))
    return redirect("disaster:safety")


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require(signed_in_staff(request), Action.WORK_EVACUATION)
    _audit_page(request, "board")
    context = {"rows": safety_board(), "statuses": SafetyStatus.choices,
               "updated": selection.now_text()}  # fmt: skip
    if request.headers.get("HX-Request"):
        return render(request, "disaster/_board.html", context)
    return render(request, "disaster/board.html", context)
