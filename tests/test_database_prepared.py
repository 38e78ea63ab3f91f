"""On PostgreSQL the page queries are prepared on the server once per
connection (settings: ``DATABASE_PREPARED_STATEMENTS``), so that the server
does not plan them again on every request."""

from __future__ import annotations

import pytest
from django.db import connection

from tsunagari.accounts.models import Staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_used_again_is_prepared_on_the_server(personas: dict[str, Staff]) -> None:
    for _ in range(3):
        list(Staff.objects.filter(username="consultant.elderly").values_list("pk", flat=True))
    prepared = [s for s in _prepared() if '"accounts_staff"."username" = $1' in s]
    assert prepared, _prepared()


def test_values_go_apart_from_the_statement(personas: dict[str, Staff]) -> None:
    # A name that would break a statement written with its values inside
    # reads back as it is: the value travels as a parameter.
    odd = "o'brien; select 1 --"
    Staff.objects.filter(pk=personas["outreach"].pk).update(display_name=odd)
    assert Staff.objects.get(pk=personas["outreach"].pk).display_name == odd
    assert connection.connection.prepare_threshold == 2
