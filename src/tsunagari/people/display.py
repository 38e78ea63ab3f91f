"""``get_FOO_display()`` without rebuilding the field's choices on every call.

Django's own version builds a dict of every choice on each call, hashing
each lazy label (a translation lookup per choice): a list of 50 consultations
paid for some 1,400 translations to show 100 labels. Here the dict of
value → lazy label is built once per field; the label shown is still
translated when it is shown, in the language of the request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

__all__ = ["QuickChoiceDisplay"]

_LABELS: dict[int, tuple[Field[Any, Any], dict[Any, Any]]] = {}


def _labels(field: Field[Any, Any]) -> dict[Any, Any]:
    known = _LABELS.get(id(field))
    if known is not None and known[0] is field:
        return known[1]
    labels = {make_hashable(value): label for value, label in field.flatchoices}
    _LABELS[id(field)] = (field, labels)
    return labels


class QuickChoiceDisplay:
    """Mix into a model (before ``models.Model``) whose choices are fixed
    (``TextChoices``, not a callable read afresh each time)."""

    def _get_FIELD_display(self, field: Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
