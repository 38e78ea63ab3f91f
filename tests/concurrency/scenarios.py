"""Concurrent-use scenarios, run against whatever database Django is set up with.

Each scenario is a plain function: it sets its data up through the apps'
own services (committed, so other connections see it), starts a bounded
number of threads that act at once, waits for them with a time limit, and
returns what it observed as plain JSON-able values. The tests assert on
those observations; the same functions run in-process on PostgreSQL and in a
subprocess over a SQLite file (see test_scenarios.py), so both databases are
held to the same rules.

Scenarios never share data: each uses its own staff, persons and resident
numbers, so they can run one after another in one database.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from django.db import connection, connections

WAIT = 30  # seconds any thread may take before the scenario gives up
MAX_THREADS = 8


class Hung(AssertionError):
    """A thread did not finish within WAIT seconds (a deadlock or a lost wake-up)."""


def at_once(bodies: list[Callable[[], Any]], *, wait: float = WAIT) -> list[tuple[str, Any]]:
    """Run ``bodies`` in threads released together; return ("ok", value) or
    (exception class name, message) for each, in order.

    Every thread closes its own database connections when done. Raises
    :class:`Hung` if any is still running after ``wait`` seconds.
    """
    assert 0 < len(bodies) <= MAX_THREADS, "scenarios stay within 8 threads"
    start = threading.Barrier(len(bodies), timeout=wait)
    results: list[tuple[str, Any]] = [("unfinished", None)] * len(bodies)

    def run(i: int) -> None:
        try:
            if connection.vendor == "postgresql":
                # A thread waiting on a lock gives up with an error after
                # ``wait`` (PostgreSQL finds true deadlocks itself within a
                # second), so no lock outlives the scenario and the test
                # database can always be emptied afterwards.
                with connection.cursor() as cursor:
                    for name in ("lock_timeout", "idle_in_transaction_session_timeout"):
                        cursor.execute("SELECT set_config(%s, %s, false)",
                                       [name, f"{int(wait * 1000)}ms"])  # fmt: skip
            start.wait()
            results[i] = ("ok", bodies[i]())
        except BaseException as exc:  # reported to the test
            results[i] = (type(exc).__name__, str(exc) or repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + wait
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    hung = [i for i, t in enumerate(threads) if t.is_alive()]
    if hung:
        raise Hung(f"threads {hung} still running after {wait} s")
    return results


@contextmanager
def replaced(module: ModuleType, name: str, stand_in: Callable[..., Any]) -> Iterator[None]:
    """``module.name`` is ``stand_in`` inside the block (to stop or break an
    import at a chosen step), and the real one again after it."""
    real = vars(module)[name]
    setattr(module, name, stand_in)
    try:
        yield
    finally:
        setattr(module, name, real)


# ── set-up through the services ─────────────────────────────────────────────


def staff(username: str, agency_code: str, role: str = "consultant") -> Any:
    """A member of staff of one of the personas' agencies (created once)."""
    from tsunagari.accounts.models import Agency, Staff
    from tsunagari.accounts.personas import ensure_agencies

    agency = Agency.objects.filter(code=agency_code).first() or ensure_agencies()[agency_code]
    member, _ = Staff.objects.get_or_create(
        username=username,
        defaults={"display_name": username, "agency": agency, "roles": [role]},
    )
    return member


def personas() -> dict[str, Any]:
    from tsunagari.accounts.personas import ensure_personas

    return ensure_personas()


PERSON = {
    "name": "並行　試験",
    "kana": "ヘイコウ　シケン",
    "birth_date": "1950-04-01",
    "sex": "1",
    "address": "東京都江東区北砂三丁目12番5号",
    "phone": "03-3640-0000",
}


def register(actor: Any, resident_id: str, **overrides: str) -> Any:
    """A person registered at intake by ``actor`` (whose agency then supports them)."""
    from tsunagari.people.services import PersonInput, create_person

    values: dict[str, Any] = {**PERSON, **overrides, "resident_id": resident_id}
    result = create_person(actor, PersonInput(**values), confirm_new=True)
    assert result.person is not None
    return result.person


def person_input(resident_id: str, **overrides: str) -> Any:
    from tsunagari.people.services import PersonInput

    values: dict[str, Any] = {**PERSON, **overrides, "resident_id": resident_id}
    return PersonInput(**values)


