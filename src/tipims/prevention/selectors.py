"""Reads of prevention. Pages and the API read through the policy (``*_for_user``); the statistics and
the annual report's contract (``report_*``) read period figures without a user."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action
from tipims.prevention.models import (
    CLOSED_STATUSES,
    Campaign,
    Commitment,
    Meeting,
    ProgressUpdate,
    Training,
)

# --- for a user ------------------------------------------------------------------------------------


def campaigns_for_user(
    user: User, *, medium: str = "", department: int | None = None, year: int | None = None
) -> QuerySet[Campaign]:
    queryset = policy.scoped(
        user, Campaign.objects.select_related("institution").prefetch_related("departments")
    )
    if medium:
        queryset = queryset.filter(medium=medium)
    if department:
        queryset = queryset.filter(departments__code=department)
    if year:
        queryset = queryset.filter(start__year=year)
    return queryset


def get_campaign_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Campaign:
    return policy.get_or_404(
        user,
        Campaign.objects.select_related("institution").prefetch_related("departments"),
        action=action,
        reference=reference,
    )


def trainings_for_user(user: User, *, audience: str = "", year: int | None = None) -> QuerySet[Training]:
    queryset = policy.scoped(user, Training.objects.select_related("institution"))
    if audience:
        queryset = queryset.filter(audience=audience)
    if year:
        queryset = queryset.filter(start__year=year)
    return queryset


def get_training_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Training:
    return policy.get_or_404(
        user,
        Training.objects.select_related("institution").prefetch_related("by_institution"),
        action=action,
        reference=reference,
    )


def late_q(on: datetime.date) -> Q:
    """Commitments late on a day: due before it and neither done nor dropped."""
    return Q(due_date__lt=on) & ~Q(status__in=CLOSED_STATUSES)


def commitments_for_user(
    user: User, *, status: str = "", institution: int | None = None
) -> QuerySet[Commitment]:
    """``status`` filters on the status people read: "late" is derived, and "not started" or "in
    progress" then mean those that are not late."""
    queryset = policy.scoped(user, Commitment.objects.prefetch_related("institutions"))
    today = timezone.localdate()
    if status == "late":
        queryset = queryset.filter(late_q(today))
    elif status in CLOSED_STATUSES:
        queryset = queryset.filter(status=status)
    elif status:
        queryset = queryset.filter(status=status).exclude(late_q(today))
    if institution:
        queryset = queryset.filter(
            pk__in=Commitment.institutions.through.objects.filter(institution_id=institution).values(
                "commitment_id"
            )
        )
    return queryset


def get_commitment_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Commitment:
    return policy.get_or_404(
        user,
        Commitment.objects.prefetch_related(
            "institutions", "evidence", Prefetch("updates", ProgressUpdate.objects.select_related("author"))
        ).select_related("decision__meeting"),
        action=action,
        reference=reference,
    )


def late_commitments_for_user(user: User) -> QuerySet[Commitment]:
    """The late commitments the user may change: the coordinator's list on the dashboard."""
    queryset = policy.scoped(user, Commitment.objects.prefetch_related("institutions"), action=Action.CHANGE)
    return queryset.filter(late_q(timezone.localdate())).order_by("due_date", "id")


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    return policy.scoped(user, Meeting.objects.prefetch_related("institutions_present"))


def get_meeting_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Meeting:
    return policy.get_or_404(
        user,
        Meeting.objects.prefetch_related("institutions_present", "decisions__commitment"),
        action=action,
        reference=reference,
    )


def can_see_prevention_figures(user: User) -> bool:
    return policy.can_see_aggregates(user, Campaign) or policy.can_see_aggregates(user, Commitment)


# --- for a period (statistics and the annual report) -----------------------------------------------


def campaigns_in_period(start: datetime.date, end: datetime.date) -> QuerySet[Campaign]:
    """Campaigns running at some time in the period (no end date: the start day alone)."""
    return Campaign.objects.annotate(last_day=Coalesce("end", "start")).filter(
        start__lte=end, last_day__gte=start
    )


def trainings_in_period(start: datetime.date, end: datetime.date) -> QuerySet[Training]:
    return Training.objects.annotate(last_day=Coalesce("end", "start")).filter(
        start__lte=end, last_day__gte=start
    )


def commitments_in_period(start: datetime.date, end: datetime.date) -> QuerySet[Commitment]:
    """Commitments due in the period, updated in it, or open at its end (made by then and not closed
    by then: a commitment closed after the period was still open at its end)."""
    updated = ProgressUpdate.objects.filter(on__range=(start, end)).values("commitment_id")
    open_at_end = Q(made_on__lte=end) & (~Q(status__in=CLOSED_STATUSES) | Q(status_changed_on__gt=end))
    return Commitment.objects.filter(Q(due_date__range=(start, end)) | Q(pk__in=updated) | open_at_end)


def _as_of(end: datetime.date) -> datetime.date:
    """Statuses are read at the period's end, or today for a period that has not ended."""
    return min(end, timezone.localdate())


def report_commitments(start: datetime.date, end: datetime.date) -> list[dict]:
    """The action plan for the annual report: commitments due or updated in the period or open at its
    end, each as {text, institutions (names), due_date, status, last_update (text or "")}.

    ``status`` is the status at the period's end (or today), "late" included (see
    ``Commitment.status_on``); ``last_update`` the latest progress recorded on or before that day.
    No policy filter: the report service checks who may build the report before it calls this.
    """
    day = _as_of(end)
    commitments = (
        commitments_in_period(start, end)
        .prefetch_related(
            "institutions",
            Prefetch("updates", ProgressUpdate.objects.filter(on__lte=day).order_by("-on", "-id")),
        )
        .order_by("due_date", "id")
    )
    rows = []
    for commitment in commitments:
        updates = list(commitment.updates.all())
        rows.append(
            {
                "text": commitment.text,
                "institutions": sorted(i.name for i in commitment.institutions.all()),
                "due_date": commitment.due_date,
                "status": commitment.status_on(day),
                "last_update": updates[0].text if updates else "",
            }
        )
    return rows


def report_campaigns(start: datetime.date, end: datetime.date) -> list[dict]:
    """Campaigns running in the period: {title, institution (name), medium (code), start, end, reach}.
    No policy filter: the report service checks access itself."""
    return [
        {
            "title": c.title,
            "institution": c.institution.name,
            "medium": c.medium,
            "start": c.start,
            "end": c.end,
            "reach": c.reach,
        }
        for c in campaigns_in_period(start, end).select_related("institution").order_by("start", "id")
    ]


def report_trainings(start: datetime.date, end: datetime.date) -> list[dict]:
    """Trainings held in the period: {title, audience (code), partner, date (first day), hours,
    people_trained, women, men}. No policy filter: the report service checks access itself."""
    return [
        {
            "title": t.title,
            "audience": t.audience,
            "partner": t.partner,
            "date": t.start,
            "hours": t.hours,
            "people_trained": t.people_trained,
            "women": t.women,
            "men": t.men,
        }
        for t in trainings_in_period(start, end).order_by("start", "id")
    ]
