"""The faster paths of the link engine give what the plain ones gave."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tsunagari.linkage.engine import InputError, load_records, model, normalise
from tsunagari.linkage.engine.backends import DuckDBBackend, _coded
from tsunagari.linkage.engine.households import _Dictionary, infer_households, person_table
from tsunagari.linkage.engine.reader import read_extract

from .helpers import HARD, HEADER, write_csv


def test_it_reads_each_distinct_value_once_per_run_and_forgets_it_after() -> None:
    records, _, _ = load_records(HARD)
    assert normalise._MEMO == {}
    again, _, _ = load_records(HARD)
    pd.testing.assert_frame_equal(records, again)
    # A run stopped at a bad file leaves values behind; the next run starts afresh.
    extract = read_extract(sorted(HARD.glob("*.csv"))[0])
    normalise.normalise_extract(extract)
    assert normalise._MEMO
    normalise.normalise_extract(extract)
    assert normalise._MEMO_SOURCES == {extract.source}
    normalise.clear_memo()


def test_codes_sort_like_the_strings_and_keep_nulls() -> None:
    values = pd.Series(
        ["北砂3-12-5", None, "亀戸1-2-3", "北砂3-12-5", "亀戸1-2-3#101"], dtype="string"
    )
    codes = _Dictionary(values).codes[0]
    assert codes[1] == -1
    assert codes[0] == codes[3]
    present = [v for v in values if isinstance(v, str)]
    by_code = [v for _, v in sorted(zip(codes[codes >= 0].tolist(), present, strict=True))]
    assert by_code == sorted(present)


def test_a_person_lives_where_others_live_then_where_most_records_say() -> None:
    # Person 0: registry at an old address alone, care at the family's home
    # (where person 1 lives) -> the family's home. Person 2: two records at
    # one address, one at another, nobody else at either -> the first.
    records = pd.DataFrame(
        {
            "person": [0, 0, 1, 2, 2, 2],
            "source": ["registry", "care", "registry", "registry", "care", "csw"],
            "addr_key": [
                "古石場1-1-1",
                "北砂3-12-5#201",
                "北砂3-12-5#201",
                "東陽1-1-1",
                "東陽1-1-1",
                "亀戸2-2-2",
            ],
            "addr_go": [
                "古石場1-1-1",
                "北砂3-12-5",
                "北砂3-12-5",
                "東陽1-1-1",
                "東陽1-1-1",
                "亀戸2-2-2",
            ],
            "household_ref": ["registry:1", None, "registry:2", "registry:3", None, None],
            "sur_kanji": ["山田", "山田", "山田", "佐藤", "佐藤", "佐藤"],
            "dob": ["1940-01-01", "1940-01-01", "1970-05-05", "1980-02-02", "1980-02-02", None],
        }
    ).astype(
        {
            c: "string"
            for c in ("source", "addr_key", "addr_go", "household_ref", "sur_kanji", "dob")
        }
    )
    people = person_table(records, date(2026, 4, 1))
    assert people["residence"].tolist() == ["北砂3-12-5#201", "北砂3-12-5#201", "東陽1-1-1"]
    # The registry's number counts only at the residence.
    assert pd.isna(people.loc[0, "registry_household"])
    assert people.loc[1, "registry_household"] == "registry:2"
    assert people.loc[0, "age"] == 86
    household = infer_households(people)
    assert household[0] == household[1] != household[2]


def test_coded_records_give_duckdb_the_same_pairs_and_scores(tmp_path: Path) -> None:
    records, _, _ = load_records(HARD)
    columns = [c for c in records.columns if not c.startswith("attr.")]
    columns = [c for c in columns if c not in ("record_id", "household_ref", "addr_room")]
    coded = _coded(records[columns])
    assert pa.types.is_integer(coded.schema.field("addr_go").type)
    assert pa.types.is_string(coded.schema.field("giv_kana").type) or pa.types.is_large_string(
        coded.schema.field("giv_kana").type
    )
    # Month and day share one code table: a swap still compares equal.
    month = np.asarray(coded.column("dob_m").to_numpy(zero_copy_only=False), dtype=float)
    day = np.asarray(coded.column("dob_d").to_numpy(zero_copy_only=False), dtype=float)
    text_month = records["dob_m"].to_numpy(dtype=object, na_value=None)
    text_day = records["dob_d"].to_numpy(dtype=object, na_value=None)
    both = ~np.isnan(month) & ~np.isnan(day)
    assert ((month == day)[both] == (text_month == text_day)[both]).all()

    def scored(frame: pd.DataFrame, coded_table: bool) -> pd.DataFrame:
        backend = DuckDBBackend(threads=1)
        try:
            if coded_table:
                linker = backend.linker(frame)
            else:
                backend.connection.register("plain", frame)
                backend.connection.execute("CREATE TABLE tsunagari_records AS SELECT * FROM plain")
                from splink import Linker

                table = backend.db_api.register("tsunagari_records", dataset_display_name="records")
                linker = Linker(table, model.settings(), log_level=None)
            predictions = linker.inference.predict(threshold_match_probability=0.01)
            result = backend.query(
                linker,
                f"SELECT uid_l, uid_r, match_probability FROM {predictions.physical_name}",  # noqa: S608
            )
        finally:
            backend.close()
        return result.sort_values(["uid_l", "uid_r"]).reset_index(drop=True)

    plain = scored(records[columns], coded_table=False)
    fast = scored(records[columns], coded_table=True)
    assert len(plain) > 0
    pd.testing.assert_frame_equal(plain[["uid_l", "uid_r"]], fast[["uid_l", "uid_r"]])
    assert np.allclose(plain["match_probability"], fast["match_probability"], atol=1e-12)


def test_bad_bytes_in_a_value_are_named_by_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "care.csv",
        HEADER,
        [
            ["K1", "", "山田 太郎", "ヤマダ タロウ", "1950-01-01", "1", "北砂3-12-5"],
            ["K2", "", "佐藤 花子", "サトウ ハナコ", "1951-02-02", "2", "北砂3-12-6"],
        ],
    )
    path.write_bytes(path.read_bytes().replace("佐藤".encode(), "佐藤".encode("cp932")))
    with pytest.raises(InputError, match=r"row 3.*UTF-8"):
        read_extract(path)
