"""Primary and complementary small-cell suppression (tsunagari.lib.disclosure)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagari.lib.disclosure import (
    Reason,
    TableProtection,
    is_small,
    protect_line,
    protect_table,
)

P, C = Reason.PRIMARY, Reason.COMPLEMENTARY
# Counts around a threshold of 5, zeros included, so that small cells are common.
COUNTS = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 30])


def _grid(table: list[list[int]], p: TableProtection) -> tuple[list[list[int]], list[list[bool]]]:
    """The table with its totals, and which of its entries are hidden."""
    values = [[*row, sum(row)] for row in table]
    values.append([sum(col) for col in zip(*values, strict=True)])
    hidden = [[*(r is not None for r in row), t is not None] for row, t in zip(p.cells, p.row_totals, strict=True)]  # fmt: skip
    hidden.append([*(r is not None for r in p.column_totals), p.grand_total is not None])
    return values, hidden


def _determined(values: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """Hidden entries a reader can solve for from every row and column equation.

    An unknown is determined exactly when its unit vector lies in the row space
    of the equations' coefficients on the unknowns.
    """
    rows, cols = len(values), len(values[0])
    unknowns = [(i, j) for i in range(rows) for j in range(cols) if hidden[i][j]]
    if not unknowns:
        return []
    index = {u: k for k, u in enumerate(unknowns)}
    equations = []
    for line in [[(i, j) for j in range(cols)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(cols)
    ]:
        # The last entry of each line is the sum of the others.
        coeffs = np.zeros(len(unknowns))
        for n, e in enumerate(line):
            if e in index:
                coeffs[index[e]] = -1.0 if n == len(line) - 1 else 1.0
        equations.append(coeffs)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    out = []
    for u, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(u)
    return out


# --- fixed small tables ---------------------------------------------------------


def test_it_marks_counts_from_one_to_under_the_threshold_as_small() -> None:
    assert [is_small(n, 5) for n in (0, 1, 4, 5, 6)] == [False, True, True, False, False]


def test_it_hides_a_second_cell_so_the_total_does_not_give_the_small_one_away() -> None:
    # given one small cell in a list with its total
    values = [12, 3, 8]
    # when the list is protected
    p = protect_line(values, 5)
    # then the small cell is primary and the smallest other cell complementary
    assert p.cells == (None, P, C)
    assert p.total is None
    assert p.apply(values) == [12, None, None]


def test_it_leaves_a_list_alone_when_two_cells_are_already_small() -> None:
    assert protect_line([12, 3, 2, 8], 5).cells == (None, P, P, None)


def test_it_never_hides_a_zero_nor_uses_one_as_protection() -> None:
    # given a small cell whose only smaller neighbour is a zero
    p = protect_line([0, 3, 40], 5)
    # then the zero stays shown and the 40 is hidden instead
    assert p.cells == (None, P, C)


def test_it_hides_the_total_when_no_other_cell_can_protect_the_small_one() -> None:
    # given a small cell beside zeros only: the total is the small count itself
    p = protect_line([0, 3, 0], 5)
    assert p.cells == (None, P, None)
    assert p.total is P


def test_it_hides_the_total_of_non_sensitive_cells_when_it_would_reveal() -> None:
    # given a sensitive small cell and a derived cell that is zero
    p = protect_line([3, 0], 5, sensitive=[True, False])
    # then the total (3, the small count) is hidden
    assert p.cells == (P, None) and p.total is P


def test_it_hides_a_derived_cell_to_protect_a_sensitive_one_without_hiding_it_for_itself() -> None:
    # given referrals: 3 with an outcome (small), 2 without (not shown as such)
    assert protect_line([3, 2], 5, sensitive=[True, False]).cells == (P, C)
    # and 40 with an outcome, 2 without: nothing to hide
    assert protect_line([40, 2], 5, sensitive=[True, False]).cells == (None, None)


def test_it_only_applies_primary_suppression_without_a_total() -> None:
    assert protect_line([12, 3, 8], 5, total=False).cells == (None, P, None)


def test_it_hides_forced_cells_and_protects_them_too() -> None:
    # given a cell another table of the page hides
    p = protect_line([12, 30, 8], 5, forced=[1])
    # then it is hidden, and so is the smallest other one
    assert p.cells == (None, C, C)


def test_it_shows_everything_with_a_threshold_of_one() -> None:
    assert protect_line([1, 2, 0], 1).suppressed == ()
    assert protect_table([[1, 2], [0, 1]], 1).suppressed == ()


def test_it_protects_a_two_way_table_on_rows_columns_and_totals() -> None:
    # given a table where today only the 3 would be hidden
    table = [[20, 3, 9], [15, 7, 30]]
    # when it is protected
    p = protect_table(table, 5)
    # then each line with a hidden cell has a second one, and nothing else is hidden
    assert p.suppressed == ((0, 1), (0, 2), (1, 1), (1, 2))
    assert p.cells[0][1] is P and p.cells[0][2] is C
    assert p.row_totals == (None, None) and p.column_totals == (None, None, None)
    assert p.grand_total is None


def test_it_hides_a_small_total_and_protects_it_among_the_totals() -> None:
    # given a column whose total is small (3) though its cells are all small too
    table = [[20, 1, 9], [15, 2, 30]]
    p = protect_table(table, 5)
    values, hidden = _grid(table, p)
    # then the column total is hidden and nothing hidden can be solved for
    assert p.column_totals[1] is P
    assert _determined(values, hidden) == []


def test_it_breaks_a_bridge_between_two_hidden_blocks() -> None:
    # given two 2x2 blocks of small cells joined by one more small cell
    table = [
        [2, 2, 0, 0, 50],
        [2, 2, 3, 0, 50],
        [0, 0, 2, 2, 50],
        [0, 0, 2, 2, 50],
        [50, 50, 50, 50, 50],
    ]
    p = protect_table(table, 5)
    values, hidden = _grid(table, p)
    # then the joining cell is not left as a bridge: it cannot be solved for
    assert p.cells[1][2] is P
    assert _determined(values, hidden) == []


def test_it_decides_the_same_way_every_time() -> None:
    table = [[5, 3, 9, 9], [9, 5, 1, 6], [7, 7, 7, 2]]
    assert protect_table(table, 5) == protect_table(table, 5)
    assert protect_line([9, 9, 3, 9], 5) == protect_line([9, 9, 3, 9], 5)
    # ties go to the first position
    assert protect_line([9, 9, 3, 9], 5).cells == (C, None, P, None)


def test_it_handles_empty_input() -> None:
    assert protect_line([], 5).cells == () and protect_line([], 5).total is None
    empty = protect_table([], 5)
    assert empty.cells == () and empty.grand_total is None
    assert protect_table([[]], 5).row_totals == (None,)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: protect_line([1, -2], 5), "cell 1: a count cannot be negative"),
        (lambda: protect_line([1.5], 5), "cell 0: a count must be a whole number"),  # type: ignore[list-item]
        (lambda: protect_line(["3"], 5), "a count must be a whole number"),  # type: ignore[list-item]
        (lambda: protect_line([True], 5), "a count must be a whole number"),
        (lambda: protect_line([1], 0), "threshold must be a whole number of 1 or more"),
        (lambda: protect_line([1], 5, sensitive=[True, False]), "sensitive has 2 entries"),
        (lambda: protect_line([1], 5, forced=[3]), "forced cell 3 is outside"),
        (lambda: protect_table([[1, 2], [3]], 5), "row 1 has 1 cells; row 0 has 2"),
        (lambda: protect_table([[1, -1]], 5), "row 0, column 1: a count cannot be negative"),
        (lambda: protect_table([[1]], 5, sensitive=[[True, True]]), "same shape"),
        (lambda: protect_table([[1]], 5, forced=[(0, 1)]), "outside the 1x1 table"),
    ],
)
def test_it_refuses_hostile_input_with_a_message_naming_the_problem(
    call: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_it_protects_huge_inputs_quickly() -> None:
    # given a list of 200,000 counts and a 60 x 60 table full of small cells
    started = time.perf_counter()
    line = protect_line([(i * 7919) % 13 for i in range(200_000)], 5)
    table = [[(i * 31 + j * 17) % 9 for j in range(60)] for i in range(60)]
    p = protect_table(table, 5)
    # then both are answered in seconds, and the table leaves nothing to solve for
    assert time.perf_counter() - started < 60
    assert len(line.cells) == 200_000
    _, hidden = _grid(table, p)
    assert all(sum(row) != 1 for row in hidden)
    assert all(sum(col) != 1 for col in zip(*hidden, strict=True))


# --- properties -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(values=st.lists(COUNTS, max_size=12), threshold=st.integers(1, 8))
def test_it_never_leaves_a_hidden_cell_of_a_list_to_be_worked_out(
    values: list[int], threshold: int
) -> None:
    p = protect_line(values, threshold)
    hidden = [r is not None for r in p.cells] + [p.total is not None]
    # no hidden entry is the only unknown of the line (cells + total)
    assert sum(hidden) != 1
    # every small count is hidden as primary; zeros are shown; shown counts are unchanged
    for v, r in zip(values, p.cells, strict=True):
        assert (r is P) == is_small(v, threshold)
        assert v > 0 or r is None
    assert [v for v, r in zip(values, p.cells, strict=True) if r is None] == [
        v for v in p.apply(values) if v is not None
    ]


@settings(max_examples=300, deadline=None)
@given(
    table=st.integers(1, 6).flatmap(
        lambda cols: st.lists(
            st.lists(COUNTS, min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    ),
    threshold=st.integers(1, 8),
)
def test_it_never_leaves_a_hidden_cell_of_a_table_to_be_worked_out(
    table: list[list[int]], threshold: int
) -> None:
    p = protect_table(table, threshold)
    values, hidden = _grid(table, p)
    rows, cols = len(values), len(values[0])
    # every line with a hidden entry has at least two (its total counts as one of the line)
    for i in range(rows):
        assert sum(hidden[i]) != 1
    for j in range(cols):
        assert sum(hidden[i][j] for i in range(rows)) != 1
    # and, stronger, the row and column equations together solve for no hidden entry
    assert _determined(values, hidden) == []
    # small counts are primary, zeros are never hidden, and the same table gives the same answer
    for i in range(rows):
        for j in range(cols):
            assert (hidden[i][j] and values[i][j] == 0) is False
            if is_small(values[i][j], threshold):
                assert hidden[i][j]
    assert protect_table(table, threshold) == p
