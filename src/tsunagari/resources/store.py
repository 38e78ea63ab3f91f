"""HSDS records <-> database rows: the one import and the one export of the
directory, and the search columns derived from the records."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.resources.hsds import Bundle, Rejection, validate_record
from tsunagari.resources.hsds.schemas import (
    ACCESSIBILITY_FEATURES,
    ENTITY_OF_TABLE,
    TABLE_OF_ENTITY,
    fields_of,
)
from tsunagari.resources.models import (
    MODELS,
    Accessibility,
    Address,
    Attribute,
    Availability,
    CostOption,
    HsdsModel,
    HsdsRecord,
    Language,
    Location,
    Organization,
    ResourceKind,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from tsunagari.text.kana import to_katakana
from tsunagari.text.kanji import fold_kanji

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

# A service's columns that ``reindex`` derives from its records, for search.
DERIVED_FIELDS = (
    "search_text", "towns", "days", "language_codes", "is_free", "wheelchair", "access_features",
    "is_public",
)  # fmt: skip
# Columns that are ours only and never part of an HSDS record.
INTERNAL_FIELDS = frozenset({"id", "extra", "version", "awaiting_check", "last_editor",
                             *DERIVED_FIELDS})  # fmt: skip
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def normalise(text: str) -> str:
    """Search key: width and case folded, hiragana as katakana, variant kanji folded."""
    return fold_kanji(to_katakana(unicodedata.normalize("NFKC", text))).lower()


def hsds_fields(model: type[HsdsModel]) -> dict[str, models.Field[Any, Any]]:
    return {f.name: f for f in model._meta.concrete_fields if f.name not in INTERNAL_FIELDS}


def to_record(obj: HsdsModel) -> dict[str, Any]:
    """The flat HSDS record of a row: empty values left out, as HSDS expects."""
    out: dict[str, Any] = {"id": obj.id}
    for name in hsds_fields(type(obj)):
        value = getattr(obj, name)
        if value is None or value == "" or (name == "x_confidential" and value is False):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[name] = value
    for key, value in (obj.extra or {}).items():
        out.setdefault(key, value)
    return out


def _values(model: type[HsdsModel], row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = hsds_fields(model)
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in row.items():
        if key == "id":
            continue
        f = fields.get(key)
        if f is None:
            extra[key] = value
        elif value is None:
            values[key] = (
                None
                if f.null
                else (
                    "" if isinstance(f, (models.CharField, models.TextField)) else f.get_default()
                )
            )
        else:
            values[key] = value
    for name, f in fields.items():
        if name not in values:
            values[name] = None if f.null else f.get_default()
    return values, extra


@dataclass
class ImportReport:
    """What an import did, or why it was refused (then nothing changed)."""

    source: str
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def refused(self) -> bool:
        return bool(self.rejections)

    def lines(self) -> list[str]:
        if self.refused:
            head = f"{self.source}: refused, nothing was changed. {len(self.rejections)} record(s) rejected:"
            return [head, *(f"  - {r}" for r in self.rejections)]
        out = [
            f"{self.source}: imported. created {sum(self.created.values())}, "
            f"updated {sum(self.updated.values())}, unchanged {sum(self.unchanged.values())}."
        ]
        for table in sorted(set(self.created) | set(self.updated) | set(self.unchanged)):
            out.append(
                f"  {table}: +{self.created[table]} ~{self.updated[table]} ={self.unchanged[table]}"
            )
        out.extend(f"  note: {n}" for n in self.notes)
        return out


def import_bundle(
    bundle: Bundle, *, actor: Staff | AnonymousUser | None, source: str
) -> ImportReport:
    """Store a read bundle in one transaction; refuse it whole if any record
    was rejected. Repeating an import changes nothing (ids are HSDS ids)."""
    report = ImportReport(
        source=source,
        rejections=list(bundle.rejections) + _future_checks(bundle),
        notes=list(bundle.notes),
    )
    if report.refused:
        return report
    touched_services: set[str] = set()
    touched_locations: set[str] = set()
    with transaction.atomic():
        for table, rows in bundle.tables.items():
            model = MODELS.get(table)
            if model is None:
                _store_generic(table, rows, report)
                continue
            changed_ids = _store(model, rows, report)
            for rid in changed_ids:
                row = rows[rid]
                if model is Service:
                    touched_services.add(rid)
                elif model is Location:
                    touched_locations.add(rid)
                for key in ("service_id", "link_id"):
                    if row.get(key):
                        touched_services.add(str(row[key]))
                if row.get("location_id"):
                    touched_locations.add(str(row["location_id"]))
        if touched_locations:
            touched_services |= set(
                ServiceAtLocation.objects.filter(location_id__in=touched_locations).values_list(
                    "service_id", flat=True
                )
            )
        reindex(touched_services)
        total = {
            k: report.created[k] + report.updated[k]
            for k in set(report.created) | set(report.updated)
        }
        if any(total.values()):
            write_event(EventKind.DIRECTORY_IMPORTED, None,
                        actor if getattr(actor, "is_authenticated", False) else None,  # type: ignore[arg-type]
                        object_type="resources.import", object_id=source[-64:],
                        created=dict(report.created), updated=dict(report.updated))  # fmt: skip
            record(
                actor,
                "update",
                object_type="resources.import",
                object_id=source[-64:],
                detail={"created": dict(report.created), "updated": dict(report.updated)},
            )
    if report.created["services"] > 100:
        # Fresh statistics let the planner pick the covering search index
        # (SQLite) instead of scanning the table; both SQLite and PostgreSQL.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Service._meta.db_table}")
    return report


def _future_checks(bundle: Bundle) -> list[Rejection]:
    """A last-checked date (assured_date) after today is a typing error, and
    would keep the entry off the list of entries due for checking."""
    today = clock.today().isoformat()
    return [
        Rejection(
            "services",
            str(rid),
            "assured_date",
            f"assured_date {row['assured_date']} is in the future: give the day the entry"
            f" was last checked ({today} or earlier).",
        )
        for rid, row in bundle.tables.get("services", {}).items()
        if str(row.get("assured_date") or "")[:10] > today
    ]


def _store(
    model: type[HsdsModel], rows: dict[str, dict[str, Any]], report: ImportReport
) -> list[str]:
    table = model.hsds_table
    existing = model._default_manager.in_bulk(list(rows))
    new: list[HsdsModel] = []
    changed: list[HsdsModel] = []
    changed_ids: list[str] = []
    for rid, row in rows.items():
        values, extra = _values(model, row)
        obj = existing.get(rid)
        if obj is None:
            new.append(model(id=rid, extra=extra, **values))
            changed_ids.append(rid)
            continue
        if all(getattr(obj, k) == v for k, v in values.items()) and (obj.extra or {}) == extra:
            report.unchanged[table] += 1
            continue
        for k, v in values.items():
            setattr(obj, k, v)
        obj.extra = extra
        if isinstance(obj, Service):
            obj.version += 1
        changed.append(obj)
        changed_ids.append(rid)
    model._default_manager.bulk_create(new, batch_size=500)
    report.created[table] += len(new)
    if changed:
        names = [*hsds_fields(model), "extra"] + (["version"] if model is Service else [])
        model._default_manager.bulk_update(changed, names, batch_size=500)
        report.updated[table] += len(changed)
    return changed_ids


def _store_generic(table: str, rows: dict[str, dict[str, Any]], report: ImportReport) -> None:
    existing = {
        r.record_id: r for r in HsdsRecord.objects.filter(table=table, record_id__in=list(rows))
    }
    for rid, row in rows.items():
        obj = existing.get(rid)
        if obj is None:
            HsdsRecord.objects.create(table=table, record_id=rid, data=row)
            report.created[table] += 1
        elif obj.data != row:
            obj.data = row
            obj.save(update_fields=["data"])
            report.updated[table] += 1
        else:
            report.unchanged[table] += 1


# --- export ---------------------------------------------------------------


def export_tables(*, public: bool) -> dict[str, list[dict[str, Any]]]:
    """Every table of the directory as HSDS records, sorted by id.

    ``public`` leaves out confidential services and places and every record
    linked to them (addresses, phones, schedules …): for anything that
    leaves the ward's staff.
    """
    hidden_services: set[str] = set()
    hidden_locations: set[str] = set()
    hidden_sal: set[str] = set()
    if public:
        hidden_services = set(
            Service.objects.filter(
                models.Q(x_confidential=True) | models.Q(awaiting_check=True)
            ).values_list("id", flat=True)
        )
        hidden_locations = set(
            Location.objects.filter(x_confidential=True).values_list("id", flat=True)
        )
        hidden_sal = set(
            ServiceAtLocation.objects.filter(
                models.Q(service_id__in=hidden_services)
                | models.Q(location_id__in=hidden_locations)
            ).values_list("id", flat=True)
        )
    hidden = hidden_services | hidden_locations | hidden_sal
    tables: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITY_OF_TABLE.values():
        table = TABLE_OF_ENTITY[entity]
        model = MODELS.get(table)
        if model is not None:
            rows = [
                to_record(obj)
                for obj in model._default_manager.order_by("id").iterator(chunk_size=2000)
            ]
        else:
            rows = [r.data for r in HsdsRecord.objects.filter(table=table).order_by("record_id")]
        if public and hidden:
            rows = [r for r in rows if not _linked_to(r, hidden)]
        if public:
            rows = [{k: v for k, v in r.items() if k != "x_confidential"} for r in rows]
        if rows:
            tables[table] = rows
    if public and hidden:
        # Contacts' phones of a hidden place's contacts go with them.
        kept_contacts = {r["id"] for r in tables.get("contacts", [])}
        if "phones" in tables:
            tables["phones"] = [
                r
                for r in tables["phones"]
                if not r.get("contact_id") or r["contact_id"] in kept_contacts
            ]
    return tables


def _linked_to(row: dict[str, Any], hidden: set[str]) -> bool:
    if row.get("id") in hidden:
        return True
    return any(
        row.get(key) in hidden
        for key in ("service_id", "location_id", "service_at_location_id", "link_id", "resource_id")
    )


def validate_tables(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Check an export against the HSDS schemas; every problem found."""
    problems: list[str] = []
    for table, rows in tables.items():
        entity = ENTITY_OF_TABLE[table]
        for row in rows:
            problems.extend(
                f"{table} {row.get('id')}: {reason}" for reason in validate_record(entity, row)
            )
    return problems


