"""The actions on the evacuation-support roster, one function per domain verb.

Each checks the permission (``require_actor``), runs in one transaction,
writes a named event and the audit record, and reads the time from
``lib.clock``. Pages, the demo and tests call these; nothing else writes the
models.

* The roster is rebuilt from the inclusion rules (``rules.py``) applied to
  the people registry and to the department extracts loaded for the roster;
  each rebuild keeps who was added and removed and why. A person whose only
  reason comes from a rule that could not be evaluated stays on the roster
  (missing data never takes a person off).
* Before a disaster a recipient receives only people in its towns whose
  consent is agreed or presumed (and not opted out); in disaster mode a
  designated recipient receives everyone on the roster in the declared towns.
  Sealed persons (and their households) are never released, in any mode:
  the ward's designated staff handle them, and a release shows only the
  ward's count of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.utils.translation import gettext

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.disaster import rules as engine
from tsunagari.disaster.models import (
    RELEASABLE,
    AreaPriority,
    ConsentStatus,
    Declaration,
    DepartmentFact,
    EvacuationPlan,
    FactLoad,
    InclusionRule,
    ManualExclusion,
    ManualInclusion,
    PlanStatus,
    Recipient,
    RecipientKind,
    Release,
    ReleaseMode,
    RosterConsent,
    RosterEntry,
    RosterRebuild,
    SafetyCheck,
    SafetyStatus,
)
from tsunagari.disaster.selection import (
    CheckScope,
    active_rules,
    check_scope,
    gather_facts,
    known_towns,
    sealed_on_roster,
    select_release,
)
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock, intake
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.inputs import Reader
from tsunagari.people.models import Person

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff

CONFIG_PATH = Path(__file__).with_name("rules.yaml")
MANUAL = "manual"
TEXT_MAX = 300
MAX_HOURS = 24 * 14
MAX_HELPERS = 5


class DisasterError(FieldErrors):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written."""


@cache
def config() -> dict[str, Any]:
    """The starting rules, area priorities and disaster-mode duration (rules.yaml)."""
    data: dict[str, Any] = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    return data


def mode_hours() -> int:
    """How long disaster mode lasts unless ended earlier (rules.yaml)."""
    return int(config().get("disaster_mode_hours", 72))


_read = Reader(gettext)
# Consents and plans recorded before this are a typing slip in the year.
EARLIEST = date(1990, 1, 1)


def _text(value: object, name: str, errors: dict[str, str], *, required: str = "",
          limit: int = TEXT_MAX) -> str:  # fmt: skip
    return _read.text(value, name, errors, limit=limit, required=required)


def _date(value: object, name: str, errors: dict[str, str]) -> date | None:
    """The day a consent or a plan was given: required, not in the future."""
    return _read.past_date(value, name, errors, today=clock.today(), earliest=EARLIEST,
                           required=gettext("日付を入力してください。"))  # fmt: skip


def _person(person_id: object) -> Person:
    try:
        pk = int(str(person_id))
    except ValueError:
        pk = 0
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise DisasterError({"person": gettext("この番号の方は登録されていません。")})
    return person


# ── rules and the data they read ────────────────────────────────────────────


def ensure_rules() -> int:
    """Store the starting rules and area priorities from rules.yaml when none are stored."""
    created = 0
    if not InclusionRule.objects.exists():
        for order, spec in enumerate(config().get("rules", [])):
            InclusionRule.objects.create(
                code=spec["code"], label=spec["label"], source=spec["source"],
                attributes=spec.get("attributes") or {}, min_age=spec.get("min_age"),
                living_alone=bool(spec.get("living_alone")), order=order,
            )  # fmt: skip
            created += 1
    if not AreaPriority.objects.exists():
        for priority, towns in (config().get("priorities") or {}).items():
            AreaPriority.objects.bulk_create(
                [AreaPriority(town=t, priority=int(priority)) for t in towns]
            )
    return created


@dataclass
class RuleInput:
    code: str = ""
    label: str = ""
    source: str = ""
    # One condition a line: "care_level = 要介護3, 要介護4"
    attributes: str = ""
    min_age: str = ""
    living_alone: bool = False
    active: bool = True


def parse_attributes(text: str) -> dict[str, list[str]]:
    """``"col = a, b"`` lines into ``{"col": ["a", "b"]}``; raises ValueError on a bad line."""
    found: dict[str, list[str]] = {}
    for line in text.replace("\r", "").split("\n"):
        if not line.strip():
            continue
        column, sep, values = line.partition("=")
        items = [v.strip() for v in values.replace("、", ",").split(",") if v.strip()]
        if not sep or not column.strip() or not items:
            raise ValueError(line)
        found[column.strip()] = items
    return found


