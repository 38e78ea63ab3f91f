"""Cells that go to spreadsheets (CSV and Excel exports). No Django import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

T = TypeVar("T")

# Spreadsheet programs run a text cell starting with one of these as a formula;
# Japanese Excel reads the full-width signs (typed with the IME on) as the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Blanks a spreadsheet may drop before reading the first sign (ideographic space included).
LEADING_BLANKS = " \t\r\n\u3000"


def safe_cell(value: T) -> T | str:
    """Neutralise a text value a spreadsheet would run as a formula (CSV injection).

    Args:
        value: any cell value; only strings are changed.

    Returns:
        The value, with a leading apostrophe when it is text starting like a formula.

    Example:
        >>> safe_cell("=HYPERLINK(1)")
        "'=HYPERLINK(1)"
        >>> safe_cell("　＝1+1")
        "'　＝1+1"
        >>> safe_cell(-3)
        -3
    """
    if isinstance(value, str) and (
        value.startswith(FORMULA_START) or value.lstrip(LEADING_BLANKS).startswith(FORMULA_START)
    ):
        return "'" + value
    return value


def add_sheet(
    book: Workbook,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    *,
    min_width: int = 10,
    width_scale: float = 1.0,
) -> Worksheet:
    """Add a sheet with a bold header, formula-safe cells and columns as wide as their text.

    A column is as wide as its longest text among the header and the first
    200 rows (times ``width_scale``: wide Japanese characters need more), at
    least ``min_width`` and at most 60.

    Example:
        >>> from openpyxl import Workbook
        >>> sheet = add_sheet(Workbook(), "t", ["名前"], [["=1+1"]])
        >>> sheet["A2"].value, sheet["A1"].font.bold
        ("'=1+1", True)
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for i, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[i - 1])) for r in rows[:200]]) + 2
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(60, max(min_width, width * width_scale))
    return sheet
