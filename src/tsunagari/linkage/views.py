"""Linkage pages.

* Runs and data sources (upload extracts, record the legal basis): the
  administrator (RUN_IMPORTS).
* Outreach candidates: designated staff only (VIEW_FLAGS); every view is
  audited and every decision is a person's, recorded with its note.
* Uncertain pairs of records (same person or not?): the administrator
  (REVIEW_LINKS); every view and decision audited, sealed persons' address
  and phone hidden unless designated.
* Which departments know a person: whoever may see the person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tsunagari.accounts.policy import Action, decide, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.lib.http import signed_in_staff
from tsunagari.linkage import candidates as candidate_service
from tsunagari.linkage import review
from tsunagari.linkage import runs as run_service
from tsunagari.linkage import sources as source_service
from tsunagari.linkage.forms import BasisForm, DecisionForm, ExtractsForm, PairDecisionForm
from tsunagari.linkage.models import (
    Candidate,
    CandidateStatus,
    DataSource,
    LinkageRun,
    ReviewPair,
    source_label,
    source_order,
)
from tsunagari.linkage.sources import LinkageError
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _require_flags(request: HttpRequest) -> None:
    """Designated staff only; a refusal is audited like any other."""
    decision = decide(request.user, Action.VIEW_FLAGS)
    if not decision.allowed:
        if request.user.is_authenticated:
            record_request(request, AuditAction.DENIED, reason="flag_access required")
        raise PermissionDenied(decision.reason)


# --- runs and sources (administrator) -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.RUN_IMPORTS)
    form = ExtractsForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST":
        files = request.FILES.getlist("extracts")
        if form.is_valid():
            try:
                run = run_service.create_run_from_uploads(
                    signed_in_staff(request), files, as_of=form.cleaned_data.get("as_of")
                )
            except LinkageError as exc:
                error = str(exc)
            else:
                messages.success(request, _("データ連携を開始しました。"))
                return redirect("linkage:run", pk=run.pk)
        else:
            error = _("入力内容を確認してください。")
    sources = source_service.ensure_default_sources()
    return render(
        request,
        "linkage/runs.html",
        {
            "form": form,
            "error": error,
            "runs": LinkageRun.objects.select_related("created_by")[:20],
            "sources": sources,
            "max_mb": f"{run_service.max_file_bytes() / 1024 / 1024:g}",
        },
        status=400 if error else 200,
    )


def _run_context(run: LinkageRun) -> dict[str, object]:
    return {
        "run": run,
        "stage": run_service.stage_label(run.stage) if run.stage else "",
        "sources": [
            (source_label(k), v)
            for k, v in sorted((run.sources or {}).items(), key=lambda kv: source_order(kv[0]))
        ],
    }


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.RUN_IMPORTS)
    run = get_object_or_404(LinkageRun, pk=pk)
    return render(request, "linkage/run.html", _run_context(run))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.RUN_IMPORTS)
    run = get_object_or_404(LinkageRun, pk=pk)
    response = render(request, "linkage/_progress.html", _run_context(run))
    if not run.is_active and request.htmx:  # type: ignore[attr-defined]
        # Finished: reload once so the summary shows.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.RUN_IMPORTS)
    return render(
        request, "linkage/sources.html", {"sources": source_service.ensure_default_sources()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, name: str) -> HttpResponse:
    require(request.user, Action.RUN_IMPORTS)
    source_service.ensure_default_sources()
    source = get_object_or_404(DataSource, name=name)
    form = BasisForm(
        request.POST or None,
        initial={
            "basis_kind": source.basis_kind,
            "basis_text": source.basis_text,
            "basis_reference": source.basis_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        source_service.record_basis(
            signed_in_staff(request),
            source,
            form.cleaned_data["basis_kind"],
            form.cleaned_data["basis_text"],
            form.cleaned_data["basis_reference"],
        )
        messages.success(
            request, _("「%(source)s」の法的根拠を記録しました。") % {"source": source.label}
        )
        return redirect("linkage:sources")
    return render(
        request,
        "linkage/source_form.html",
        {"source": source, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- uncertain pairs (administrator) ------------------------------------------------

_LEVELS: dict[str, dict[str, StrOrPromise]] = {
    "name": {
        "same": gettext_lazy("漢字・読みとも一致"),
        "kanji": gettext_lazy("漢字が一致（読みは記載なし・相違）"),
        "kana": gettext_lazy("読みが一致（漢字は相違）"),
        "differ": gettext_lazy("相違"),
        "missing": gettext_lazy("記載なし"),
    },
    "birth_date": {
        "same": gettext_lazy("一致"),
        "swap": gettext_lazy("月と日が入れ替わっている"),
        "one_part": gettext_lazy("年・月・日のうち1つが相違"),
        "differ": gettext_lazy("相違"),
        "missing": gettext_lazy("記載なし"),
    },
    "address": {
        "same": gettext_lazy("部屋番号まで一致"),
        "go": gettext_lazy("号まで一致"),
        "banchi": gettext_lazy("番まで一致"),
        "chome": gettext_lazy("丁目まで一致"),
        "town": gettext_lazy("町名のみ一致"),
        "differ": gettext_lazy("相違"),
        "missing": gettext_lazy("記載なし"),
    },
    "exact": {
        "same": gettext_lazy("一致"),
        "differ": gettext_lazy("相違"),
        "missing": gettext_lazy("記載なし"),
    },
}
_FIELDS = (
    ("name", gettext_lazy("氏名"), None, None),
    ("kana", gettext_lazy("カナ氏名"), None, None),
    ("", gettext_lazy("姓の比較"), "surname", "name"),
    ("", gettext_lazy("名の比較"), "given", "name"),
    ("birth_date", gettext_lazy("生年月日"), "birth_date", "birth_date"),
    ("sex", gettext_lazy("性別"), None, None),
    ("address", gettext_lazy("住所"), "address", "address"),
    ("phone", gettext_lazy("電話"), "phone", "exact"),
    ("resident_id", gettext_lazy("宛名番号"), "resident_id", "exact"),
)
_CONTACT = {"address", "phone"}


def _pair_rows(request: HttpRequest, pair: ReviewPair, masked: bool) -> list[dict[str, object]]:
    """The pair side by side, field by field, with how each field compares.
    A masked pair's address and phone (a sealed person's, read live: see
    ``review.masked_pair_ids``) stay hidden unless designated."""
    hide = masked and not decide(request.user, Action.VIEW_SEALED_CONTACT).allowed
    rows = []
    for field, label, compared, scale in _FIELDS:

        def value(side: dict[str, str], field: str = field) -> str:
            if not field:
                return ""
            if hide and field in _CONTACT:
                return str(_("閲覧制限のため非表示"))
            return side.get(field, "") or "—"

        code = pair.comparison.get(compared, "") if compared else ""
        level = str(_LEVELS[scale].get(code, code)) if scale and code else ""
        rows.append(
            {
                "label": label,
                "left": value(pair.left),
                "right": value(pair.right),
                "level": level,
                "agrees": code in {"same", "kanji", "kana", "go", "swap"},
                "comparison_only": not field,
            }
        )
    return rows


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REVIEW_LINKS)
    state = request.GET.get("state", "open")
    state = state if state in {"open", "decided", "all"} else "open"
    latest = run_service.latest_run()
    page = Paginator(review.review_queryset(latest, state), 25).get_page(request.GET.get("page"))
    items: list[ReviewPair] = list(page.object_list)
    record_request(
        request,
        AuditAction.VIEW,
        object_type="linkage.reviewpair",
        detail={"state": state, "pairs": [p.pk for p in items]},
    )
    open_count = review.review_queryset(latest, "open").count()
    return render(
        request,
        "linkage/review.html",
        {
            "page": page,
            "pairs": items,
            "state": state,
            "latest": latest,
            "open_count": open_count,
            "first_open": review.review_queryset(latest, "open").first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.REVIEW_LINKS)
    pair = get_object_or_404(
        ReviewPair.objects.select_related("run", "decision", "decision__decided_by"), pk=pk
    )
    initial = (
        {"decision": pair.decision.decision, "note": pair.decision.note} if pair.decision else {}
    )
    form = PairDecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    keys = {
        "left": f"{pair.source_l}:{pair.record_id_l}",
        "right": f"{pair.source_r}:{pair.record_id_r}",
    }
    if request.method == "POST" and form.is_valid():
        review.decide_pair(
            signed_in_staff(request), pair, form.cleaned_data["decision"], form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("判断を記録しました。次回のデータ連携から反映されます。"),
        )
        following = review.next_open_pair(pair)
        if following is not None:
            return redirect("linkage:review_pair", pk=following.pk)
        return redirect("linkage:review")
    masked = pair.pk in review.masked_pair_ids([pair])
    persons = [pk for pk in (pair.person_l_id, pair.person_r_id) if pk is not None]
    record_request(
        request, AuditAction.VIEW, obj=pair, detail={**keys, "sealed": masked, "persons": persons}
    )
    return render(
        request,
        "linkage/review_pair.html",
        {
            "pair": pair,
            "rows": _pair_rows(request, pair, masked),
            "source_l": source_label(pair.source_l),
            "source_r": source_label(pair.source_r),
            "percent": f"{pair.probability * 100:.0f}",
            "form": form,
            "following": review.next_open_pair(pair),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- candidates (designated staff) ------------------------------------------------


@login_required
@require_GET
def candidates(request: HttpRequest) -> HttpResponse:
    _require_flags(request)
    known = request.GET.get("known", "")
    known = known if known in {"yes", "no"} else ""
    pattern = request.GET.get("pattern", "")[:40]
    status = request.GET.get("status", "")
    status = status if status in CandidateStatus.values else ""
    everything = request.GET.get("runs") == "all"
    latest = run_service.latest_run()
    qs = candidate_service.candidates_queryset(
        known=known, pattern=pattern, status=status, run=None if everything else latest
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    items = list(page.object_list)
    on_case = candidate_service.known_candidate_ids([c.pk for c in items])
    record_request(
        request,
        AuditAction.VIEW,
        object_type="linkage.candidate",
        detail={
            "filters": {
                "known": known,
                "pattern": pattern,
                "status": status,
                "runs": "all" if everything else "latest",
            },
            "candidates": [c.pk for c in items],
        },
    )
    patterns = Candidate.objects.order_by("pattern").values_list("pattern", "pattern_ja").distinct()
    query = urlencode(
        {
            k: v
            for k, v in (
                ("known", known),
                ("pattern", pattern),
                ("status", status),
                ("runs", "all" if everything else ""),
            )
            if v
        }
    )
    return render(
        request,
        "linkage/candidates.html",
        {
            "page": page,
            "rows": [
                {
                    "c": c,
                    "on_case": c.pk in on_case,
                    "sources": source_service.source_labels(c.sources),
                }
                for c in items
            ],
            "known": known,
            "pattern": pattern,
            "status": status,
            "patterns": list(dict(patterns).items()),
            "statuses": CandidateStatus.choices,
            "query": query,
            "latest": latest,
            "everything": everything,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_flags(request)
    candidate = get_object_or_404(Candidate.objects.select_related("run", "decided_by"), pk=pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"status": candidate.status, "note": candidate.note},
    )
    members = list(candidate.members.values_list("pk", flat=True))
    if request.method == "POST":
        if form.is_valid():
            candidate_service.decide(
                signed_in_staff(request),
                candidate,
                form.cleaned_data["status"],
                form.cleaned_data["note"],
            )
            messages.success(request, _("判断を記録しました。"))
            return redirect("linkage:candidate", pk=candidate.pk)
    record_request(
        request,
        AuditAction.VIEW,
        obj=candidate,
        detail={"pattern": candidate.pattern, "members": members},
    )
    return render(
        request,
        "linkage/candidate.html",
        {
            "candidate": candidate,
            "rows": candidate_service.evidence_rows(
                candidate, signed_in_staff(request), request=request
            ),
            "sources": source_service.source_labels(candidate.sources),
            "on_case": bool(candidate_service.known_candidate_ids([candidate.pk])),
            "earlier": candidate_service.earlier_decisions(candidate),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- the person page's panel --------------------------------------------------------


@login_required
@require_GET
def departments(request: HttpRequest, person_id: int) -> HttpResponse:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require(request.user, Action.VIEW_PERSONAL_DATA, person)
    record_request(
        request, AuditAction.VIEW, obj=person, person_id=person.pk, detail={"panel": "departments"}
    )
    return render(
        request,
        "linkage/_departments.html",
        {"person": person, "departments": run_service.departments_for(person)},
    )
