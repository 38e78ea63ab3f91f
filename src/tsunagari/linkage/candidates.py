"""Outreach candidates: households whose records together show a
complex-need pattern, for designated staff (``Action.VIEW_FLAGS``) to
decide on. A candidate is a suggestion with its evidence, never a label on
a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.linkage.models import Candidate, CandidateStatus, LinkageRun, RecordLink
from tsunagari.linkage.sources import LinkageError, source_labels
from tsunagari.linkage.store import IDENTIFIER
from tsunagari.people.access import active_links
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_people
from tsunagari.people.sections import IDENTITY

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from tsunagari.accounts.models import Staff


def candidates_queryset(
    known: str = "", pattern: str = "", status: str = "", run: LinkageRun | None = None
) -> QuerySet[Candidate]:
    """Candidates, optionally only those known / not known to any agency.

    ``known="no"``: no member has an active agency link (flagged but not
    known to any agency); ``known="yes"``: some member has one (flagged and
    already on a case). ``run``: only that run's candidates.
    """
    qs = Candidate.objects.select_related("run", "decided_by")
    if run is not None:
        qs = qs.filter(run=run)
    if known in {"yes", "no"}:
        # Asked of each candidate's few members, each by its own links: as
        # one set of every candidate with a linked member, it was worked out
        # over every run and link (65 ms a page at 540,000 residents).
        member_linked = Candidate.members.through.objects.filter(
            candidate_id=OuterRef("pk"),
        ).filter(Exists(active_links().filter(person_id=OuterRef("person_id"))))
        on_case = Exists(member_linked)
        qs = qs.filter(on_case) if known == "yes" else qs.filter(~on_case)
    if pattern:
        qs = qs.filter(pattern=pattern)
    if status in CandidateStatus.values:
        qs = qs.filter(status=status)
    return qs


def earlier_decisions(candidate: Candidate) -> QuerySet[Candidate]:
    """Decisions already made, in other runs, on the same pattern for any of
    the same people: shown next to a new candidate, never applied to it."""
    people = candidate.members.values("pk")
    return (
        Candidate.objects.filter(pattern=candidate.pattern, members__in=people)
        .exclude(pk=candidate.pk)
        .exclude(status=CandidateStatus.NEW)
        .select_related("run", "decided_by")
        .distinct()
        .order_by("-decided_at")[:10]
    )


def known_candidate_ids(candidate_ids: list[int]) -> set[int]:
    """Of the candidates (a page of them), those with a member some agency
    already works with. Two look-ups on a page's few members: asked as one
    query with every active link as a subquery, SQLite scanned the links
    (541 ms a page at 540,000 residents)."""
    members = list(
        Candidate.members.through.objects.filter(candidate_id__in=candidate_ids).values_list(
            "candidate_id", "person_id"
        )
    )
    linked = set(
        active_links()
        .filter(person_id__in={p for _c, p in members})
        .values_list("person_id", flat=True)
    )
    return {c for c, p in members if p in linked}


def decide(staff: Staff, candidate: Candidate, status: str, note: str) -> Candidate:
    """Record a person's decision on a candidate, audited with it.

    Raises:
        PermissionDenied: ``staff`` is not designated to see flags.
        LinkageError: ``status`` is not one of the decisions.
    """
    require(staff, Action.VIEW_FLAGS, candidate)
    if status not in CandidateStatus.values:
        raise LinkageError(_("判断を選んでください。"))
    with transaction.atomic():
        candidate.status = status
        candidate.note = note.strip()
        candidate.decided_by = staff
        candidate.decided_at = clock.now()
        candidate.save(update_fields=["status", "note", "decided_by", "decided_at"])
        write_event(EventKind.LINKAGE_CANDIDATE_DECIDED, candidate, staff, status=candidate.status,
                    pattern=candidate.pattern)  # fmt: skip
        record(
            staff,
            AuditAction.UPDATE,
            obj=candidate,
            detail={
                "status": candidate.status,
                "members": list(candidate.members.values_list("pk", flat=True)),
            },
        )
    return candidate


_ROLE_LABELS = {
    "parent": gettext_lazy("親"),
    "child": gettext_lazy("子"),
    "elder": gettext_lazy("介護を受ける家族"),
    "carer": gettext_lazy("介護する人"),
    "cared": gettext_lazy("ケアを受ける家族"),
    "young": gettext_lazy("若い世帯員"),
    "person": gettext_lazy("本人"),
    "poor": gettext_lazy("生活支援を受ける人"),
}


# Source columns as the evidence names them, and whether the column is a
# flag (0/1) to be read as なし/あり. A column not listed here (one a
# department added) is shown under its own name.
ATTRIBUTE_LABELS: dict[str, tuple[StrOrPromise, bool]] = {
    "care_level": (gettext_lazy("要介護度"), False),
    "certified_until": (gettext_lazy("認定の有効期限"), False),
    "handbook": (gettext_lazy("手帳の種類"), False),
    "disability_grade": (gettext_lazy("障害の等級"), False),
    "disability_type": (gettext_lazy("障害の種別"), False),
    "intractable_disease": (gettext_lazy("指定難病"), True),
    "role": (gettext_lazy("子ども・子育ての記録での立場"), False),
    "benefit": (gettext_lazy("手当"), False),
    "guardian": (gettext_lazy("保護者"), False),
    "program": (gettext_lazy("支援の種類"), False),
    "note": (gettext_lazy("地域の記録のメモ"), False),
    "worker": (gettext_lazy("記録した担当者"), False),
    "recorded_on": (gettext_lazy("記録日"), False),
    "sealed": (gettext_lazy("住民票の閲覧制限"), True),
}
_FLAG_VALUES = {
    "1": gettext_lazy("あり"),
    "true": gettext_lazy("あり"),
    "yes": gettext_lazy("あり"),
    "0": gettext_lazy("なし"),
    "false": gettext_lazy("なし"),
    "no": gettext_lazy("なし"),
}


def attribute_text(key: str, values: Iterable[object]) -> tuple[str, str]:
    """One evidence attribute as a consultant reads it: its Japanese label and
    its values (a flag's 0/1 as なし/あり), e.g. ``("指定難病", "なし")``."""
    label, is_flag = ATTRIBUTE_LABELS.get(key) or (key, False)
    texts = [str(v) for v in values]
    if is_flag:
        texts = [str(_FLAG_VALUES.get(t.strip().lower(), t)) for t in texts]
    return str(label), "、".join(dict.fromkeys(texts))


@dataclass(frozen=True)
class EvidenceRow:
    role: str
    key: str
    person: PersonView | None
    age: int | None
    sources: list[str]
    attributes: list[tuple[str, str]]


def evidence_rows(
    candidate: Candidate, viewer: Staff, *, request: HttpRequest | None = None
) -> list[EvidenceRow]:
    """The candidate's evidence, one row per role, in Japanese.

    The residents the evidence is tied to are shown to the designated viewer
    through the presenter: their names (the candidate's purpose), more only
    where the viewer's agency is entitled, audited as one list.
    """
    keys = [str(f.get("person_id", "")) for f in candidate.evidence.values() if isinstance(f, dict)]
    people: dict[str, Person] = {}
    for link in RecordLink.objects.filter(
        run_id=candidate.run_id, cluster__in=keys, person__isnull=False
    ).select_related("person"):
        if link.person is not None:
            people.setdefault(link.cluster, link.person)
    shown = {p.pk: p for p in people.values()}
    views = {
        v.id: v
        for v in present_people(
            viewer,
            list(shown.values()),
            Purpose.LIST,
            request=request,
            object_type="linkage.candidate",
            granted=frozenset({IDENTITY}),
            detail={"candidate": candidate.pk},
        )
    }
    rows = []
    for role, fact in candidate.evidence.items():
        if not isinstance(fact, dict):
            continue
        key = str(fact.get("person_id", ""))
        attributes = fact.get("attributes") or {}
        rows.append(
            EvidenceRow(
                role=str(_ROLE_LABELS.get(role, role)),
                key=key,
                person=views.get(people[key].pk) if key in people else None,
                age=fact.get("age"),
                sources=source_labels(str(s) for s in fact.get("sources", [])),
                attributes=[
                    attribute_text(str(k), vs)
                    for k, vs in attributes.items()
                    # The registry's seal (DV support measure) is never evidence
                    # shown to anyone: it would itself disclose the person's situation.
                    if k not in {"relation", "sealed"} and not IDENTIFIER.search(str(k))
                ],
            )
        )
    return rows