def attributes_text(attributes: dict[str, list[str]]) -> str:
    return "\n".join(f"{k} = {', '.join(v)}" for k, v in attributes.items())


def save_rule(actor: Staff | None, rule_id: int | None, data: RuleInput) -> InclusionRule:
    """Create or change an inclusion rule (applied at the next rebuild)."""
    require_actor(actor, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    code = _text(data.code, "code", errors, required=gettext("記号を入力してください。"), limit=40)
    if code and not all(c.isascii() and (c.isalnum() or c in "_-") for c in code):
        errors["code"] = gettext("記号は半角英数字と _ - で入力してください。")
    label = _text(data.label, "label", errors, required=gettext("理由を入力してください。"),
                  limit=100)  # fmt: skip
    source = _text(data.source, "source", errors, required=gettext("データ元を入力してください（住民記録は registry）。"),
                   limit=40)  # fmt: skip
    try:
        attributes = parse_attributes(data.attributes or "")
    except ValueError as exc:
        attributes = {}
        errors["attributes"] = gettext(
            "「項目 = 値, 値」の形で1行に1つずつ書いてください: %(line)s"
        ) % {"line": str(exc)[:60]}
    min_age: int | None = None
    if (data.min_age or "").strip():
        if not data.min_age.strip().isdigit() or not 0 < int(data.min_age) < 130:
            errors["min_age"] = gettext("年齢は1〜129の数字で入力してください。")
        else:
            min_age = int(data.min_age)
    if not errors and not attributes and min_age is None and not data.living_alone:
        errors["attributes"] = gettext("条件（項目、年齢、一人暮らし）を1つ以上指定してください。")
    clash = InclusionRule.objects.filter(code=code).exclude(pk=rule_id or 0).exists()
    if code and clash:
        errors["code"] = gettext("この記号の規則はすでにあります。")
    if errors:
        raise DisasterError(errors)
    with transaction.atomic():
        rule = InclusionRule.objects.filter(pk=rule_id).first() if rule_id else None
        if rule_id and rule is None:
            raise DisasterError({"code": gettext("この規則は見つかりません。")})
        if rule is None:
            last = InclusionRule.objects.order_by("-order").first()
            rule = InclusionRule(order=(last.order + 1) if last else 0)
        rule.code, rule.label, rule.source = code, label, source
        rule.attributes, rule.min_age, rule.living_alone = attributes, min_age, data.living_alone
        rule.active, rule.updated_by, rule.updated_at = data.active, actor, clock.now()
        rule.save()
        write_event(EventKind.ROSTER_RULE_CHANGED, rule, actor, code=rule.code,
                    active=rule.active, created=rule_id is None)  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=rule, detail={"code": rule.code})
    return rule


