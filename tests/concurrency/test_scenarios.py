"""Many people at once, on both databases: no lost update, no half-written
import, no deadlock left behind, and a clear refusal (never a raw error) for
whoever comes second.

The scenarios are in scenarios.py. On PostgreSQL they run here, in threads,
against the test database (``transaction=True``: other connections must see
committed data; each thread closes its connections). SQLite's in-memory test
database answers "table is locked" to a second writer instead of waiting, so
for SQLite one subprocess runs every scenario against a database FILE,
migrated once for this module, with the settings a deployment uses (WAL,
IMMEDIATE transactions, a busy timeout); the same checks below are applied to
what it observed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.concurrency import scenarios

ROOT = Path(__file__).resolve().parents[2]
#: Seconds a scenario may take in all (each thread is bounded by scenarios.WAIT
#: on its own); generous, for a shared CI machine: a hang fails sooner.
BUDGET = 45

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database answers 'table is locked' to concurrent "
    "writers; the SQLite-file tests below run the same scenarios",
)
on_sqlite_file = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="on PostgreSQL the same scenarios run in-process (the tests above)",
)


# ── what must hold, on either database ──────────────────────────────────────


def check_person_editors(seen: dict[str, Any]) -> None:
    # exactly one editor saved; every other one was told someone saved first
    assert seen["outcomes"].count("ok") == 1, seen["outcomes"]
    assert seen["outcomes"].count("EditConflict") == len(seen["outcomes"]) - 1, seen
    assert all("別の職員が保存" in m for m in seen["messages"]), seen["messages"]
    # the version moved on by one, and the winner's phone is the one stored
    assert seen["version_after"] == seen["version_before"] + 1
    assert seen["stored_phone"] == seen["winner_phone"]
    # one save's history and one event, by the winner; nothing of the losers
    assert seen["changes"] == [["phone", seen["winner_phone"], seen["winner_name"]]]
    assert [actor for actor, _ in seen["events"]] == [seen["winner_name"]]
    assert seen["events"][0][1]["fields"] == ["phone"]
    written = {value for _, value, _ in seen["changes"]}
    assert not written & set(seen["losers_phones"])
    assert seen["people_with_number"] == 1


def check_registrations(seen: dict[str, Any]) -> None:
    outcomes = seen["outcomes"]
    assert [kind for kind, _ in outcomes] == ["ok"] * len(outcomes), outcomes
    answers = [value for _, value in outcomes]
    created = [pk for what, pk in answers if what == "created"]
    # one desk registered them; every other desk was asked whether it is the same person
    assert len(created) == 1, answers
    assert seen["people"] == created, seen
    assert all(what == "asked" and created[0] in ids for what, ids in answers if what != "created")


def check_consultation_editors(seen: dict[str, Any]) -> None:
    assert seen["outcomes"].count("ok") == 1, seen["outcomes"]
    assert seen["outcomes"].count("EditConflict") == len(seen["outcomes"]) - 1, seen
    assert all("別の職員が保存" in m for m in seen["messages"]), seen["messages"]
    assert seen["version_after"] == seen["version_before"] + 1
    assert seen["stored_notes"] == seen["winner_notes"]
    assert seen["updated_by"] == seen["winner_name"]
    assert seen["changed_events"] == [seen["winner_name"]]
    assert seen["consultations"] == 1


def check_plan_values(seen: dict[str, Any]) -> None:
    # each entry is saved in turn (the later ones as corrections) or refused
    # in words; never a database error, which a page shows as a server error
    kinds = {kind for kind, _ in seen["outcomes"]}
    assert kinds <= {"ok", "PlanError"}, seen["outcomes"]
    assert len(seen["rows"]) == 1, seen


def check_two_imports(seen: dict[str, Any]) -> None:
    rows = seen["rows"]
    kinds = [kind for kind, _ in seen["imports"]]
    assert kinds == ["ok", "ok"], seen["imports"]
    reports = [report for _, report in seen["imports"]]
    assert all(r["written"] and not r["rejected"] for r in reports), reports
    # one created everyone; the other found them all unchanged
    assert sorted(r["created"] for r in reports) == [0, rows], reports
    assert sorted(r["unchanged"] for r in reports) == [0, rows], reports
    assert [r["updated"] for r in reports] == [0, 0], reports
    assert sorted(r["households"] for r in reports) == [0, rows // 2], reports
    # each resident once, each household once with its two members
    assert seen["duplicated_residents"] == 0
    assert seen["final"] == [rows, rows // 2, rows]
    # and no reader ever saw a half-written import
    assert set(map(tuple, seen["seen"])) <= {(0, 0, 0), (rows, rows // 2, rows)}, seen["seen"]
    assert seen["watcher"][0] == "ok"


def check_failing_import(seen: dict[str, Any]) -> None:
    rows = seen["rows"]
    good, broken, bad = seen["imports"]
    assert good[0] == "ok" and good[1]["written"] and good[1]["created"] == rows, good
    assert broken == ["RuntimeError", "the disk filled up half-way"], broken
    assert bad[0] == "ok" and not bad[1]["written"] and bad[1]["rejected"] == 1, bad
    assert seen["final"] == {"74": [rows, rows // 2, rows], "75": [0, 0, 0], "76": [0, 0, 0]}
    # readers saw the good import all or nothing, and never anything of the others
    assert {tuple(c) for c in seen["seen"]["74"]} <= {(0, 0, 0), (rows, rows // 2, rows)}
    assert seen["seen"]["75"] == [[0, 0, 0]]
    assert seen["seen"]["76"] == [[0, 0, 0]]


def check_edit_during_import(seen: dict[str, Any]) -> None:
    (imported, report), (edit, _version) = seen["outcomes"]
    assert imported == "ok" and report["written"] and report["updated"] == 1, seen
    # the edit either went first (and was saved) or was refused as a conflict
    assert edit in ("ok", "EditConflict"), seen
    # the registry's move is stored either way
    assert seen["stored"]["address"] == seen["moved_to"], seen
    # every save counted: the version moved once per save...
    assert seen["version_after"] == seen["version_before"] + seen["saves"], seen
    assert seen["saves"] == (2 if edit == "ok" else 1), seen
    # ...and the change history accounts for every stored value
    assert not seen["gaps"], seen
    assert seen["replayed"] == seen["stored"], seen


_EVENT = {"accept": "accepted", "decline": "declined", "revoke": "revoked"}


def check_referral_answers(rounds: list[dict[str, Any]]) -> None:
    assert len(rounds) == 3
    for seen in rounds:
        outcomes = seen["outcomes"]
        winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
        assert len(winners) == 1, seen
        answer = seen["answers"][winners[0]]
        # the one answer stands...
        assert seen["status"] == outcomes[winners[0]][1] == _EVENT[answer], seen
        assert seen["events"] == ["sent", _EVENT[answer]], seen
        # ...the receiver is linked to the person only if it accepted...
        assert seen["receiver_case_links"] == (1 if answer == "accept" else 0), seen
        # ...and everyone else was told, in words, that it was too late
        for i, (kind, message) in enumerate(outcomes):
            if i != winners[0]:
                assert kind == "ReferralError", seen
                assert "このつなぎは「" in message and "ため" in message, message


def check_referral_sends(seen: dict[str, Any]) -> None:
    kinds = [kind for kind, _ in seen["outcomes"]]
    assert kinds.count("ok") == 1, seen
    assert kinds.count("ReferralError") == len(kinds) - 1, seen
    assert all("すでに進行中" in message for kind, message in seen["outcomes"] if kind != "ok")
    assert seen["under_way"] == 1, seen


def check_pages(seen: dict[str, Any]) -> None:
    edits = seen["edits"]
    assert [kind for kind, _ in edits] == ["ok"] * len(edits), edits
    # one save went through (redirect to the person); the others got the form
    # back with the conflict explained, never a server error
    assert sorted(page["status"] for _, page in edits) == [200] * (len(edits) - 1) + [302]
    assert all(page["refused"] for _, page in edits if page["status"] == 200), edits
    assert seen["version_after"] == seen["version_before"] + 1
    answers = seen["answers"]
    assert [kind for kind, _ in answers] == ["ok", "ok"], answers
    statuses = sorted(page["status"] for _, page in answers)
    assert statuses == [302, 400], answers
    assert all(page["refused"] for _, page in answers if page["status"] == 400), answers
    won = next(i for i, (_, page) in enumerate(answers) if page["status"] == 302)
    assert seen["referral_status"] == ("accepted", "declined")[won], seen


def check_readers(seen: dict[str, Any]) -> None:
    outcomes = seen["outcomes"]
    assert [kind for kind, _ in outcomes] == ["ok"] * len(outcomes), outcomes
    imported, *rest = (value for _, value in outcomes)
    assert imported["written"] and imported["created"] == 400, imported
    editors, readers = rest[:2], rest[2:]
    assert editors == [11, 11], editors  # ten saves each, none lost
    assert seen["versions"] == [11, 11]
    for reader in readers:
        # every page answered, none an error, and the reads overlapped the writes
        assert {str(status) for status in reader["statuses"]} == {"200"}, reader
        assert sum(reader["statuses"].values()) >= 4
    assert sum(reader["during_writes"] for reader in readers) > 0, readers
    assert seen["write_after_seconds"] < 2, seen


def check_linkage(seen: dict[str, Any]) -> None:
    outcomes = seen["outcomes"]
    assert [kind for kind, _ in outcomes] == ["ok"] * len(outcomes), outcomes
    linked, *readers = (value for _, value in outcomes)
    assert linked["status"] == "done" and not linked["error"], linked
    assert linked["records"] > 0
    for reader in readers:
        assert {str(status) for status in reader["statuses"]} == {"200"}, reader
    assert sum(reader["during_writes"] for reader in readers) > 0, readers
    assert seen["write_after_seconds"] < 2, seen


def check_audit(seen: dict[str, Any]) -> None:
    # every audited view and change of the concurrent writers is in one
    # unbroken chain, none left unsealed
    assert seen["ok"], seen["problems"]
    assert seen["checked"] > 0 and seen["unsealed"] == 0, seen


# ── PostgreSQL: in-process threads ──────────────────────────────────────────


def _timed(scenario: Callable[[], Any], budget: float) -> Any:
    """Run a scenario in-process; it must keep to its budget and leave the
    audit log sealed and intact."""
    started = time.monotonic()
    seen = scenario()
    assert time.monotonic() - started < budget, "the scenario took too long"
    check_audit(scenarios.audit_chain())
    return seen


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_many_editors_of_one_person_one_wins_the_rest_are_refused() -> None:
    check_person_editors(_timed(scenarios.many_editors_of_one_person, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_registered_at_several_desks_at_once_is_registered_once() -> None:
    check_registrations(_timed(scenarios.one_person_registered_at_two_desks, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_many_editors_of_one_consultation_one_wins_the_rest_are_refused() -> None:
    check_consultation_editors(_timed(scenarios.many_editors_of_one_consultation, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_planners_entering_one_value_at_once_get_no_database_error() -> None:
    check_plan_values(_timed(scenarios.plan_values_entered_at_once, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_write_everyone_once(tmp_path: Path) -> None:
    check_two_imports(_timed(lambda: scenarios.two_imports_of_one_file(tmp_path), BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_failing_half_way_leaves_nothing_beside_one_that_succeeds(
    tmp_path: Path,
) -> None:
    check_failing_import(_timed(lambda: scenarios.import_failing_half_way(tmp_path), BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_saved_while_an_import_compares_is_neither_lost_nor_miscounted(
    tmp_path: Path,
) -> None:
    check_edit_during_import(_timed(lambda: scenarios.edit_during_an_import(tmp_path), BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_one_answer_to_a_referral_stands_the_others_are_refused() -> None:
    check_referral_answers(_timed(scenarios.answers_to_one_referral, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_sending_one_referral_twice_at_once_leaves_one_under_way() -> None:
    check_referral_sends(_timed(scenarios.two_sends_of_one_referral, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_races_through_the_pages_end_in_a_clear_refusal_never_an_error() -> None:
    check_pages(_timed(scenarios.pages_at_once, BUDGET))
    assert not any(scenarios.leftover_locks().values())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_readers_get_their_pages_while_an_import_and_edits_run_and_no_lock_is_left(
    tmp_path: Path,
) -> None:
    check_readers(_timed(lambda: scenarios.readers_during_writes(tmp_path), BUDGET))
    assert scenarios.leftover_locks() == {"locks": 0, "idle_in_transaction": 0, "waiting": 0}


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_readers_get_their_pages_while_a_linkage_run_links_and_stores(tmp_path: Path) -> None:
    check_linkage(_timed(lambda: scenarios.linkage_run_while_reading(tmp_path), 2 * BUDGET))
    assert scenarios.leftover_locks() == {"locks": 0, "idle_in_transaction": 0, "waiting": 0}


# ── SQLite: one subprocess over a database file ─────────────────────────────

_RUN_ALL = """
import json, sys
from pathlib import Path
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # the test client's host name, as in the tests
from django.conf import settings
# Fast password hashing for the staff it creates, as tests/conftest.py does.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from tests.concurrency.scenarios import run_all
print("RESULT " + json.dumps(run_all(Path(sys.argv[1])), ensure_ascii=False, default=str))
"""


@pytest.fixture(scope="module")
def sqlite_file_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every scenario, once, over a freshly migrated SQLite file."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    folder = tmp_path_factory.mktemp("concurrency")
    env = {
        **os.environ,
        "TSUNAGARI_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "tsunagari.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    run: dict[str, Any] = {"env": env, "cwd": ROOT, "capture_output": True, "text": True}
    migrated = subprocess.run(
        [sys.executable, "-m", "tsunagari.cli", "migrate", "--no-input"], timeout=240, **run
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _RUN_ALL, str(folder)], timeout=300, **run)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    observed: dict[str, Any] = json.loads(line[len("RESULT ") :])
    observed["_seconds"] = round(time.monotonic() - started, 2)
    return observed


def _scenario(run: dict[str, Any], name: str, budget: float) -> Any:
    entry = run[name]
    assert "error" not in entry, entry["error"]
    assert entry["seconds"] < budget, f"{name} took {entry['seconds']} s"
    return entry["result"]


@on_sqlite_file
def test_on_a_sqlite_file_many_editors_of_one_person_one_wins(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_person_editors(_scenario(sqlite_file_run, "person_editors", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_one_person_registered_at_several_desks_is_registered_once(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_registrations(_scenario(sqlite_file_run, "registrations", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_many_editors_of_one_consultation_one_wins(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_consultation_editors(_scenario(sqlite_file_run, "consultation_editors", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_planners_entering_one_value_at_once_get_no_database_error(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_plan_values(_scenario(sqlite_file_run, "plan_values", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_two_imports_of_one_file_write_everyone_once(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_two_imports(_scenario(sqlite_file_run, "two_imports", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_an_import_failing_half_way_leaves_nothing(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_failing_import(_scenario(sqlite_file_run, "failing_import", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_an_edit_during_an_import_is_neither_lost_nor_miscounted(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_edit_during_import(_scenario(sqlite_file_run, "edit_during_import", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_one_answer_to_a_referral_stands(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_referral_answers(_scenario(sqlite_file_run, "referral_answers", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_sending_one_referral_twice_leaves_one_under_way(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_referral_sends(_scenario(sqlite_file_run, "referral_sends", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_the_same_races_through_the_pages_end_in_a_clear_refusal(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_pages(_scenario(sqlite_file_run, "pages", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_readers_get_their_pages_while_an_import_and_edits_run(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_readers(_scenario(sqlite_file_run, "readers", BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_readers_get_their_pages_while_a_linkage_run_stores(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_linkage(_scenario(sqlite_file_run, "linkage", 2 * BUDGET))


@on_sqlite_file
def test_on_a_sqlite_file_the_audit_log_is_intact_after_every_scenario(
    sqlite_file_run: dict[str, Any],
) -> None:
    check_audit(_scenario(sqlite_file_run, "audit", BUDGET))