# --- derived search columns ----------------------------------------------------


def _bars(values: Iterable[str]) -> str:
    """``|a|b|`` (each value fenced, so ``towns__contains="|北砂|"`` finds one), "" for none."""
    text = "".join(f"|{v}" for v in values)
    return f"{text}|" if text else ""


def _days(schedules: Iterable[Schedule]) -> set[str]:
    days: set[str] = set()
    for s in schedules:
        for token in (s.byday or "").split(","):
            token = token.strip().upper()
            if token[-2:] in WEEKDAYS:
                days.add(token[-2:])
    return days


# Readings and other names people type for each kind.
KIND_ALIASES: dict[str, str] = {
    ResourceKind.KODOMO_SHOKUDO: "こども食堂 こどもしょくどう kodomo shokudo",
    ResourceKind.LONGEVITY_CENTRE: "地域包括支援センター ほうかつ ちょうじゅ 介護 高齢者",
    ResourceKind.SALON: "さろん サロン",
    ResourceKind.KAYOI: "かよいのば 体操",
    ResourceKind.IBASHO: "いばしょ",
    ResourceKind.CAFE: "かふぇ cafe",
    ResourceKind.VOLUNTEERING: "ぼらんてぃあ volunteer",
    ResourceKind.JOB_SUPPORT: "しごと 仕事 就労 job",
    ResourceKind.CONSULTATION: "そうだん 相談",
}
_FREE_WORDS = ("無料", "free")


