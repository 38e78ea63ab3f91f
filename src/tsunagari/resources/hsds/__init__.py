"""Open Referral HSDS 3.0: validation, nested <-> tabular conversion, file
reading and writing. Plain Python (no Django), so it is tested and reused
alone; :mod:`tsunagari.resources.importing` stores what it reads.

The common currency is a :class:`Bundle`: table name (``services``,
``locations`` …) -> HSDS id -> flat record, with every rejected record and
the reason.
"""

from __future__ import annotations

from tsunagari.resources.hsds.convert import (
    Bundle,
    Rejection,
    bundle_from_json,
    bundle_from_tables,
    nest,
)
from tsunagari.resources.hsds.files import (
    MAX_IMPORT_BYTES,
    read_file,
    write_csv_package,
    write_json,
)
from tsunagari.resources.hsds.schemas import ENTITY_OF_TABLE, TABLE_OF_ENTITY, validate_record

__all__ = [
    "ENTITY_OF_TABLE",
    "MAX_IMPORT_BYTES",
    "TABLE_OF_ENTITY",
    "Bundle",
    "Rejection",
    "bundle_from_json",
    "bundle_from_tables",
    "nest",
    "read_file",
    "validate_record",
    "write_csv_package",
    "write_json",
]
