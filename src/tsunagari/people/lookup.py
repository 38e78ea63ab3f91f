"""The intake look-up: any mix of name, kana, birth date, address or phone
in, a ranked list of candidates with reasons out, filtered by what the
viewer may see and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.people.access import PersonView, entitled_person_ids, present
from tsunagari.people.matching import Candidate, Query, parse_query, score
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

PER_RULE = 400  # candidates fetched per retrieval rule (each rule is an index look-up)
MIN_POINTS = 5.0
_FIELDS = (
    "id",
    "surname_kana_key",
    "given_kana_key",
    "kana_key",
    "name_key",
    "surname_key",
    "birth_date",
    "address_key",
    "block_key",
    "town",
    "phone_digits",
    "sealed",
)


def _swapped(d: date) -> date | None:
    try:
        return d.replace(month=d.day, day=d.month) if d.day <= 12 and d.day != d.month else None
    except ValueError:
        return None


def retrieval_filters(q: Query) -> list[Q]:
    """Index seeks that find candidates; their union is then scored.

    Every rule is an equality on indexed columns (no LIKE, which SQLite
    cannot serve from an index), so each costs a fraction of a millisecond
    at the ward's size. A typo in one name part is caught by matching the
    other part exactly plus the first letter of the misspelt one.
    """
    rules: list[Q] = []
    if q.kana_full:
        rules.append(Q(kana_key=q.kana_full))
        if q.kana_surname and q.kana_given:
            rules.append(Q(surname_kana_key=q.kana_surname, given_kana_initial=q.kana_given[:1]))
            rules.append(Q(given_kana_key=q.kana_given, surname_kana_initial=q.kana_surname[:1]))
        else:
            # No space typed: try every split into surname and given name.
            for i in range(1, min(len(q.kana_full), 8)):
                rules.append(Q(surname_kana_key=q.kana_full[:i], given_kana_initial=q.kana_full[i]))
            rules.append(Q(surname_kana_key=q.kana_full))
    if q.name_full:
        rules.append(Q(name_key=q.name_full))
        if q.name_surname:
            rules.append(Q(surname_key=q.name_surname, given_key=q.name_given))
            rules.append(Q(surname_key=q.name_surname))
        else:
            for i in range(1, min(len(q.name_full), 5)):
                rules.append(Q(surname_key=q.name_full[:i], given_key=q.name_full[i:]))
            rules.append(Q(surname_key=q.name_full))
    if q.birth_date:
        rules.append(Q(birth_date=q.birth_date))
        swapped = _swapped(q.birth_date)
        if swapped:
            rules.append(Q(birth_date=swapped))
    if q.phone:
        rules.append(Q(phone_digits=q.phone))
    if (
        q.address
        and q.address.block_key
        and (q.kana_surname or q.kana_full or q.name_surname or q.name_full)
    ):
        # A name with part of an address: the people of that 丁目 with that surname.
        if q.kana_full:
            rules.append(
                Q(block_key=q.address.block_key, surname_kana_key=q.kana_surname or q.kana_full)
            )
        if q.name_full:
            rules.append(
                Q(block_key=q.address.block_key, surname_key=q.name_surname or q.name_full)
            )
    if q.address and not (q.kana_full or q.name_full or q.birth_date or q.phone):
        # An address alone: the dwelling itself, else everyone in that 丁目.
        rules.append(Q(address_key=q.address.key))
        rules.append(Q(block_key=q.address.block_key))
    return rules


def _candidate(row: dict[str, object]) -> Candidate:
    return Candidate(
        kana_surname=str(row["surname_kana_key"]),
        kana_given=str(row["given_kana_key"]),
        kana_full=str(row["kana_key"]),
        name_full=str(row["name_key"]),
        name_surname=str(row["surname_key"]),
        birth_date=row["birth_date"],  # type: ignore[arg-type]
        address_key=str(row["address_key"]),
        block_key=str(row["block_key"]),
        town=str(row["town"]),
        phone=str(row["phone_digits"]),
    )


@dataclass(frozen=True)
class Ranked:
    person_id: int
    points: float
    reasons: tuple[str, ...]


def rank(q: Query, *, sealed_contact_visible: bool, limit: int = 10) -> list[Ranked]:
    """Find and score candidates; no permission filtering, no audit."""
    rows: dict[int, dict[str, object]] = {}
    for rule in retrieval_filters(q):
        for row in Person.objects.filter(rule).values(*_FIELDS)[:PER_RULE]:
            rows[int(row["id"])] = row
    ranked = []
    for pid, row in rows.items():
        use_contact = sealed_contact_visible or not row["sealed"]
        s = score(q, _candidate(row), use_contact=use_contact)
        if s.points >= MIN_POINTS:
            ranked.append(Ranked(pid, s.points, s.reasons))
    ranked.sort(key=lambda r: (-r.points, r.person_id))
    return ranked[:limit]


# The matcher names its reasons in Japanese; these are their interface labels.
REASON_LABELS = {
    "カナ一致": _("カナ一致"),
    "カナ類似（氏一致）": _("カナ類似（氏一致）"),
    "カナ類似": _("カナ類似"),
    "カナやや類似": _("カナやや類似"),
    "カナ氏一致": _("カナ氏一致"),
    "カナ（氏）一致": _("カナ（氏）一致"),
    "カナ（名）一致": _("カナ（名）一致"),
    "氏名一致": _("氏名一致"),
    "氏一致": _("氏一致"),
    "氏名類似": _("氏名類似"),
    "生年月日一致": _("生年月日一致"),
    "生年月日（月日の入れ替わり）": _("生年月日（月日の入れ替わり）"),
    "生年月一致": _("生年月一致"),
    "誕生日一致（年が1年違い）": _("誕生日一致（年が1年違い）"),
    "住所一致": _("住所一致"),
    "住所の番地まで一致": _("住所の番地まで一致"),
    "住所の丁目まで一致": _("住所の丁目まで一致"),
    "町名一致": _("町名一致"),
    "電話番号一致": _("電話番号一致"),
}


@dataclass(frozen=True)
class Match:
    view: PersonView
    points: float
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return str(_("・")).join(str(REASON_LABELS.get(r, r)) for r in self.reasons)


@dataclass(frozen=True)
class LookupResult:
    query: Query
    matches: list[Match]


def lookup(
    viewer: Staff | AnonymousUser, text: str, *, limit: int = 10, purpose: str = "intake"
) -> LookupResult:
    """Look a person up for ``viewer``: ranked, masked, audited.

    The caller must already have checked ``Action.VIEW_PERSONAL_DATA``.
    """
    q = parse_query(text)
    if q.is_empty:
        return LookupResult(q, [])
    ranked = rank(
        q, sealed_contact_visible=Action.VIEW_SEALED_CONTACT in actions_for(viewer), limit=limit
    )
    people = Person.objects.in_bulk([r.person_id for r in ranked])
    entitled = entitled_person_ids(viewer, list(people))
    matches = [
        Match(
            present(viewer, people[r.person_id], entitled=r.person_id in entitled),
            r.points,
            r.reasons,
        )
        for r in ranked
    ]
    shown = [m.view.id for m in matches if m.view.level == "full"]
    record(
        viewer,
        AuditAction.VIEW,
        object_type="people.search",
        reason=purpose,
        detail={
            "results": [m.view.id for m in matches],
            "shown_in_full": shown,
            "query_parts": _query_summary(q),
        },
    )
    return LookupResult(q, matches)


def _query_summary(q: Query) -> list[str]:
    """Which kinds of facts were searched (not the values: the log is not a copy of the data)."""
    parts = []
    if q.kana_full:
        parts.append("kana")
    if q.name_full:
        parts.append("name")
    if q.birth_date:
        parts.append("birth_date")
    if q.address:
        parts.append("address")
    if q.phone:
        parts.append("phone")
    return parts
