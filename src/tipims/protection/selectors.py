"""Every read of the protection module, already scoped by the access policy.

Identities are shown only through ``people.selectors.person_view(s)``, which audits every view of one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action, FieldGroup
from tipims.people.selectors import PersonView, person_view, person_views
from tipims.protection.models import (
    CaseNote,
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    SafeReturn,
    Shelter,
    Victim,
    WitnessMeasure,
)
from tipims.protection.non_punishment import Appearance, flag_for


def victims_for_user(
    user: User,
    *,
    reference: str = "",
    status: str = "",
    age_group: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[Victim]:
    queryset = policy.scoped(
        user, Victim.objects.select_related("person", "institution", "person__institution"), action=action
    )
    if reference:
        queryset = queryset.filter(
            Q(reference=reference.strip().upper()) | Q(person__reference=reference.strip().upper())
        )
    if status:
        queryset = queryset.filter(trafficking_status=status)
    if age_group:
        queryset = queryset.filter(age_group=age_group)
    return queryset


def get_victim_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Victim:
    return policy.get_or_404(
        user,
        Victim.objects.select_related("person", "institution", "person__institution"),
        action=action,
        reference=reference,
    )


@dataclass
class VictimRow:
    victim: Victim
    person: PersonView


def victim_rows(user: User, victims: list[Victim]) -> list[VictimRow]:
    """A page of victims with what the user may see of each person; one audit event for the page."""
    views = person_views(user, [victim.person for victim in victims])
    return [VictimRow(victim, view) for victim, view in zip(victims, views, strict=True)]


def _in_model_order(rows: list) -> list:
    """Sort model instances as their Meta.ordering says (fields with an optional leading "-")."""
    if not rows:
        return rows
    for name in reversed(rows[0]._meta.ordering):
        descending = name.startswith("-")
        field = name.lstrip("-")
        rows.sort(
            key=lambda row, field=field: (getattr(row, field) is None, getattr(row, field)),
            reverse=descending,
        )
    return rows


@dataclass
class VictimPage:
    victim: Victim
    person: PersonView
    cases: list[ProtectionCase]
    placements: list[Placement]
    consents: list[Consent]
    referrals: list[Referral]
    returns: list[SafeReturn]
    witness_measures: list[WitnessMeasure]
    # Appearances as a defendant or deportee, for the victim's caseworker only (None for anyone else).
    non_punishment: list[Appearance] | None
    can_change: bool
    own: bool


def victim_page(user: User, victim: Victim) -> VictimPage:
    """Everything about one victim that the user may see; viewing the identity is audited."""

    def mine(queryset):
        # A victim has a handful of rows of each kind: they are sorted here, not by the database. With
        # an ORDER BY, SQLite prefers walking the institution's whole list in that order to looking up
        # the victim's few rows by the (victim, institution) index.
        rows = list(policy.scoped(user, queryset.filter(victim=victim)).order_by())
        return _in_model_order(rows)

    return VictimPage(
        victim=victim,
        person=person_view(user, victim.person),
        cases=mine(ProtectionCase.objects.select_related("institution", "caseworker")),
        placements=mine(Placement.objects.select_related("shelter", "institution")),
        consents=mine(Consent.objects.select_related("shared_with", "institution")),
        referrals=mine(Referral.objects.select_related("institution", "to_institution")),
        returns=mine(SafeReturn.objects.select_related("institution")),
        witness_measures=mine(WitnessMeasure.objects.select_related("criminal_case", "institution")),
        non_punishment=flag_for(user, victim),
        can_change=policy.can(user, Action.CHANGE, victim),
        own=victim.institution_id == getattr(user, "institution_id", None),
    )


def cases_for_user(user: User, *, status: str = "", mine: bool = False) -> QuerySet[ProtectionCase]:
    queryset = policy.scoped(
        user,
        # Not the person: the list shows the victim's reference only, and identities are not decrypted.
        # The institution and the caseworker come in a second small query, not a join: joined, these
        # tiny tables become SQLite's outer loop (with statistics) and the page needs a sort of every
        # matching case instead of reading the (caseworker or institution, status, date) index in order.
        ProtectionCase.objects.select_related("victim").prefetch_related("institution", "caseworker"),
    )
    if status:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(caseworker=user)
    return queryset


def get_case_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> ProtectionCase:
    return policy.get_or_404(
        user,
        ProtectionCase.objects.select_related("victim", "victim__person", "institution", "caseworker"),
        action=action,
        reference=reference,
    )


def case_notes(user: User, case: ProtectionCase) -> list[CaseNote] | None:
    """The notes, or None when the user may not read them (they are as sensitive as an identity)."""
    if FieldGroup.IDENTITY not in policy.field_groups(user, case):
        return None
    from tipims.audit.services import audit_view

    audit_view(actor=user, target=case, groups=["notes"])
    return list(case.notes.select_related("author"))


def referrals_for_user(user: User) -> tuple[QuerySet[Referral], QuerySet[Referral]]:
    """(incoming, outgoing) referrals of the user's institution."""
    visible = policy.scoped(
        user, Referral.objects.select_related("victim", "institution", "to_institution", "consent")
    )
    institution_id = getattr(user, "institution_id", None)
    return visible.filter(to_institution_id=institution_id), visible.filter(institution_id=institution_id)


def get_referral_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Referral:
    return policy.get_or_404(
        user,
        Referral.objects.select_related("victim", "institution", "to_institution", "consent"),
        action=action,
        reference=reference,
    )


def shelters_for_user(user: User) -> QuerySet[Shelter]:
    return policy.scoped(user, Shelter.objects.select_related("institution"))


def get_shelter_for_user(user: User, pk: int) -> Shelter:
    return policy.get_or_404(user, Shelter.objects.all(), pk=pk)


@dataclass
class OccupancyRow:
    shelter: Shelter
    by_group: dict[str, tuple[int, int]]  # group -> (occupied, capacity)
    occupied: int
    capacity: int

    @property
    def over(self) -> bool:
        return self.occupied > self.capacity


def occupancy_for_user(user: User, day: datetime.date | None = None) -> list[OccupancyRow]:
    """Occupancy of every shelter the user may see: counts only, never who."""
    from tipims.protection.models import PLACEMENT_GROUPS

    day = day or timezone.localdate()
    active = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))
    shelters = list(shelters_for_user(user))
    counts: dict[tuple[int, str], int] = {}
    for row in (
        Placement.objects.filter(active, shelter__in=[s.pk for s in shelters])
        .values("shelter_id", "group")
        .annotate(n=Count("id"))
    ):
        counts[(row["shelter_id"], row["group"])] = row["n"]
    rows = []
    for shelter in shelters:
        by_group = {
            group: (counts.get((shelter.pk, group), 0), shelter.capacity(group)) for group in PLACEMENT_GROUPS
        }
        rows.append(
            OccupancyRow(
                shelter=shelter,
                by_group=by_group,
                occupied=sum(o for o, _ in by_group.values()),
                capacity=shelter.total_capacity,
            )
        )
    return rows


def returns_for_user(user: User) -> QuerySet[SafeReturn]:
    return policy.scoped(user, SafeReturn.objects.select_related("victim", "institution"))


def get_return_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> SafeReturn:
    return policy.get_or_404(
        user,
        SafeReturn.objects.select_related("victim", "victim__person", "institution"),
        action=action,
        reference=reference,
    )
