"""Events the head was busy for are written unsealed and chained by the sealer;
verify covers the chain and the unsealed tail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit import services
from tsunagari.audit.models import AuditAction, AuditEvent, AuditHead, AuditSubject
from tsunagari.audit.services import events_about, record, seal, verify


@pytest.fixture
def clean_log(db: None) -> None:
    AuditSubject.objects.all()._raw_delete(AuditSubject.objects.db)
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditHead.objects.all().delete()


def _unsealed(person_id: str = "P1", at: Any = None, **detail: Any) -> AuditEvent:
    """An event as a writer leaves it when the head is busy: written, not chained."""
    event = AuditEvent(
        action=AuditAction.VIEW, object_type="people.person", person_id=person_id, detail=detail
    )
    if at is not None:
        event.at = at
    event.save()
    return event


@pytest.fixture
def busy_head(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if another sealer held the head: writers write and move on.
    monkeypatch.setattr(services, "_take_head", lambda *, wait: None)


def test_it_chains_unsealed_events_in_pk_order_when_sealing(clean_log: None) -> None:
    # given three events written while no sealer ran
    events = [_unsealed(f"P{i}") for i in range(3)]
    assert all(e.seq is None and e.hash == "" for e in events)
    # when the sealer runs
    result = seal()
    # then they are numbered in pk order and the chain verifies
    assert result.sealed == 3 and result.head_seq == 3
    stored = list(AuditEvent.objects.order_by("pk"))
    assert [e.seq for e in stored] == [1, 2, 3]
    assert stored[1].prev_hash == stored[0].hash
    report = verify()
    assert report.ok, report.problems
    assert report.checked == 3 and report.unsealed == 0


def test_it_seals_the_writers_own_event_when_the_head_is_free(
    clean_log: None, personas: dict[str, Staff]
) -> None:
    # when a writer records with nobody else sealing
    event = record(personas["consultant.elderly"], AuditAction.VIEW, person_id="P1")
    # then its event comes back chained
    assert event.seq == 1
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash


def test_it_leaves_the_event_unsealed_when_the_head_is_busy(
    clean_log: None, busy_head: None
) -> None:
    # when the head is held by another sealer
    event = record(None, AuditAction.VIEW, person_id="P1", detail={"persons": ["P2", "P3"]})
    # then the writer did not wait: its event and index rows are written, unsealed
    assert event.seq is None
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.prev_hash, stored.hash) == (None, "", "")
    assert set(AuditSubject.objects.values_list("person_id", flat=True)) == {"P2", "P3"}
    assert list(events_about("P3")) == [stored]


def test_it_sets_a_seal_only_once(clean_log: None) -> None:
    # given a sealed event
    _unsealed()
    seal()
    event = AuditEvent.objects.get()
    # when someone tries to seal it again with another number
    event.seq = 99
    # then the model refuses
    with pytest.raises(RuntimeError, match="already sealed"):
        event.save(update_fields=["seq", "prev_hash", "hash"])
    assert AuditEvent.objects.get().seq == 1


def test_it_refuses_to_write_an_event_with_half_a_seal(clean_log: None) -> None:
    for seal_fields in ({"seq": 1}, {"hash": "f" * 64}, {"seq": 1, "prev_hash": "0" * 64}):
        with pytest.raises(RuntimeError, match="whole seal"):
            AuditEvent(action=AuditAction.VIEW, **seal_fields).save()
    assert not AuditEvent.objects.exists()


def test_it_refuses_to_change_content_while_sealing(clean_log: None) -> None:
    # given an unsealed event
    event = _unsealed()
    # when the content is changed along with the seal fields, or alone
    event.reason = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save(update_fields=["reason", "seq", "prev_hash", "hash"])
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    # then nothing changed
    assert AuditEvent.objects.get().reason == ""


def test_verify_reports_the_unsealed_tail_within_the_grace(clean_log: None, settings: Any) -> None:
    # given a sealed chain and two events waiting, the oldest a minute old
    settings.AUDIT_SEAL_GRACE_SECONDS = 300
    _unsealed()
    seal()
    oldest = timezone.now() - timedelta(seconds=60)
    _unsealed("P2", at=oldest)
    _unsealed("P3")
    # when verified
    report = verify()
    # then it is intact, with the tail counted and its age given
    assert report.ok, report.problems
    assert report.checked == 1
    assert report.unsealed == 2
    assert report.oldest_unsealed_at == oldest
    assert report.oldest_unsealed_age is not None and 59 <= report.oldest_unsealed_age < 120


def test_verify_flags_an_event_unsealed_past_the_grace(clean_log: None, settings: Any) -> None:
    # given an event that has waited ten minutes with a five-minute grace
    settings.AUDIT_SEAL_GRACE_SECONDS = 300
    late = _unsealed(at=timezone.now() - timedelta(minutes=10))
    # when verified
    report = verify()
    # then it is a problem that names the event and the fix
    assert not report.ok
    assert any(
        "waited more than 300 s" in p and f"id {late.pk}" in p and "audit seal" in p
        for p in report.problems
    )
    # and once sealed, the problem is gone
    seal()
    assert verify().ok


def test_verify_finds_a_sealed_event_taken_out_of_the_chain(clean_log: None) -> None:
    # given a chain of three
    for i in range(3):
        _unsealed(f"P{i}")
    seal()
    # when someone blanks the number of the second to hide it among the unsealed
    AuditEvent.objects.filter(seq=2).update(seq=None)
    report = verify()
    # then the gap and the row are both reported
    assert any("#2 is missing" in p for p in report.problems)
    assert any("carries a seal but no number" in p for p in report.problems)


def test_verify_detects_an_event_inserted_after_the_head(clean_log: None) -> None:
    # given a sealed chain
    _unsealed()
    seal()
    last = AuditEvent.objects.get()
    # when a well-formed event is slipped in after it without moving the head
    forged = AuditEvent(action=AuditAction.VIEW, person_id="P9", seq=2, prev_hash=last.hash)
    forged.hash = services.event_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    # then the head disagrees
    assert any("head does not match" in p for p in verify().problems)


def test_verify_detects_a_changed_person_index(clean_log: None) -> None:
    # given a list event naming three persons
    event = record(None, AuditAction.VIEW, person_id="P1", detail={"persons": ["P1", "P2", "P3"]})
    assert verify().ok
    # when one index row is removed and another forged
    AuditSubject.objects.filter(event=event, person_id="P2").delete()
    AuditSubject.objects.create(event=event, person_id="P77")
    report = verify()
    # then verify says which
    assert any(
        f"#{event.seq}" in p and "['P2'] lost" in p and "['P77']" in p for p in report.problems
    )


def test_verify_detects_a_removed_head_row(clean_log: None) -> None:
    _unsealed()
    seal()
    AuditHead.objects.all().delete()
    assert any("head row is missing" in p for p in verify().problems)
    # and the sealer does not restart the chain over it
    _unsealed("P2")
    assert seal().busy
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 1


def test_it_indexes_and_verifies_a_huge_or_odd_list_of_persons(clean_log: None) -> None:
    # given hostile "persons": thousands, duplicates, blanks, long ids, non-strings
    persons: list[Any] = [f"P{i}" for i in range(3000)] + ["", "P1", "x" * 500, 7, None]
    event = record(None, AuditAction.VIEW, person_id="P1", detail={"persons": persons})
    record(None, AuditAction.VIEW, detail={"persons": "not a list"})
    # then the index holds each distinct id once, cut to 64 characters, and verify agrees
    assert AuditSubject.objects.filter(event=event).count() == 3000 - 1 + 3
    assert AuditSubject.objects.filter(person_id="x" * 64).exists()
    assert verify().ok, verify().problems


def test_it_keeps_odd_numbers_in_detail_verifiable(
    clean_log: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given numbers a database prints differently from Python, and ones it cannot store
    detail = {"big": 1e16, "small": 1e-7, "one": 1.0, "nan": float("nan"), "inf": float("inf")}
    # when recorded sealed at once, and recorded while the head is busy and sealed later
    record(None, AuditAction.VIEW, detail=detail)
    with monkeypatch.context() as busy:
        busy.setattr(services, "_take_head", lambda *, wait: None)
        record(None, AuditAction.VIEW, detail=detail)
    assert seal().sealed == 1
    # then both verify
    report = verify()
    assert report.ok, report.problems
    assert AuditEvent.objects.order_by("seq").first().detail["nan"] == "NaN"  # type: ignore[union-attr]


def test_the_seal_command_chains_waiting_events(clean_log: None, capsys: Any) -> None:
    # given two events waiting
    _unsealed()
    _unsealed("P2")
    # when the timer runs the command
    call_command("audit", "seal")
    # then both are chained
    assert "Sealed 2 event(s); the chain ends at #2." in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    call_command("audit", "verify")
    assert "no event is waiting to be sealed" in capsys.readouterr().out


def test_the_seal_command_refuses_unknown_arguments(clean_log: None) -> None:
    with pytest.raises(CommandError):
        call_command("audit", "seal", "--everything")
    with pytest.raises(CommandError):
        call_command("audit", "unseal")


def test_the_verify_command_counts_the_tail_and_fails_when_overdue(
    clean_log: None, capsys: Any, settings: Any
) -> None:
    settings.AUDIT_SEAL_GRACE_SECONDS = 60
    _unsealed()
    call_command("audit", "verify")
    assert "1 event(s) wait to be sealed" in capsys.readouterr().out
    _unsealed("P2", at=timezone.now() - timedelta(hours=2))
    with pytest.raises(CommandError, match="not being sealed"):
        call_command("audit", "verify")
    assert "waited more than 60 s" in capsys.readouterr().err


def test_the_log_page_shows_unsealed_events_first(
    client_for: Any, clean_log: None, busy_head: None
) -> None:
    # given an event the sealer has not reached yet
    _unsealed("P5")
    # when an administrator opens the log
    body = client_for("admin").get("/audit/").content.decode()
    # then it is listed, marked unsealed
    assert "<td>P5</td>" in body
    assert "未封印" in body


def test_the_api_lists_unsealed_events_without_a_number(
    client_for: Any, clean_log: None, busy_head: None
) -> None:
    _unsealed("P5")
    items = client_for("admin").get("/api/audit/events").json()["items"]
    assert [e["seq"] for e in items if e["person_id"] == "P5"] == [None]


def test_the_api_verify_reports_the_unsealed_tail(
    client_for: Any, clean_log: None, busy_head: None
) -> None:
    _unsealed("P5")
    answer = client_for("admin").post("/api/audit/verify").json()
    assert answer["ok"] is True
    # the event above (and the test client's sign-in, also left unsealed)
    assert answer["unsealed"] >= 1
    assert answer["oldest_unsealed_at"] is not None
