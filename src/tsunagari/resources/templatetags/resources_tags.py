from __future__ import annotations

from django import template

from tsunagari.resources.display import schedule_text as _schedule_text
from tsunagari.resources.models import Schedule

register = template.Library()


@register.filter
def schedule_text(schedule: Schedule, style: str = "ja") -> str:
    return _schedule_text(schedule, style)
