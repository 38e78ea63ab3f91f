from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tsunagari.demo.models import is_demo_ward


def sample_data(request: HttpRequest) -> dict[str, object]:
    """``sample_data`` is true on a database loaded by ``tsunagari demo``.

    Lazy: read only when a template shows the notice (one indexed read).
    """
    return {"sample_data": SimpleLazyObject(is_demo_ward)}