def intake(person_id: int, **overrides: Any) -> Any:
    from tsunagari.consultations.services import ConsultationInput

    values: dict[str, Any] = {
        "channel": "phone",
        "service": "elderly",
        "visitor": "family",
        "visitor_relation": "長女",
        "person_id": person_id,
        "problems": ["care", "income"],
        "main_problem": "care",
        "work": "retired",
        "housing": "rented",
        "health_insurance": "late_elderly",
        "pension": "old_age",
        "notes": "父の介護と生活費のことで長女から電話。",
        "outcome": "referral",
    }
    values.update(overrides)
    return ConsultationInput(**values)


def _phone(n: int) -> str:
    return f"090-7000-{1000 + n:04d}"


# ── 1. many editors of one person ───────────────────────────────────────────


def many_editors_of_one_person(editors: int = 8) -> dict[str, Any]:
    """``editors`` staff save different phone numbers against the same version."""
    from tsunagari.events.models import DomainEvent, EventKind
    from tsunagari.people.models import Person, PersonChange
    from tsunagari.people.services import update_person

    owner = personas()["consultant.elderly"]
    team = [staff(f"conc.person.{n}", "lsc-16") for n in range(editors)]
    person = register(owner, "7100000001")
    version = person.version

    def edit(n: int) -> Callable[[], Any]:
        def body() -> Any:
            saved = update_person(
                team[n], person.pk, person_input("7100000001", phone=_phone(n)),
                expected_version=version,
            )  # fmt: skip
            return saved.version

        return body

    results = at_once([edit(n) for n in range(editors)])
    person.refresh_from_db()
    winners = [n for n, (kind, _) in enumerate(results) if kind == "ok"]
    changes = list(
        PersonChange.objects.filter(person=person).values_list("field", "new_value", "by__username")
    )
    events = list(
        DomainEvent.objects.filter(kind=EventKind.PERSON_CHANGED, person=person).values_list(
            "actor__username", "data"
        )
    )
    return {
        "outcomes": [kind for kind, _ in results],
        "messages": [value for kind, value in results if kind != "ok"],
        "winners": winners,
        "winner_phone": _phone(winners[0]) if len(winners) == 1 else None,
        "winner_name": team[winners[0]].username if len(winners) == 1 else None,
        "losers_phones": [_phone(n) for n in range(editors) if n not in winners],
        "version_before": version,
        "version_after": person.version,
        "stored_phone": person.phone,
        "changes": [list(c) for c in changes],
        "events": [[actor, data] for actor, data in events],
        "people_with_number": Person.objects.filter(resident_id="7100000001").count(),
    }


def one_person_registered_at_two_desks(desks: int = 3) -> dict[str, Any]:
    """Staff at different desks register the same new person at the same
    moment, each without knowing of the others."""
    from tsunagari.people.models import Person
    from tsunagari.people.services import PersonInput, create_person

    cast = personas()
    team = [cast[name] for name in ("consultant.elderly", "consultant.toyosu", "consultant.self")]
    same = PersonInput(name="同時　登録", kana="ドウジ　トウロク", birth_date="1961-07-07",
                       sex="2", address="東京都江東区大島四丁目5番1号")  # fmt: skip

    def register_at(n: int) -> Callable[[], Any]:
        def body() -> Any:
            result = create_person(team[n], same)
            if result.person is not None:
                return ["created", result.person.pk]
            return ["asked", sorted(m.view.id for m in result.duplicates)]

        return body

    results = at_once([register_at(n) for n in range(desks)])
    return {
        "outcomes": [[kind, value] for kind, value in results],
        "people": list(
            Person.objects.filter(kana_key="ドウジトウロク").values_list("pk", flat=True)
        ),
    }


# ── 2. many editors of one recorded consultation ────────────────────────────


