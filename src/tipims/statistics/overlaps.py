"""The overlap table behind multiple systems estimation: which institutions recorded each person,
counting each human once through linkage's resolved persons."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import QuerySet

from tipims.people.models import PersonRecord
from tipims.statistics.mse import CaptureTable

MAX_LISTS = 8
OTHER = "other"


def victim_records() -> QuerySet[PersonRecord]:
    """Person records some institution holds as a victim: protection's identified victims and the
    victims named in criminal cases. The lists of the estimate are the institutions holding them."""
    from tipims.linkage.statistics import victim_records as in_period

    return in_period(datetime.date.min, datetime.date.max)


def capture_histories(records: QuerySet[PersonRecord]) -> tuple[list[str], Counter]:
    """(lists, counts by pattern). Each list is an institution; beyond eight, the smallest are pooled."""
    rows = records.values_list("pk", "institution__code", "resolution__person_id")
    seen_by: dict[object, set[str]] = {}
    for pk, institution, person in rows:
        seen_by.setdefault(person or f"record-{pk}", set()).add(institution)
    sizes = Counter(code for codes in seen_by.values() for code in codes)
    ranked = [code for code, _ in sizes.most_common()]
    lists = ranked if len(ranked) <= MAX_LISTS else [*ranked[: MAX_LISTS - 1], OTHER]
    keep = set(lists)
    counts: Counter = Counter()
    for codes in seen_by.values():
        mapped = {code if code in keep else OTHER for code in codes}
        counts["".join("1" if name in mapped else "0" for name in lists)] += 1
    return lists, counts


def capture_table(records: QuerySet[PersonRecord]) -> CaptureTable:
    lists, counts = capture_histories(records)
    return CaptureTable.from_counts(lists, counts)
