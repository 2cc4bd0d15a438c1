"""Disclosure control: small cells are suppressed, and no suppressed cell can be worked out from the
published cells and the row and column totals (property-based)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tipims.statistics.disclosure import recoverable_cells, suppress


def test_cells_under_k_are_suppressed_and_others_published():
    table = suppress([[3, 40, 25], [50, 60, 70], [12, 13, 80]])
    published = table.published()
    assert published[0][0] is None
    assert published[1] == [50, 60, 70]
    assert not recoverable_cells(table.values, table.suppressed)


def test_a_single_small_cell_in_a_breakdown_takes_a_companion():
    table = suppress([[3, 40, 25]])
    assert table.published() == [[None, 40, None]]


def test_zero_cells_are_published():
    table = suppress([[0, 40], [30, 20]])
    assert table.published() == [[0, 40], [30, 20]]


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=40), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=100, deadline=None)
@given(tables)
def test_no_suppressed_cell_can_be_recovered_from_totals(table):
    result = suppress(table, k=11)
    values = np.array(table)
    small = (values > 0) & (values < 11)
    assert (result.suppressed | ~small).all(), "every small cell is suppressed"
    if not result.totals_hidden:
        assert recoverable_cells(result.values, result.suppressed) == []
