"""What the page-query tests share: a signed-in client past its first request,
and the number of queries one page costs.

A sign-in's first request alone asks whether the person has an authenticator
(and notes the answer in the session), and a process asks once whether this is
the demo ward; a session is written when its expiry has run down by a minute,
which a slow test on a busy machine can reach. None of that is what a page
costs on every later request, so the fixture ``counted_client`` (in
``tests/conftest.py``) leaves it out of the count.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client: Any, url: str) -> int:
    """The queries one GET of ``url`` costs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)
