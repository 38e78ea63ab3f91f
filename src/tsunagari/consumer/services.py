"""The actions on consumer alerts, one function per domain verb.

Each checks the permission, runs in one transaction, writes a named event
(``EventKind.CONSUMER_*``) and the audit record, and reads the time from
``lib.clock``. Pages, the demo and tests call these; none writes the models
around them.

An alert moves::

    draft → issued → withdrawn (issued by mistake) | ended (the wave is over)

Issuing sends it (``send_alert``, idempotent, may be run again when the
registry or the watch network changed):

* one delivery to every active watch-network agency (``WATCH_KINDS``) whose
  town is one of the alert's towns;
* one visit task (an outreach target) for every person at risk
  (``people_at_risk``) whose registered town is one of the alert's towns,
  except people who are sealed (閲覧制限) or share a household with a sealed
  person: they are counted on the alert for designated staff to contact
  directly, and get no task anyone else could see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext

from tsunagari.accounts.models import Agency, AgencyKind
from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.cases.models import Case, CaseMember, CaseState
from tsunagari.consumer.access import get_alert_for, get_delivery_for
from tsunagari.consumer.models import (
    Alert,
    AlertKind,
    AlertSource,
    AlertStatus,
    Delivery,
    Reason,
    VisitTask,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.dates import age_on
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.outreach.models import OPEN_STATES, OutreachTarget, State
from tsunagari.outreach.services import create_target_from_alert
from tsunagari.people.models import Membership, Person
from tsunagari.text.addresses import KNOWN_TOWNS

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

# The ward's towns, in the registry's order (the people registry's own list).
WARD_TOWNS: tuple[str, ...] = tuple(KNOWN_TOWNS)
# The watch network: 民生委員 councils and 長寿サポートセンター (the ward keeps
# no 町会 as agencies; a kind added here is sent to from the next alert on).
WATCH_KINDS: tuple[str, ...] = (AgencyKind.COMMISSIONER, AgencyKind.LONGEVITY_SUPPORT_CENTRE)
# The consumer affairs centre, to which intake refers 消費者被害 (see indicators).
CONSUMER_CENTRE = "dept-16"
# Older people living alone are at risk from this age on.
ALONE_AGE = 75
TITLE_MAX = 120
TEXT_MAX = 2000
STATION_MAX = 60
NOTE_MAX = 300
END_NOTE_MAX = 500
# A count of residents spoken to: anything above is a typing error.
SPOKE_MAX = 10000


class AlertError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@dataclass
class AlertInput:
    kind: str = ""
    title: str = ""
    description: str = ""
    advice: str = ""
    source: str = AlertSource.CENTRE
    police_station: str = ""
    areas: list[str] = field(default_factory=list)


_read = Reader(gettext)


def _text(value: object, name: str, limit: int, errors: dict[str, str], *,
          required: str = "") -> str:  # fmt: skip
    return _read.text(value, name, errors, limit=limit, required=required)


def _clean(data: AlertInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if data.kind not in AlertKind.values:
        errors["kind"] = gettext("種類を一覧から選んでください。")
    values["kind"] = data.kind
    values["title"] = _text(data.title, "title", TITLE_MAX, errors,
                            required=gettext("件名を入力してください（例: 還付金詐欺の電話が続いています）。"))  # fmt: skip
    values["description"] = _text(data.description, "description", TEXT_MAX, errors,
                                  required=gettext("どんな手口かを、わかりやすい言葉で書いてください。"))  # fmt: skip
    values["advice"] = _text(data.advice, "advice", TEXT_MAX, errors,
                             required=gettext("住民に伝えてほしいこと（例: 電話でお金の話が出たら切る）を書いてください。"))  # fmt: skip
    if data.source not in AlertSource.values:
        errors["source"] = gettext("情報元を一覧から選んでください。")
    values["source"] = data.source
    station = _text(data.police_station, "police_station", STATION_MAX, errors)
    if data.source == AlertSource.POLICE and not station and "police_station" not in errors:
        errors["police_station"] = gettext(
            "警察署からの情報のときは、警察署名を入力してください（例: 城東警察署）。"
        )
    values["police_station"] = station if data.source == AlertSource.POLICE else ""
    areas = data.areas if isinstance(data.areas, list) else []
    if not all(isinstance(a, str) for a in areas) or set(areas) - set(WARD_TOWNS):
        errors["areas"] = gettext("対象の町は一覧から選んでください。")
    elif not areas:
        errors["areas"] = gettext("対象の町を1つ以上選んでください。")
    values["areas"] = [t for t in WARD_TOWNS if t in set(areas)]
    if errors:
        raise AlertError(errors)
    return values


def _reference(alert: Alert) -> str:
    return f"CA{clock.today():%Y%m}-{alert.pk:04d}"


def _audit(
    actor: Staff | None, action: AuditAction, obj: Any, reason: str, **detail: object
) -> None:
    record(actor, action, obj=obj, reason=reason, detail=detail)


def create_alert(actor: Staff | None, data: AlertInput, *, by: Staff | None = None) -> Alert:
    """A draft alert. ``by`` is who wrote it when the operator (no actor) loads one."""
    require_actor(actor, Action.ISSUE_CONSUMER_ALERTS)
    author = actor or by
    if author is None:
        raise AlertError({"created_by": gettext("書いた職員を指定してください。")})
    values = _clean(data)
    with transaction.atomic():
        now = clock.now()
        alert = Alert.objects.create(reference=f"p-{uuid4().hex[:16]}", created_by=author,
                                     created_at=now, updated_at=now, **values)  # fmt: skip
        alert.reference = _reference(alert)
        alert.save(update_fields=["reference"])
        _audit(actor, AuditAction.CREATE, alert, "consumer alert drafted",
               reference=alert.reference)  # fmt: skip
    return alert


def _locked(alert_id: int) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert_id)


def _check_version(alert: Alert, version: int | None) -> None:
    if version is not None and version != alert.version:
        raise AlertError({"version": gettext(
            "この注意情報は、あなたが開いた後にほかの職員が変更しました。"
            "最新の内容を確かめてから、もう一度保存してください。")})  # fmt: skip


def update_alert(actor: Staff | None, alert_id: int, data: AlertInput,
                 version: int | None = None) -> Alert:  # fmt: skip
    """Change a draft (an issued alert is withdrawn and written again, never changed)."""
    if actor is not None:
        get_alert_for(actor, alert_id, to_issue=True)
    values = _clean(data)
    with transaction.atomic():
        alert = _locked(alert_id)
        _check_version(alert, version)
        if alert.status != AlertStatus.DRAFT:
            raise AlertError({"status": gettext(
                "発信した注意情報は変更できません。誤りがあれば取り下げて、新しく作成してください。")})  # fmt: skip
        for name, value in values.items():
            setattr(alert, name, value)
        alert.updated_at = clock.now()
        alert.version += 1
        alert.save()
        _audit(actor, AuditAction.UPDATE, alert, "consumer alert edited")
    return alert


def issue_alert(actor: Staff | None, alert_id: int, version: int | None = None) -> Alert:
    """Issue a draft today and send it to the watch network and to outreach."""
    if actor is not None:
        get_alert_for(actor, alert_id, to_issue=True)
    with transaction.atomic():
        alert = _locked(alert_id)
        _check_version(alert, version)
        if alert.status != AlertStatus.DRAFT:
            raise AlertError({"status": gettext("この注意情報はすでに発信されています。")})
        alert.status = AlertStatus.ISSUED
        alert.issued_at = clock.now()
        alert.issued_on = clock.today()
        alert.issued_by = actor or alert.created_by
        alert.version += 1
        alert.save(update_fields=["status", "issued_at", "issued_on", "issued_by", "version"])
        write_event(EventKind.CONSUMER_ALERT_ISSUED, alert, actor, alert_kind=alert.kind,
                    source=alert.source, areas=alert.areas, reference=alert.reference)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, alert, "consumer alert issued", areas=alert.areas)
        _send(actor, alert)
    return alert


def send_alert(actor: Staff | None, alert_id: int) -> Alert:
    """Send an issued alert again: new recipients and new people at risk only (idempotent)."""
    if actor is not None:
        get_alert_for(actor, alert_id, to_issue=True)
    with transaction.atomic():
        alert = _locked(alert_id)
        if alert.status != AlertStatus.ISSUED:
            raise AlertError({"status": gettext("送り直せるのは、発信中の注意情報だけです。")})
        _send(actor, alert)
    return alert


def _end(actor: Staff | None, alert_id: int, to: str, note: str, version: int | None) -> Alert:
    if actor is not None:
        get_alert_for(actor, alert_id, to_issue=True)
    errors: dict[str, str] = {}
    required = gettext("取り下げの理由を書いてください。") if to == AlertStatus.WITHDRAWN else ""
    text = _text(note, "note", END_NOTE_MAX, errors, required=required)
    with transaction.atomic():
        alert = _locked(alert_id)
        _check_version(alert, version)
        if alert.status != AlertStatus.ISSUED:
            errors["status"] = gettext("取り下げ・終了できるのは、発信中の注意情報だけです。")
        if errors:
            raise AlertError(errors)
        alert.status = to
        alert.end_note = text
        alert.ended_at = clock.now()
        alert.ended_by = actor
        alert.version += 1
        alert.save(update_fields=["status", "end_note", "ended_at", "ended_by", "version"])
        kind = (
            EventKind.CONSUMER_ALERT_WITHDRAWN
            if to == AlertStatus.WITHDRAWN
            else EventKind.CONSUMER_ALERT_ENDED
        )
        write_event(kind, alert, actor, status=to, reference=alert.reference)
        _audit(actor, AuditAction.UPDATE, alert, f"consumer alert {to}")
    return alert


def withdraw_alert(actor: Staff | None, alert_id: int, note: str,
                   version: int | None = None) -> Alert:  # fmt: skip
    """Withdraw an issued alert (issued by mistake or proved wrong), with a reason."""
    return _end(actor, alert_id, AlertStatus.WITHDRAWN, note, version)


def end_alert(actor: Staff | None, alert_id: int, note: str = "",
              version: int | None = None) -> Alert:  # fmt: skip
    """End an issued alert: the wave is over; it stays in the record and the counts."""
    return _end(actor, alert_id, AlertStatus.ENDED, note, version)


# ── sending ──────────────────────────────────────────────────────────────────


def recipients_for(areas: list[str]) -> list[Agency]:
    """The watch-network agencies of the given towns (active, of a watch kind, located there)."""
    return list(
        Agency.objects.filter(is_active=True, kind__in=WATCH_KINDS, town__in=list(areas)).order_by(
            "kind", "code"
        )
    )


def _born_by(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def people_at_risk(areas: list[str], on: date) -> dict[int, list[str]]:
    """Person id -> reasons (``Reason``), for people whose registered town is in ``areas``.

    At risk: 75 or older on ``on`` and the only current member of their
    household; on an open or paused outreach target; the person or a member
    of an open multi-agency case. (The registry and linkage hold no dementia
    indicator; when one exists it is a fourth reason here.)
    """
    towns = list(areas)
    reasons: dict[int, list[str]] = defaultdict(list)
    old = {
        p.pk: p.birth_date
        for p in Person.objects.filter(
            town__in=towns, birth_date__lte=_born_by(on, ALONE_AGE)
        ).only("pk", "birth_date")
    }
    old = {pk: born for pk, born in old.items() if born and age_on(born, on) >= ALONE_AGE}
    homes = dict(
        Membership.objects.filter(person_id__in=list(old), until__isnull=True).values_list(
            "person_id", "household_id"
        )
    )
    sizes = dict(
        Membership.objects.filter(household_id__in=set(homes.values()), until__isnull=True)
        .values("household_id").annotate(n=Count("pk")).values_list("household_id", "n")
    )  # fmt: skip
    for pk, household in homes.items():
        if sizes.get(household) == 1:
            reasons[pk].append(Reason.ALONE_75)
    open_targets = OutreachTarget.objects.filter(
        Q(state__in=[*OPEN_STATES, State.PAUSED]), person__town__in=towns
    ).exclude(consumer_visit__isnull=False)
    for pk in sorted(set(open_targets.values_list("person_id", flat=True))):
        reasons[pk].append(Reason.OUTREACH)
    open_cases = Case.objects.filter(state=CaseState.OPEN)
    on_cases = set(open_cases.filter(person__town__in=towns).values_list("person_id", flat=True))
    on_cases |= set(
        CaseMember.objects.filter(case__in=open_cases, person__town__in=towns).values_list(
            "person_id", flat=True
        )
    )
    for pk in sorted(on_cases):
        reasons[pk].append(Reason.CASE)
    return dict(sorted(reasons.items()))


def sealed_among(person_ids: list[int]) -> set[int]:
    """Those who are sealed or live in a household with a sealed member (one shared address)."""
    sealed = set(Person.objects.filter(pk__in=person_ids, sealed=True).values_list("pk", flat=True))
    homes = Membership.objects.filter(person_id__in=person_ids, until__isnull=True)
    sealed_homes = set(
        Membership.objects.filter(household_id__in=homes.values("household_id"),
                                  until__isnull=True, person__sealed=True)
        .values_list("household_id", flat=True)
    )  # fmt: skip
    sealed |= set(homes.filter(household_id__in=sealed_homes).values_list("person_id", flat=True))
    return sealed


def _task_note(alert: Alert, reasons: list[str]) -> str:
    labels = dict(Reason.choices)
    why = "、".join(str(labels[r]) for r in reasons)
    return (
        f"【消費者被害の注意情報 {alert.reference}】{alert.title}（{alert.get_kind_display()}）\n"
        f"{gettext('訪問の理由')}: {why}\n"
        f"{gettext('伝えてほしいこと')}: {alert.advice}"
    )[:2000]


def _send(actor: Staff | None, alert: Alert) -> None:
    now = clock.now()
    have = set(alert.deliveries.values_list("agency_id", flat=True))
    new = [a for a in recipients_for(alert.areas) if a.pk not in have]
    Delivery.objects.bulk_create([Delivery(alert=alert, agency=a, sent_at=now) for a in new])
    if new:
        write_event(EventKind.CONSUMER_ALERT_SENT, alert, actor, agencies=[a.code for a in new],
                    reference=alert.reference)  # fmt: skip
        _audit(actor, AuditAction.CREATE, alert, "consumer alert sent",
               agencies=[a.code for a in new])  # fmt: skip
    at_risk = people_at_risk(alert.areas, alert.issued_on or clock.today())
    sealed = sealed_among(list(at_risk))
    alert.sealed_withheld = len(sealed)
    alert.save(update_fields=["sealed_withheld"])
    done = set(alert.visits.values_list("person_id", flat=True))
    creator = actor or alert.issued_by or alert.created_by
    people = Person.objects.in_bulk([pk for pk in at_risk if pk not in sealed and pk not in done])
    homes = dict(
        Membership.objects.filter(person_id__in=list(people), until__isnull=True).values_list(
            "person_id", "household_id"
        )
    )
    for pk, person in sorted(people.items()):
        reasons = at_risk[pk]
        target = create_target_from_alert(
            actor, created_by=creator, person=person, household_id=homes.get(pk),
            description=_task_note(alert, reasons),
        )  # fmt: skip
        task = VisitTask.objects.create(alert=alert, person=person, target=target,
                                        reasons=reasons, created_at=now)  # fmt: skip
        write_event(EventKind.CONSUMER_VISIT_TASKED, task, actor, person_id=pk, reasons=reasons,
                    reference=alert.reference, target=target.pk)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=task, person_id=pk, reason="consumer visit tasked",
               detail={"alert": alert.reference, "target": target.pk})  # fmt: skip


# ── the watch network ────────────────────────────────────────────────────────


def acknowledge(actor: Staff, delivery_id: int, spoke_to: object, note: object = "") -> Delivery:
    """Report that the agency read the alert, with the number of residents it spoke to.

    Reported again, the new count replaces the old one (the event keeps both).
    """
    get_delivery_for(actor, delivery_id)
    errors: dict[str, str] = {}
    count: int | None = None
    raw = str(spoke_to).strip() if spoke_to is not None else ""
    if not raw:
        errors["spoke_to"] = gettext("声かけした人数を入力してください（まだの場合は 0）。")
    else:
        try:
            count = int(raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        except ValueError:
            errors["spoke_to"] = gettext("声かけした人数は数字で入力してください。")
        else:
            if count < 0 or count > SPOKE_MAX:
                errors["spoke_to"] = gettext(
                    "声かけした人数は 0 から %(max)s までで入力してください。"
                ) % {"max": SPOKE_MAX}
    text = _text(note, "note", NOTE_MAX, errors)
    if errors:
        raise AlertError(errors)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("alert").get(pk=delivery_id)
        if delivery.alert.status == AlertStatus.DRAFT:
            raise AlertError({"status": gettext("この注意情報はまだ発信されていません。")})
        before = delivery.spoke_to
        delivery.spoke_to = count
        delivery.note = text
        delivery.acknowledged_at = clock.now()
        delivery.acknowledged_by = actor
        delivery.save(update_fields=["spoke_to", "note", "acknowledged_at", "acknowledged_by"])
        write_event(EventKind.CONSUMER_ALERT_ACKNOWLEDGED, delivery, actor, spoke_to=count,
                    spoke_to_before=before, reference=delivery.alert.reference)  # fmt: skip
        _audit(actor, AuditAction.UPDATE, delivery, "consumer alert acknowledged", spoke_to=count)
    return delivery


def inbox(actor: Staff) -> list[Delivery]:
    """The alerts sent to the actor's agency, newest first."""
    require_actor(actor, Action.VIEW_CONSUMER_ALERTS)
    if actor.agency_id is None:
        return []
    return list(
        Delivery.objects.filter(agency_id=actor.agency_id)
        .exclude(alert__status=AlertStatus.DRAFT)
        .select_related("alert", "acknowledged_by")
        .order_by("-alert__issued_at", "-pk")
    )


@dataclass(frozen=True)
class VisitCounts:
    tasks: int
    open: int
    met: int


def visit_counts(alert: Alert) -> VisitCounts:
    """How the alert's visits stand in outreach: counts only, never who."""
    from tsunagari.outreach.models import Contact, Result

    targets = alert.visits.values("target_id")
    met = (
        Contact.objects.filter(target_id__in=targets, result__in=[Result.MET, Result.MET_OTHER])
        .values("target_id").distinct().count()
    )  # fmt: skip
    return VisitCounts(
        tasks=alert.visits.count(),
        open=OutreachTarget.objects.filter(pk__in=targets, state__in=OPEN_STATES).count(),
        met=met,
    )
