"""Import of a resident-registry extract (linkage contract format).

All-or-nothing per file: every row is checked first, and if any row is
rejected nothing is written (unless ``skip_invalid`` asks to load the valid
rows); the report lists every rejected row and why. Repeating the same file
changes nothing. Moves, name changes and household changes are kept as
history. An optional fact the extract leaves empty or has no column for
(phone, reading, sex) keeps the value the ward holds: a registry extract
carries no phones, and its silence is not a removal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock, intake
from tsunagari.people.models import Household, Membership, Person, PersonChange
from tsunagari.people.services import (
    PersonError,
    PersonInput,
    change_summary,
    classify_changes,
    clean,
)

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

REQUIRED = ("record_id", "resident_id", "name_kanji", "birth_date", "address")
OPTIONAL = ("name_kana", "sex", "phone", "household_id", "relation", "sealed")
_YES = {"1", "true", "yes", "はい", "有"}
MAX_BYTES = 512 * 1024 * 1024
#: The ward has about 540,000 residents; a whole-registry extract must fit.
MAX_ROWS = 2_000_000
_COMPARED = (
    "surname", "given_name", "surname_kana", "given_kana", "birth_date", "sex", "address", "phone",
    "name_key", "surname_key", "given_key", "kana_key", "surname_kana_key", "given_kana_key",
    "surname_kana_initial", "given_kana_initial", "town", "block_key", "address_key", "phone_digits",
)  # fmt: skip


#: Optional facts the ward may hold from elsewhere (a phone given at the desk,
#: a reading confirmed with the person). An extract that leaves them empty, or
#: has no such column at all, says nothing about them: the import keeps what
#: is held and never erases it.
_HELD_WHEN_EMPTY: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "phone_digits"),
    "surname_kana": (
        "surname_kana", "given_kana", "kana_key", "surname_kana_key", "given_kana_key",
        "surname_kana_initial", "given_kana_initial",
    ),
    "sex": ("sex",),
}  # fmt: skip


def _with_held(person: Person, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the held optional facts the extract leaves empty."""
    merged = dict(values)
    for key, fields in _HELD_WHEN_EMPTY.items():
        if not values.get(key):
            merged.update({f: getattr(person, f) for f in fields})
    return merged


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says what to fix.

    ``problems`` is the intake's reject report (file, row, column, value, reason).
    """

    def __init__(self, refused: intake.Rejected) -> None:
        self.problems = refused.problems
        super().__init__(str(refused.problem))


@dataclass
class Rejected:
    row: int
    record_id: str
    column: str
    problem: str


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    households: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    written: bool = False

    @property
    def summary(self) -> str:
        state = "imported" if self.written else "NOT imported (nothing was changed)"
        return (
            f"{self.file}: {self.rows} rows, {state}: {self.created} new, {self.updated} updated "
            f"({self.moved} moved), {self.unchanged} unchanged, {self.households} new households, "
            f"{len(self.rejected)} rejected"
        )


def read_rows(path: Path) -> tuple[list[dict[str, str]], list[int], str]:
    """Read the extract through the file intake (UTF-8 or Shift_JIS, CSV or Excel).

    Returns:
        The rows as ``{column: stripped value}``, each row's number in the
        file (header = row 1), and the file's SHA-256.

    Raises:
        ImportFileError: the intake refused the file; ``problems`` is its report.
    """
    try:
        data, name = intake.read_source(path, max_bytes=MAX_BYTES)
        table = intake.read_table(
            data, name=name, required=REQUIRED, max_bytes=MAX_BYTES, max_rows=MAX_ROWS
        )
    except intake.Rejected as refused:
        raise ImportFileError(refused) from None
    rows = [{k: v.strip() for k, v in row.items()} for row in table.dicts()]
    return rows, table.numbers, hashlib.sha256(data).hexdigest()


def import_registry(
    path: Path,
    *,
    actor: Staff | None = None,
    skip_invalid: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Import one registry extract. See the module docstring for the rules."""
    rows, numbers, digest = read_rows(path)
    report = ImportReport(file=path.name, rows=len(rows))
    seen_records: dict[str, int] = {}
    seen_residents: dict[str, int] = {}
    valid: list[tuple[dict[str, str], dict[str, Any]]] = []
    for checked, (number, row) in enumerate(zip(numbers, rows, strict=True), start=1):
        rid = row.get("record_id", "")
        problems: list[tuple[str, str]] = []
        if not rid:
            problems.append(("record_id", "empty: every row needs its record_id"))
        elif rid in seen_records:
            problems.append(("record_id", f"duplicate of row {seen_records[rid]}"))
        resident = row.get("resident_id", "")
        if not resident:
            problems.append(("resident_id", "empty: registry rows need the 宛名番号"))
        elif resident in seen_residents:
            problems.append(("resident_id", f"duplicate of row {seen_residents[resident]}"))
        values: dict[str, Any] = {}
        try:
            values = clean(
                PersonInput(
                    name=row.get("name_kanji", ""),
                    kana=row.get("name_kana", ""),
                    birth_date=row.get("birth_date", ""),
                    sex=row.get("sex", ""),
                    address=row.get("address", ""),
                    phone=row.get("phone", ""),
                    resident_id=resident,
                )
            )
            # The registry's DV support measure (支援措置) seals a person; an
            # import never unseals: that is a designated officer's decision.
            values["sealed"] = row.get("sealed", "").lower() in _YES
            if values.get("birth_date") is None:
                problems.append(("birth_date", "empty: registry rows need the birth date"))
        except PersonError as exc:
            column = {"name": "name_kanji", "kana": "name_kana"}
            problems += [(column.get(k, k), v) for k, v in exc.errors.items()]
        if problems:
            report.rejected += [Rejected(number, rid, c, p) for c, p in problems]
        else:
            seen_records[rid] = number
            seen_residents[resident] = number
            valid.append((row, values))
        if progress and checked % 1000 == 0:
            progress(1000)
    if report.rejected and not skip_invalid:
        return report
    with transaction.atomic():
        _one_import_at_a_time()
        _write(valid, report, actor)
        record(
            actor,
            AuditAction.CREATE,
            object_type="people.import",
            object_id=digest[:16],
            reason="resident registry import",
            detail={"file": path.name, "sha256": digest, "summary": report.summary},
        )
    report.written = True
    return report