def load_department_facts(
    actor: Staff | None, source: str, data: bytes, file_name: str
) -> FactLoad:
    """Load a department extract for the roster, replacing the source's earlier load.

    A row is tied to a person by 宛名番号 (``resident_id``), else by the
    record's link in the latest finished linkage run (``record_id``). Only
    the columns the rules read are kept. The source's legal basis for use
    outside its purpose must be on record (the linkage sources page).
    """
    from tsunagari.linkage.models import DataSource, LinkageRun, RecordLink, RunStatus

    require_actor(actor, Action.WORK_EVACUATION)
    basis = DataSource.objects.filter(name=source).first()
    if basis is None or not basis.has_basis:
        raise DisasterError({"source": gettext(
            "このデータ元の目的外利用の根拠が記録されていません。"
            "データ連携のデータ元の画面で根拠を記録してから取り込んでください。"
        )})  # fmt: skip
    try:
        table = intake.read_table(data, name=file_name[:200])
    except intake.Rejected as exc:
        raise DisasterError({"file": exc.problem.where("ja") + " " + str(exc.problem)}) from exc
    if "resident_id" not in table.keys and "record_id" not in table.keys:
        raise DisasterError({"file": gettext(
            "resident_id（宛名番号）か record_id の列が必要です。"
        )})  # fmt: skip
    wanted = {
        column
        for rule in InclusionRule.objects.filter(source=source)
        for column in (rule.attributes or {})
    }
    kept = sorted(wanted & set(table.keys))
    rows = list(table.dicts())
    numbers = {r.get("resident_id", "").strip() for r in rows} - {""}
    by_number = dict(
        Person.objects.filter(resident_id__in=numbers).values_list("resident_id", "pk")
    )
    by_record: dict[str, int] = {}
    run = LinkageRun.objects.filter(status=RunStatus.DONE).order_by("-finished").first()
    if run is not None and "record_id" in table.keys:
        by_record = {
            rid: pid
            for rid, pid in RecordLink.objects.filter(
                run=run, source=source, person__isnull=False
            ).values_list("record_id", "person_id")
            if pid is not None
        }
    facts: list[DepartmentFact] = []
    unmatched: list[int] = []
    with transaction.atomic():
        FactLoad.objects.filter(source=source, current=True).update(current=False)
        DepartmentFact.objects.filter(source=source).delete()
        load = FactLoad.objects.create(source=source, file_name=file_name[:200],
                                       columns=list(table.keys), kept=kept, loaded_by=actor,
                                       loaded_at=clock.now())  # fmt: skip
        for number, row in zip(table.numbers, rows, strict=True):
            pid = by_number.get(row.get("resident_id", "").strip()) or by_record.get(
                row.get("record_id", "").strip()
            )
            if pid is None:
                unmatched.append(number)
                continue
            facts.append(DepartmentFact(load=load, person_id=pid, source=source,
                                        attributes={k: row.get(k, "") for k in kept}))  # fmt: skip
        DepartmentFact.objects.bulk_create(facts, batch_size=2000)
        load.rows, load.matched, load.unmatched_rows = len(rows), len(facts), unmatched[:1000]
        load.save(update_fields=["rows", "matched", "unmatched_rows"])
        record(actor, AuditAction.CREATE, obj=load,
               detail={"source": source, "rows": len(rows), "matched": len(facts)})  # fmt: skip
    return load


# ── the roster ──────────────────────────────────────────────────────────────


def rebuild_roster(actor: Staff | None) -> RosterRebuild:
    """Apply the active rules and the hand additions; record who came and went and why."""
    require_actor(actor, Action.WORK_EVACUATION)
    labels = {r.code: r.label for r in InclusionRule.objects.all()}
    labels[MANUAL] = gettext("手動で追加")
    with transaction.atomic():
        result = engine.evaluate(active_rules(), gather_facts())
        reasons = {pid: list(codes) for pid, codes in result.reasons.items()}
        for pid in ManualInclusion.objects.filter(ended_at__isnull=True).values_list(
            "person_id", flat=True
        ):
            reasons.setdefault(pid, []).append(MANUAL)
        excluded = dict(
            ManualExclusion.objects.filter(ended_at__isnull=True).values_list("person_id", "reason")
        )
        for pid in excluded:
            reasons.pop(pid, None)
        unevaluated = {r.code for r in result.not_evaluated}
        now = clock.now()
        entries = {e.person_id: e for e in RosterEntry.objects.all()}
        added: list[dict[str, Any]] = []
        removed: list[dict[str, Any]] = []
        kept: list[dict[str, Any]] = []
        unchanged = 0
        # Written in bulk: a whole ward's roster is tens of thousands of rows.
        changed: list[RosterEntry] = []
        created: list[RosterEntry] = []
        for pid, entry in entries.items():
            if not entry.on_roster or pid in reasons:
                continue
            held = [c for c in entry.reasons if c in unevaluated]
            if held and pid not in excluded:
                kept.append({"person": pid, "reasons": [labels.get(c, c) for c in held],
                             "why": gettext("規則を評価できなかったため、前回の理由で掲載を続けます。")})  # fmt: skip
                reasons[pid] = held
                continue
            entry.on_roster, entry.removed_at = False, now
            changed.append(entry)
            why = (
                gettext("手動で除外: %(reason)s") % {"reason": excluded[pid]}
                if pid in excluded
                else gettext("どの基準にも当てはまらなくなりました。")
            )
            removed.append({"person": pid, "reasons": [labels.get(c, c) for c in entry.reasons],
                            "why": why})  # fmt: skip
        for pid, codes in sorted(reasons.items()):
            names = [labels.get(c, c) for c in codes]
            current = entries.get(pid)
            if current is None:
                created.append(RosterEntry(person_id=pid, reasons=codes, reason_labels=names,
                                           since=now))  # fmt: skip
                added.append({"person": pid, "reasons": names})
            elif not current.on_roster:
                current.on_roster, current.removed_at, current.since = True, None, now
                current.reasons, current.reason_labels = codes, names
                changed.append(current)
                added.append({"person": pid, "reasons": names})
            else:
                if current.reasons != codes:
                    current.reasons, current.reason_labels = codes, names
                    changed.append(current)
                unchanged += 1
        RosterEntry.objects.bulk_create(created, batch_size=2000)
        RosterEntry.objects.bulk_update(
            changed, ["on_roster", "removed_at", "since", "reasons", "reason_labels"],
            batch_size=2000,
        )  # fmt: skip
        unchanged -= len(kept)
        rebuild = RosterRebuild.objects.create(
            at=now, by=actor, added=added, removed=removed, kept=kept, unchanged=max(0, unchanged),
            total=len(reasons),
            rules=[{"code": r.code, "label": r.label, "evaluated": r.evaluated,
                    "problem": r.problem, "matched": len(r.matched), "undecided": r.undecided}
                   for r in result.rules],
        )  # fmt: skip
        write_event(EventKind.ROSTER_REBUILT, rebuild, actor, added=len(added),
                    removed=len(removed), kept=len(kept), total=rebuild.total,
                    not_evaluated=sorted(unevaluated))  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=rebuild,
               detail={"persons": [a["person"] for a in added + removed][:5000]})  # fmt: skip
    return rebuild


