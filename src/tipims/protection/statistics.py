"""`tipims stats protection`: the figures of the protection module for a period (inclusive dates).

Counts only, never a record. Categories are codes (HTCDS picklist values, ISO countries, institution
codes) so that they compare across years and languages; the dashboard labels them.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from tipims.accounts.models import Institution
from tipims.protection.models import Placement, Referral, SafeReturn, ServiceDelivery, Shelter, Victim


def _counts(queryset, field: str) -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("id"))
    return {str(row[field] or "unknown"): row["n"] for row in sorted(rows, key=lambda r: -r["n"])}


def _active_on(day: datetime.date) -> tuple[Q, Q]:
    """Placements under way on ``day``, as two conditions each answered by a range of the (end, start)
    index: the open ones, and those ending later. One OR of both would make the planners scan."""
    return Q(end__isnull=True, start__lte=day), Q(end__gt=day, start__lte=day)


def _sheltered(day: datetime.date) -> int:
    return sum(Placement.objects.filter(part).count() for part in _active_on(day))


def occupancy(day: datetime.date) -> list[dict]:
    """Per shelter on ``day``: places, occupied places."""
    occupied: Counter[int] = Counter()
    for part in _active_on(day):
        for row in Placement.objects.filter(part).order_by().values("shelter_id").annotate(n=Count("id")):
            occupied[row["shelter_id"]] += row["n"]
    return [
        {"shelter": shelter, "occupied": occupied[shelter.pk], "capacity": shelter.total_capacity}
        for shelter in Shelter.objects.select_related("institution")
    ]


def _day_range(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants of a period of local days, so that a timestamp column is compared through its index
    (``created_at__date`` would cast every row)."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return first, after


def _victim_breakdowns(victims) -> dict[str, Counter]:
    """Every breakdown of the victims identified in one pass over their rows (one query, not six)."""
    counters = {
        name: Counter() for name in ("sex", "age_group", "nationality", "institution", "exploitation")
    }
    rows = victims.order_by().values_list(
        "sex", "age_group", "nationality", "institution_id", "exploitation_types"
    )
    for sex, age_group, nationality, institution_id, types in rows.iterator(chunk_size=5000):
        counters["sex"][sex or "unknown"] += 1
        counters["age_group"][age_group or "unknown"] += 1
        counters["nationality"][nationality or "unknown"] += 1
        counters["institution"][institution_id] += 1
        for code in types or ["unknown"]:
            counters["exploitation"][code] += 1
    codes = dict(Institution.objects.filter(pk__in=list(counters["institution"])).values_list("pk", "code"))
    counters["institution"] = Counter({codes[pk]: n for pk, n in counters["institution"].items()})
    return counters


def _sorted(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def protection_figures(start: datetime.date, end: datetime.date) -> dict:
    victims = Victim.objects.filter(identified_on__gte=start, identified_on__lte=end)
    breakdowns = _victim_breakdowns(victims)
    services = ServiceDelivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    first, after = _day_range(start, end)
    referrals = Referral.objects.filter(created_at__gte=first, created_at__lt=after)
    returns = SafeReturn.objects.filter(handed_over_on__gte=start, handed_over_on__lte=end)
    days = [
        (handed - identified).days
        for handed, identified in returns.values_list("handed_over_on", "victim__identified_on")
    ]
    shelters = occupancy(end)
    by_status = _counts(referrals, "status")
    by_type = _counts(services, "service_type")
    return {
        "victims_identified": sum(breakdowns["sex"].values()),
        "victims_identified_by_sex": _sorted(breakdowns["sex"]),
        "victims_identified_by_age_group": _sorted(breakdowns["age_group"]),
        "victims_identified_by_nationality": _sorted(breakdowns["nationality"]),
        "victims_identified_by_exploitation": _sorted(breakdowns["exploitation"]),
        "victims_identified_by_institution": _sorted(breakdowns["institution"]),
        "services_delivered": sum(by_type.values()),
        "services_delivered_by_type": by_type,
        "sheltered_now": _sheltered(end),
        "occupancy_by_shelter": {row["shelter"].name: row["occupied"] for row in shelters},
        "capacity_by_shelter": {row["shelter"].name: row["capacity"] for row in shelters},
        "referrals": sum(by_status.values()),
        "referrals_by_status": by_status,
        "returns_completed": len(days),
        "returns_median_days_identification_to_handover": statistics.median(days) if days else None,
    }
