from __future__ import annotations

from typing import Any

from django import template

from tsunagari.resources.display import schedule_text as _schedule_text
from tsunagari.resources.models import Schedule

register = template.Library()


@register.filter
def schedule_text(schedule: Schedule, style: str = "ja") -> str:
    return _schedule_text(schedule, style)


@register.filter
def pipes(value: str) -> list[str]:
    """``|en|zh|`` (a search column) as a list."""
    return [v for v in (value or "").split("|") if v]


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