def _hand_decision(actor: Staff | None, person_id: object, reason: str, required: str
                   ) -> tuple[Person, str]:  # fmt: skip
    """The common start of a decision by hand: the permission, the reason and the person."""
    require_actor(actor, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors, required=required)
    if errors:
        raise DisasterError(errors)
    return _person(person_id), reason


def add_by_hand(actor: Staff | None, person_id: object, reason: str) -> RosterEntry:
    """Put a person on the roster by hand, with the reason (kept at every rebuild)."""
    person, reason = _hand_decision(actor, person_id, reason,
                                    gettext("追加する理由を入力してください。"))  # fmt: skip
    if ManualInclusion.objects.filter(person=person, ended_at__isnull=True).exists():
        raise DisasterError({"person": gettext("この方はすでに手動で追加されています。")})
    if ManualExclusion.objects.filter(person=person, ended_at__isnull=True).exists():
        raise DisasterError({"person": gettext(
            "この方は手動で除外されています。先に除外を終了してください。"
        )})  # fmt: skip
    now = clock.now()
    label = gettext("手動で追加")
    with transaction.atomic():
        ManualInclusion.objects.create(person=person, reason=reason, added_by=actor, added_at=now)
        entry, created = RosterEntry.objects.get_or_create(
            person=person, defaults={"reasons": [MANUAL], "reason_labels": [label], "since": now}
        )
        if not created:
            if MANUAL not in entry.reasons:
                entry.reasons = [*entry.reasons, MANUAL] if entry.on_roster else [MANUAL]
                entry.reason_labels = [*entry.reason_labels, label] if entry.on_roster else [label]
            if not entry.on_roster:
                entry.on_roster, entry.removed_at, entry.since = True, None, now
            entry.save()
        write_event(EventKind.ROSTER_CHANGED_BY_HAND, entry, actor, change="added")
        record(actor, AuditAction.CREATE, obj=entry, person_id=person.pk, reason=reason)
    return entry


def _end_hand_decision(
    actor: Staff | None,
    person_id: object,
    reason: str,
    decisions: type[ManualInclusion] | type[ManualExclusion],
    not_open: str,
) -> tuple[RosterEntry, datetime, str]:
    """End the person's open hand decision; call inside the action's transaction.

    The open decision is read and locked (``select_for_update``) in the same
    transaction that ends it, so two officers ending it at once give one end
    and one clear refusal, never two ends and two events.
    """
    person, reason = _hand_decision(actor, person_id, reason,
                                    gettext("終了する理由を入力してください。"))  # fmt: skip
    decision = (
        decisions.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
    )
    if decision is None:
        raise DisasterError({"person": not_open})
    now = clock.now()
    decision.ended_at, decision.ended_by, decision.end_reason = now, actor, reason
    decision.save(update_fields=["ended_at", "ended_by", "end_reason"])
    return RosterEntry.objects.select_for_update().get(person=person), now, reason


