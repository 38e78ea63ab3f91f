"""The directory's rules: search, the one edit, verification, history.

Pages, the API and the ``resources`` command all call these functions; none
of them writes to the directory another way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditEvent
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.resources.hsds import Rejection, read_file, validate_record
from tsunagari.resources.hsds.files import ImportFileError, write_csv_package, write_json
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import (
    Accessibility,
    Address,
    Attribute,
    Availability,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from tsunagari.resources.store import (
    ImportReport,
    export_tables,
    import_bundle,
    normalise,
    reindex,
    to_record,
    validate_tables,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

    Actor = Staff | AnonymousUser | None

STALE_AFTER_DAYS = 365


class DirectoryError(Exception):
    """A directory action refused for a reason the person can fix; the
    message says what to do."""


def _editor(actor: Actor) -> Staff | None:
    """The staff member behind ``actor``; None for the operator at the server."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor  # type: ignore[return-value]


EDITABLE_FIELDS = (
    "name",
    "alternate_name",
    "status",
    "x_kind",
    "x_audience",
    "description",
    "x_easy_description",
    "eligibility_description",
    "application_process",
    "fees_description",
    "alert",
    "x_capacity",
    "x_vacancies",
    "url",
    "email",
)


# --- search -------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """Filters, AND-combined. Empty values filter nothing."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    town: str = ""
    day: str = ""
    free: bool = False
    # Step-free entrance (kept for callers that ask only that; same as
    # features=("step_free",)).
    wheelchair: bool = False
    # Accessibility features a public place of the service must have ("yes").
    features: tuple[str, ...] = ()
    language: str = ""
    audience: str = ""
    organization_id: str = ""
    taxonomy_term_id: str = ""
    public_only: bool = True


def search_services(query: SearchQuery) -> QuerySet[Service]:
    """Services matching every filter, by name. Uses the search columns kept
    by :func:`tsunagari.resources.store.reindex` (one indexed table, no joins)."""
    qs = Service.objects.all()
    if query.public_only:
        qs = qs.filter(is_public=True)
    for token in normalise(query.text).split()[:8]:
        qs = qs.filter(search_text__contains=token)
    if query.kinds:
        qs = qs.filter(x_kind__in=query.kinds)
    if query.town:
        qs = qs.filter(towns__contains=f"|{query.town}|")
    if query.day:
        qs = qs.filter(days__contains=f"|{query.day.upper()[:2]}|")
    if query.free:
        qs = qs.filter(is_free=True)
    if query.wheelchair:
        qs = qs.filter(wheelchair=True)
    for feature in query.features:
        if feature in ACCESSIBILITY_FEATURES:
            qs = qs.filter(access_features__contains=f"|{feature}|")
    if query.language:
        qs = qs.filter(language_codes__contains=f"|{query.language.lower()[:16]}|")
    if query.audience:
        qs = qs.filter(
            models.Q(x_audience__contains=query.audience) | models.Q(x_audience__contains="anyone")
        )
    if query.organization_id:
        qs = qs.filter(organization_id=query.organization_id)
    if query.taxonomy_term_id:
        qs = qs.filter(
            id__in=Attribute.objects.filter(taxonomy_term_id=query.taxonomy_term_id).values(
                "link_id"
            )
        )
    return qs.order_by("name", "id")


# --- one entry, described for people -----------------------------------------


@dataclass
class Place:
    location: Location
    addresses: list[Address]
    accessibility: list[Accessibility]


@dataclass
class Entry:
    """A service with everything a reader needs on one page."""

    service: Service
    organization: Organization | None
    places: list[Place]
    hidden_places: int
    schedules: list[Schedule]
    phones: list[Phone]
    languages: list[Language]
    costs: list[CostOption]
    documents: list[RequiredDocument]


