"""Cells that go to spreadsheets (CSV and Excel exports). No Django import."""

from __future__ import annotations

from typing import TypeVar

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
