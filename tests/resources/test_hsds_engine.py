"""The plain-Python HSDS engine on arbitrary input: it reports, never crashes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagari.resources.hsds import bundle_from_json, bundle_from_tables
from tsunagari.resources.hsds.files import escape_cell, unescape_cell

KEYS = st.sampled_from(
    [
        "id",
        "name",
        "status",
        "services",
        "phones",
        "locations",
        "location_type",
        "contents",
        "schedules",
        "x_kind",
        "byday",
    ]
)
JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(KEYS | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_it_never_crashes_on_any_json_document(document: Any) -> None:
    # given any JSON value; when it is read as HSDS; then a bundle comes back
    bundle = bundle_from_json(document)
    # and anything it accepted has an id
    for rows in bundle.tables.values():
        assert all(isinstance(rid, str) for rid in rows)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["services", "phones", "nonsense"]), JSON, max_size=3))
def test_it_never_crashes_on_any_tabular_document(tables: dict[str, Any]) -> None:
    bundle = bundle_from_tables(tables)
    assert bundle.ok or bundle.rejections


@given(st.text())
def test_it_reads_back_every_escaped_csv_cell(value: str) -> None:
    # given any text; when escaped for CSV and read back; then it is unchanged
    assert unescape_cell(escape_cell(value)) == value
