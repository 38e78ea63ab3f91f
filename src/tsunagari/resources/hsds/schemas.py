"""The official HSDS 3.0 entity schemas (copied in schema/, CC BY-SA 4.0)
and the ward's profile extensions, as jsonschema validators."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

ENTITIES = (
    "organization",
    "program",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "funding",
    "service_area",
    "required_document",
    "language",
    "accessibility",
    "taxonomy_term",
    "metadata",
    "meta_table_description",
    "cost_option",
    "organization_identifier",
    "taxonomy",
)


@cache
def entity_schema(entity: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / f"{entity}.json").read_text(encoding="utf-8"))
    return data


TABLE_OF_ENTITY: dict[str, str] = {
    e: entity_schema(e)["path"].removesuffix(".csv") for e in ENTITIES
}
ENTITY_OF_TABLE: dict[str, str] = {t: e for e, t in TABLE_OF_ENTITY.items()}

# The structured accessibility profile of a place (7-1): each feature is
# "yes", "no" or "unknown" (not checked yet, never read as either), carried
# on the HSDS accessibility record as x_<feature>. The free-text note is the
# record's own ``details``; ``description`` is a plain summary of the features
# for readers that know nothing of the profile.
ACCESSIBILITY_FEATURES = (
    "step_free",
    "lift",
    "accessible_toilet",
    "hearing_loop",
    "braille",
    "seating",
    "parking",
    "quiet_room",
)
AVAILABILITY = ("yes", "no", "unknown")

# The ward's profile: extension fields (x_ prefix) and their types.
_AUDIENCE = {"type": "string", "pattern": r"^[a-z_]*(,[a-z_]+)*$", "maxLength": 120}
EXTENSIONS: dict[str, dict[str, Any]] = {
    "service": {
        "x_kind": {"type": "string", "pattern": r"^[a-z_]{1,32}$"},
        "x_audience": _AUDIENCE,
        "x_easy_description": {"type": "string"},
        # HSDS 3.0 has no translations: the English description and the
        # reading of the name are fields of the profile (kept in `extra`).
        "x_description_en": {"type": "string", "maxLength": 4000},
        "x_name_kana": {"type": "string", "maxLength": 300},
        "x_capacity": {"type": ["integer", "null"], "minimum": 0},
        "x_vacancies": {"type": ["integer", "null"], "minimum": 0},
        "x_confidential": {"type": "boolean"},
        "x_verified_by": {"type": "string", "maxLength": 150},
    },
    "location": {
        "x_town": {"type": "string", "maxLength": 40},
        "x_confidential": {"type": "boolean"},
    },
    "accessibility": {
        f"x_{feature}": {"type": "string", "enum": list(AVAILABILITY)}
        for feature in ACCESSIBILITY_FEATURES
    },
}


def fields_of(entity: str) -> dict[str, dict[str, Any]]:
    """Scalar fields of an entity (HSDS and extension) with their schema."""
    props: dict[str, dict[str, Any]] = {
        k: v
        for k, v in entity_schema(entity)["properties"].items()
        if v.get("type") not in ("array", None)
    }
    props.update(EXTENSIONS.get(entity, {}))
    return props


@cache
def _registry() -> Registry[Any]:
    registry: Registry[Any] = Registry()
    for entity in ENTITIES:
        registry = registry.with_resource(
            f"{entity}.json", DRAFT202012.create_resource(entity_schema(entity))
        )
    return registry


@cache
def _validator(entity: str) -> Draft202012Validator:
    schema: dict[str, Any] = {"$ref": f"{entity}.json"}
    ext = EXTENSIONS.get(entity)
    if ext:
        schema = {"allOf": [schema, {"properties": ext}]}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validate_record(entity: str, record: dict[str, Any]) -> list[str]:
    """Every reason ``record`` is not a valid HSDS ``entity`` (empty if valid).

    Example:
        >>> validate_record("taxonomy", {"id": "x", "name": "n"})[:1]
        ["'description' is a required property"]
    """
    reasons = []
    for error in sorted(
        _validator(entity).iter_errors(record), key=lambda e: list(e.absolute_path)
    ):
        where = ".".join(str(p) for p in error.absolute_path)
        message = error.message if len(error.message) < 300 else error.message[:300] + "…"
        reasons.append(f"{where}: {message}" if where else message)
    return reasons
