"""``sample_data``: whether every page says that it shows the demo ward's sample data.

The answer is asked of the database once per process and then kept, so the
pages cost no query for it. It changes only when ``tsunagari demo`` loads
the ward (or a test creates the mark): a change made in this process clears
it at once (the signals below), and again when the transaction that made it
ends, committed or rolled back; one made by another process (the demo loaded
while the server runs) is seen within :data:`RECHECK_SECONDS`.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from tsunagari.demo.models import DemoWard, is_demo_ward

#: How long a process trusts what it found before asking again.
RECHECK_SECONDS = 300.0

_known: tuple[float, bool] | None = None
# The transaction (its open atomic blocks) in which this process last wrote the
# mark: until it ends, what is known holds only inside it.
_written_in: tuple[str, list[object]] | None = None


def forget(using: str | None = None, **_kwargs: Any) -> None:
    """Ask the database again at the next page (the demo mark was written or removed)."""
    global _known, _written_in
    _known = None
    alias = using or DEFAULT_DB_ALIAS
    blocks = connections[alias].atomic_blocks
    _written_in = (alias, list(blocks)) if blocks else None


def _write_ended() -> bool:
    """True when the transaction that last wrote the mark has ended (or is not this thread's)."""
    if _written_in is None:
        return False
    alias, then = _written_in
    now = connections[alias].atomic_blocks
    return len(now) < len(then) or any(a is not b for a, b in zip(now, then, strict=False))


post_save.connect(forget, sender=DemoWard, dispatch_uid="tsunagari.demo.context.saved")
post_delete.connect(forget, sender=DemoWard, dispatch_uid="tsunagari.demo.context.deleted")


def demo_ward_loaded() -> bool:
    """``is_demo_ward()``, asked at most once per :data:`RECHECK_SECONDS` per process."""
    global _known, _written_in
    if _write_ended():
        _known, _written_in = None, None
    now = time.monotonic()
    if _known is None or now - _known[0] > RECHECK_SECONDS:
        _known = (now, is_demo_ward())
    return _known[1]


def sample_data(request: HttpRequest) -> dict[str, object]:
    """``sample_data`` is true on a database loaded by ``tsunagari demo``."""
    return {"sample_data": demo_ward_loaded()}