def many_editors_of_one_consultation(editors: int = 8) -> dict[str, Any]:
    """``editors`` staff of the receiving agency re-save a recorded consultation
    against the same version, each with their own notes."""
    from tsunagari.consultations.models import Consultation
    from tsunagari.consultations.services import save_consultation
    from tsunagari.events.models import DomainEvent, EventKind

    owner = personas()["consultant.elderly"]
    team = [staff(f"conc.consult.{n}", "lsc-16") for n in range(editors)]
    person = register(owner, "7200000001")
    recorded = save_consultation(owner, intake(person.pk), final=True)
    version = recorded.version

    def edit(n: int) -> Callable[[], Any]:
        def body() -> Any:
            saved = save_consultation(
                team[n], intake(person.pk, notes=f"編集者{n}の追記"),
                consultation_id=recorded.pk, expected_version=version, final=True,
            )  # fmt: skip
            return saved.version

        return body

    results = at_once([edit(n) for n in range(editors)])
    stored = Consultation.objects.get(pk=recorded.pk)
    winners = [n for n, (kind, _) in enumerate(results) if kind == "ok"]
    changed = DomainEvent.objects.filter(
        kind=EventKind.CONSULTATION_CHANGED,
        object_type="consultations.consultation",
        object_id=str(recorded.pk),
    )
    return {
        "outcomes": [kind for kind, _ in results],
        "messages": [value for kind, value in results if kind != "ok"],
        "winners": winners,
        "winner_notes": f"編集者{winners[0]}の追記" if len(winners) == 1 else None,
        "winner_name": team[winners[0]].username if len(winners) == 1 else None,
        "version_before": version,
        "version_after": stored.version,
        "stored_notes": stored.notes,
        "updated_by": stored.updated_by.username if stored.updated_by else None,
        "changed_events": list(changed.values_list("actor__username", flat=True)),
        "consultations": Consultation.objects.filter(person=person).count(),
    }


def plan_values_entered_at_once(planners: int = 4) -> dict[str, Any]:
    """Planners enter the same indicator's value for one year at the same
    moment (the first entry of that year)."""
    from tsunagari.plan import services
    from tsunagari.plan.loading import load_plans
    from tsunagari.plan.models import EnteredValue

    period = load_plans()[0]
    indicator = period.indicators.get(code="9-1.welfare_training_participants")
    team = [staff(f"conc.plan.{n}", "dept-01", role="planner") for n in range(planners)]

    def enter(n: int) -> Callable[[], Any]:
        def body() -> Any:
            return services.enter_value(
                team[n], indicator.pk, 2026, str(300 + n), f"出席簿{n}"
            ).value

        return body

    results = at_once([enter(n) for n in range(planners)])
    rows = list(EnteredValue.objects.filter(indicator=indicator, fiscal_year=2026).values("value"))
    return {"outcomes": [[kind, value] for kind, value in results], "rows": rows}


# ── 3. two imports of one file; a failing import ────────────────────────────

HEADER = "record_id,resident_id,name_kanji,name_kana,birth_date,sex,address,phone,household_id,relation\n"
_NAMES = [("山田", "ヤマダ"), ("鈴木", "スズキ"), ("佐藤", "サトウ"), ("田中", "タナカ")]
_GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("恵", "メグミ")]


