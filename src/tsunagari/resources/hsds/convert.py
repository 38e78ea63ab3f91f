"""Nested HSDS objects <-> flat tables, with validation on the way in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tsunagari.resources.hsds.schemas import (
    ENTITY_OF_TABLE,
    TABLE_OF_ENTITY,
    entity_schema,
    fields_of,
    validate_record,
)

# entity -> (key in the nested object, child entity, link column on the child)
CHILDREN: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organization": (
        ("funding", "funding", "organization_id"),
        ("contacts", "contact", "organization_id"),
        ("phones", "phone", "organization_id"),
        ("locations", "location", "organization_id"),
        ("programs", "program", "organization_id"),
        ("organization_identifiers", "organization_identifier", "organization_id"),
        ("services", "service", "organization_id"),
    ),
    "service": (
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("required_documents", "required_document", "service_id"),
        ("contacts", "contact", "service_id"),
    ),
    "location": (
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("contacts", "contact", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ),
    "service_at_location": (
        ("contacts", "contact", "service_at_location_id"),
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ),
    "contact": (("phones", "phone", "contact_id"),),
    "phone": (("languages", "language", "phone_id"),),
}
# entity -> (key of a single nested object, its entity, link column on the parent)
SINGLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "service": (
        ("organization", "organization", "organization_id"),
        ("program", "program", "program_id"),
    ),
    "service_at_location": (
        ("location", "location", "location_id"),
        ("service", "service", "service_id"),
    ),
    "attribute": (("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}
# Any entity may carry attributes (linked by link_id) and metadata (resource_id).
_LINKED = (("attributes", "attribute", "link_id"), ("metadata", "metadata", "resource_id"))
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}
API_ROOT_KEYS = {"version", "profile", "openapi_url"}


@dataclass(frozen=True)
class Rejection:
    """One record that cannot be imported, and why."""

    table: str
    record_id: str
    where: str
    reason: str

    def __str__(self) -> str:
        ident = f" id={self.record_id}" if self.record_id else ""
        return f"{self.table}{ident} ({self.where}): {self.reason}"


@dataclass
class Bundle:
    """Flat HSDS tables read from one file, with what was rejected."""

    tables: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())

    def reject(self, table: str, record_id: object, where: str, reason: str) -> None:
        rid = record_id if isinstance(record_id, str) else ""
        self.rejections.append(Rejection(table, rid[:64], where, reason))

    def add(self, entity: str, record: dict[str, Any], where: str, *, strict: bool) -> None:
        """Add a flat record; a repeated id must agree field by field (nested
        documents repeat shared records) and is refused outright when ``strict``."""
        table = TABLE_OF_ENTITY[entity]
        rows = self.tables.setdefault(table, {})
        rid = record["id"]
        existing = rows.get(rid)
        if existing is None:
            rows[rid] = record
            return
        if strict:
            self.reject(
                table, rid, where, "duplicate id: this id appears more than once in the table"
            )
            return
        for key, value in record.items():
            if value in (None, ""):
                continue
            if existing.get(key) in (None, ""):
                existing[key] = value
            elif existing[key] != value:
                self.reject(
                    table,
                    rid,
                    where,
                    f"duplicate id with a different {key!r}: {existing[key]!r} vs {value!r}",
                )
                return


def _check(bundle: Bundle, entity: str, record: dict[str, Any], where: str) -> bool:
    reasons = validate_record(entity, record)
    for reason in reasons:
        bundle.reject(TABLE_OF_ENTITY[entity], record.get("id"), where, reason)
    return not reasons


def _flatten(bundle: Bundle, entity: str, obj: Any, where: str) -> str | None:
    """Validate ``obj`` as ``entity``, add it and its nested records; return its id."""
    table = TABLE_OF_ENTITY[entity]
    if not isinstance(obj, dict):
        bundle.reject(table, "", where, f"expected an object, found {type(obj).__name__}")
        return None
    nested = CHILDREN.get(entity, ()) + _LINKED
    singles = SINGLES.get(entity, ())
    nested_keys = {key for key, _, _ in nested} | {key for key, _, _ in singles}
    flat = {k: v for k, v in obj.items() if k not in nested_keys}
    rid = flat.get("id")
    for key, child_entity, link in singles:
        child = obj.get(key)
        if child is None:
            continue
        child_id = _flatten(bundle, child_entity, child, f"{where}.{key}")
        if child_id and not flat.get(link):
            flat[link] = child_id
    valid = _check(bundle, entity, flat, where)
    for key, child_entity, link in nested:
        children = obj.get(key)
        if children is None:
            continue
        if not isinstance(children, list):
            bundle.reject(table, rid, f"{where}.{key}", f"{key!r} must be a list")
            continue
        child_fields = entity_schema(child_entity)["properties"]
        for i, child in enumerate(children):
            if (
                isinstance(child, dict)
                and isinstance(rid, str)
                and link in child_fields
                and not child.get(link)
            ):
                child = {**child, link: rid}
                if child_entity == "attribute" and not child.get("link_entity"):
                    child["link_entity"] = entity
                if child_entity == "metadata" and not child.get("resource_type"):
                    child["resource_type"] = entity
            _flatten(bundle, child_entity, child, f"{where}.{key}[{i}]")
    if valid:
        bundle.add(entity, flat, where, strict=False)
        return str(rid)
    return None


def _guess_entity(obj: dict[str, Any]) -> str:
    keys = set(obj)
    if "location_type" in keys:
        return "location"
    if "status" in keys:
        return "service"
    if keys & {"taxonomy_detail", "term_uri", "parent_id", "taxonomy_id", "code", "taxonomy"}:
        return "taxonomy_term"
    if "name" not in keys and keys & {"service_id", "location_id", "location", "service"}:
        return "service_at_location"
    taxonomy_keys = {"id", "name", "description", "uri", "version", "metadata"}
    if keys <= taxonomy_keys and keys & {"uri", "version"}:
        return "taxonomy"
    return "organization"


def bundle_from_json(document: Any, *, entity: str | None = None) -> Bundle:
    """Read any HSDS JSON document: one object, a list, an API page
    (``contents``) or the tabular form (``{"services.csv": [...]}``)."""
    bundle = Bundle()
    if isinstance(document, dict) and document and all(str(k).endswith(".csv") for k in document):
        tables = {str(k).removesuffix(".csv"): v for k, v in document.items()}
        return bundle_from_tables(tables)
    if isinstance(document, dict) and set(document) <= API_ROOT_KEYS and document:
        bundle.notes.append("HSDS API root document: describes an API and holds no records.")
        return bundle
    if isinstance(document, dict) and "contents" in document and set(document) <= PAGE_KEYS:
        document = document["contents"]
    items = document if isinstance(document, list) else [document]
    if not items:
        bundle.notes.append("The document holds no records.")
    for i, item in enumerate(items):
        where = f"[{i}]" if isinstance(document, list) else "$"
        if not isinstance(item, dict):
            bundle.reject("?", "", where, f"expected an HSDS object, found {type(item).__name__}")
            continue
        _flatten(bundle, entity or _guess_entity(item), item, where)
    return bundle


def _coerce(value: Any, spec: Mapping[str, Any]) -> Any:
    """A CSV cell as the JSON type the schema asks for (left as is if it
    cannot be converted, so validation names the problem)."""
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kinds == ["string"]:
        # Tabular data is typed by column; an identifier like 1234567 is text.
        return str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if "integer" in kinds or "number" in kinds:
        try:
            number = float(text)
        except ValueError:
            return value
        if number.is_integer() and ("integer" in kinds or "." not in text):
            return int(number)
        return number
    if "boolean" in kinds:
        lowered = text.lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no"}:
            return False
    return value


def bundle_from_tables(tables: Mapping[str, Any], *, from_csv: bool = False) -> Bundle:
    """Read flat tables (table name -> list of records), as in the HSDS
    tabular form. Every record is validated against its entity's schema."""
    bundle = Bundle()
    for table, rows in tables.items():
        entity = ENTITY_OF_TABLE.get(table)
        if entity is None:
            bundle.reject(table, "", table, f"unknown HSDS table {table!r}")
            continue
        if not isinstance(rows, list):
            bundle.reject(table, "", table, "a table must be a list of records")
            continue
        specs = fields_of(entity)
        for i, row in enumerate(rows):
            where = f"{table} row {i + 2 if from_csv else i + 1}"
            if not isinstance(row, dict):
                bundle.reject(table, "", where, f"expected an object, found {type(row).__name__}")
                continue
            if from_csv:
                row = {
                    k: _coerce(v, specs.get(k, {}))
                    for k, v in row.items()
                    if k and v not in (None, "")
                }
            else:
                row = {
                    k: _coerce(v, specs[k]) if k in specs and not isinstance(v, str) else v
                    for k, v in row.items()
                }
            if _check(bundle, entity, row, where):
                bundle.add(entity, dict(row), where, strict=True)
    return bundle


