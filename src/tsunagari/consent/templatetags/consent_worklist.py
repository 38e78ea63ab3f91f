"""The consent section of the worklist: withdrawals the agency must know of,
and support-meeting decisions waiting for it to confirm.

An inclusion tag, so the worklist page shows it with one line; the people
it names reach the template through the presenter, which audits them.
"""

from __future__ import annotations

from typing import Any

from django import template

from tsunagari.consent.services import (
    may_review_support_meetings,
    support_meetings_to_confirm,
    withdrawals_to_notice,
)
from tsunagari.people import sections
from tsunagari.people.presenter import Purpose, present_people

register = template.Library()


@register.inclusion_tag("consent/_worklist_notices.html", takes_context=True)
def consent_notices(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    staff = request.user
    notices = withdrawals_to_notice(getattr(staff, "agency", None))
    # A withdrawal notice says whom it is about (names only), also to an
    # agency that has just lost its access: it must stop using what it holds.
    views = present_people(
        staff,
        [n.consent.person for n in notices],
        Purpose.LIST,
        request=request,
        object_type="consent.withdrawal",
        granted=frozenset({sections.IDENTITY}),
        detail={"consents": [n.consent.pk for n in notices]},
    )
    people = {v.id: v for v in views}
    reviewer = may_review_support_meetings(staff)
    return {
        "notices": [{"n": n, "person": people.get(n.consent.person_id)} for n in notices],
        "unseen": sum(1 for n in notices if n.seen_at is None),
        "reviewer": reviewer,
        "to_confirm": support_meetings_to_confirm(staff) if reviewer else 0,
        "csrf_token": context.get("csrf_token"),
        "worklist": request.path,
    }
