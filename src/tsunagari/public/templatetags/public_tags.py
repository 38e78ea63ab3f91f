from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tsunagari.public import display
from tsunagari.resources.models import Address, Service

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


@register.filter
def town_label(town: str, variant: str) -> SafeString:
    return display.town_label(town, variant)


@register.filter
def town_option(town: str, variant: str) -> str:
    return display.town_option(town, variant)


@register.filter
def address_label(address: Address, variant: str) -> SafeString:
    return display.address_label(address, variant)


@register.filter
def name_label(service: Service, variant: str) -> SafeString:
    return display.name_label(service, variant)


@register.simple_tag
def description(service: Service, variant: str, texts: Any, limit: int = 0) -> SafeString:
    """The description in the reader's variant (see ``display.description_label``)."""
    return display.description_label(service, variant, texts["ja_only"], limit=limit)


@register.filter
def japanese(text: str, variant: str) -> SafeString:
    return display.japanese(str(text or ""), variant)


@register.filter
def feature_text(feature: str, texts: Any) -> str:
    """An accessibility feature's name in the current variant."""
    return lookup_text(texts, f"feat_{feature}")
