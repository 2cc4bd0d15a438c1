"""Public aggregate tables: HXL row, disclosure control, suppressed cells blank and flagged."""

from __future__ import annotations

import csv
from collections import Counter

from tests.exchange.conftest import record_victim
from tipims.accounts.roles import Role
from tipims.exchange import hxl


def test_a_small_cell_and_the_cell_that_would_reveal_it_are_blank_and_flagged():
    counts = Counter(
        {("GT", "F"): 40, ("GT", "M"): 30, ("HN", "F"): 25, ("HN", "M"): 13, ("SV", "M"): 4, ("SV", "F"): 12}
    )
    rows = {(r[0], r[1]): (r[2], r[3]) for r in hxl.table_rows(counts)}
    assert rows[("SV", "M")] == ("", "suppressed")
    hidden = [key for key, (value, flag) in rows.items() if flag == "suppressed"]
    assert len([key for key in hidden if hxl.TOTAL not in key]) >= 2  # secondary suppression: a companion
    assert rows[(hxl.TOTAL, hxl.TOTAL)] == (124, "")
    assert rows[("SV", hxl.TOTAL)] == (16, "")


def test_the_public_tables_carry_the_hxl_row_and_hide_small_counts(caseworker, user_with_role, tmp_path):
    for number in range(3):
        record_victim(caseworker, given=f"V{number}")
    paths = hxl.export_public_tables(user_with_role(Role.COORDINATOR), tmp_path)
    with open(paths[0], encoding="utf-8") as handle:
        header, tags, *body = list(csv.reader(handle))
    assert header == ["nationality", "sex", "victims", "suppressed"]
    assert tags[0].startswith("#country") and tags[-1] == "#meta+suppressed"
    cells = {(row[0], row[1]): row[2:] for row in body}
    assert cells[("HN", "Feminine")] == ["", "suppressed"]  # 3 victims: under k = 11
    assert cells[(hxl.TOTAL, hxl.TOTAL)] == ["", "suppressed"]  # the only cell: its total would reveal it
