from __future__ import annotations

from pathlib import Path

import pytest

from tsunagari.people.importer import ImportFileError, import_registry
from tsunagari.people.models import ChangeKind, Household, Membership, Person, PersonChange

HEADER = "record_id,resident_id,name_kanji,name_kana,birth_date,sex,address,phone,household_id,relation,care_level\n"
ROWS = [
    "R1,1000000011,山田　太郎,ヤマダ　タロウ,昭和23年3月5日,1,東京都江東区北砂三丁目12番5号,03-3640-1234,H001,世帯主,要介護2\n",
    "R2,1000000029,山田　花子,ﾔﾏﾀﾞ ﾊﾅｺ,S25.6.1,2,江東区北砂3-12-5,,H001,妻,\n",
    "R3,1000000037,髙橋　一郎,たかはし いちろう,1979/12/31,男,北砂３－１２－５,090-1111-2222,H002,世帯主,\n",
]


def write(tmp_path: Path, text: str | bytes, name: str = "registry.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_a_clean_file_with_households(db: None, tmp_path: Path) -> None:
    report = import_registry(write(tmp_path, "\ufeff" + HEADER + "".join(ROWS)))
    assert report.written and report.created == 3 and not report.rejected
    taro = Person.objects.get(resident_id="1000000011")
    assert taro.birth_date.isoformat() == "1948-03-05"
    assert taro.kana_key == "ヤマダタロウ"
    assert Household.objects.count() == 2
    assert Membership.objects.get(person=taro).relation == "世帯主"


def test_it_changes_nothing_when_the_same_file_comes_again(db: None, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "".join(ROWS))
    import_registry(path)
    before = list(Person.objects.order_by("id").values())
    again = import_registry(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Person.objects.order_by("id").values()) == before
    assert Membership.objects.count() == 3


def test_it_rejects_the_whole_file_and_lists_every_bad_row(db: None, tmp_path: Path) -> None:
    bad = [
        "R4,1000000045,,ヤマダ,1950-01-01,1,北砂3-1-1,,H003,世帯主,\n",
        "R5,1000000053,田中　一,タナカ,平成31年5月1日,1,北砂3-1-1,,H003,子,\n",
        "R1,1000000061,田中　二,タナカ,1960-01-01,X,北砂3-1-1,,H003,子,\n",
    ]
    report = import_registry(write(tmp_path, HEADER + "".join(ROWS) + "".join(bad)))
    assert not report.written
    assert Person.objects.count() == 0
    problems = {(r.row, r.column) for r in report.rejected}
    assert (5, "name_kanji") in problems
    assert (6, "birth_date") in problems
    assert (7, "record_id") in problems and (7, "sex") in problems
    assert any(
        "平成31年" in r.problem or "平成" in r.problem for r in report.rejected if r.row == 6
    )


def test_it_can_load_the_valid_rows_and_report_the_rest(db: None, tmp_path: Path) -> None:
    bad = "R9,1000000099,名前,カナ,not a date,1,北砂3-1-1,,H009,世帯主,\n"
    report = import_registry(write(tmp_path, HEADER + "".join(ROWS) + bad), skip_invalid=True)
    assert report.written and report.created == 3 and len(report.rejected) == 1


def test_it_keeps_moves_and_name_changes_as_history(db: None, tmp_path: Path) -> None:
    import_registry(write(tmp_path, HEADER + "".join(ROWS)))
    moved = (
        ROWS[1]
        .replace("山田　花子", "佐藤　花子")
        .replace("ﾔﾏﾀﾞ ﾊﾅｺ", "サトウ ハナコ")
        .replace("北砂3-12-5", "豊洲5-6-1")
        .replace("H001", "H010")
    )
    report = import_registry(write(tmp_path, HEADER + ROWS[0] + moved + ROWS[2], "second.csv"))
    assert report.updated == 1 and report.moved == 1
    hanako = Person.objects.get(resident_id="1000000029")
    kinds = set(PersonChange.objects.filter(person=hanako).values_list("kind", flat=True))
    assert kinds == {ChangeKind.NAME, ChangeKind.MOVE}
    assert Membership.objects.filter(person=hanako).count() == 2
    assert Membership.objects.get(person=hanako, until__isnull=True).household.number == "H010"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "not a text CSV file"),
        (
            b"record_id,resident_id,name_kanji,birth_date,address\nR1,1,\xff,x,y\n",
            "neither UTF-8 nor Shift_JIS",
        ),
        (b"", "empty"),
        ("record_id,name_kanji,birth_date\nR1,山田,1948-03-05\n".encode(), "resident_id"),
    ],
)
def test_it_refuses_files_it_cannot_read_with_a_clear_message(
    db: None, tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        import_registry(write(tmp_path, content))
    assert Person.objects.count() == 0


def test_it_imports_a_shift_jis_file_saved_by_excel(db: None, tmp_path: Path) -> None:
    # given the clean extract saved as CSV from Japanese Excel (CP932)
    path = write(tmp_path, (HEADER + "".join(ROWS)).encode("cp932"))
    # when imported
    report = import_registry(path)
    # then the names are read, not mojibake
    assert report.written and report.created == 3
    assert Person.objects.get(resident_id="1000000037").surname == "髙橋"


def test_it_names_the_row_and_column_of_bytes_it_cannot_read(db: None, tmp_path: Path) -> None:
    # given a UTF-8 extract whose third row has a value pasted in Shift_JIS
    text = HEADER + "".join(ROWS[:2])
    path = write(tmp_path, text.encode() + ROWS[2].replace("髙橋", "高橋").encode("cp932"))
    # when imported
    with pytest.raises(ImportFileError) as caught:
        import_registry(path)
    # then the report names row 4 and the name column, and nothing is stored
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (4, "name_kanji")
    assert "UTF-8" in str(caught.value)
    assert Person.objects.count() == 0


def test_it_stores_hostile_text_as_text(db: None, tmp_path: Path) -> None:
    row = 'R7,1000000077,"<script>alert(1)</script>　太郎",ヤマダ,1950-01-01,1,北砂3-1-1,,H007,世帯主,\n'
    report = import_registry(write(tmp_path, HEADER + row))
    assert report.written
    assert Person.objects.get(resident_id="1000000077").surname == "<script>alert(1)</script>"


def test_the_import_command_exits_non_zero_and_names_the_rows(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = write(tmp_path, HEADER + "R1,1000000011,,ヤマダ,1950-01-01,1,北砂3-1-1,,H1,世帯主,\n")
    with pytest.raises(CommandError, match="1 rejected row"):
        call_command("people", "import", str(path))
    assert "row 2 (record R1), column name_kanji" in capsys.readouterr().err


def test_an_extract_that_leaves_out_a_phone_or_reading_keeps_what_the_ward_holds(
    db: None, tmp_path: Path
) -> None:
    import_registry(write(tmp_path, HEADER + "".join(ROWS)))
    taro = Person.objects.get(resident_id="1000000011")
    held = (taro.phone, taro.phone_digits, taro.kana_key, taro.sex, taro.version)
    assert held[0] and held[2] and held[3]
    # The next month's extract has no phone or reading columns, and a blank sex
    slim = "record_id,resident_id,name_kanji,birth_date,sex,address,household_id,relation\n"
    rows = [
        "R1,1000000011,山田　太郎,昭和23年3月5日,,東京都江東区北砂三丁目12番5号,H001,世帯主\n",
        "R2,1000000029,山田　花子,S25.6.1,2,江東区北砂3-12-5,H001,妻\n",
        "R3,1000000037,髙橋　一郎,1979/12/31,男,北砂３－１２－５,H002,世帯主\n",
    ]
    report = import_registry(write(tmp_path, slim + "".join(rows), "slim.csv"))
    assert report.written and report.updated == 0 and report.unchanged == 3
    taro.refresh_from_db()
    assert (taro.phone, taro.phone_digits, taro.kana_key, taro.sex, taro.version) == held
    assert not PersonChange.objects.filter(person=taro).exists()


def test_an_extract_with_a_new_phone_still_changes_it(db: None, tmp_path: Path) -> None:
    import_registry(write(tmp_path, HEADER + "".join(ROWS)))
    moved = ROWS[0].replace("03-3640-1234", "03-0640-9999")
    report = import_registry(write(tmp_path, HEADER + moved, "next.csv"))
    assert report.updated == 1
    assert Person.objects.get(resident_id="1000000011").phone_digits == "0306409999"
