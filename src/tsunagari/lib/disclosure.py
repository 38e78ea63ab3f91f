"""Small-cell suppression for published counts: primary and complementary. No Django import.

Every page, export and API answer that shows counts of people (or of their
consultations and referrals) decides what to hide here, with one threshold
(``settings.SMALL_CELL_MIN``, passed in by the caller).

* **Primary suppression** hides every *sensitive* count from 1 to
  ``threshold - 1``. Zero is published: a zero identifies no one, and hiding
  zeros would not protect anything else (a reader who knows a zero is
  structural could fill it back in), so a zero is never used as protection
  either. Totals are counts too: a total under the threshold is hidden.
* **Complementary suppression** then hides more cells until no hidden cell
  can be worked out from the cells and totals that are shown. In a line
  (a row or column with its total) one hidden cell is the total minus the
  shown ones, so every line holds none or at least two hidden entries; the
  extra one is the smallest non-zero shown cell of the line (a total only
  when no cell is left). In a table that is not always enough (two blocks
  of hidden cells joined by one hidden cell give that cell away), so tables
  are also checked as a whole: viewing rows and columns as the two sides of
  a graph with the hidden entries as edges, a hidden entry is recoverable
  exactly when its edge is a bridge; more cells are hidden until none is.
  Every hidden entry is non-zero, so each lies on a cycle along which the
  hidden values can move by one either way: never a single answer.

Callers must show primary and complementary cells with the same mark (a
different mark would tell a reader which hidden cell is the small one) and
must treat the totals of a table as published, which is what the functions
assume. Choices are deterministic: the same table always hides the same cells.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "LineProtection",
    "Reason",
    "TableProtection",
    "is_small",
    "protect_line",
    "protect_table",
]


class Reason(StrEnum):
    """Why an entry is hidden."""

    PRIMARY = "primary"  # a sensitive count from 1 to threshold - 1
    COMPLEMENTARY = "complementary"  # hidden so that a small one cannot be worked out


@dataclass(frozen=True, slots=True)
class LineProtection:
    """What to hide in one list of counts and its total (``None``: shown)."""

    cells: tuple[Reason | None, ...]
    total: Reason | None

    def hidden(self, index: int) -> bool:
        """True when cell ``index`` must not be shown."""
        return self.cells[index] is not None

    @property
    def suppressed(self) -> tuple[int, ...]:
        """The indices of the hidden cells, in order."""
        return tuple(i for i, r in enumerate(self.cells) if r is not None)

    def apply(self, values: Sequence[int]) -> list[int | None]:
        """``values`` with every hidden cell replaced by ``None``."""
        return [None if r is not None else v for v, r in zip(values, self.cells, strict=True)]


@dataclass(frozen=True, slots=True)
class TableProtection:
    """What to hide in a table of counts, its row and column totals and grand total."""

    cells: tuple[tuple[Reason | None, ...], ...]
    row_totals: tuple[Reason | None, ...]
    column_totals: tuple[Reason | None, ...]
    grand_total: Reason | None

    def hidden(self, row: int, column: int) -> bool:
        """True when the cell at ``row``, ``column`` must not be shown."""
        return self.cells[row][column] is not None

    @property
    def suppressed(self) -> tuple[tuple[int, int], ...]:
        """The (row, column) of every hidden cell, row by row."""
        return tuple(
            (i, j) for i, row in enumerate(self.cells) for j, r in enumerate(row) if r is not None
        )


def is_small(count: int, threshold: int) -> bool:
    """True for a count primary suppression hides: 1 to ``threshold - 1`` (zero is shown).

    Example:
        >>> [is_small(n, 5) for n in (0, 1, 4, 5)]
        [False, True, True, False]
    """
    return 0 < count < threshold


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of 1 or more, not {threshold!r}")


def _check_count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: a count must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{where}: a count cannot be negative ({value})")
    return value


def protect_line(
    values: Sequence[int],
    threshold: int,
    *,
    total: bool = True,
    sensitive: Sequence[bool] | None = None,
    forced: Collection[int] = (),
) -> LineProtection:
    """Decide which counts of one list (and its total) to hide.

    Args:
        values: the counts, each a whole number of 0 or more.
        threshold: the smallest count that may be shown (``SMALL_CELL_MIN``).
        total: whether the sum of ``values`` is published (or can be known)
            beside them; without it there is nothing to subtract from and
            only primary suppression applies.
        sensitive: per cell, whether primary suppression applies (default: all).
            A count the page never shows as such, but which the total gives
            away (the referrals *without* an outcome, say), is not sensitive
            but may be hidden to protect another. The total is sensitive when
            any cell is.
        forced: indices that must be hidden whatever their value (a cell the
            same page hides in another table); they count as complementary
            unless they are small themselves.

    Returns:
        ``LineProtection`` with a ``Reason`` per hidden cell and for the total.

    Raises:
        ValueError: a negative or non-whole count, a threshold under 1, a
            ``sensitive`` of another length or a ``forced`` index out of range.

    Example:
        >>> p = protect_line([12, 3, 8], 5)
        >>> p.apply([12, 3, 8]), p.total
        ([12, None, None], None)
    """
    _check_threshold(threshold)
    counts = [_check_count(v, f"cell {i}") for i, v in enumerate(values)]
    flags = [True] * len(counts) if sensitive is None else [bool(s) for s in sensitive]
    if len(flags) != len(counts):
        raise ValueError(f"sensitive has {len(flags)} entries for {len(counts)} cells")
    reasons: list[Reason | None] = [
        Reason.PRIMARY if flag and is_small(v, threshold) else None
        for v, flag in zip(counts, flags, strict=True)
    ]
    for i in forced:
        if not 0 <= i < len(counts):
            raise ValueError(f"forced cell {i} is outside the {len(counts)} cells")
        if reasons[i] is None:
            reasons[i] = Reason.COMPLEMENTARY
    whole = sum(counts)
    total_reason = Reason.PRIMARY if total and any(flags) and is_small(whole, threshold) else None
    if total:
        hidden = sum(r is not None for r in reasons) + (total_reason is not None)
        if hidden == 1:
            shown = [(v, i) for i, v in enumerate(counts) if reasons[i] is None and v > 0]
            if shown:
                reasons[min(shown)[1]] = Reason.COMPLEMENTARY
            else:
                total_reason = Reason.COMPLEMENTARY
    return LineProtection(tuple(reasons), total_reason)


def protect_table(
    cells: Sequence[Sequence[int]],
    threshold: int,
    *,
    sensitive: Sequence[Sequence[bool]] | None = None,
    forced: Collection[tuple[int, int]] = (),
) -> TableProtection:
    """Decide which cells of a two-way table, and which of its totals, to hide.

    Row totals, column totals and the grand total are taken as published
    (they are sums of the cells), so the result holds whether a page shows
    them or a reader can find them elsewhere.

    Args:
        cells: rows of counts, every row the same length, each count 0 or more.
        threshold: the smallest count that may be shown (``SMALL_CELL_MIN``).
        sensitive: per cell, whether primary suppression applies (default: all);
            a row or column total is sensitive when one of its cells is, the
            grand total when any cell is.
        forced: (row, column) cells that must be hidden whatever their value.

    Returns:
        ``TableProtection`` with a ``Reason`` per hidden cell and total.

    Raises:
        ValueError: rows of different lengths, a negative or non-whole count,
            a threshold under 1, a ``sensitive`` of another shape or a
            ``forced`` cell outside the table.

    Example:
        >>> p = protect_table([[20, 3], [15, 9]], 5)
        >>> p.suppressed, p.column_totals
        (((0, 0), (0, 1), (1, 0), (1, 1)), (None, None))
    """
    _check_threshold(threshold)
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    grid: list[list[int]] = []
    for i, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError(f"row {i} has {len(row)} cells; row 0 has {n_cols}")
        grid.append([_check_count(v, f"row {i}, column {j}") for j, v in enumerate(row)])
    if sensitive is None:
        flags = [[True] * n_cols for _ in range(n_rows)]
    else:
        flags = [[bool(s) for s in row] for row in sensitive]
        if len(flags) != n_rows or any(len(row) != n_cols for row in flags):
            raise ValueError("sensitive must have the same shape as cells")
    # The table with its totals as one (rows + 1) x (columns + 1) grid: the last
    # row holds the column totals, the last column the row totals.
    values = [[*row, sum(row)] for row in grid]
    values.append([sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols)])
    values[-1].append(sum(values[-1]))
    marks = [[*row, any(row)] for row in flags]
    marks.append([any(flags[i][j] for i in range(n_rows)) for j in range(n_cols)])
    marks[-1].append(any(marks[-1]))
    reasons: list[list[Reason | None]] = [
        [
            Reason.PRIMARY if marks[i][j] and is_small(values[i][j], threshold) else None
            for j in range(n_cols + 1)
        ]
        for i in range(n_rows + 1)
    ]
    for i, j in forced:
        if not (0 <= i < n_rows and 0 <= j < n_cols):
            raise ValueError(f"forced cell ({i}, {j}) is outside the {n_rows}x{n_cols} table")
        if reasons[i][j] is None:
            reasons[i][j] = Reason.COMPLEMENTARY
    if n_rows and n_cols:
        _complete(values, reasons, n_rows, n_cols)
    return TableProtection(
        cells=tuple(tuple(row[:n_cols]) for row in reasons[:n_rows]),
        row_totals=tuple(row[n_cols] for row in reasons[:n_rows]),
        column_totals=tuple(reasons[n_rows][:n_cols]),
        grand_total=reasons[n_rows][n_cols],
    )


def _complete(
    values: list[list[int]], reasons: list[list[Reason | None]], n_rows: int, n_cols: int
) -> None:
    """Add complementary cells to the grid (with totals) until no hidden entry is a bridge."""

    def key(i: int, j: int) -> tuple[bool, int, int, int]:
        # Inner cells before totals, then the smallest count, then the first position.
        return (i == n_rows or j == n_cols, values[i][j], i, j)

    def cheapest(entries: list[tuple[int, int]]) -> tuple[int, int] | None:
        free = [e for e in entries if reasons[e[0]][e[1]] is None and values[e[0]][e[1]] > 0]
        return min(free, key=lambda e: key(*e)) if free else None

    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    while True:
        # Cheap first pass: a line with exactly one hidden entry gives it away.
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(reasons[i][j] is not None for i, j in line) == 1:
                    pick = cheapest(line)
                    if pick is not None:
                        reasons[pick[0]][pick[1]] = Reason.COMPLEMENTARY
                        changed = True
        bridge = _first_bridge(reasons, n_rows, n_cols)
        if bridge is None:
            return
        i, j = bridge
        pick = cheapest(lines[i] + lines[n_rows + 1 + j])
        if pick is None:
            everything = [(a, b) for a in range(n_rows + 1) for b in range(n_cols + 1)]
            pick = cheapest(everything)
        if pick is None:  # cannot happen: with every non-zero entry hidden there is no bridge
            raise AssertionError("no cell left to hide")
        reasons[pick[0]][pick[1]] = Reason.COMPLEMENTARY


def _first_bridge(
    reasons: list[list[Reason | None]], n_rows: int, n_cols: int
) -> tuple[int, int] | None:
    """The first hidden entry (row by row) whose edge is a bridge of the row-column graph."""
    nodes = n_rows + 1 + n_cols + 1
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(nodes)]
    edges: list[tuple[int, int]] = []
    for i in range(n_rows + 1):
        for j in range(n_cols + 1):
            if reasons[i][j] is not None:
                e = len(edges)
                edges.append((i, j))
                adjacency[i].append((n_rows + 1 + j, e))
                adjacency[n_rows + 1 + j].append((i, e))
    order = [-1] * nodes
    low = [0] * nodes
    bridges: set[int] = set()
    counter = 0
    for root in range(nodes):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        # Iterative depth-first search: (node, edge it was reached by, next neighbour).
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, nxt = stack[-1]
            if nxt < len(adjacency[node]):
                stack[-1] = (node, via, nxt + 1)
                other, e = adjacency[node][nxt]
                if e == via:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, e, 0))
                else:
                    low[node] = min(low[node], order[other])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return min((edges[e] for e in bridges), default=None)
