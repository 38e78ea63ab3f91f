"""``sample_data``: whether every page says that it shows the demo ward's sample data.

The answer is asked of the database once per process and then kept, so the
pages cost no query for it. It changes only when ``tsunagari demo`` loads
the ward (or a test creates the mark): a change made in this process clears
it at once (the signals below); one made by another process (the demo loaded
while the server runs) is seen within :data:`RECHECK_SECONDS`.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from tsunagari.demo.models import DemoWard, is_demo_ward

#: How long a process trusts what it found before asking again.
RECHECK_SECONDS = 300.0

_known: tuple[float, bool] | None = None


def forget(**_kwargs: Any) -> None:
    """Ask the database again at the next page (the demo mark was written or removed)."""
    global _known
    _known = None


post_save.connect(forget, sender=DemoWard, dispatch_uid="tsunagari.demo.context.saved")
post_delete.connect(forget, sender=DemoWard, dispatch_uid="tsunagari.demo.context.deleted")


def demo_ward_loaded() -> bool:
    """``is_demo_ward()``, asked at most once per :data:`RECHECK_SECONDS` per process."""
    global _known
    now = time.monotonic()
    if _known is None or now - _known[0] > RECHECK_SECONDS:
        _known = (now, is_demo_ward())
    return _known[1]


def sample_data(request: HttpRequest) -> dict[str, object]:
    """``sample_data`` is true on a database loaded by ``tsunagari demo``."""
    return {"sample_data": demo_ward_loaded()}
