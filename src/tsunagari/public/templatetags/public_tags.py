from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def lookup_text(texts: Any, key: str) -> str:
    """A text of the current variant by a computed key."""
    try:
        return str(texts[key])
    except (KeyError, TypeError):
        return ""
