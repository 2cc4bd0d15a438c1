"""Disclosure control for every table that leaves the system.

Cells below the threshold k (11 by default, as the global counter-trafficking data collaborative uses)
are suppressed (primary suppression). Then secondary suppression hides further cells until no
suppressed cell can be worked out from the published cells and the row and column totals: for every
suppressed cell a linear program finds the smallest and largest value consistent with what is
published, and a cell whose range is a single value gets a companion suppressed in its row or column.
Zero cells are published: an empty cell reveals no person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

DEFAULT_K = 11


@dataclass(frozen=True)
class SuppressedTable:
    values: np.ndarray  # the original counts (never published)
    suppressed: np.ndarray  # bool mask of the same shape
    row_totals: np.ndarray
    column_totals: np.ndarray
    grand_total: int
    totals_hidden: bool = False  # when no cell could protect a small one, the totals must not be published

    def published(self) -> list[list[int | None]]:
        return [
            [None if hidden else int(value) for value, hidden in zip(row, mask, strict=True)]
            for row, mask in zip(self.values, self.suppressed, strict=True)
        ]


def _range_of(values: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int]) -> tuple[float, float]:
    """Smallest and largest value of ``cell`` given published cells and the row/column totals."""
    hidden = list(zip(*np.nonzero(suppressed), strict=True))
    index = {position: number for number, position in enumerate(hidden)}
    rows, columns = values.shape
    equations, targets = [], []
    # A one-row (or one-column) breakdown publishes only its line total: the cells are the other totals.
    for r in range(rows if columns > 1 else 0):
        coefficients = np.zeros(len(hidden))
        for c in range(columns):
            if suppressed[r, c]:
                coefficients[index[(r, c)]] = 1
        if coefficients.any():
            equations.append(coefficients)
            targets.append(values[r].sum() - values[r][~suppressed[r]].sum())
    for c in range(columns if rows > 1 else 0):
        coefficients = np.zeros(len(hidden))
        for r in range(rows):
            if suppressed[r, c]:
                coefficients[index[(r, c)]] = 1
        if coefficients.any():
            equations.append(coefficients)
            targets.append(values[:, c].sum() - values[:, c][~suppressed[:, c]].sum())
    if not equations:
        return 0.0, float("inf")
    objective = np.zeros(len(hidden))
    objective[index[cell]] = 1
    bounds = [(0, None)] * len(hidden)
    low = optimize.linprog(
        objective, A_eq=np.array(equations), b_eq=np.array(targets), bounds=bounds, method="highs"
    )
    high = optimize.linprog(
        -objective, A_eq=np.array(equations), b_eq=np.array(targets), bounds=bounds, method="highs"
    )
    upper = -high.fun if high.status == 0 else float("inf")
    return float(low.fun), float(upper)


def recoverable_cells(values: np.ndarray, suppressed: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells whose value the published cells and totals determine exactly."""
    return [
        (int(r), int(c))
        for r, c in zip(*np.nonzero(suppressed), strict=True)
        if (lambda bounds: bounds[1] - bounds[0] < 0.5)(_range_of(values, suppressed, (int(r), int(c))))
    ]


def _rectangle(values: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int]) -> list[tuple[int, int]]:
    """The cheapest other three corners of a rectangle through ``cell`` whose four cells are all
    positive: hidden together, the four can shift by one around the rectangle without changing any
    total, so none of them can be worked out. Empty when the table has no such rectangle."""
    r, c = cell
    rows, columns = values.shape
    best: tuple[float, list[tuple[int, int]]] | None = None
    for r2 in range(rows):
        for c2 in range(columns):
            if r2 == r or c2 == c:
                continue
            corners = [(r, c2), (r2, c), (r2, c2)]
            if any(values[corner] <= 0 for corner in corners):
                continue
            cost = sum(values[corner] for corner in corners if not suppressed[corner])
            if best is None or cost < best[0]:
                best = (cost, corners)
    return best[1] if best else []


def _line_companion(
    values: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int]
) -> tuple[int, int] | None:
    """For a table of one row or one column: the smallest other published positive cell."""
    r, c = cell
    line = (
        [(r, j) for j in range(values.shape[1])]
        if values.shape[0] == 1
        else [(i, c) for i in range(values.shape[0])]
    )
    candidates = [p for p in line if p != cell and not suppressed[p] and values[p] > 0]
    return min(candidates, key=lambda p: (values[p], p)) if candidates else None


def suppress(table, k: int = DEFAULT_K) -> SuppressedTable:
    """Primary and secondary suppression of a 2-D table of counts (rows × columns) with its totals."""
    values = np.asarray(table, dtype=float)
    if values.ndim != 2 or values.size == 0:
        raise ValueError("a table of counts needs rows and columns")
    if (values < 0).any() or (values != np.round(values)).any():
        raise ValueError("counts must be whole numbers ≥ 0")
    suppressed = (values > 0) & (values < k)
    totals_hidden = False
    while suppressed.any():
        exposed = recoverable_cells(values, suppressed)
        if not exposed:
            break
        one_line = 1 in values.shape
        if one_line:
            companion = _line_companion(values, suppressed, exposed[0])
            added = [companion] if companion else []
        else:
            added = [
                corner for corner in _rectangle(values, suppressed, exposed[0]) if not suppressed[corner]
            ]
        if not added:
            # No cell can hide it: only withholding the totals protects it.
            totals_hidden = True
            break
        for corner in added:
            suppressed[corner] = True
    return SuppressedTable(
        values=values,
        suppressed=suppressed,
        row_totals=values.sum(axis=1),
        column_totals=values.sum(axis=0),
        grand_total=int(values.sum()),
        totals_hidden=totals_hidden,
    )
