"""`tipims stats prevention`: campaigns, trainings and the action plan for a period (inclusive dates).

The same period rules as the annual report (``selectors.*_in_period``): a campaign or training counts
when it ran at some time in the period; a commitment when it was due, updated or open then, with its
status read at the period's end.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Sum

from tipims.prevention import selectors
from tipims.prevention.models import LATE, Meeting


def prevention_statistics(start: datetime.date, end: datetime.date) -> dict:
    campaigns = selectors.campaigns_in_period(start, end)
    trainings = selectors.trainings_in_period(start, end)
    sexes = trainings.aggregate(women=Sum("women"), men=Sum("men"), other=Sum("other"))
    sexes = {key: value or 0 for key, value in sexes.items()}
    by_audience = Counter()
    for row in trainings.values("audience").annotate(w=Sum("women"), m=Sum("men"), o=Sum("other")).order_by():
        by_audience[row["audience"]] += row["w"] + row["m"] + row["o"]
    by_department = {
        str(row["departments__code"]): row["n"]
        for row in campaigns.filter(departments__isnull=False)
        .values("departments__code")
        .annotate(n=Count("id", distinct=True))
        .order_by("departments__code")
    }
    day = selectors._as_of(end)
    statuses = Counter(c.status_on(day) for c in selectors.commitments_in_period(start, end))
    return {
        "campaigns": campaigns.count(),
        "campaigns_by_medium": {
            row["medium"]: row["n"]
            for row in campaigns.values("medium").annotate(n=Count("id")).order_by("medium")
        },
        "campaigns_by_department": by_department,
        "campaign_reach": campaigns.aggregate(total=Sum("reach"))["total"] or 0,
        "trainings": trainings.count(),
        "people_trained": sum(sexes.values()),
        "people_trained_by_sex": sexes,
        "people_trained_by_audience": dict(sorted(by_audience.items())),
        "commitments": sum(statuses.values()),
        "commitments_by_status": dict(sorted(statuses.items())),
        "commitments_late": statuses.get(LATE, 0),
        "meetings": Meeting.objects.filter(held_on__range=(start, end)).count(),
    }
