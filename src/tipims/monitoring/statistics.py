"""`tipims stats monitoring`: the figures of monitoring visits for a period (inclusive dates)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Sum

from tipims.monitoring.models import MonitoringVisit


def monitoring_statistics(start: datetime.date, end: datetime.date) -> dict:
    visits = MonitoringVisit.objects.filter(visited_on__range=(start, end))
    totals = visits.aggregate(confirmed=Sum("minors_confirmed"), suspected=Sum("minors_suspected"))
    by_nationality: Counter = Counter()
    by_department: Counter = Counter()
    for breakdown, department, confirmed, suspected in visits.values_list(
        "minors_by_nationality", "establishment__department__name", "minors_confirmed", "minors_suspected"
    ):
        by_nationality.update({code: int(n) for code, n in (breakdown or {}).items()})
        if confirmed or suspected:
            by_department[department] += confirmed + suspected
    return {
        "visits": visits.count(),
        "establishments_visited": visits.values("establishment").distinct().count(),
        "entry_denied": visits.filter(entry_denied=True).count(),
        "minors_confirmed": totals["confirmed"] or 0,
        "minors_suspected": totals["suspected"] or 0,
        "minors_by_nationality": dict(sorted(by_nationality.items())),
        "minors_by_department": dict(sorted(by_department.items())),
    }
