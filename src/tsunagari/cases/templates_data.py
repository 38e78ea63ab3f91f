"""Support plan templates for common patterns (8050, ダブルケア, ヤングケアラー,
多重債務 + ひきこもり), read from ``data/plan_templates.yaml``.

A template fills the plan form only: goals to rewrite in the person's words,
actions with the kind of agency that usually carries them and a due date in
working days. Nothing is saved until the coordinator saves the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

from tsunagari.accounts.models import AgencyKind

TEMPLATES = Path(__file__).resolve().parent / "data" / "plan_templates.yaml"

__all__ = ["PlanTemplate", "TemplateAction", "plan_templates"]


@dataclass(frozen=True)
class TemplateAction:
    text: str
    kind: str  # an AgencyKind value
    days: int  # working days from today


@dataclass(frozen=True)
class PlanTemplate:
    code: str
    name: str
    goals: tuple[str, ...]
    actions: tuple[TemplateAction, ...]
    review_days: int


def _days(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"{TEMPLATES}: {where}: days must be a whole number, 1 or more.")
    return value


@cache
def plan_templates() -> tuple[PlanTemplate, ...]:
    """The templates, checked: unique codes, known agency kinds, whole days."""
    raw = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8")) or {}
    out: list[PlanTemplate] = []
    for i, row in enumerate(raw.get("templates", []), start=1):
        where = f"template {i}"
        actions = []
        for j, a in enumerate(row.get("actions", []), start=1):
            if a.get("kind") not in AgencyKind.values:
                raise ImproperlyConfigured(
                    f"{TEMPLATES}: {where}, action {j}: unknown kind {a.get('kind')!r}."
                )
            actions.append(
                TemplateAction(str(a["text"]), str(a["kind"]), _days(a.get("days"), where))
            )
        out.append(PlanTemplate(str(row["code"]), str(row["name"]), tuple(str(g) for g in row["goals"]),
                                tuple(actions), _days(row.get("review_days"), where)))  # fmt: skip
    if len({t.code for t in out}) != len(out):
        raise ImproperlyConfigured(f"{TEMPLATES}: template codes must be unique.")
    return tuple(out)