def describe(service: Service, *, show_confidential: bool) -> Entry:
    sals = list(ServiceAtLocation.objects.filter(service_id=service.id))
    locations = list(Location.objects.filter(id__in=[s.location_id for s in sals]).order_by("name"))
    visible = [loc for loc in locations if show_confidential or not loc.x_confidential]
    loc_ids = [loc.id for loc in visible]
    sal_ids = [s.id for s in sals if s.location_id in loc_ids]
    addresses = list(Address.objects.filter(location_id__in=loc_ids))
    access = list(Accessibility.objects.filter(location_id__in=loc_ids))
    places = [
        Place(
            loc,
            [a for a in addresses if a.location_id == loc.id],
            [a for a in access if a.location_id == loc.id],
        )
        for loc in visible
    ]
    schedules = list(
        Schedule.objects.filter(
            models.Q(service_id=service.id) | models.Q(service_at_location_id__in=sal_ids)
        ).order_by("id")
    )
    if not schedules and loc_ids:
        schedules = list(Schedule.objects.filter(location_id__in=loc_ids).order_by("id"))
    phones = list(
        Phone.objects.filter(
            models.Q(service_id=service.id)
            | models.Q(service_at_location_id__in=sal_ids)
            | models.Q(location_id__in=loc_ids)
        ).order_by("id")
    )
    return Entry(
        service=service,
        organization=Organization.objects.filter(id=service.organization_id).first(),
        places=places,
        hidden_places=len(locations) - len(visible),
        schedules=schedules,
        phones=phones,
        languages=list(Language.objects.filter(service_id=service.id)),
        costs=list(CostOption.objects.filter(service_id=service.id)),
        documents=list(RequiredDocument.objects.filter(service_id=service.id)),
    )


# --- the one edit ------------------------------------------------------------------


@dataclass
class FieldConflict:
    name: str
    yours: str
    saved: str


