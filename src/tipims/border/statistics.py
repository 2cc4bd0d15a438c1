"""`tipims stats border`: the figures of the border for a period (inclusive dates)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tipims.border.models import Alert, Crossing, DeportationReception


def _local_day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and the last instant of the period in local time. Filtering on these uses the
    timestamp's index; a __date lookup would convert every row first."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end, datetime.time.max, tzinfo=zone),
    )


def border_statistics(start: datetime.date, end: datetime.date) -> dict:
    since, until = _local_day_bounds(start, end)
    crossings = Crossing.objects.filter(crossed_at__range=(since, until))
    alerts = Alert.objects.filter(created_at__range=(since, until))
    receptions = DeportationReception.objects.filter(received_on__range=(start, end))
    by_nationality = {
        row["nationality"]: row["people"]
        for row in receptions.values("nationality").annotate(people=Sum("people")).order_by("nationality")
    }
    unaccompanied_received = receptions.aggregate(total=Sum("unaccompanied_minors"))["total"] or 0
    # A minor's crossing with no adult recorded beside them.
    unaccompanied_crossing = (
        crossings.filter(is_minor=True).annotate(adults=Count("companions")).filter(adults=0).count()
    )
    return {
        "crossings": crossings.count(),
        "crossings_by_direction": {
            row["direction"]: row["n"]
            for row in crossings.values("direction").annotate(n=Count("id")).order_by()
        },
        "alerts": alerts.count(),
        "alerts_confirmed": alerts.filter(status="confirmed").count(),
        "alerts_by_kind": {
            row["kind"]: row["n"] for row in alerts.values("kind").annotate(n=Count("id")).order_by()
        },
        "secondary_inspections": crossings.filter(inspection="secondary").count(),
        "deportations_received": by_nationality,
        "minors_unaccompanied": unaccompanied_received + unaccompanied_crossing,
        "minor_crossings": crossings.filter(Q(is_minor=True)).count(),
    }
