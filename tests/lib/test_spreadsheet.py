"""The formula guard on cells that go to CSV and Excel exports."""

from __future__ import annotations

import pytest

from tsunagari.lib.spreadsheet import safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '＝HYPERLINK("http://x")',  # full-width equals sign
        "＋1+1",
        "－1+1",
        "＠SUM(A1)",
        " =1+1",  # a blank before the sign
        "\u3000＝1+1",  # an ideographic space before a full-width sign
        "\n=1+1",
        "\t \r=cmd|' /C calc'!A0",
    ],
)
def test_it_neutralises_full_width_signs_and_signs_after_blanks(text: str) -> None:
    # given text a spreadsheet would run as a formula
    # when it is made safe
    cell = safe_cell(text)
    # then it is kept, word for word, as text behind an apostrophe
    assert cell == "'" + text


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t1", "\r1", "\t", "\r"])
def test_it_still_neutralises_the_ascii_signs_a_tab_and_a_carriage_return(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["山田 太郎", "a=b", "1＝1", "", "   ", "\u3000", 0, -3, 2.5, None]
)
def test_it_leaves_text_that_does_not_start_like_a_formula(value: object) -> None:
    assert safe_cell(value) == value


def test_it_handles_a_huge_cell() -> None:
    text = " " * 100_000 + "＝1"
    assert safe_cell(text) == "'" + text


def test_a_sheet_has_a_bold_header_safe_cells_and_columns_as_wide_as_their_text() -> None:
    from openpyxl import Workbook

    from tsunagari.lib.spreadsheet import add_sheet

    sheet = add_sheet(Workbook(), "指標", ["c", "名前"], [["=1", "あ" * 30], ["b", "い"]],
                      min_width=8, width_scale=1.6)  # fmt: skip
    assert sheet.title == "指標" and sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet["A2"].value == "'=1"
    assert sheet.column_dimensions["A"].width == 8  # (2 + 2) * 1.6 is under the least
    assert sheet.column_dimensions["B"].width == 51.2  # (30 + 2) * 1.6
    wide = add_sheet(Workbook(), "t", ["x"], [["y" * 100]])
    assert wide.column_dimensions["A"].width == 60  # at most 60
