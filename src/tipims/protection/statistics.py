"""`tipims stats protection`: the figures of the protection module for a period (inclusive dates).

Counts only, never a record. Categories are codes (HTCDS picklist values, ISO countries, institution
codes) so that they compare across years and languages; the dashboard labels them.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter

from django.db.models import Count, Q

from tipims.protection.models import Placement, Referral, SafeReturn, ServiceDelivery, Shelter, Victim


def _counts(queryset, field: str) -> dict[str, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("id"))
    return {str(row[field] or "unknown"): row["n"] for row in sorted(rows, key=lambda r: -r["n"])}


def occupancy(day: datetime.date) -> list[dict]:
    """Per shelter on ``day``: places, occupied places, by group."""
    active = Q(placements__start__lte=day) & (Q(placements__end__isnull=True) | Q(placements__end__gt=day))
    shelters = Shelter.objects.select_related("institution").annotate(
        occupied=Count("placements", filter=active)
    )
    return [
        {
            "shelter": shelter,
            "occupied": shelter.occupied,
            "capacity": shelter.total_capacity,
        }
        for shelter in shelters
    ]


def protection_figures(start: datetime.date, end: datetime.date) -> dict:
    victims = Victim.objects.filter(identified_on__gte=start, identified_on__lte=end)
    by_exploitation: Counter[str] = Counter()
    for types in victims.values_list("exploitation_types", flat=True).iterator(chunk_size=5000):
        for code in types or ["unknown"]:
            by_exploitation[code] += 1
    services = ServiceDelivery.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    referrals = Referral.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    sheltered = Placement.objects.filter(Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gt=end)))
    returns = SafeReturn.objects.filter(handed_over_on__gte=start, handed_over_on__lte=end)
    days = [
        (handed - identified).days
        for handed, identified in returns.values_list("handed_over_on", "victim__identified_on")
    ]
    shelters = occupancy(end)
    return {
        "victims_identified": victims.count(),
        "victims_identified_by_sex": _counts(victims, "sex"),
        "victims_identified_by_age_group": _counts(victims, "age_group"),
        "victims_identified_by_nationality": _counts(victims, "nationality"),
        "victims_identified_by_exploitation": dict(by_exploitation.most_common()),
        "victims_identified_by_institution": _counts(victims, "institution__code"),
        "services_delivered": services.count(),
        "services_delivered_by_type": _counts(services, "service_type"),
        "sheltered_now": sheltered.count(),
        "occupancy_by_shelter": {row["shelter"].name: row["occupied"] for row in shelters},
        "capacity_by_shelter": {row["shelter"].name: row["capacity"] for row in shelters},
        "referrals": referrals.count(),
        "referrals_by_status": _counts(referrals, "status"),
        "returns_completed": len(days),
        "returns_median_days_identification_to_handover": statistics.median(days) if days else None,
    }