@dataclass
class EditResult:
    """Saved, or why not. On a conflict nothing is written and both texts are kept."""

    service: Service
    saved: bool
    conflicts: list[FieldConflict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


# Phone and opening hours edited with the service: its first phone and
# first schedule (most entries have one of each; imports handle the rest).
CONTACT_FIELDS = ("phone", "freq", "byday", "opens_at", "closes_at")


def _first_phone(service: Service) -> Phone | None:
    return Phone.objects.filter(service_id=service.id).order_by("id").first()


def _first_schedule(service: Service) -> Schedule | None:
    return Schedule.objects.filter(service_id=service.id).order_by("id").first()


def contact_values(service: Service) -> dict[str, str]:
    """The service's phone and hours as the edit form shows them."""
    phone = _first_phone(service)
    schedule = _first_schedule(service)
    return {
        "phone": phone.number if phone else "",
        "freq": schedule.freq if schedule else "",
        "byday": schedule.byday if schedule else "",
        "opens_at": (schedule.opens_at or "")[:5] if schedule else "",
        "closes_at": (schedule.closes_at or "")[:5] if schedule else "",
    }


def _save_contact(service: Service, values: dict[str, str]) -> list[str]:
    """Write phone and hours; return schema problems instead if any."""
    phone = _first_phone(service)
    if values["phone"] and phone is None:
        phone = Phone(id=str(uuid.uuid4()), service_id=service.id, type="voice")
    schedule = _first_schedule(service)
    if (values["byday"] or values["opens_at"]) and schedule is None:
        schedule = Schedule(id=str(uuid.uuid4()), service_id=service.id)
    if phone is not None:
        phone.number = values["phone"]
    if schedule is not None:
        schedule.freq = values["freq"]
        schedule.byday = values["byday"]
        schedule.opens_at = f"{values['opens_at']}:00" if values["opens_at"] else ""
        schedule.closes_at = f"{values['closes_at']}:00" if values["closes_at"] else ""
        schedule.interval = 1 if values["freq"] else None
    problems = []
    if phone is not None and phone.number:
        problems += validate_record("phone", to_record(phone))
    if schedule is not None:
        problems += validate_record("schedule", to_record(schedule))
    if problems:
        return problems
    if phone is not None and phone.number:
        phone.save()
    elif phone is not None and phone.pk and Phone.objects.filter(pk=phone.pk).exists():
        phone.delete()
    if schedule is not None:
        schedule.save()
    return []


def update_service(
    service_id: str, changes: dict[str, Any], *, expected_version: int, actor: Actor
) -> EditResult:
    """Apply ``changes`` to a service edited from ``expected_version``.

    If someone saved the service since, nothing is written and the result
    lists each field with the text the editor typed and the text now saved.
    ``actor`` None is the operator at the server (commands, the demo).

    Raises:
        PermissionDenied: ``actor`` may not edit this entry.
    """
    with transaction.atomic():
        service = Service.objects.select_for_update().get(id=service_id)
        require_actor(actor, Action.EDIT_DIRECTORY, service)
        contact = contact_values(service)
        before: dict[str, Any] = {
            name: getattr(service, name) for name in EDITABLE_FIELDS
        } | contact
        if service.version != expected_version:
            conflicts = [
                FieldConflict(name, _as_text(value), _as_text(before[name]))
                for name, value in changes.items()
                if name in before and _as_text(value) != _as_text(before[name])
            ]
            return EditResult(service, saved=False, conflicts=conflicts)
        for name, value in changes.items():
            if name in EDITABLE_FIELDS:
                setattr(service, name, value)
            elif name in CONTACT_FIELDS:
                contact[name] = _as_text(value)
        after: dict[str, Any] = {name: getattr(service, name) for name in EDITABLE_FIELDS} | contact
        changed = [n for n in before if after[n] != before[n]]
        errors = validate_record("service", to_record(service))
        if errors:
            return EditResult(service, saved=False, errors=errors)
        if not changed:
            return EditResult(service, saved=True)
        if any(n in CONTACT_FIELDS for n in changed):
            errors = _save_contact(service, contact)
            if errors:
                transaction.set_rollback(True)
                return EditResult(service, saved=False, errors=errors)
        service.version += 1
        service.last_modified = clock.now().isoformat(timespec="seconds")
        # Four eyes: the change reaches residents once someone else checks it.
        service.awaiting_check = True
        service.last_editor = _editor(actor)
        service.save()
        reindex([service.id])
        write_event(EventKind.DIRECTORY_ENTRY_CHANGED, service, _editor(actor), fields=changed)
        record(
            actor,
            "update",
            obj=service,
            object_type="resources.service",
            detail={"changes": {n: [_as_text(before[n]), _as_text(after[n])] for n in changed}},
        )
        return EditResult(service, saved=True, changed=changed)


@dataclass
class CreateResult:
    service: Service | None
    errors: list[str] = field(default_factory=list)


def create_service(values: dict[str, Any], *, actor: Actor) -> CreateResult:
    """Register a new entry: its organisation (by name, reused if known), the
    service, its place (town, address) and its phone and hours. Everything
    is checked against the HSDS schemas before anything is written.

    Raises:
        PermissionDenied: ``actor`` may not keep the directory, or may not
            see the confidential place the entry would be.
    """
    sid, lid = str(uuid.uuid4()), str(uuid.uuid4())
    org_name = str(values.get("organization_name") or values["name"])
    org = Organization.objects.filter(name=org_name).first()
    records: list[tuple[str, Any]] = []
    if org is None:
        org = Organization(id=str(uuid.uuid4()), name=org_name, description=org_name)
        records.append(("organization", org))
    service = Service(
        id=sid,
        organization_id=org.id,
        last_modified=clock.now().isoformat(timespec="seconds"),
        **{k: v for k, v in values.items() if k in EDITABLE_FIELDS and v is not None},
    )
    town = str(values.get("town") or "")
    location = Location(
        id=lid,
        location_type="physical",
        organization_id=org.id,
        name=str(values.get("place_name") or values["name"]),
        x_town=town,
        x_confidential=bool(values.get("x_confidential")),
    )
    service.x_confidential = bool(values.get("x_confidential"))
    # Four eyes: a new entry reaches residents once someone else checks it.
    service.awaiting_check = True
    service.last_editor = _editor(actor)
    require_actor(actor, Action.EDIT_DIRECTORY, service)
    records += [("service", service), ("location", location)]
    records.append(
        (
            "service_at_location",
            ServiceAtLocation(id=str(uuid.uuid4()), service_id=sid, location_id=lid),
        )
    )
    if values.get("address_1"):
        address = Address(
            id=str(uuid.uuid4()),
            location_id=lid,
            address_1=str(values["address_1"]),
            city="江東区",
            state_province="東京都",
            postal_code=str(values.get("postal_code") or "-"),
            country="JP",
            address_type="physical",
        )
        records.append(("address", address))
    if values.get("wheelchair"):
        records.append(
            (
                "accessibility",
                Accessibility(
                    id=str(uuid.uuid4()),
                    location_id=lid,
                    description="段差のない入口: あり",
                    x_step_free=Availability.YES,
                ),
            )
        )
    errors = [
        f"{entity}: {e}" for entity, obj in records for e in validate_record(entity, to_record(obj))
    ]
    if errors:
        return CreateResult(None, errors)
    with transaction.atomic():
        for _entity, obj in records:
            obj.save()
        contact = {k: str(values.get(k) or "") for k in CONTACT_FIELDS}
        errors = _save_contact(service, contact)
        if errors:
            transaction.set_rollback(True)
            return CreateResult(None, errors)
        reindex([sid])
        write_event(EventKind.DIRECTORY_ENTRY_CHANGED, service, _editor(actor), created=True)
        record(
            actor,
            "create",
            obj=service,
            object_type="resources.service",
            detail={"name": service.name},
        )
    return CreateResult(service)


def verify_service(service_id: str, *, actor: Actor, on: date | None = None) -> Service:
    """Record that someone checked the entry with its provider on ``on``
    (default today); for an entry awaiting its check (``awaiting_check``),
    this is the second pair of eyes that makes it public.

    Raises:
        PermissionDenied: ``actor`` may not edit this entry.
        DirectoryError: ``on`` is in the future; or the entry awaits its
            check and ``actor`` is its last editor (or not a signed-in
            staff member), who cannot be the second pair of eyes.
    """
    today = clock.today()
    checked_on = on or today
    if checked_on > today:
        raise DirectoryError(
            _(
                "最終確認日に未来の日付（%(date)s）は記録できません。"
                "提供者に確認した日（今日 %(today)s 以前）を入れてください。"
            )
            % {"date": checked_on.isoformat(), "today": today.isoformat()}
        )
    with transaction.atomic():
        service = Service.objects.select_for_update().get(id=service_id)
        require_actor(actor, Action.EDIT_DIRECTORY, service)
        checker = _editor(actor)
        publishes = service.awaiting_check
        if publishes and checker is None:
            raise DirectoryError(
                _("確認待ちの変更は、サインインした職員が画面から確認してください。")
            )
        if publishes and checker is not None and checker.pk == service.last_editor_id:
            raise DirectoryError(
                _(
                    "この変更を保存したのはあなたです。区民向けページに出す前に、"
                    "ほかの職員に内容を確認してもらってください。"
                )
            )
        service.assured_date = checked_on.isoformat()
        service.x_verified_by = (
            getattr(actor, "display_name", "") or getattr(actor, "username", "") or ""
        )
        service.awaiting_check = False
        service.save(update_fields=["assured_date", "x_verified_by", "awaiting_check"])
        if publishes:
            reindex([service.id])
        write_event(EventKind.DIRECTORY_ENTRY_VERIFIED, service, _editor(actor),
                    verified=service.assured_date, published=publishes)  # fmt: skip
        record(
            actor,
            "update",
            obj=service,
            object_type="resources.service",
            detail={"verified": service.assured_date, "published": publishes},
        )
    service.refresh_from_db()
    return service


def awaiting_services() -> QuerySet[Service]:
    """Entries created or edited by staff and not yet checked by someone else."""
    return Service.objects.filter(awaiting_check=True).order_by("last_modified", "name")


def stale_services(today: date | None = None) -> QuerySet[Service]:
    """Entries not checked for 12 months (or never), oldest first."""
    limit = ((today or timezone.localdate()) - timedelta(days=STALE_AFTER_DAYS)).isoformat()
    return (
        Service.objects.exclude(status=ServiceStatus.DEFUNCT)
        .filter(models.Q(assured_date="") | models.Q(assured_date__lt=limit))
        .order_by("assured_date", "name")
    )


def history(service: Service) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type="resources.service", object_id=service.id
    ).order_by("-seq")