#: The PostgreSQL advisory lock that registry imports queue on.
IMPORT_LOCK = int.from_bytes(
    hashlib.sha256(b"tsunagari.people.import").digest()[:8], "big", signed=True
)


def _one_import_at_a_time() -> None:
    """Make a second import wait until the first has committed.

    An import decides who is new by reading who exists; two at once (the
    same file sent twice, or two offices' extracts) would each read the
    other's residents as missing and register them again. On PostgreSQL a
    transaction-level advisory lock queues them; on SQLite the write
    transaction (IMMEDIATE, see settings) already does.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _write(
    valid: list[tuple[dict[str, str], dict[str, Any]]], report: ImportReport, actor: Staff | None
) -> None:
    now = clock.now()
    today = clock.today()
    existing = {
        p.resident_id: p
        for chunk in _chunks([v["resident_id"] for _, v in valid])
        for p in Person.objects.filter(resident_id__in=chunk)
    }
    _lock_changing(existing, valid)
    new_people: list[Person] = []
    changed: list[Person] = []
    history: list[PersonChange] = []
    events: list[DomainEvent] = []
    for _row, values in valid:
        person = existing.get(values["resident_id"])
        if person is None:
            new_people.append(Person(**values, created=now, updated=now))
            continue
        values = _with_held(person, values)
        # An import never unseals: that is a designated officer's decision.
        values["sealed"] = values["sealed"] or person.sealed
        diffs = [f for f in (*_COMPARED, "sealed") if getattr(person, f) != values[f]]
        if not diffs:
            report.unchanged += 1
            continue
        # The same classification as an edit on the page (people.services).
        rows = classify_changes(person, values, by=actor, at=now, source="registry")
        history += rows
        report.moved += any(r.field == "address" for r in rows)
        events.append(_event(EventKind.PERSON_CHANGED, person, actor, now, **change_summary(rows)))
        for f in diffs:
            setattr(person, f, values[f])
        person.version += 1
        person.updated = now
        changed.append(person)
    _insert(Person, new_people)
    report.created = len(new_people)
    if new_people:
        ids = dict(
            (rid, pk)
            for chunk in _chunks([p.resident_id for p in new_people])
            for rid, pk in Person.objects.filter(resident_id__in=chunk).values_list(
                "resident_id", "pk"
            )
        )
        for p in new_people:
            p.pk = ids[p.resident_id]
            events.append(_event(EventKind.PERSON_REGISTERED, p, actor, now, source="registry"))
    if changed:
        Person.objects.bulk_update(
            changed, [*_COMPARED, "sealed", "version", "updated"], batch_size=2000
        )
    report.updated = len(changed)
    PersonChange.objects.bulk_create(history, batch_size=2000)
    DomainEvent.objects.bulk_create(events, batch_size=5000)
    _households(valid, report, today)


def _lock_changing(
    existing: dict[str, Person], valid: list[tuple[dict[str, str], dict[str, Any]]]
) -> None:
    """Lock the persons this import will change and read them again.

    Staff may save an edit between the read above and the write: comparing
    with the record as it was then would write its old values back unseen
    and give the import's version the number the edit already has (so a
    third edit made against the edit's version would pass as current).
    Locked and re-read, the comparison is with what is stored now, and an
    edit begun before the import waits for it and is then refused as a
    conflict. Only the rows that differ are locked: a whole-registry import
    mostly finds people unchanged. (On SQLite the write transaction already
    keeps editors out.)
    """
    keys = {
        person.pk: rid
        for _row, values in valid
        if (person := existing.get(rid := values["resident_id"])) is not None
        and _differs(person, values)
    }
    for chunk in _chunks(sorted(keys)):
        for person in Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
            existing[keys[person.pk]] = person


def _differs(person: Person, values: dict[str, Any]) -> bool:
    values = _with_held(person, values)
    return (values["sealed"] and not person.sealed) or any(
        getattr(person, f) != values[f] for f in _COMPARED
    )


def _event(
    kind: EventKind, person: Person, actor: Staff | None, at: Any, **data: Any
) -> DomainEvent:
    """The event the edit and create actions write, built for a bulk insert."""
    return DomainEvent(kind=kind, object_type="people.person", object_id=str(person.pk),
                       person_id=person.pk, actor=actor, agency_id=getattr(actor, "agency_id", None),
                       at=at, data=data)  # fmt: skip


def _insert(model: type[models.Model], objects: list[Any], batch: int = 5000) -> None:
    """Plain INSERT … VALUES with executemany: bulk_create spends most of a
    large import building SQL field by field. Defaults are already set on
    the unsaved objects; primary keys come from the database."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from input; values are parameters.
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    # Text, numbers and booleans go to both drivers as they are; dates,
    # times and JSON need the backend's adaptation.
    plain = (
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.IntegerField,
        models.ForeignKey,
    )
    prepare = [None if isinstance(f, plain) else f for f in fields]
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            rows = [
                [
                    getattr(obj, name)
                    if prep is None
                    else prep.get_db_prep_save(getattr(obj, name), connection)
                    for name, prep in zip(names, prepare, strict=True)
                ]
                for obj in objects[start : start + batch]
            ]
            cursor.executemany(sql, rows)


