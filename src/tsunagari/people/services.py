"""The one place persons are created and changed (pages, API, imports)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.locale import reason_of
from tsunagari.people import sections
from tsunagari.people.lookup import Match, lookup
from tsunagari.people.models import AgencyLink, ChangeKind, LinkBasis, Person, PersonChange, Sex
from tsunagari.people.presenter import entitlements, sealed_contacts
from tsunagari.text import (
    TextError,
    parse_address,
    parse_date,
    parse_kana,
    parse_name,
    parse_phone,
    split_name,
)

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

SEX_WORDS = {
    "1": Sex.MALE, "男": Sex.MALE, "男性": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE,
    "2": Sex.FEMALE, "女": Sex.FEMALE, "女性": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE,
    "3": Sex.OTHER, "その他": Sex.OTHER, "other": Sex.OTHER, "o": Sex.OTHER,
    "": Sex.UNKNOWN, "9": Sex.UNKNOWN, "不明": Sex.UNKNOWN,
}  # fmt: skip
DUPLICATE_POINTS = 14.0  # e.g. kana and birth date agree: ask before creating another record


class PersonError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix."""


class EditConflict(Exception):
    """Someone saved the person after this edit began; nothing was changed."""

    def __init__(self, current: Person, mine: dict[str, Any]) -> None:
        super().__init__(gettext("この方の情報は、編集を始めた後に別の職員が保存しています。"))
        self.current = current
        self.mine = mine


@dataclass
class PersonInput:
    name: str
    kana: str = ""
    birth_date: str = ""
    sex: str = ""
    address: str = ""
    phone: str = ""
    resident_id: str = ""
    sealed: bool = False


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)


_LIMITS = {
    "name": 120,
    "kana": 120,
    "birth_date": 40,
    "address": 300,
    "phone": 40,
    "resident_id": 20,
}


def clean(data: PersonInput) -> dict[str, Any]:
    """Check and normalise what was typed; raise PersonError naming each bad field."""
    errors: dict[str, str] = {}
    for name, limit in _LIMITS.items():
        value = getattr(data, name) or ""
        if len(value) > limit:
            errors[name] = gettext("%(limit)s文字以内で入力してください。") % {"limit": limit}
        if "\x00" in value:
            errors[name] = gettext("使えない文字が含まれています。")
    if errors:
        raise PersonError(errors)
    values: dict[str, Any] = {"sealed": bool(data.sealed), "resident_id": data.resident_id.strip()}
    parsed_name = parse_name(data.name)
    if isinstance(parsed_name, TextError):
        errors["name"] = reason_of(parsed_name)
    else:
        surname, given = split_name(data.name.strip())
        values.update(
            surname=surname or parsed_name.surname,
            given_name=given,
            name_key=parsed_name.key,
            surname_key=parsed_name.surname_key,
            given_key=parsed_name.given_key,
        )
    if data.kana.strip():
        kana = parse_kana(data.kana)
        if isinstance(kana, TextError):
            errors["kana"] = reason_of(kana)
        else:
            values.update(
                surname_kana=kana.surname,
                given_kana=kana.given,
                kana_key=kana.key,
                surname_kana_key=kana.surname_key,
                given_kana_key=kana.given_key,
                surname_kana_initial=kana.surname_key[:1],
                given_kana_initial=kana.given_key[:1],
            )
    else:
        values.update(
            surname_kana="",
            given_kana="",
            kana_key="",
            surname_kana_key="",
            given_kana_key="",
            surname_kana_initial="",
            given_kana_initial="",
        )
    if data.birth_date.strip():
        born = parse_date(data.birth_date)
        if isinstance(born, TextError):
            errors["birth_date"] = reason_of(born)
        elif born > clock.today():
            errors["birth_date"] = gettext("生年月日が未来の日付です。確認してください。")
        else:
            values["birth_date"] = born
    else:
        values["birth_date"] = None
    sex = SEX_WORDS.get(data.sex.strip().lower())
    if sex is None:
        errors["sex"] = gettext(
            "性別は 男性・女性・その他 から選んでください（不明のときは空欄）。"
        )
    else:
        values["sex"] = sex
    if data.address.strip():
        address = parse_address(data.address)
        if isinstance(address, TextError):
            errors["address"] = reason_of(address)
        else:
            values.update(
                address=data.address.strip(),
                town=address.town_key,
                block_key=address.block_key,
                address_key=address.key,
            )
    else:
        values.update(address="", town="", block_key="", address_key="")
    if data.phone.strip():
        phone = parse_phone(data.phone)
        if isinstance(phone, TextError):
            errors["phone"] = reason_of(phone)
        else:
            values.update(phone=phone.formatted, phone_digits=phone.digits)
    else:
        values.update(phone="", phone_digits="")
    if errors:
        raise PersonError(errors)
    return values


def _query_text(values: dict[str, Any]) -> str:
    parts = [f"{values.get('surname_kana', '')} {values.get('given_kana', '')}".strip()]
    if not parts[0]:
        parts = [f"{values.get('surname', '')} {values.get('given_name', '')}".strip()]
    if values.get("birth_date"):
        parts.append(values["birth_date"].isoformat())
    if values.get("address_key"):
        parts.append(values["address_key"])
    return " ".join(p for p in parts if p)


def possible_duplicates(
    actor: Staff, values: dict[str, Any], exclude: int | None = None
) -> list[Match]:
    result = lookup(actor, _query_text(values), limit=5, purpose="duplicate check")
    return [m for m in result.matches if m.points >= DUPLICATE_POINTS and m.view.id != exclude]


