"""Template access to presenter views by person id."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def view_of(views: dict[int, Any] | None, person_id: int | None) -> Any:
    """``{{ people|view_of:r.person_id }}``: the presenter's view of that person, or None."""
    if not views or person_id is None:
        return None
    return views.get(person_id)
