"""Reads of monitoring, already scoped by the access policy, and the dashboard's aggregates."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action, FieldGroup
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation, SurveyReport
from tipims.monitoring.reconcile import Reconciliation, reconcile
from tipims.people.models import PersonRecord


def establishments_for_user(user: User, *, department: int | None = None) -> QuerySet[Establishment]:
    queryset = policy.scoped(
        user, Establishment.objects.select_related("department", "municipality", "institution")
    )
    if department:
        queryset = queryset.filter(department_id=department)
    return queryset


def visits_for_user(user: User) -> QuerySet[MonitoringVisit]:
    return policy.scoped(
        user,
        MonitoringVisit.objects.select_related("establishment__department", "establishment__municipality"),
    )


def operations_for_user(user: User) -> QuerySet[Operation]:
    return policy.scoped(user, Operation.objects.prefetch_related("institutions", "establishments"))


def survey_reports_for_user(user: User) -> QuerySet[SurveyReport]:
    return policy.scoped(user, SurveyReport.objects.select_related("institution"))


def get_establishment_for_user(user: User, pk: int) -> Establishment:
    return policy.get_or_404(
        user, Establishment.objects.select_related("department", "municipality", "institution"), pk=pk
    )


def get_visit_for_user(user: User, pk: int) -> MonitoringVisit:
    return policy.get_or_404(
        user,
        MonitoringVisit.objects.select_related(
            "establishment__department", "establishment__municipality", "institution"
        ),
        pk=pk,
    )


def get_operation_for_user(user: User, pk: int) -> Operation:
    return policy.get_or_404(
        user, Operation.objects.select_related("institution").prefetch_related("institutions"), pk=pk
    )


def get_survey_report_for_user(user: User, pk: int) -> SurveyReport:
    return policy.get_or_404(user, SurveyReport.objects.select_related("institution"), pk=pk)


def sees_people(user: User, record) -> bool:
    """Whether the identity fields of this record (owner and manager; victims and defendants) show."""
    return policy.can(user, Action.VIEW, record, FieldGroup.IDENTITY)


def own_person(user: User, reference: str) -> PersonRecord | None:
    """A person record of the user's own institution, by reference (for owner and manager)."""
    return (
        policy.scoped(user, PersonRecord.objects.all(), action=Action.VIEW)
        .filter(reference=(reference or "").strip().upper(), institution_id=user.institution_id)
        .first()
    )


def operation_people(operation: Operation) -> tuple[list[str], list[str]]:
    """The references of the operation's victims and of its defendants' person records."""
    victims = list(operation.victims.order_by("reference").values_list("reference", flat=True))
    defendants = sorted(set(operation.defendants.values_list("person__reference", flat=True)))
    return victims, defendants


def can_see_monitoring(user: User) -> bool:
    return policy.can_see_aggregates(user, MonitoringVisit)


def report_reconciliations(report: SurveyReport) -> list[Reconciliation]:
    """Every check a published survey allows: its breakdowns against its stated totals."""
    checks = [
        reconcile("by_nationality", report.minors_total, report.by_nationality),
        reconcile(
            "by_department", report.minors_total, report.by_department, counted_within=report.counted_within
        ),
    ]
    if report.minors_confirmed is not None and report.minors_suspected is not None:
        checks.append(
            reconcile(
                "confirmed_and_apparent",
                report.minors_total,
                {"confirmed": report.minors_confirmed, "apparent": report.minors_suspected},
            )
        )
    if report.establishments_with_minors is not None and report.establishments_without_minors is not None:
        checks.append(
            reconcile(
                "establishments",
                report.establishments_visited,
                {"with": report.establishments_with_minors, "without": report.establishments_without_minors},
            )
        )
    return checks


def visit_totals_by_department(visits: QuerySet[MonitoringVisit]) -> dict[int, int]:
    """Minors seen (confirmed and apparent) per department code."""
    counts: Counter = Counter()
    for code, confirmed, suspected in visits.values_list(
        "establishment__department_id", "minors_confirmed", "minors_suspected"
    ):
        counts[code] += confirmed + suspected
    return dict(counts)


def visit_totals_by_nationality(visits: QuerySet[MonitoringVisit]) -> dict[str, int]:
    counts: Counter = Counter()
    for breakdown in visits.values_list("minors_by_nationality", flat=True):
        counts.update({code: int(n) for code, n in (breakdown or {}).items()})
    return dict(counts.most_common())
