"""``{% case_offer "consultation" c.pk %}``: on a source record's page, the
link to the case opened from it, or to open one, shown only to the
coordinating role (``Action.WORK_CASES``), as the opening page requires."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagari.cases.sources import offer

register = template.Library()


@register.inclusion_tag("cases/_offer.html", takes_context=True)
def case_offer(context: dict[str, Any], kind: str, number: int | None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"offer": offer(user, kind, number) if user is not None else None, "kind": kind}