def end_by_hand(actor: Staff | None, person_id: object, reason: str) -> RosterEntry:
    """End a hand addition; the person leaves the roster unless a rule holds them."""
    with transaction.atomic():
        entry, now, reason = _end_hand_decision(actor, person_id, reason, ManualInclusion,
                                                gettext("この方は手動で追加されていません。"))  # fmt: skip
        codes = [c for c in entry.reasons if c != MANUAL]
        entry.reasons = codes
        entry.reason_labels = [label for label in entry.reason_labels
                               if label != gettext("手動で追加")]  # fmt: skip
        if not codes:
            entry.on_roster, entry.removed_at = False, now
        entry.save()
        write_event(EventKind.ROSTER_CHANGED_BY_HAND, entry, actor, change="ended",
                    on_roster=entry.on_roster)  # fmt: skip
        record(actor, AuditAction.DELETE, obj=entry, person_id=entry.person_id, reason=reason)
    return entry


def exclude_by_hand(actor: Staff | None, person_id: object, reason: str) -> RosterEntry:
    """Take a person off the roster by hand, with the reason; rebuilds keep them off."""
    person, reason = _hand_decision(actor, person_id, reason,
                                    gettext("除外する理由を入力してください。"))  # fmt: skip
    entry = RosterEntry.objects.filter(person=person, on_roster=True).first()
    if entry is None:
        raise DisasterError({"person": gettext("この方は名簿に載っていません。")})
    if ManualInclusion.objects.filter(person=person, ended_at__isnull=True).exists():
        raise DisasterError({"person": gettext(
            "この方は手動で追加されています。先に手動での追加を終了してください。"
        )})  # fmt: skip
    now = clock.now()
    with transaction.atomic():
        ManualExclusion.objects.create(person=person, reason=reason, added_by=actor, added_at=now)
        entry.on_roster, entry.removed_at = False, now
        entry.save(update_fields=["on_roster", "removed_at"])
        write_event(EventKind.ROSTER_CHANGED_BY_HAND, entry, actor, change="excluded")
        record(actor, AuditAction.DELETE, obj=entry, person_id=person.pk, reason=reason)
    return entry


def end_exclusion(actor: Staff | None, person_id: object, reason: str) -> RosterEntry:
    """End a hand exclusion; the next rebuild puts the person back if a rule matches."""
    with transaction.atomic():
        entry, _, reason = _end_hand_decision(actor, person_id, reason, ManualExclusion,
                                              gettext("この方は手動で除外されていません。"))  # fmt: skip
        write_event(EventKind.ROSTER_CHANGED_BY_HAND, entry, actor, change="exclusion_ended")
        record(actor, AuditAction.UPDATE, obj=entry, person_id=entry.person_id, reason=reason)
    return entry


# ── consent ─────────────────────────────────────────────────────────────────


def record_roster_consent(
    actor: Staff | None, person_id: object, status: str, on: str, note: str = ""
) -> RosterEntry:
    """Record the person's answer on sharing their entry before a disaster."""
    require_actor(actor, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    if status not in ConsentStatus.values:
        errors["status"] = gettext("同意の状況を選んでください。")
    day = _date(on, "on", errors)
    note = _text(note, "note", errors)
    person = _person(person_id)
    entry = RosterEntry.objects.filter(person=person).first()
    if entry is None:
        errors["person"] = gettext("この方は名簿に載っていません。")
    if errors:
        raise DisasterError(errors)
    assert entry is not None and day is not None
    with transaction.atomic():
        RosterConsent.objects.create(entry=entry, status=status, on=day, note=note,
                                     recorded_by=actor, recorded_at=clock.now())  # fmt: skip
        entry.consent, entry.consent_on, entry.consent_by = status, day, actor
        entry.save(update_fields=["consent", "consent_on", "consent_by"])
        write_event(EventKind.ROSTER_CONSENT_RECORDED, entry, actor, status=status,
                    on=day.isoformat())  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=entry, person_id=person.pk,
               detail={"consent": status})  # fmt: skip
    return entry


def mark_letters_sent(actor: Staff | None, entries: list[RosterEntry]) -> int:
    """Note the day consent letters went out (the letters themselves are documents)."""
    require_actor(actor, Action.WORK_EVACUATION)
    today = clock.today()
    with transaction.atomic():
        RosterEntry.objects.filter(pk__in=[e.pk for e in entries]).update(letter_sent_on=today)
        record(actor, AuditAction.EXPORT, object_type="disaster.letters",
               detail={"persons": [e.person_id for e in entries]})  # fmt: skip
    return len(entries)


# ── recipients and releases ─────────────────────────────────────────────────


@dataclass
class RecipientInput:
    name: str = ""
    kind: str = ""
    towns: list[str] = field(default_factory=list)
    contact: str = ""
    agency: str = ""  # agency code: its staff record safety checks for the recipient
    designated: bool = True
    active: bool = True


