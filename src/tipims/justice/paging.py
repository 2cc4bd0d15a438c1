"""Pages of long lists without counting every row.

A COUNT(*) over 100,000 cases, or over every case with an EXISTS on its charges, costs more than the
page itself. The lists read one row more than a page to know whether a next page exists, and count at
most ``CAP`` + 1 rows for the note above the table ("more than 200 cases"). Ordering stays the
queryset's own (newest first), so an index on the ordering columns serves both reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

PER_PAGE = 25
CAP = 200


@dataclass(frozen=True)
class Window:
    object_list: list
    number: int
    has_next: bool
    count: int  # exact when ``count_capped`` is False, else a lower bound (CAP + 1)
    count_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _number(raw) -> int:
    try:
        return max(1, min(int(raw), 100_000))
    except (TypeError, ValueError):
        return 1


def window(queryset: QuerySet, page, per_page: int = PER_PAGE) -> Window:
    number = _number(page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:  # past the end (an old link): show the first page rather than nothing
        return window(queryset, 1, per_page)
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    # When the whole list is on the first page, its length is the count: no count query at all.
    count = len(rows) if number == 1 and not has_next else queryset[: CAP + 1].count()
    return Window(rows, number, has_next, min(count, CAP), count > CAP)