# --- whole files ---------------------------------------------------------------------


def import_file(path: Path, *, actor: Actor, max_bytes: int | None = None) -> ImportReport:
    """Import one HSDS file (JSON, CSV, zip or datapackage directory) all or nothing.

    Raises:
        PermissionDenied: ``actor`` may not run imports.
    """
    require_actor(actor, Action.RUN_IMPORTS)
    try:
        bundle = read_file(path, max_bytes=max_bytes) if max_bytes else read_file(path)
    except ImportFileError as exc:
        return ImportReport(source=path.name, rejections=[Rejection("file", "", "file", str(exc))])
    return import_bundle(bundle, actor=actor, source=path.name)


@dataclass
class ExportResult:
    paths: list[Path]
    records: int
    problems: list[str]


def export_directory(out: Path, *, fmt: str, public: bool, actor: Actor) -> ExportResult:
    """Write the directory as HSDS tabular JSON or a CSV datapackage,
    checked against the schemas. ``public`` leaves confidential places out.

    Raises:
        PermissionDenied: ``actor`` may not export, or may not see the
            confidential places a full export holds.
    """
    require_actor(actor, Action.RUN_IMPORTS)
    if not public:
        require_actor(actor, Action.VIEW_CONFIDENTIAL_PLACES)
    tables = export_tables(public=public)
    problems = validate_tables(tables)
    if fmt == "json":
        write_json(tables, out)
        paths = [out]
    elif fmt == "csv":
        paths = write_csv_package(tables, out)
    else:
        raise ValueError(f"Unknown export format {fmt!r}: use json or csv.")
    records = sum(len(rows) for rows in tables.values())
    record(
        actor,
        "export",
        object_type="resources.directory",
        detail={"format": fmt, "public": public, "records": records},
    )
    return ExportResult(paths, records, problems)
