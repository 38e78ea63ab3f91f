"""Importers that write: a refused file leaves the database as it was.

The registry import and the survey check read arbitrary rows; they return a
report (rows rejected, nothing written) or raise their documented error, and
never leave half an import behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import CELL, EXAMPLES, FUZZ, QUOTING, csv_bytes
from tsunagari.people.importer import ImportFileError, import_registry

REGISTRY_HEADER = [
    "record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address", "phone",
]  # fmt: skip
#: Values that are sometimes valid, so some examples pass and are written.
VALUES = {
    "record_id": st.sampled_from(["R1", "R2", "", "R1 "]) | CELL,
    "resident_id": st.sampled_from(["1000000011", "1000000029", ""]) | CELL,
    "name_kanji": st.sampled_from(["山田 太郎", "髙橋　一郎", ""]) | CELL,
    "name_kana": st.sampled_from(["ヤマダ タロウ", "ﾀｶﾊｼ ｲﾁﾛｳ", ""]) | CELL,
    "birth_date": st.sampled_from(["昭和23年3月5日", "1979/12/31", "S25.6.1", "2月30日"]) | CELL,
    "sex": st.sampled_from(["1", "2", "男", "女", "9"]) | CELL,
    "address": st.sampled_from(["江東区北砂3-12-5", "北砂３－１２－５", ""]) | CELL,
    "phone": st.sampled_from(["03-3640-1234", "", "090"]) | CELL,
}
ROW = st.tuples(*(VALUES[c] for c in REGISTRY_HEADER)).map(list)


def _state() -> tuple[int, ...]:
    from tsunagari.audit.models import AuditEvent
    from tsunagari.people.models import Household, Membership, Person, PersonChange

    return tuple(
        m.objects.count() for m in (Person, Household, Membership, PersonChange, AuditEvent)
    )


@FUZZ
@given(st.lists(ROW, min_size=1, max_size=4), QUOTING, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_it_writes_all_or_nothing_of_any_registry_file(
    db: None, rows: list[list[str]], quoting: int, encoding: str
) -> None:
    # given a registry extract with arbitrary values
    path = Path(tempfile.mkdtemp(prefix="fuzz-")) / "registry.csv"
    path.write_bytes(csv_bytes(REGISTRY_HEADER, rows, quoting=quoting, encoding=encoding))
    before = _state()
    # when it is imported
    try:
        report = import_registry(path)
    except ImportFileError as refused:
        # then a refused file changes nothing and says why
        assert str(refused).strip()
        assert _state() == before
        return
    # then either every row was good and the file written, or nothing changed
    if report.rejected:
        event("rows rejected")
        assert not report.written
        assert _state() == before
    else:
        event("written")
        assert report.written


@FUZZ
@given(st.binary(max_size=300))
def test_it_refuses_any_bytes_as_a_registry_file_without_writing(db: None, data: bytes) -> None:
    path = Path(tempfile.mkdtemp(prefix="fuzz-")) / "registry.csv"
    path.write_bytes(data)
    before = _state()
    try:
        report = import_registry(path)
    except ImportFileError:
        assert _state() == before
        return
    assert report.written or _state() == before


SURVEY_VALUES = (
    st.sampled_from(
        [
            "",
            "1",
            "2",
            "3",
            "4",
            "99",
            "-1",
            "1.5",
            "北砂",
            "北砂,豊洲",
            "80",
            "abc",
            "１",
            "\u3000",
        ]
    )
    | CELL
)


@FUZZ
@given(
    st.lists(st.lists(SURVEY_VALUES, min_size=6, max_size=6), min_size=1, max_size=6),
    st.lists(
        st.sampled_from(
            [
                "respondent_id",
                "age",
                "town",
                "household",
                "direct",
                "ucla1",
                "ucla2",
                "ucla3",
                "contact",
                "help_seeking",
                "sex",
                "",
            ]
        ),
        min_size=6,
        max_size=6,
    ),
)
def test_it_checks_any_survey_answers_without_raising(
    rows: list[list[str]], targets: list[str]
) -> None:
    import pandas as pd

    from tsunagari.surveys.importing import check
    from tsunagari.surveys.reading import Table

    # given answers in six columns mapped onto arbitrary fields
    header = [f"q{i}" for i in range(6)]
    table = Table(header, pd.DataFrame(rows, columns=header, dtype=object))
    mapping = {target: column for target, column in zip(targets, header, strict=True) if target}
    # when they are checked, then the result names the problems instead of raising
    result = check(table, mapping, towns=["北砂", "豊洲"])
    assert result.rows == len(rows)


HSDS_FIXTURE = (
    Path(__file__).parents[1] / "resources" / "fixtures" / "hsds" / "organization_full.json"
)
HSDS_VALUES = st.none() | st.booleans() | st.integers(-5, 10**12) | CELL | st.just([]) | st.just({})


def _paths(document: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in a JSON document a value sits, as a path of keys and indexes."""
    if isinstance(document, dict):
        return [prefix] + [p for k, v in document.items() for p in _paths(v, (*prefix, k))]
    if isinstance(document, list):
        return [prefix] + [p for i, v in enumerate(document) for p in _paths(v, (*prefix, i))]
    return [prefix]


def _hsds_state() -> tuple[int, ...]:
    from tsunagari.audit.models import AuditEvent
    from tsunagari.resources.models import HsdsRecord, Location, Organization, Service

    return tuple(
        m.objects.count() for m in (Organization, Service, Location, HsdsRecord, AuditEvent)
    )


@settings(parent=FUZZ, max_examples=max(10, EXAMPLES // 4))  # each import is ~0.25 s
@given(st.data())
def test_it_imports_all_or_nothing_of_any_altered_hsds_document(
    db: None, data: st.DataObject
) -> None:
    import json

    from tsunagari.resources.services import import_file

    # given a valid HSDS organisation with one value replaced by anything
    document = json.loads(HSDS_FIXTURE.read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    target = document
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = data.draw(HSDS_VALUES)  # type: ignore[index]
    file = Path(tempfile.mkdtemp(prefix="fuzz-")) / "org.json"
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = _hsds_state()
    # when it is imported
    report = import_file(file, actor=None)
    # then a refused file changed nothing
    if report.refused:
        event("hsds refused")
        assert report.rejections[0].reason.strip()
        assert _hsds_state() == before
    else:
        event("hsds imported")