def registry_file(
    folder: Path, name: str, prefix: str, rows: int, *, bad_row: bool = False
) -> Path:
    """A registry extract of ``rows`` residents numbered ``prefix``000001…,
    two to a household; with ``bad_row`` its last row has an impossible date."""
    lines = [HEADER]
    for i in range(1, rows + 1):
        surname, surname_kana = _NAMES[i % 4]
        given, given_kana = _GIVEN[(i // 4) % 4]
        born = date(1940, 1, 1) + timedelta(days=37 * i)
        household = f"H{prefix}{(i + 1) // 2:05d}"
        relation = "世帯主" if i % 2 else "妻"
        lines.append(
            f"R{prefix}{i},{prefix}{i:06d},{surname}　{given},{surname_kana}　{given_kana},"
            f"{born.isoformat()},{1 + i % 2},江東区北砂3-{1 + i % 20}-{1 + i % 9},,"
            f"{household},{relation}\n"
        )
    if bad_row:
        lines[-1] = lines[-1].replace(
            (date(1940, 1, 1) + timedelta(days=37 * rows)).isoformat(), "令和99年13月45日"
        )
    path = folder / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _counts(prefix: str) -> tuple[int, int, int]:
    """People, households and memberships of ``prefix``, read in one statement
    (one snapshot on both databases, without opening a transaction, which on
    SQLite would be a writer's)."""
    from tsunagari.people.models import Household, Membership, Person

    person, household, membership = (
        connection.ops.quote_name(m._meta.db_table) for m in (Person, Household, Membership)
    )
    # Table names come from the models; the prefix is a parameter.
    sql = (
        f"SELECT (SELECT count(*) FROM {person} WHERE resident_id LIKE %s),"  # noqa: S608
        f" (SELECT count(*) FROM {household} WHERE number LIKE %s),"
        f" (SELECT count(*) FROM {membership} m JOIN {household} h ON m.household_id = h.id"
        f"  WHERE h.number LIKE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{prefix}%", f"H{prefix}%", f"H{prefix}%"])
        row = cursor.fetchone()
    return (row[0], row[1], row[2])


class _Watcher:
    """A reader that keeps counting ``prefixes``' people, households and
    memberships until stopped: every state it sees must be all or nothing."""

    def __init__(self, prefixes: list[str]) -> None:
        self.prefixes = prefixes
        self.stop = threading.Event()
        self.seen: set[tuple[str, tuple[int, int, int]]] = set()

    def __call__(self) -> int:
        looks = 0
        while not self.stop.is_set() and looks < 2000:
            for prefix in self.prefixes:
                self.seen.add((prefix, _counts(prefix)))
            looks += 1
            time.sleep(0.005)
        return looks


def _report(report: Any) -> dict[str, Any]:
    return {
        "written": report.written,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "households": report.households,
        "rejected": len(report.rejected),
    }


def two_imports_of_one_file(folder: Path, rows: int = 300) -> dict[str, Any]:
    """Two imports of the same extract at once, watched by a reader."""
    from django.db.models import Count

    from tsunagari.people import importer
    from tsunagari.people.models import Person

    path = registry_file(folder, "twice.csv", "73", rows)
    watcher = _Watcher(["73"])

    def imported() -> Any:
        return _report(importer.import_registry(path))

    def both() -> list[tuple[str, Any]]:
        try:
            return at_once([imported, imported])
        finally:
            watcher.stop.set()

    results = at_once([both, watcher])
    imports = results[0][1] if results[0][0] == "ok" else [results[0]]
    duplicates = (
        Person.objects.filter(resident_id__startswith="73")
        .values("resident_id")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "rows": rows,
        "imports": [[kind, value] for kind, value in imports],
        "watcher": list(results[1]),
        "seen": sorted(list(counts) for _prefix, counts in watcher.seen),
        "final": list(_counts("73")),
        "duplicated_residents": duplicates,
    }


def import_failing_half_way(folder: Path, rows: int = 200) -> dict[str, Any]:
    """A good import, an import that crashes after writing its people and
    households, and an import with a bad row, all at once, watched by a reader."""
    from tsunagari.people import importer

    good = registry_file(folder, "good.csv", "74", rows)
    broken = registry_file(folder, "broken.csv", "75", rows)
    bad = registry_file(folder, "bad.csv", "76", rows, bad_row=True)
    real = vars(importer)["_households"]

    def crash_after_households(valid: Any, report: Any, today: Any) -> None:
        real(valid, report, today)
        if report.file == "broken.csv":
            raise RuntimeError("the disk filled up half-way")

    watcher = _Watcher(["74", "75", "76"])

    def three() -> list[tuple[str, Any]]:
        try:
            return at_once(
                [
                    lambda: _report(importer.import_registry(good)),
                    lambda: _report(importer.import_registry(broken)),
                    lambda: _report(importer.import_registry(bad)),
                ]
            )
        finally:
            watcher.stop.set()

    with replaced(importer, "_households", crash_after_households):
        results = at_once([three, watcher])
    imports = results[0][1] if results[0][0] == "ok" else [results[0]]
    return {
        "rows": rows,
        "imports": [[kind, value] for kind, value in imports],
        "seen": {
            prefix: sorted(list(c) for p, c in watcher.seen if p == prefix)
            for prefix in ("74", "75", "76")
        },
        "final": {prefix: list(_counts(prefix)) for prefix in ("74", "75", "76")},
    }


def edit_during_an_import(folder: Path, hold: float = 2.0) -> dict[str, Any]:
    """A member of staff saves a person's phone number while a registry import
    that moves the same person is between reading the record and writing it.

    The import is held at that point (it has read who exists and is about to
    compare) until the edit has finished, or ``hold`` seconds if the edit has
    to wait for the import. Either order is fine; what must never happen is a
    record whose version and history do not account for every save.
    """
    from tsunagari.events.models import DomainEvent, EventKind
    from tsunagari.people import importer
    from tsunagari.people.models import Person, PersonChange
    from tsunagari.people.services import update_person

    owner = personas()["consultant.elderly"]
    editor = staff("conc.during.0", "lsc-16")
    person = register(owner, "7000000001")
    first = {name: importer_text(getattr(person, name)) for name in ("phone", "address")}
    moved = "東京都江東区豊洲五丁目6番1号"
    path = folder / "move.csv"
    path.write_text(
        HEADER + f"R70,7000000001,{PERSON['name']},{PERSON['kana']},{PERSON['birth_date']},"
        f"1,{moved},{PERSON['phone']},,\n",
        encoding="utf-8",
    )
    comparing, edited = threading.Event(), threading.Event()
    real = vars(importer)["classify_changes"]

    def held(*args: Any, **kwargs: Any) -> Any:
        comparing.set()
        edited.wait(hold)
        return real(*args, **kwargs)

    def importing() -> Any:
        return _report(importer.import_registry(path))

    def editing() -> Any:
        try:
            assert comparing.wait(WAIT), "the import never reached its comparison"
            saved = update_person(editor, person.pk, person_input("7000000001", phone=_phone(70)),
                                  expected_version=person.version)  # fmt: skip
            return saved.version
        finally:
            edited.set()

    with replaced(importer, "classify_changes", held):
        results = at_once([importing, editing])
    stored = Person.objects.get(pk=person.pk)
    history = list(
        PersonChange.objects.filter(person=stored)
        .order_by("pk")
        .values_list("field", "old_value", "new_value", "source")
    )
    # Replay the history from the registered values: it must arrive at what is stored.
    replayed, gaps = dict(first), []
    for name, old, new, _source in history:
        if name in replayed:
            if replayed[name] != old:
                gaps.append(f"{name}: history says it was {old!r}, it was {replayed[name]!r}")
            replayed[name] = new
    saves = DomainEvent.objects.filter(kind=EventKind.PERSON_CHANGED, person=stored).count()
    return {
        "outcomes": [[kind, value] for kind, value in results],
        "version_before": person.version,
        "version_after": stored.version,
        "saves": saves,
        "stored": {"phone": stored.phone, "address": stored.address},
        "replayed": replayed,
        "gaps": gaps,
        "history": [list(h) for h in history],
        "moved_to": moved,
        "editor_phone": _phone(70),
    }


def importer_text(value: Any) -> str:
    from tsunagari.people.services import _text

    return _text(value)


# ── 4. answering one referral at once ───────────────────────────────────────


def _referral(round_no: int) -> Any:
    """A referral from 長寿サポートセンター北砂 to 生活サポートセンター, on consent."""
    from tsunagari.consent.services import ConsentInput, record_consent
    from tsunagari.consultations.services import save_consultation, send_referral
    from tsunagari.lib import clock

    sender = personas()["consultant.elderly"]
    person = register(sender, f"77{round_no:08d}", phone=_phone(500 + round_no))
    consultation = save_consultation(sender, intake(person.pk), final=True)
    today = clock.today()
    record_consent(
        sender,
        person.pk,
        ConsentInput(
            form="with",
            given_on=(today - timedelta(days=1)).isoformat(),
            expires_on=(today + timedelta(days=365)).isoformat(),
            agencies=["srs-01"],
            categories=["basic", "consultation", "money"],
        ),
    )
    return send_referral(
        sender, consultation.pk, to_agency="srs-01", summary="生活費の相談を希望。長女が同居。"
    )


def two_sends_of_one_referral(senders: int = 3) -> dict[str, Any]:
    """Staff of the agency that took a consultation press つなぐ at once, to
    the same agency: one referral may be under way, not two."""
    from tsunagari.consultations.models import Referral
    from tsunagari.consultations.services import send_referral

    first = _referral(8)  # a recorded consultation with consent; its referral revoked
    from tsunagari.consultations.services import revoke_referral

    owner = personas()["consultant.elderly"]
    revoke_referral(owner, first.pk, reason="送り直すため")
    team = [staff(f"conc.send.{n}", "lsc-16") for n in range(senders)]

    def send(n: int) -> Callable[[], Any]:
        def body() -> Any:
            return send_referral(team[n], first.consultation_id, to_agency="srs-01",
                                 summary=f"送り直し{n}").pk  # fmt: skip

        return body

    results = at_once([send(n) for n in range(senders)])
    under_way = Referral.objects.filter(
        consultation_id=first.consultation_id, status__in=["sent", "received", "accepted"]
    ).count()
    return {"outcomes": [[kind, value] for kind, value in results], "under_way": under_way}


def _status_after(do: Callable[[Any, int], Any], who: Any, referral_id: int) -> str:
    return str(do(who, referral_id).status)


def answers_to_one_referral() -> list[dict[str, Any]]:
    """Rounds of answers given at once to one referral each: accept, decline
    and the sender's revoke; two accepts; two declines and a revoke."""
    from tsunagari.consultations import services
    from tsunagari.consultations.models import Referral, ReferralEvent
    from tsunagari.people.models import AgencyLink, LinkBasis

    sender = personas()["consultant.elderly"]
    receivers = [staff(f"conc.srs.{n}", "srs-01") for n in range(3)]
    doers = {
        "accept": lambda who, pk: services.accept_referral(who, pk, note="お受けします"),
        "decline": lambda who, pk: services.decline_referral(who, pk, reason="担当が満員のため"),
        "revoke": lambda who, pk: services.revoke_referral(who, pk, reason="本人の希望で取り下げ"),
    }
    rounds = [
        ("accept", "decline", "revoke"),
        ("accept", "accept"),
        ("decline", "decline", "revoke"),
    ]
    observed = []
    for round_no, answers in enumerate(rounds, start=1):
        referral = _referral(round_no)
        bodies: list[Callable[[], Any]] = []
        for i, answer in enumerate(answers):
            who = sender if answer == "revoke" else receivers[i]
            bodies.append(partial(_status_after, doers[answer], who, referral.pk))
        results = at_once(bodies)
        stored = Referral.objects.get(pk=referral.pk)
        observed.append(
            {
                "answers": list(answers),
                "outcomes": [[kind, value] for kind, value in results],
                "status": stored.status,
                "events": list(
                    ReferralEvent.objects.filter(referral=stored)
                    .order_by("pk")
                    .values_list("kind", flat=True)
                ),
                "receiver_case_links": AgencyLink.objects.filter(
                    person_id=stored.person_id,
                    agency__code="srs-01",
                    basis=LinkBasis.CASE,
                ).count(),
            }
        )
    return observed


def pages_at_once(editors: int = 4) -> dict[str, Any]:
    """The same races through the pages: ``editors`` staff press 保存 on one
    person's edit form opened at the same version, and two staff of the
    receiving agency press 受け入れ and 辞退 on one referral."""
    from django.test import Client

    from tsunagari.people.models import Person

    owner = personas()["consultant.elderly"]
    team = [staff(f"conc.page.{n}", "lsc-16") for n in range(editors)]
    person = register(owner, "6900000001")
    form = {**PERSON, "sex": "male", "resident_id": "6900000001", "version": person.version}

    def post(who: Any, url: str, data: dict[str, Any], refusal: str) -> dict[str, Any]:
        client = Client()
        client.force_login(who)
        response = client.post(url, data)
        return {
            "status": response.status_code,
            "refused": refusal in response.content.decode(),
        }

    conflict = "別の職員がこの方の情報を保存しました"
    edits = at_once(
        [
            partial(
                post,
                team[n],
                f"/people/{person.pk}/edit/",
                {**form, "phone": _phone(600 + n)},
                conflict,
            )
            for n in range(editors)
        ]
    )
    referral = _referral(9)
    receivers = [staff(f"conc.srs.{n}", "srs-01") for n in range(2)]
    base = f"/consultations/referrals/{referral.pk}"
    too_late = "このつなぎは「"
    answers = at_once(
        [
            partial(post, receivers[0], f"{base}/accept/", {"note": "お受けします"}, too_late),
            partial(post, receivers[1], f"{base}/decline/", {"reason": "満員のため"}, too_late),
        ]
    )
    referral.refresh_from_db()
    return {
        "edits": [[kind, value] for kind, value in edits],
        "version_before": person.version,
        "version_after": Person.objects.get(pk=person.pk).version,
        "answers": [[kind, value] for kind, value in answers],
        "referral_status": referral.status,
    }


# ── 5. readers while imports and edits run ──────────────────────────────────


def readers_during_writes(folder: Path, readers: int = 4, editors: int = 2) -> dict[str, Any]:
    """Staff read the consultation worklist and a person's page through the
    test client while an import and ``editors`` editors write."""
    from django.test import Client

    from tsunagari.people import importer
    from tsunagari.people.services import update_person

    owner = personas()["consultant.elderly"]
    team = [staff(f"conc.read.{n}", "lsc-16") for n in range(readers + editors)]
    people = [register(owner, f"780000000{n}", phone=_phone(800 + n)) for n in range(editors)]
    path = registry_file(folder, "during.csv", "79", 400)
    writing = threading.Event()
    reads_begun = threading.Event()  # writers start once a reader is in
    writers_left = [editors + 1]
    lock = threading.Lock()

    def done_writing() -> None:
        with lock:
            writers_left[0] -= 1
            if writers_left[0] == 0:
                writing.set()

    def importing() -> Any:
        try:
            reads_begun.wait(WAIT)
            return _report(importer.import_registry(path))
        finally:
            done_writing()

    def editing(n: int) -> Callable[[], Any]:
        def body() -> Any:
            try:
                reads_begun.wait(WAIT)
                version = people[n].version
                for i in range(10):
                    saved = update_person(
                        team[readers + n], people[n].pk,
                        person_input(f"780000000{n}", phone=_phone(900 + i)),
                        expected_version=version,
                    )  # fmt: skip
                    version = saved.version
                return version
            finally:
                done_writing()

        return body

    def reading(n: int) -> Callable[[], Any]:
        def body() -> Any:
            client = Client()
            client.force_login(team[n])
            statuses: dict[int, int] = {}
            pages = ["/consultations/", f"/people/{people[n % editors].pk}/"]
            looks = 0
            during = 0
            while looks < 200 and (looks < 4 or not writing.is_set()):
                during += not writing.is_set()
                reads_begun.set()
                status = client.get(pages[looks % 2]).status_code
                statuses[status] = statuses.get(status, 0) + 1
                looks += 1
            return {"statuses": statuses, "during_writes": during}

        return body

    bodies = [
        importing,
        *(editing(n) for n in range(editors)),
        *(reading(n) for n in range(readers)),
    ]
    started = time.monotonic()
    results = at_once(bodies)
    seconds = time.monotonic() - started
    # Nothing is left holding the database: a new write goes through at once.
    began = time.monotonic()
    register(owner, "7899999999", phone=_phone(999))
    write_after = time.monotonic() - began
    return {
        "outcomes": [[kind, value] for kind, value in results],
        "seconds": round(seconds, 2),
        "write_after_seconds": round(write_after, 3),
        "versions": [
            p.version for p in type(people[0]).objects.filter(pk__in=[p.pk for p in people])
        ],
    }


LINKAGE_EXTRACTS = Path(__file__).resolve().parents[1] / "linkage" / "data" / "hard"


def linkage_run_while_reading(folder: Path, readers: int = 4) -> dict[str, Any]:
    """A linkage run (the small hard-cases extracts: link, detect, store)
    while staff read the worklist and a person's page."""
    from django.test import Client, override_settings

    from tsunagari.linkage.models import BasisKind
    from tsunagari.linkage.runs import create_run_from_directory, execute_run
    from tsunagari.linkage.sources import ensure_default_sources, record_basis

    owner = personas()["consultant.elderly"]
    team = [staff(f"conc.link.{n}", "lsc-16") for n in range(readers)]
    person = register(owner, "6800000001")
    finished = threading.Event()
    reads_begun = threading.Event()  # the run starts once a reader is in
    with override_settings(DATA_DIR=folder / "linkage-data"):
        for source in ensure_default_sources():
            if not source.has_basis:
                record_basis(None, source, BasisKind.ORDINANCE,
                             "複合的な課題を抱える世帯の早期把握のための目的外利用",
                             "江東区個人情報保護条例施行規則 第5条")  # fmt: skip
        run = create_run_from_directory(LINKAGE_EXTRACTS, None, as_of=date(2026, 10, 1))

        def linking() -> Any:
            try:
                reads_begun.wait(WAIT)
                done = execute_run(run)
                return {"status": str(done.status), "error": done.error,
                        "records": done.records, "candidates": done.candidates}  # fmt: skip
            finally:
                finished.set()

        def reading(n: int) -> Callable[[], Any]:
            def body() -> Any:
                client = Client()
                client.force_login(team[n])
                statuses: dict[int, int] = {}
                pages = ["/consultations/", f"/people/{person.pk}/"]
                looks = during = 0
                while looks < 200 and (looks < 4 or not finished.is_set()):
                    during += not finished.is_set()
                    reads_begun.set()
                    status = client.get(pages[looks % 2]).status_code
                    statuses[status] = statuses.get(status, 0) + 1
                    looks += 1
                return {"statuses": statuses, "during_writes": during}

            return body

        started = time.monotonic()
        results = at_once([linking, *(reading(n) for n in range(readers))], wait=60)
        seconds = time.monotonic() - started
    began = time.monotonic()
    register(owner, "6899999999", phone=_phone(998))
    return {
        "outcomes": [[kind, value] for kind, value in results],
        "seconds": round(seconds, 2),
        "write_after_seconds": round(time.monotonic() - began, 3),
    }


def leftover_locks() -> dict[str, Any]:
    """On PostgreSQL: other sessions of this database still holding locks or
    idle inside a transaction (waits briefly for closed connections to go)."""
    assert connection.vendor == "postgresql"
    query_locks = """
        SELECT count(*) FROM pg_locks l
        WHERE l.pid <> pg_backend_pid() AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    """
    query_idle = """
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND state LIKE 'idle in transaction%%'
    """
    query_waiting = """
        SELECT count(*) FROM pg_locks l
        WHERE NOT l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    """
    counts: dict[str, int] = {}
    for _ in range(50):
        with connection.cursor() as cursor:
            for name, sql in (("locks", query_locks), ("idle_in_transaction", query_idle),
                              ("waiting", query_waiting)):  # fmt: skip
                cursor.execute(sql)
                counts[name] = cursor.fetchone()[0]
        if not any(counts.values()):
            break
        time.sleep(0.1)
    return counts


def audit_chain() -> dict[str, Any]:
    """The audit log after the scenarios: sealed to the end and intact."""
    from tsunagari.audit.services import seal, verify

    seal(wait=True)  # the timer's catch-up, as in a deployment
    report = verify()
    return {
        "ok": report.ok,
        "checked": report.checked,
        "unsealed": report.unsealed,
        "problems": [str(p) for p in report.problems][:10],
    }


# ── all of them (the SQLite subprocess) ─────────────────────────────────────


def run_all(folder: Path) -> dict[str, Any]:
    """Every scenario in turn; a scenario that raises is reported, not fatal."""
    plan: dict[str, Callable[[], Any]] = {
        "person_editors": many_editors_of_one_person,
        "registrations": one_person_registered_at_two_desks,
        "consultation_editors": many_editors_of_one_consultation,
        "plan_values": plan_values_entered_at_once,
        "two_imports": lambda: two_imports_of_one_file(folder),
        "failing_import": lambda: import_failing_half_way(folder),
        "edit_during_import": lambda: edit_during_an_import(folder),
        "referral_answers": answers_to_one_referral,
        "referral_sends": two_sends_of_one_referral,
        "pages": pages_at_once,
        "readers": lambda: readers_during_writes(folder),
        "linkage": lambda: linkage_run_while_reading(folder),
    }
    observed: dict[str, Any] = {}
    for name, scenario in plan.items():
        started = time.monotonic()
        try:
            observed[name] = {"result": scenario()}
        except BaseException:
            observed[name] = {"error": traceback.format_exc()}
        observed[name]["seconds"] = round(time.monotonic() - started, 2)
    observed["audit"] = {"result": audit_chain(), "seconds": 0}
    return observed