Lookup = Callable[[str, str, str], Iterable[dict[str, Any]]]
Fetch = Callable[[str, str], dict[str, Any] | None]


def nest(
    entity: str, record: dict[str, Any], children: Lookup, fetch: Fetch, depth: int = 0
) -> dict[str, Any]:
    """Build the nested HSDS object for ``record`` from flat tables.

    ``children(table, link_column, id)`` lists linked records;
    ``fetch(table, id)`` gets one record or None.
    """
    out = dict(record)
    rid = str(record.get("id", ""))
    for key, child_entity, link in CHILDREN.get(entity, ()):
        if entity == "organization" and key in {"services", "locations"} and depth > 0:
            continue
        rows = [
            nest(child_entity, row, children, fetch, depth + 1)
            for row in children(TABLE_OF_ENTITY[child_entity], link, rid)
        ]
        if rows:
            out[key] = rows
    for key, child_entity, link in SINGLES.get(entity, ()):
        if entity == "service_at_location" and key == "service":
            continue
        linked_id = record.get(link)
        if linked_id:
            child = fetch(TABLE_OF_ENTITY[child_entity], str(linked_id))
            if child is not None:
                out[key] = (
                    nest(child_entity, child, children, fetch, depth + 1) if depth < 3 else child
                )
    attributes = [
        nest("attribute", row, children, fetch, depth + 1)
        for row in children("attributes", "link_id", rid)
    ]
    if attributes:
        out["attributes"] = attributes
    return out