@dataclass
class CreateResult:
    person: Person | None
    duplicates: list[Match]


def create_person(actor: Staff, data: PersonInput, *, confirm_new: bool = False) -> CreateResult:
    """Create a person, unless likely duplicates exist and were not confirmed.

    The creating agency gets a link (basis: case), since it registers the
    person to support them.
    """
    require(actor, Action.VIEW_PERSONAL_DATA)
    values = clean(data)
    if values["sealed"] and Action.VIEW_SEALED_CONTACT not in _granted(actor):
        raise PersonError({"sealed": gettext("閲覧制限の設定は指定職員が行います。")})
    with transaction.atomic():
        # Registrations take turns from the duplicate check to the insert:
        # two desks registering the same person at the same moment would
        # otherwise each find no one and create two records. (A few a minute
        # at most; the check is one look-up.)
        _one_registration_at_a_time()
        if not confirm_new:
            duplicates = possible_duplicates(actor, values)
            if duplicates:
                return CreateResult(None, duplicates)
        now = clock.now()
        person = Person.objects.create(**values, created=now, updated=now)
        if actor.agency_id:
            AgencyLink.objects.create(
                person=person, agency_id=actor.agency_id, basis=LinkBasis.CASE, since=clock.today()
            )
        write_event(EventKind.PERSON_REGISTERED, person, actor, person_id=person.pk)
        record(
            actor,
            AuditAction.CREATE,
            obj=person,
            person_id=person.pk,
            reason="registered at intake",
        )
    return CreateResult(person, [])


#: The PostgreSQL advisory lock registrations queue on.
REGISTRATION_LOCK = int.from_bytes(
    hashlib.sha256(b"tsunagari.people.register").digest()[:8], "big", signed=True
)


def _one_registration_at_a_time() -> None:
    """On PostgreSQL a transaction-level advisory lock; on SQLite the write
    transaction (IMMEDIATE, see settings) already queues writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTRATION_LOCK])


def _granted(actor: Staff) -> frozenset[Action]:
    from tsunagari.accounts.policy import actions_for

    return actions_for(actor)


_NAME_FIELDS = {"surname", "given_name", "surname_kana", "given_kana"}
_ADDRESS_FIELDS = {"address"}
_SHOWN = (
    "surname",
    "given_name",
    "surname_kana",
    "given_kana",
    "birth_date",
    "sex",
    "address",
    "phone",
    "resident_id",
    "sealed",
)


def update_person(
    actor: Staff, person_id: int, data: PersonInput, *, expected_version: int
) -> Person:
    """Save an edit made against ``expected_version``; refuse it if the person changed since."""
    values = clean(data)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        require(actor, Action.VIEW_PERSONAL_DATA, person)
        right = entitlements(actor, [person.pk]).get(person.pk)
        if right is None or sections.BASIC not in right.sections:
            # A consent that does not cover basic information shows no
            # address or birth date, so it cannot be the basis for changing them.
            raise PermissionDenied(
                gettext(
                    "この方の基本情報を変更する根拠（支援中・基本情報を含む本人同意）がありません。"
                )
            )
        granted = _granted(actor)
        if Action.VIEW_SEALED_CONTACT not in granted and sealed_contacts([person.pk]):
            # They cannot see the address or phone (the person's own seal or a
            # household member's), so they may not change them either.
            values.update(address=person.address, town=person.town, block_key=person.block_key,
                          address_key=person.address_key, phone=person.phone, phone_digits=person.phone_digits)  # fmt: skip
        if values["sealed"] != person.sealed and Action.VIEW_SEALED_CONTACT not in granted:
            raise PersonError({"sealed": gettext("閲覧制限の設定は指定職員が行います。")})
        if person.version != expected_version:
            raise EditConflict(person, values)
        today = clock.now()
        history = classify_changes(person, values, by=actor, at=today)
        PersonChange.objects.bulk_create(history)
        changed = [c.field for c in history]
        for name, value in values.items():
            setattr(person, name, value)
        if changed:
            person.version += 1
            person.updated = today
            person.save()
            write_event(EventKind.PERSON_CHANGED, person, actor, person_id=person.pk,
                        **change_summary(history))  # fmt: skip
            record(
                actor,
                AuditAction.UPDATE,
                obj=person,
                person_id=person.pk,
                detail={"fields": changed},
            )
    return person


def classify_changes(
    person: Person, values: dict[str, Any], *, by: Staff | None, at: datetime, source: str = ""
) -> list[PersonChange]:
    """The history rows (unsaved) for changing ``person`` to ``values``.

    The one classification of a change, used by the edit action and the
    registry import alike: a name part changed is a name change (marriage,
    adoption), a new address a move, anything else a correction. Only the
    fields a person reads are recorded, never the derived comparison keys.
    """
    rows = []
    for name in _SHOWN:
        if name not in values:
            continue
        old, new = getattr(person, name), values[name]
        if old == new:
            continue
        kind = (
            ChangeKind.NAME
            if name in _NAME_FIELDS
            else ChangeKind.MOVE
            if name in _ADDRESS_FIELDS
            else ChangeKind.CORRECTION
        )
        rows.append(PersonChange(person=person, kind=kind, field=name, old_value=_text(old),
                                 new_value=_text(new), by=by, at=at, source=source))  # fmt: skip
    return rows


def change_summary(history: list[PersonChange]) -> dict[str, Any]:
    """What a ``person.changed`` event says: which fields, which kinds of change."""
    return {
        "fields": [c.field for c in history],
        "kinds": sorted({str(c.kind) for c in history}),
    }


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return "" if value is None else str(value)[:300]