def reindex(service_ids: Iterable[str]) -> int:
    """Recompute the search and filter columns of the given services."""
    ids = list(set(service_ids))
    done = 0
    for start in range(0, len(ids), 500):
        done += _reindex_chunk(ids[start : start + 500])
    return done


def _reindex_chunk(ids: list[str]) -> int:
    services = list(Service.objects.filter(id__in=ids))
    if not services:
        return 0
    sals = list(ServiceAtLocation.objects.filter(service_id__in=ids))
    loc_ids = {s.location_id for s in sals}
    locations = Location.objects.in_bulk(list(loc_ids))
    by_service_loc: dict[str, list[Location]] = defaultdict(list)
    for sal in sals:
        if sal.location_id in locations:
            by_service_loc[sal.service_id].append(locations[sal.location_id])
    addresses: dict[str, list[Address]] = defaultdict(list)
    for a in Address.objects.filter(location_id__in=loc_ids):
        addresses[a.location_id].append(a)
    profiles = profiles_of(loc_ids)
    schedules: dict[str, list[Schedule]] = defaultdict(list)
    sal_service = {sal.id: sal.service_id for sal in sals}
    for s in Schedule.objects.filter(
        models.Q(service_id__in=ids) | models.Q(service_at_location_id__in=list(sal_service))
    ):
        schedules[s.service_id or sal_service.get(s.service_at_location_id, "")].append(s)
    languages: dict[str, set[str]] = defaultdict(set)
    for lang in Language.objects.filter(
        models.Q(service_id__in=ids) | models.Q(location_id__in=loc_ids)
    ):
        code = (lang.code or "").lower()
        if lang.service_id:
            languages[lang.service_id].add(code)
        else:
            for sal in sals:
                if sal.location_id == lang.location_id:
                    languages[sal.service_id].add(code)
    costs: dict[str, list[CostOption]] = defaultdict(list)
    for c in CostOption.objects.filter(service_id__in=ids):
        costs[c.service_id].append(c)
    terms: dict[str, list[str]] = defaultdict(list)
    attrs = list(Attribute.objects.filter(link_id__in=ids))
    term_names = dict(
        TaxonomyTerm.objects.filter(id__in={attr.taxonomy_term_id for attr in attrs}).values_list(
            "id", "name"
        )
    )
    for attr in attrs:
        terms[attr.link_id].append(term_names.get(attr.taxonomy_term_id, ""))
    areas: dict[str, set[str]] = defaultdict(set)
    for area in HsdsRecord.objects.filter(table="service_areas", data__service_id__in=ids):
        if area.data.get("name"):
            areas[str(area.data["service_id"])].add(str(area.data["name"]))
    orgs = dict(
        Organization.objects.filter(id__in={s.organization_id for s in services}).values_list(
            "id", "name"
        )
    )
    kinds = {str(k): str(v) for k, v in ResourceKind.choices}
    for svc in services:
        places = [loc for loc in by_service_loc[svc.id] if not loc.x_confidential]
        towns = {loc.x_town for loc in places if loc.x_town} | areas[svc.id]
        texts = [
            svc.name,
            svc.alternate_name,
            svc.description,
            svc.x_easy_description,
            svc.eligibility_description,
            orgs.get(svc.organization_id, ""),
            str(kinds.get(svc.x_kind, "")),
            KIND_ALIASES.get(svc.x_kind, ""),
            *terms[svc.id],
        ]
        for loc in places:
            texts += [loc.name, loc.x_town, *(a.address_1 for a in addresses[loc.id])]
        svc.search_text = normalise(" ".join(t for t in texts if t))
        svc.towns = _bars(sorted(towns))
        days = _days(schedules[svc.id])
        svc.days = _bars(d for d in WEEKDAYS if d in days)
        svc.language_codes = _bars(sorted({c for c in languages[svc.id] if c}))
        svc.is_free = any(
            c.amount == 0 or any(w in (c.option or "").lower() for w in _FREE_WORDS)
            for c in costs[svc.id]
        ) or ("無料" in svc.fees_description)
        # The structured profile, never words in a description: a feature
        # counts where a public place of the service has it checked "yes".
        has = {
            feature
            for loc in places
            if loc.id in profiles
            for feature, value in profiles[loc.id].features().items()
            if value == Availability.YES
        }
        svc.access_features = _bars(f for f in ACCESSIBILITY_FEATURES if f in has)
        svc.wheelchair = "step_free" in has
        svc.is_public = (
            not svc.x_confidential
            and not svc.awaiting_check
            and svc.status in (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
        )
    Service.objects.bulk_update(services, list(DERIVED_FIELDS), batch_size=500)
    return len(services)


def profiles_of(location_ids: Iterable[str]) -> dict[str, Accessibility]:
    """The accessibility record carrying each location's profile: its first by id."""
    out: dict[str, Accessibility] = {}
    for acc in Accessibility.objects.filter(location_id__in=list(location_ids)).order_by("id"):
        out.setdefault(acc.location_id, acc)
    return out


def model_fields_for_entity(entity: str) -> list[str]:
    return list(fields_of(entity))
