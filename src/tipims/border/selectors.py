"""Reads at the border, already scoped by the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action, FieldGroup
from tipims.audit.services import audit_list_view, audit_view
from tipims.border.models import Alert, Crossing, CrossingPoint, DeportationReception, WatchlistEntry


def crossing_points() -> QuerySet[CrossingPoint]:
    return CrossingPoint.objects.filter(active=True).select_related("department")


def crossings_for_user(user: User, *, point: str = "", direction: str = "") -> QuerySet[Crossing]:
    queryset = policy.scoped(user, Crossing.objects.select_related("point", "person", "institution"))
    if point:
        queryset = queryset.filter(point__code=point)
    if direction:
        queryset = queryset.filter(direction=direction)
    return queryset


def get_crossing_for_user(user: User, reference: str) -> Crossing:
    return policy.get_or_404(
        user, Crossing.objects.select_related("point", "person", "institution"), reference=reference
    )


def receptions_for_user(user: User) -> QuerySet[DeportationReception]:
    return policy.scoped(user, DeportationReception.objects.select_related("point"))


def watchlist_for_user(user: User, *, status: str = "") -> QuerySet[WatchlistEntry]:
    queryset = policy.scoped(
        user, WatchlistEntry.objects.select_related("source_institution", "created_by", "approved_by")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def get_watchlist_entry_for_user(
    user: User, reference: str, *, action: Action = Action.VIEW
) -> WatchlistEntry:
    return policy.get_or_404(
        user,
        WatchlistEntry.objects.select_related("source_institution", "created_by", "approved_by"),
        action=action,
        reference=reference,
    )


def watchlist_identity(user: User, entry: WatchlistEntry) -> dict | None:
    """The entry's names and date of birth, recorded as an audited view; None if the user may not see them."""
    if FieldGroup.IDENTITY not in policy.field_groups(user, entry):
        return None
    audit_view(actor=user, target=entry, groups=[FieldGroup.IDENTITY])
    return {
        "given_names": entry.given_names,
        "surname1": entry.surname1,
        "surname2": entry.surname2,
        "name_variants": [line for line in entry.name_variants.splitlines() if line.strip()],
        "birth_date": entry.birth_date,
        "birth_year_only": entry.birth_year_only,
        "documents": [d.document_type for d in entry.documents.all()],
    }


def watchlist_names(user: User, entries: list[WatchlistEntry]) -> dict[int, str]:
    """Display names for a page of entries, with one audit event naming all of them."""
    names = {}
    for entry in entries:
        if FieldGroup.IDENTITY in policy.field_groups(user, entry):
            names[entry.pk] = " ".join(p for p in (entry.given_names, entry.surname1, entry.surname2) if p)
    audit_list_view(actor=user, model=WatchlistEntry, object_ids=list(names), groups=[FieldGroup.IDENTITY])
    return names


def alerts_for_user(user: User, *, status: str = "", kind: str = "") -> QuerySet[Alert]:
    queryset = policy.scoped(user, Alert.objects.select_related("crossing__point", "entry"))
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def get_alert_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Alert:
    return policy.get_or_404(
        user,
        Alert.objects.select_related("crossing__point", "entry", "decided_by"),
        action=action,
        reference=reference,
    )


def can_manage_watchlist(user: User) -> bool:
    return policy.can_create(user, WatchlistEntry, FieldGroup.IDENTITY)


def can_see_border_figures(user: User) -> bool:
    return policy.can_see_aggregates(user, Crossing) or policy.can_see_aggregates(user, DeportationReception)
