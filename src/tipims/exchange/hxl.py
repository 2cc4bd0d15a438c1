"""Public aggregate tables as HXL CSV (Humanitarian Exchange Language, hxlstandard.org).

Every public CSV table of TIPIMS carries the HXL hashtag row under its header. Counts pass disclosure
control first (statistics/disclosure.py: cells under k = 11 suppressed, with secondary suppression so
they cannot be recovered from the totals); a suppressed cell is written blank and named in the
``suppressed`` flag column, and totals that would reveal a cell are withheld the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.exchange.access import may_export_public
from tipims.exchange.tables import write_csv
from tipims.statistics.disclosure import DEFAULT_K, suppress

TOTAL = "total"


@dataclass(frozen=True)
class PublicTable:
    name: str
    row_header: str
    row_hxl: str
    column_header: str
    column_hxl: str
    keys: Callable  # victim -> (row category, column category)


def _victim_tables() -> list[PublicTable]:
    return [
        PublicTable(
            "victims_by_nationality_and_sex",
            "nationality",
            "#country+code+nationality",
            "sex",
            "#indicator+gender",
            lambda v: (v.nationality or "unknown", v.sex or "NonSpecifiedUnknown"),
        ),
        PublicTable(
            "victims_by_exploitation_and_age_group",
            "form_of_exploitation",
            "#indicator+exploitation",
            "age_group",
            "#indicator+age+group",
            lambda v: (v.main_exploitation or "unknown", v.age_group),
        ),
    ]


def table_rows(counts: Counter, k: int = DEFAULT_K) -> list[list[object]]:
    """Long-format rows (row category, column category, count, flag) after disclosure control."""
    rows_categories = sorted({key[0] for key in counts})
    column_categories = sorted({key[1] for key in counts})
    if not rows_categories:
        return []
    matrix = [[counts.get((r, c), 0) for c in column_categories] for r in rows_categories]
    table = suppress(matrix, k)
    out: list[list[object]] = []
    for i, row in enumerate(rows_categories):
        for j, column in enumerate(column_categories):
            hidden = bool(table.suppressed[i, j])
            out.append(
                [row, column, "" if hidden else int(table.values[i, j]), "suppressed" if hidden else ""]
            )
    # A total is a count too: one under k (a one-cell table, a rare nationality) would name the few it
    # counts, and one total withheld could be recovered from the others, so then all totals are withheld.
    totals = [*table.row_totals, *table.column_totals, table.grand_total]
    small_total = any(0 < total < k for total in totals)
    flag = "suppressed" if table.totals_hidden or small_total else ""
    for i, row in enumerate(rows_categories):
        out.append([row, TOTAL, "" if flag else int(table.row_totals[i]), flag])
    for j, column in enumerate(column_categories):
        out.append([TOTAL, column, "" if flag else int(table.column_totals[j]), flag])
    out.append([TOTAL, TOTAL, "" if flag else table.grand_total, flag])
    return out


def export_public_tables(actor, directory: Path, *, k: int = DEFAULT_K) -> list[Path]:
    from tipims.protection.models import Victim

    if not may_export_public(actor):
        raise PermissionDenied(_("Only the statistics roles export public tables."))
    directory.mkdir(parents=True, exist_ok=True)
    victims = list(Victim.objects.only("nationality", "sex", "main_exploitation", "age_group"))
    written = []
    for table in _victim_tables():
        counts = Counter(table.keys(victim) for victim in victims)
        header: Sequence[str] = (table.row_header, table.column_header, "victims", "suppressed")
        hxl = (table.row_hxl, table.column_hxl, "#affected+victims", "#meta+suppressed")
        path = directory / f"{table.name}.csv"
        write_csv(path, header, table_rows(counts, k), hxl=hxl)
        written.append(path)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="protection.victim",
        object_id="hxl",
        fields=[f"k:{k}"],
    )
    return written
