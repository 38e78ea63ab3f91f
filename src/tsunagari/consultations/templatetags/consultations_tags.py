from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def select_field(
    name: str,
    label: str,
    choices: list[tuple[str, str]],
    values: dict[str, Any],
    errors: dict[str, str],
) -> str:
    """A labelled <select> that keeps the typed value and shows its error."""
    current = values.get(name, "")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, " selected" if v == current else "", lbl) for v, lbl in choices),
    )
    error = errors.get(name, "")
    return format_html(
        '<div><label for="f-{0}">{1}</label><select id="f-{0}" name="{0}"{2}>{3}</select>{4}</div>',
        name,
        label,
        format_html(' aria-invalid="true" aria-describedby="f-{}-error"', name) if error else "",
        options,
        format_html('<p class="errorlist" id="f-{}-error">{}</p>', name, error) if error else "",
    )
