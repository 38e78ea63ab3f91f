"""The intake look-up: any mix of name, kana, birth date, address or phone
in, a list of candidates out, filtered by what the viewer may see, audited
and rate-limited.

A look-up must not answer guesses. Ranking uses every signal, but a viewer
whose agency is not entitled to a person learns only that the ward knows
them and whom to ask: no score, no reason (「電話番号一致」 would confirm a
guessed phone), in an order that says nothing about which guess matched
(see :func:`lookup`). Every look-up is audited with its query (as keyed
digests, see :func:`query_digests`) and the persons it returned, and one
person's look-ups are capped per minute and per day (:func:`check_rate`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.audit.services import record
from tsunagari.people import sections
from tsunagari.people.matching import Candidate, Query, parse_query, score
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_people, sealed_contacts

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

#: The audit events of look-ups carry this object type (and are what the rate limit counts).
SEARCH_EVENT = "people.search"
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
    if q.birth_year is not None:
        # A year alone narrows every rule (so a common surname's first
        # PER_RULE rows are of that year), one year either side kept for a
        # misconverted era. It finds no one by itself: a year is no one's.
        years = Q(
            birth_date__gte=date(q.birth_year - 1, 1, 1),
            birth_date__lte=date(q.birth_year + 1, 12, 31),
        )
        rules = [rule & years for rule in rules]
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
    """Find and score candidates; no permission filtering, no audit.

    For a viewer who may not see sealed contacts, a sealed person's address
    and phone, and those of anyone living with a sealed person (the
    household shares the address), neither count nor are named.
    """
    rows: dict[int, dict[str, object]] = {}
    for rule in retrieval_filters(q):
        for row in Person.objects.filter(rule).values(*_FIELDS)[:PER_RULE]:
            rows[int(row["id"])] = row
    hidden: set[int] = set()
    if not sealed_contact_visible and (q.address or q.phone):
        ids = sorted(rows)
        for chunk in range(0, len(ids), 500):
            hidden |= sealed_contacts(ids[chunk : chunk + 500])
    ranked = []
    for pid, row in rows.items():
        use_contact = sealed_contact_visible or not (row["sealed"] or pid in hidden)
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
    "生年一致": _("生年一致"),
    "誕生日一致（年が1年違い）": _("誕生日一致（年が1年違い）"),
    "住所一致": _("住所一致"),
    "住所の番地まで一致": _("住所の番地まで一致"),
    "住所の丁目まで一致": _("住所の丁目まで一致"),
    "町名一致": _("町名一致"),
    "電話番号一致": _("電話番号一致"),
}


@dataclass(frozen=True)
class Match:
    """One candidate as the viewer may see it.

    ``points`` is the ranking score, for the caller's own thresholds (the
    duplicate check); never show it. What may be shown is ``score``,
    ``reasons`` and ``reason_text``: for a person the viewer's agency is
    entitled to see (``disclosed``) the score and why it matched; for anyone
    else None and nothing, since which of their guesses matched (a phone,
    an address down to the 丁目) is itself personal data.
    """

    view: PersonView
    points: float
    reasons: tuple[str, ...]
    disclosed: bool = False

    @property
    def score(self) -> float | None:
        return self.points if self.disclosed else None

    @property
    def reason_text(self) -> str:
        if not self.disclosed:
            return ""
        return str(_("・")).join(str(REASON_LABELS.get(r, r)) for r in self.reasons)


@dataclass(frozen=True)
class LookupResult:
    query: Query
    matches: list[Match]


def lookup(
    viewer: Staff | AnonymousUser, text: str, *, limit: int = 10, purpose: str = "intake"
) -> LookupResult:
    """Look a person up for ``viewer``: ranked, masked, audited. Not rate-limited
    (the duplicate check of a new person calls this); pages and API endpoints
    that answer a typed look-up call :func:`interactive_lookup`.

    The caller must already have checked ``Action.VIEW_PERSONAL_DATA``.
    """
    return _lookup(viewer, parse_query(text), limit=limit, purpose=purpose)


def interactive_lookup(
    viewer: Staff | AnonymousUser, text: str, *, limit: int = 10, purpose: str = "intake"
) -> LookupResult:
    """:func:`lookup` for a person typing: refused when over the rate limit.

    Raises:
        LookupLimited: too many look-ups this minute or today (audited as a refusal).
    """
    q = parse_query(text)
    if not q.is_empty:
        check_rate(viewer, q, purpose=purpose)
    return _lookup(viewer, q, limit=limit, purpose=purpose)


def _lookup(viewer: Staff | AnonymousUser, q: Query, *, limit: int, purpose: str) -> LookupResult:
    if q.is_empty:
        return LookupResult(q, [])
    ranked = rank(
        q, sealed_contact_visible=Action.VIEW_SEALED_CONTACT in actions_for(viewer), limit=limit
    )
    people = Person.objects.in_bulk([r.person_id for r in ranked])
    found = [r for r in ranked if r.person_id in people]
    # The look-up writes its own event below (with the query), so the
    # presenter is asked not to write a second one.
    views = present_people(viewer, [people[r.person_id] for r in found], Purpose.LIST, audit=False)
    matches = []
    for r, view in zip(found, views, strict=True):
        # The reasons name birth date, address and phone: disclosed only to
        # a viewer who sees those (the basic section), not under a consent
        # that opens, say, only the person's health.
        disclosed = view.level == "full" and view.shows(sections.BASIC)
        matches.append(Match(view, r.points, r.reasons if disclosed else (), disclosed))
    # Order. The persons the viewer may see come first, best first: they may
    # see why each matched anyway. The others follow in person-number order,
    # a function of the returned set alone: ranked by score, their order
    # would tell which guess matched as plainly as the score (a right phone
    # lifts its person above the others). By number rather than by name,
    # since their names are not the viewer's to learn, not even as an order.
    # That a person is returned at all still depends on the query: that is
    # the look-up itself, and it says only "the ward knows someone like
    # this", with the ward's front desk to ask.
    matches.sort(key=lambda m: (0, -m.points, m.view.id) if m.disclosed else (1, 0.0, m.view.id))
    record(
        viewer,
        AuditAction.VIEW,
        object_type=SEARCH_EVENT,
        reason=purpose,
        detail={
            "persons": [m.view.id for m in matches],
            "shown_in_full": [m.view.id for m in matches if m.disclosed],
            "query_parts": _query_summary(q),
            "query": query_digests(q),
            "unread": len(q.problems),
        },
    )
    return LookupResult(q, matches)


def _query_summary(q: Query) -> list[str]:
    """Which kinds of facts were searched."""
    parts = []
    if q.kana_full:
        parts.append("kana")
    if q.name_full:
        parts.append("name")
    if q.birth_date:
        parts.append("birth_date")
    if q.birth_year:
        parts.append("birth_year")
    if q.address:
        parts.append("address")
    if q.phone:
        parts.append("phone")
    return parts


_DIGEST_SALT = "tsunagari.people.lookup.query"


def query_digest(field: str, value: str) -> str:
    """The keyed digest under which the audit log keeps one searched value.

    The log keeps what was searched, but not as readable values: a query is
    personal data the searcher typed (often a guess about someone, or about
    no one), and the append-only log can never forget it. A keyed digest
    (HMAC with the site's secret key) still answers the questions a
    supervisor asks: did this worker try many phone numbers against one
    name, and did anyone search for this person's phone or address? For the
    second, compute the digests of the value as the look-up reads it
    (``query_digests(parse_query("03-3640-1234"))``) and look for them in
    the events' ``detail["query"]``. Without the key a short value such as
    a phone number cannot be recovered by trying every number.
    """
    return salted_hmac(_DIGEST_SALT, f"{field}:{value}", algorithm="sha256").hexdigest()[:24]


def query_digests(q: Query) -> dict[str, str]:
    """Each field searched, with the digest of its normalised value.

    Example:
        >>> sorted(query_digests(parse_query("ヤマダ タロウ 03-3640-1234")))
        ['kana', 'phone']
    """
    values = {
        "kana": q.kana_full,
        "name": q.name_full,
        "birth_date": q.birth_date.isoformat() if q.birth_date else "",
        "birth_year": str(q.birth_year) if q.birth_year else "",
        "address": q.address.key if q.address else "",
        "address_block": q.address.block_key if q.address else "",
        "phone": q.phone,
    }
    return {field: query_digest(field, value) for field, value in values.items() if value}


# --- the rate limit -----------------------------------------------------------------


class LookupLimited(Exception):
    """Too many look-ups by one person; answered with 429 and :attr:`message`."""

    def __init__(self, *, per_day: bool, limit: int, retry_after: int) -> None:
        self.per_day = per_day
        self.limit = limit
        self.retry_after = retry_after
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.per_day:
            return gettext(
                "本日の検索の回数が上限（%(limit)s 回）に達しました。"
                "明日の 0 時以降にもう一度検索してください。"
                "業務でさらに必要なときは、所属の管理者に相談してください。"
            ) % {"limit": self.limit}
        return gettext(
            "検索の回数が上限（1 分間に %(limit)s 回）に達しました。"
            "%(seconds)s 秒ほど待ってから、もう一度検索してください。"
        ) % {"limit": self.limit, "seconds": self.retry_after}


def check_rate(
    viewer: Staff | AnonymousUser, q: Query, *, purpose: str, now: datetime | None = None
) -> None:
    """Refuse a look-up over ``LOOKUP_PER_MINUTE`` or ``LOOKUP_PER_DAY``.

    Counts the viewer's own look-up events in the audit log (indexed on
    actor and time), so the limit holds across processes and servers
    without a lock or a cache: requests are never serialised for it. Two
    look-ups in flight at the same moment may both pass at the edge of the
    limit; a cap against fishing needs no more precision than that. The
    day is the ward's calendar day. Duplicate checks of new persons count
    too, but are not refused (they come with a registration).

    Raises:
        LookupLimited: over a limit; the refusal is audited.
    """
    actor_id = getattr(viewer, "pk", None) if getattr(viewer, "is_authenticated", False) else None
    if actor_id is None:
        return
    now = now or timezone.now()
    per_minute: int = settings.LOOKUP_PER_MINUTE
    per_day: int = settings.LOOKUP_PER_DAY
    minute_ago = now - timedelta(minutes=1)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    mine = AuditEvent.objects.filter(
        actor_id=actor_id,
        at__gte=min(minute_ago, day_start),
        object_type=SEARCH_EVENT,
        action=AuditAction.VIEW,
    )
    counts = mine.aggregate(
        minute=Count("pk", filter=Q(at__gt=minute_ago)),
        day=Count("pk", filter=Q(at__gte=day_start)),
    )
    if counts["day"] >= per_day:
        limited = LookupLimited(
            per_day=True,
            limit=per_day,
            retry_after=math.ceil((day_start + timedelta(days=1) - now).total_seconds()),
        )
    elif counts["minute"] >= per_minute:
        # A place frees up when the look-up that brings the count under the
        # limit leaves the one-minute window.
        freeing = mine.filter(at__gt=minute_ago).order_by("-at").values_list("at", flat=True)
        leaves = freeing[per_minute - 1] + timedelta(minutes=1)
        limited = LookupLimited(
            per_day=False,
            limit=per_minute,
            retry_after=max(1, math.ceil((leaves - now).total_seconds())),
        )
    else:
        return
    record(
        viewer,
        AuditAction.DENIED,
        object_type=SEARCH_EVENT,
        reason="rate limit",
        detail={
            "persons": [],
            "purpose": purpose,
            "limit": "day" if limited.per_day else "minute",
            "query_parts": _query_summary(q),
            "query": query_digests(q),
        },
    )
    raise limited