def save_recipient(
    actor: Staff | None, recipient_id: int | None, data: RecipientInput
) -> Recipient:
    from tsunagari.accounts.models import Agency

    require_actor(actor, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    name = _text(data.name, "name", errors, required=gettext("名称を入力してください。"), limit=120)
    if data.kind not in RecipientKind.values:
        errors["kind"] = gettext("種類を選んでください。")
    towns = sorted({t.strip() for t in data.towns if isinstance(t, str) and t.strip()})
    if not towns:
        errors["towns"] = gettext("担当する町を1つ以上選んでください。")
    elif any(len(t) > 40 for t in towns):
        errors["towns"] = gettext("町名が長すぎます。")
    contact = _text(data.contact, "contact", errors, limit=200)
    agency = None
    if data.agency:
        agency = Agency.objects.filter(code=data.agency.strip()[:64]).first()
        if agency is None:
            errors["agency"] = gettext("機関は一覧から選んでください。")
    if errors:
        raise DisasterError(errors)
    with transaction.atomic():
        recipient = Recipient.objects.filter(pk=recipient_id).first() if recipient_id else None
        if recipient is None:
            recipient = Recipient()
        recipient.name, recipient.kind, recipient.towns = name, data.kind, towns
        recipient.contact, recipient.agency, recipient.designated = contact, agency, data.designated
        recipient.active = data.active
        recipient.save()
        write_event(EventKind.ROSTER_RECIPIENT_CHANGED, recipient, actor,
                    recipient_kind=recipient.kind,
                    towns=towns, designated=recipient.designated, active=recipient.active,
                    created=recipient_id is None)  # fmt: skip
        record(actor, AuditAction.UPDATE if recipient_id else AuditAction.CREATE, obj=recipient,
               detail={"towns": towns})  # fmt: skip
    return recipient


def expire_declarations() -> list[Declaration]:
    """End the declarations whose time has run out (an event each)."""
    now = clock.now()
    ended = []
    for declaration in Declaration.objects.filter(ended_at__isnull=True, ends_at__lte=now):
        with transaction.atomic():
            declaration.ended_at, declaration.end_note = declaration.ends_at, gettext("期限切れ")
            declaration.save(update_fields=["ended_at", "end_note"])
            write_event(EventKind.DISASTER_ENDED, declaration, None, how="expired",
                        towns=declaration.towns)  # fmt: skip
        ended.append(declaration)
    return ended


def release_roster(actor: Staff, recipient_id: object, file_format: str) -> tuple[Release, bytes]:
    """Release the roster to a recipient as PDF or Excel; recorded with what went to whom."""
    from tsunagari.disaster import documents

    require_actor(actor, Action.WORK_EVACUATION)
    if file_format not in {"pdf", "xlsx"}:
        raise DisasterError({"format": gettext("形式は PDF か Excel を選んでください。")})
    recipient = Recipient.objects.filter(pk=_int(recipient_id), active=True).first()
    if recipient is None:
        raise DisasterError({"recipient": gettext("この提供先は登録されていないか、無効です。")})
    with transaction.atomic():
        selection = select_release(recipient)
        release = Release.objects.create(
            recipient=recipient, mode=selection.mode, declaration=selection.declaration,
            at=clock.now(), by=actor, file_format=file_format,
            persons=[p.pk for p in selection.persons], without_consent=selection.without_consent,
            plans=[p.pk for p in selection.plans], sealed_withheld=selection.sealed_in_ward,
            towns=selection.towns,
        )  # fmt: skip
        content = documents.release_file(actor, release, selection)
        release.digest = hashlib.sha256(content).hexdigest()
        release.save(update_fields=["digest"])
        write_event(EventKind.ROSTER_RELEASED, release, actor, recipient=recipient.pk,
                    mode=release.mode, count=len(release.persons),
                    without_consent=len(release.without_consent), format=file_format,
                    declaration=release.declaration_id)  # fmt: skip
        record(actor, AuditAction.RELEASE if release.without_consent else AuditAction.EXPORT,
               obj=release, reason=str(release.get_mode_display()),
               detail={"persons": release.persons, "recipient": recipient.pk,
                       "without_consent": release.without_consent})  # fmt: skip
    return release, content


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


# ── individual evacuation plans ─────────────────────────────────────────────


@dataclass
class HelperInput:
    name: str = ""
    relation: str = ""
    address: str = ""
    phone: str = ""


@dataclass
class PlanInput:
    status: str = PlanStatus.DRAFT
    helpers: list[HelperInput] = field(default_factory=list)
    place: str = ""
    route: str = ""
    medication: str = ""
    equipment: str = ""
    mobility: str = ""
    communication: str = ""
    family_contact: str = ""
    consent_on: str = ""
    version: int = 0  # the version the form was opened at (0: a new plan)


def record_plan(actor: Staff | None, person_id: object, data: PlanInput) -> EvacuationPlan:
    """Make or change an individual evacuation plan; needs the person's agreement."""
    require_actor(actor, Action.WORK_EVACUATION)
    errors: dict[str, str] = {}
    person = _person(person_id)
    entry = RosterEntry.objects.filter(person=person, on_roster=True).first()
    if entry is None:
        errors["person"] = gettext("名簿に載っている方の計画だけを作れます。")
    elif entry.consent != ConsentStatus.AGREED:
        errors["consent"] = gettext(
            "個別避難計画には本人の同意が必要です。先に同意（同意）を記録してください。"
        )
    if data.status not in PlanStatus.values:
        errors["status"] = gettext("状況を選んでください。")
    helpers = []
    for i, helper in enumerate(data.helpers[: MAX_HELPERS + 1]):
        row = {k: _text(getattr(helper, k), f"helper_{k}", errors, limit=200)
               for k in ("name", "relation", "address", "phone")}  # fmt: skip
        if any(row.values()):
            if not row["name"]:
                errors[f"helper_name_{i}"] = gettext("支援者の氏名を入力してください。")
            helpers.append(row)
    if len(helpers) > MAX_HELPERS:
        errors["helpers"] = gettext("支援者は%(n)s人までです。") % {"n": MAX_HELPERS}
    fields = {k: _text(getattr(data, k), k, errors, limit=2000 if k == "route" else TEXT_MAX)
              for k in ("place", "route", "medication", "equipment", "mobility", "communication",
                        "family_contact")}  # fmt: skip
    if data.status == PlanStatus.DONE and (not helpers or not fields["place"]):
        errors["status"] = gettext("作成済みにするには、支援者と避難先を入力してください。")
    consent_on = _date(data.consent_on, "consent_on", errors)
    if errors:
        raise DisasterError(errors)
    assert consent_on is not None
    with transaction.atomic():
        plan = EvacuationPlan.objects.select_for_update().filter(person=person).first()
        if plan is not None and data.version != plan.version:
            raise DisasterError({"version": gettext(
                "この計画は開いた後にほかの職員が変更しました。開き直して確認してください。"
            )})  # fmt: skip
        created = plan is None
        if plan is None:
            plan = EvacuationPlan(person=person, made_by=actor, created=clock.now(),
                                  consent_on=consent_on)  # fmt: skip
        else:
            plan.version += 1
        plan.status, plan.helpers, plan.consent_on = data.status, helpers, consent_on
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.updated = clock.now()
        plan.save()
        write_event(EventKind.EVACUATION_PLAN_RECORDED, plan, actor, status=plan.status,
                    created=created, helpers=len(helpers))  # fmt: skip
        record(actor, AuditAction.CREATE if created else AuditAction.UPDATE, obj=plan,
               person_id=person.pk)  # fmt: skip
    return plan


# ── disaster mode ───────────────────────────────────────────────────────────


def declare_disaster(
    actor: Staff | None, towns: list[str], reason: str, hours: object = None
) -> Declaration:
    """Switch disaster mode on for named towns, with a reason, for a set time."""
    require_actor(actor, Action.DECLARE_DISASTER)
    errors: dict[str, str] = {}
    chosen = sorted({t.strip() for t in towns if isinstance(t, str) and t.strip()})
    if not chosen:
        errors["towns"] = gettext("対象の町を1つ以上選んでください。")
    elif set(chosen) - set(known_towns()):
        errors["towns"] = gettext("区内の町名から選んでください。")
    reason = _text(reason, "reason", errors, required=gettext("発令の理由を入力してください。"))
    length = mode_hours()
    if hours not in (None, ""):
        length = _int(hours)
        if not 1 <= length <= MAX_HOURS:
            errors["hours"] = gettext("期間は1〜%(max)s時間で入力してください。") % {
                "max": MAX_HOURS
            }
    if errors:
        raise DisasterError(errors)
    now = clock.now()
    with transaction.atomic():
        declaration = Declaration.objects.create(towns=chosen, reason=reason, declared_by=actor,
                                                 declared_at=now,
                                                 ends_at=now + timedelta(hours=length))  # fmt: skip
        write_event(EventKind.DISASTER_DECLARED, declaration, actor, towns=chosen, hours=length)
        record(actor, AuditAction.CREATE, obj=declaration, reason=reason,
               detail={"towns": chosen, "hours": length})  # fmt: skip
    return declaration


def end_disaster(actor: Staff | None, declaration_id: object, note: str) -> Declaration:
    require_actor(actor, Action.DECLARE_DISASTER)
    errors: dict[str, str] = {}
    note = _text(note, "note", errors, required=gettext("終了の理由を入力してください。"))
    declaration = Declaration.objects.filter(pk=_int(declaration_id)).first()
    if declaration is None or not declaration.is_active(clock.now()):
        errors["declaration"] = gettext("この発令はすでに終了しています。")
    if errors:
        raise DisasterError(errors)
    assert declaration is not None
    with transaction.atomic():
        declaration.ended_at, declaration.ended_by, declaration.end_note = clock.now(), actor, note
        declaration.save(update_fields=["ended_at", "ended_by", "end_note"])
        write_event(EventKind.DISASTER_ENDED, declaration, actor, how="ended",
                    towns=declaration.towns)  # fmt: skip
        record(actor, AuditAction.UPDATE, obj=declaration, reason=note)
    return declaration


# ── safety checks ───────────────────────────────────────────────────────────


def record_safety_check(
    actor: Staff | None, person_id: object, status: str, note: str = ""
) -> SafetyCheck:
    """Record a person as safe, evacuated, needing help or not reached.

    The person must be in the actor's scope now (``access._safety_rule``):
    on the roster in a declared town, and for a recipient's staff in its
    towns and not sealed; otherwise PermissionDenied with the reason.
    """
    require_actor(actor, Action.RECORD_SAFETY_CHECKS)
    person = _person(person_id)
    require_actor(actor, Action.RECORD_SAFETY_CHECKS, person)
    errors: dict[str, str] = {}
    if status not in SafetyStatus.values:
        errors["status"] = gettext("安否を選んでください。")
    note = _text(note, "note", errors, limit=200)
    scope = check_scope(actor)
    pid = person.pk
    if pid not in scope.person_ids:  # the operator (actor None) checks the declared towns too
        errors["person"] = gettext(
            "この方は、いま安否確認の対象になっていません（発令中の地域の名簿の方だけです）。"
        )
    if errors:
        raise DisasterError(errors)
    declaration = scope.declaration_of[person.town]
    with transaction.atomic():
        check = SafetyCheck.objects.create(declaration=declaration, person=person, status=status,
                                           note=note, recipient=scope.recipient, by=actor,
                                           at=clock.now())  # fmt: skip
        write_event(EventKind.SAFETY_CHECKED, check, actor, status=status,
                    declaration=declaration.pk)  # fmt: skip
        record(actor, AuditAction.CREATE, obj=check, person_id=pid, detail={"status": status})
    return check


def record_page_release(actor: Staff, scope: CheckScope) -> Release | None:
    """A recipient's safety-check page shows people without consent: log it as a
    disaster-mode release, once per new set of people."""
    if scope.recipient is None or not scope.person_ids:
        return None
    declaration = scope.declaration_of[Person.objects.get(pk=scope.person_ids[0]).town]
    shown = set(scope.person_ids)
    earlier = Release.objects.filter(recipient=scope.recipient, declaration=declaration,
                                     file_format="page")  # fmt: skip
    seen: set[int] = set()
    for release in earlier:
        seen.update(release.persons)
    if shown <= seen:
        return None
    consenting = set(
        RosterEntry.objects.filter(person_id__in=shown, consent__in=RELEASABLE).values_list(
            "person_id", flat=True
        )
    )
    with transaction.atomic():
        release = Release.objects.create(
            recipient=scope.recipient, mode=ReleaseMode.DISASTER, declaration=declaration,
            at=clock.now(), by=actor, file_format="page", persons=sorted(shown),
            without_consent=sorted(shown - consenting), sealed_withheld=len(sealed_on_roster()),
            towns=sorted(set(scope.recipient.towns) & set(scope.declaration_of)),
        )  # fmt: skip
        write_event(EventKind.ROSTER_RELEASED, release, actor, recipient=scope.recipient.pk,
                    mode=release.mode, count=len(shown), format="page",
                    declaration=declaration.pk)  # fmt: skip
        record(actor, AuditAction.RELEASE, obj=release,
               detail={"persons": sorted(shown), "recipient": scope.recipient.pk})  # fmt: skip
    return release
