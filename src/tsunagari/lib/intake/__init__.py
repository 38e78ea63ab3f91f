"""One intake for every uploaded or imported table file (no Django import).

Survey uploads and the survey command, the registry import, HSDS tables and
linkage extracts all read files here, so they accept the same encodings
(UTF-8 with or without BOM, Shift_JIS/CP932 as Excel saves it), the same
Excel workbooks, and refuse a broken file with the same report: problems
naming file, row (header = row 1), column, the bad value and what to fix,
in Japanese and English. Storing nothing unless the whole file passes stays
each importer's duty.

Example:
    >>> from tsunagari.lib import intake
    >>> table = intake.read_table("id,町名\\nA1,豊洲\\n".encode("cp932"), name="a.csv")
    >>> list(table.dicts())
    [{'id': 'A1', '町名': '豊洲'}]
    >>> try:
    ...     intake.read_table(b"id\\n\\xff\\n", name="b.csv")
    ... except intake.Rejected as refused:
    ...     print(refused.problem.where("en"))
    row 2, column id
"""

from __future__ import annotations

from tsunagari.lib.intake.decoding import Decoded, decode, locate, read_source, to_utf8
from tsunagari.lib.intake.excel import cell_text, sheet_names
from tsunagari.lib.intake.problems import Problem, Rejected, RejectReport, shorten
from tsunagari.lib.intake.tables import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    Required,
    Table,
    column_name,
    file_kind,
    parse_text,
    read_header,
    read_table,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_ROWS",
    "Decoded",
    "Problem",
    "RejectReport",
    "Rejected",
    "Required",
    "Table",
    "cell_text",
    "column_name",
    "decode",
    "file_kind",
    "locate",
    "parse_text",
    "read_header",
    "read_source",
    "read_table",
    "sheet_names",
    "shorten",
    "to_utf8",
]
