"""The same-person review queue: pairs of records a run was unsure of,
and people's decisions on them, which every later run applies.

Administrators decide (``Action.REVIEW_LINKS``); a sealed person's address
and phone stay masked in the queue, read live (:func:`masked_pair_ids`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.linkage.models import LinkageRun, LinkDecision, PairDecision, ReviewPair
from tsunagari.linkage.sources import LinkageError
from tsunagari.people.presenter import sealed_contacts

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


def write_decisions(path: Path) -> Path | None:
    """Every decision so far, as the engine's decisions file (None if none)."""
    decided = LinkDecision.objects.order_by("pk").values_list(
        "source_l", "record_id_l", "source_r", "record_id_r", "decision"
    )
    if not decided.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_l", "record_id_l", "source_r", "record_id_r", "decision"])
        writer.writerows(decided.iterator())
    return path


def review_queryset(run: LinkageRun | None, state: str = "open") -> QuerySet[ReviewPair]:
    """A run's pairs for review: ``open`` (undecided), ``decided`` or all."""
    if run is None:
        return ReviewPair.objects.none()
    qs = ReviewPair.objects.filter(run=run).select_related("decision", "decision__decided_by")
    if state == "open":
        qs = qs.filter(decision__isnull=True)
    elif state == "decided":
        qs = qs.filter(decision__isnull=False)
    return qs.order_by("rank")


def masked_pair_ids(pairs: Iterable[ReviewPair]) -> set[int]:
    """The pairs whose address and phone are shown to designated staff only.

    Read live, not from the run: a pair is masked when a stored person a
    side was matched to (``person_l``/``person_r``) is sealed now, or
    anyone in that person's current household is (a household shares the
    address), or when the snapshot taken at the run said so. A side not
    matched to a stored person has no seal to read now; for it the
    snapshot stays the only knowledge (the extract's own 閲覧制限 mark, or
    its cluster's stored person at the time), so it is kept, never cleared.
    """
    listed = list(pairs)
    people = {pk for p in listed for pk in (p.person_l_id, p.person_r_id) if pk is not None}
    sealed = sealed_contacts(people)
    return {p.pk for p in listed if p.sealed or p.person_l_id in sealed or p.person_r_id in sealed}


def decide_pair(staff: Staff, pair: ReviewPair, decision: str, note: str) -> LinkDecision:
    """Record (or change) the decision on a pair; the next run applies it.
    The decision and its audit record are written together or not at all.

    Raises:
        PermissionDenied: ``staff`` may not decide this pair.
        LinkageError: the decision is not "same" or "different".
    """
    from tsunagari.linkage.engine.review import pair_key

    require(staff, Action.REVIEW_LINKS, pair)
    if decision not in PairDecision.values:
        raise LinkageError(_("「同一人物」か「別人」かを選んでください。"))
    key = pair_key(pair.source_l, pair.record_id_l, pair.source_r, pair.record_id_r)
    with transaction.atomic():
        kept, _created = LinkDecision.objects.update_or_create(
            source_l=key[0],
            record_id_l=key[1],
            source_r=key[2],
            record_id_r=key[3],
            defaults={
                "decision": decision,
                "note": note.strip()[:2000],
                "decided_by": staff,
                "decided_at": clock.now(),
                "run": pair.run,
            },
        )
        # The same pair may wait in other runs' queues too.
        ReviewPair.objects.filter(
            Q(source_l=key[0], record_id_l=key[1], source_r=key[2], record_id_r=key[3])
            | Q(source_l=key[2], record_id_l=key[3], source_r=key[0], record_id_r=key[1])
        ).update(decision=kept)
        write_event(EventKind.LINKAGE_PAIR_DECIDED, kept, staff, decision=kept.decision)
        record(
            staff,
            AuditAction.UPDATE,
            obj=kept,
            detail={
                "left": f"{pair.source_l}:{pair.record_id_l}",
                "right": f"{pair.source_r}:{pair.record_id_r}",
                "decision": kept.decision,
            },
        )
    return kept


def next_open_pair(pair: ReviewPair) -> ReviewPair | None:
    """The next undecided pair of the same run, after this one."""
    return (
        ReviewPair.objects.filter(run_id=pair.run_id, decision__isnull=True, rank__gt=pair.rank)
        .order_by("rank")
        .first()
        or ReviewPair.objects.filter(run_id=pair.run_id, decision__isnull=True)
        .exclude(pk=pair.pk)
        .order_by("rank")
        .first()
    )
