"""The case timeline: the case's own named events, and the stories of the
persons it concerns as the viewer may see them (``people.story``).

The case's events are shown to everyone who may see the case (its team,
while the regime's basis holds). Each person's other events come through
``story_of``, so only what the viewer's entitlement opens shows; a worker's
typed note is never copied into an entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext

from tsunagari.cases.models import Case, EndReason, Progress, Regime, Stage
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.people.story import LIMIT, StoryEntry, story_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff
    from tsunagari.people.presenter import PersonView

__all__ = ["case_timeline"]


def _label(e: DomainEvent) -> str:
    base = str(dict(EventKind.choices).get(e.kind, e.kind))
    stages, regimes = dict(Stage.choices), dict(Regime.choices)
    data: dict[str, str] = {k: str(v) for k, v in (e.data or {}).items()}
    if e.kind == EventKind.CASE_STAGE_MOVED:
        return gettext("%(base)s（%(from)s → %(to)s）") % {
            "base": base, "from": stages.get(data.get("stage_from", ""), "?"),
            "to": stages.get(data.get("stage_to", ""), "?"),
        }  # fmt: skip
    if e.kind == EventKind.CASE_REGIME_CHANGED:
        return gettext("%(base)s（%(from)s → %(to)s）") % {
            "base": base, "from": regimes.get(data.get("regime_from", ""), "?"),
            "to": regimes.get(data.get("regime_to", ""), "?"),
        }  # fmt: skip
    if e.kind in {EventKind.CASE_CLOSED, EventKind.CASE_SUSPENDED}:
        return gettext("%(base)s（%(reason)s）") % {
            "base": base, "reason": dict(EndReason.choices).get(data.get("reason", ""), "?")}  # fmt: skip
    if e.kind in {EventKind.CASE_ASSESSED, EventKind.CASE_PLAN_AGREED}:
        return gettext("%(base)s（第%(v)s版）") % {"base": base, "v": data.get("version", "?")}
    if e.kind == EventKind.CASE_CONFERENCE_HELD:
        return gettext("%(base)s（%(regime)s）") % {
            "base": base, "regime": regimes.get(data.get("regime", ""), "?")}  # fmt: skip
    if e.kind == EventKind.CASE_CONFERENCE_MINUTES:
        return gettext("%(base)s（第%(v)s版）") % {
            "base": base,
            "v": data.get("minutes_version", "?"),
        }
    if e.kind == EventKind.CASE_MONITORED:
        return gettext("%(base)s（%(progress)s）") % {
            "base": base, "progress": dict(Progress.choices).get(data.get("progress", ""), "?")}  # fmt: skip
    if e.kind == EventKind.CASE_WORKER_ASSIGNED:
        role = gettext("主担当") if data.get("role") == "lead" else gettext("機関の担当者")
        return gettext("%(base)s（%(role)s）") % {"base": base, "role": role}
    if e.kind == EventKind.CASE_OPENED:
        return gettext("%(base)s（%(regime)s）") % {
            "base": base, "regime": regimes.get(data.get("regime", ""), "?")}  # fmt: skip
    return base


def case_timeline(
    viewer: Staff | AnonymousUser, case: Case, views: list[PersonView]
) -> list[tuple[str, StoryEntry]]:
    """(whom it concerns, entry), newest first; ``views`` are the presenter's
    views of the persons concerned for this viewer, the case's person first."""
    own = (
        DomainEvent.objects.filter(object_type="cases.case", object_id=str(case.pk),
                                   person_id=case.person_id)
        .select_related("agency").order_by("-at", "-pk")[:LIMIT]
    )  # fmt: skip
    rows: list[tuple[str, StoryEntry]] = [
        (gettext("事例"), StoryEntry(e.at, e.kind, _label(e), e.agency.name if e.agency else ""))
        for e in own
    ]
    for view in views:
        for entry in story_of(viewer, view):
            if not entry.kind.startswith("case."):
                rows.append((view.name, entry))
    rows.sort(key=lambda r: r[1].at, reverse=True)
    return rows[:LIMIT]
