"""What counts as a database in use (restore refuses it), on the test database."""

from __future__ import annotations

import pytest

from tsunagari.audit.backup import tables_in_use


@pytest.mark.django_db
def test_a_freshly_migrated_database_is_empty() -> None:
    assert tables_in_use() == {}


@pytest.mark.django_db
def test_staff_or_an_audit_event_make_it_in_use(personas: dict) -> None:
    used = tables_in_use()
    assert "accounts_staff" in used


@pytest.mark.django_db
def test_an_audit_head_that_moved_makes_it_in_use() -> None:
    from tsunagari.audit.models import AuditHead

    AuditHead.objects.update_or_create(id=1, defaults={"seq": 0})
    assert tables_in_use() == {}
    AuditHead.objects.filter(id=1).update(seq=5)
    assert tables_in_use() == {"audit_audithead": 1}