def _chunks(values: list[Any], size: int = 10_000) -> Iterator[list[Any]]:
    """Bounded IN lists: SQLite refuses statements with too many parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _household_ids(numbers: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(numbers)):
        found.update(Household.objects.filter(number__in=chunk).values_list("number", "id"))
    return found


def _households(
    valid: list[tuple[dict[str, str], dict[str, Any]]], report: ImportReport, today: Any
) -> None:
    by_resident: dict[str, int] = {}
    for chunk in _chunks([v["resident_id"] for _, v in valid]):
        by_resident.update(
            Person.objects.filter(resident_id__in=chunk).values_list("resident_id", "id")
        )
    numbers = {row["household_id"] for row, _ in valid if row.get("household_id")}
    households = _household_ids(numbers)
    address_of: dict[str, str] = {}
    for row, values in valid:
        address_of.setdefault(row.get("household_id", ""), values["address"])
    new = [Household(number=n, address=address_of[n]) for n in sorted(numbers - set(households))]
    _insert(Household, new)
    report.households = len(new)
    households = _household_ids(numbers)
    current = {
        m.person_id: m
        for chunk in _chunks(list(by_resident.values()))
        for m in Membership.objects.filter(person_id__in=chunk, until__isnull=True)
    }
    ended: list[Membership] = []
    started: list[Membership] = []
    for row, values in valid:
        number = row.get("household_id", "")
        if not number:
            continue
        pid = by_resident[values["resident_id"]]
        hid = households[number]
        relation = row.get("relation", "")[:30]
        now_in = current.get(pid)
        if now_in is not None and now_in.household_id == hid:
            if relation and now_in.relation != relation:
                now_in.relation = relation
                ended.append(now_in)
            continue
        if now_in is not None:
            now_in.until = today
            ended.append(now_in)
        started.append(Membership(person_id=pid, household_id=hid, relation=relation, since=today))
    Membership.objects.bulk_update(ended, ["until", "relation"], batch_size=2000)
    _insert(Membership, started)
