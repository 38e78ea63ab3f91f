from __future__ import annotations

import itertools
import subprocess
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead
from tsunagari.audit.services import record, verify


@pytest.fixture
def chain(personas: dict[str, Staff]) -> list[AuditEvent]:
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)  # start from a clean chain
    AuditHead.objects.all().delete()
    alice = personas["consultant.elderly"]
    return [
        record(
            alice,
            AuditAction.VIEW,
            object_type="people.person",
            object_id=i,
            person_id=f"P{i}",
            reason="intake",
        )
        for i in range(1, 6)
    ]


def test_it_links_each_event_to_the_one_before(chain: list[AuditEvent]) -> None:
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    report = verify()
    assert report.ok, report.problems
    assert report.checked == 5


def test_it_records_who_which_agency_and_why(chain: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(seq=2)
    assert event.actor_username == "consultant.elderly"
    assert event.agency_code == "lsc-16"
    assert event.person_id == "P2"
    assert event.reason == "intake"


def test_it_detects_an_edited_event_and_says_which(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=3).update(person_id="P999")
    report = verify()
    assert not report.ok
    assert any("#3" in p and "edited" in p for p in report.problems)


def test_it_detects_a_deleted_event_and_says_where(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=2)._raw_delete(AuditEvent.objects.db)
    report = verify()
    assert not report.ok
    assert any("#2" in p and "missing" in p for p in report.problems)


def test_it_detects_events_deleted_from_the_end(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq__gte=4)._raw_delete(AuditEvent.objects.db)
    report = verify()
    assert any("#4–#5" in p for p in report.problems)


def test_it_detects_a_forged_replacement_event(chain: list[AuditEvent]) -> None:
    # an attacker rewrites event 3 and recomputes its own hash: the next event no longer follows
    from tsunagari.audit.services import event_hash

    forged = AuditEvent.objects.get(seq=3)
    forged.reason = "nothing to see"
    forged.hash = event_hash(forged)
    AuditEvent.objects.filter(seq=3).update(reason=forged.reason, hash=forged.hash)
    report = verify()
    assert any("#4" in p and "does not follow" in p for p in report.problems)


def test_it_refuses_to_change_or_delete_through_the_model(chain: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(seq=1)
    event.reason = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()


def test_the_verify_command_passes_on_an_intact_log(chain: list[AuditEvent], capsys: Any) -> None:
    call_command("audit", "verify")
    assert "OK: 5 events" in capsys.readouterr().out


def test_the_verify_command_fails_on_a_tampered_log(chain: list[AuditEvent], capsys: Any) -> None:
    AuditEvent.objects.filter(seq=1).update(action="export")
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify")
    assert "event #1" in capsys.readouterr().err


def test_the_verify_command_exits_non_zero_from_the_shell(tmp_path: Any) -> None:
    import os
    import sys

    env = {
        **os.environ,
        "TSUNAGARI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "migrate", "-v0"], env=env, check=True, timeout=300
    )
    import sqlite3

    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;django.setup();from tsunagari.audit.services import record;"
            "[record(None,'view',object_type='x',object_id=i) for i in range(3)]",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "tsunagari.settings"},
        check=True,
        timeout=120,
    )
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    result = subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "event #2 is missing" in result.stderr


def test_it_shows_the_log_to_administrators_and_verifies_it(
    client_for: Any, chain: list[AuditEvent]
) -> None:
    response = client_for("admin").post("/audit/")
    assert response.status_code == 200
    assert "改ざんはありません" in response.content.decode()


def test_it_shows_supervisors_only_their_agencys_events(
    client_for: Any, chain: list[AuditEvent]
) -> None:
    record(None, AuditAction.VIEW, object_type="people.person", object_id=77, person_id="P77")
    body = client_for("supervisor.elderly").get("/audit/").content.decode()
    # (compare whole table cells: a random CSRF token can contain "P77")
    assert "<td>P1</td>" in body
    assert "<td>P77</td>" not in body


def test_it_does_not_let_a_supervisor_run_verification(
    client_for: Any, chain: list[AuditEvent]
) -> None:
    assert client_for("supervisor.elderly").post("/audit/").status_code == 403


def test_it_audits_reading_the_audit_log(client_for: Any, chain: list[AuditEvent]) -> None:
    client_for("admin").get("/audit/?person=P1")
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    assert last.object_type == "audit.auditevent"
    assert last.detail["person"] == "P1"
