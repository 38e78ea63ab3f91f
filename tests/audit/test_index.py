"""The look-up limit counts one member of staff's searches of the day on
every look-up: a partial index on (actor, time) over search events keeps
that a short range read of their searches alone, however long the audit
log grows and however many other pages they viewed that day."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.people.lookup import SEARCH_EVENT, check_rate

pytestmark = pytest.mark.django_db
INDEX = "audit_event_searches"


def test_the_audit_log_has_an_index_on_actor_and_time() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    for name in (INDEX, "audit_event_actor_at"):
        assert found[name]["index"]
        assert found[name]["columns"] == ["actor_id", "at"]


def test_the_search_index_covers_the_events_the_limit_counts() -> None:
    """The index's condition names the look-up's event by value (the audit
    app knows nothing of people): if either side changes, the limit would
    fall back to reading every event of the day."""
    (index,) = [i for i in AuditEvent._meta.indexes if i.name == INDEX]
    assert index.condition is not None
    assert dict(index.condition.children) == {
        "object_type": SEARCH_EVENT,
        "action": AuditAction.VIEW,
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_look_up_limit_reads_through_it(personas: dict[str, Staff]) -> None:
    from tsunagari.people.lookup import parse_query

    staff = personas["consultant.elderly"]
    with CaptureQueriesContext(connection) as ctx:
        check_rate(staff, parse_query("ヤマダ"), purpose="consultation")
    counting = [q["sql"] for q in ctx.captured_queries if "audit_auditevent" in q["sql"]]
    assert counting, "the limit reads the audit log"
    with connection.cursor() as cursor:
        plan: Any = cursor.execute(f"EXPLAIN QUERY PLAN {counting[0]}").fetchall()
    assert any(INDEX in str(row) for row in plan), (SEARCH_EVENT, plan)
