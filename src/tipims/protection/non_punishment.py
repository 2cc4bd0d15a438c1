"""Does a victim also appear as a defendant or a deportee? Victims must not be punished for acts they
committed as a direct consequence of being trafficked (OHCHR Recommended Principles on Human Rights and
Human Trafficking, principle 7).

The victim's caseworker is warned on the victim's page so that she can tell the prosecutor, the
defence or the migration authority. The same human is found through

- the victim's own person record (direct identity),
- every record that linkage resolved to the same person (``linkage.PersonResolution``),
- every record, and every crossing, that carries the same identity document (blind index).

Sources plug in like the suspect checkers of ``protection.suspects``: a finder receives the set of
person-record ids and the set of document blind indexes and returns appearances. Protection registers
the justice and border finders itself (``register_default_finders``) so that neither app has to know
about this rule; an app may register more.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from tipims.accounts import policy
from tipims.accounts.roles import Role
from tipims.audit.services import audit_view


@dataclass(frozen=True)
class Appearance:
    kind: str  # non_punishment_kind: defendant, deportee
    on: datetime.date | None
    detail: str  # a case number or a crossing point: never anyone's identity


Finder = Callable[[set[int], set[str]], list[Appearance]]
_finders: list[Finder] = []


def register_finder(finder: Finder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def same_human(person) -> tuple[set[int], set[str]]:
    """Record ids of the same human (this record and linkage's resolution) and their document indexes."""
    from tipims.linkage.models import PersonResolution
    from tipims.people.models import IdentityDocument

    records = {person.pk}
    resolved = PersonResolution.objects.filter(record_id=person.pk).values("person_id")
    records |= set(
        PersonResolution.objects.filter(person_id__in=resolved).values_list("record_id", flat=True)
    )
    documents = set(
        IdentityDocument.objects.filter(person_id__in=records)
        .exclude(number_index="")
        .values_list("number_index", flat=True)
    )
    if documents:
        records |= set(
            IdentityDocument.objects.filter(number_index__in=documents).values_list("person_id", flat=True)
        )
    return records, documents


def defendants(records: set[int], documents: set[str]) -> list[Appearance]:
    from tipims.justice.models import Defendant

    rows = (
        Defendant.objects.filter(person_id__in=records)
        .order_by("case__opened_on")
        .values_list("case__number", "case__opened_on")
    )
    return [Appearance("defendant", opened_on, number) for number, opened_on in rows]


def deportations(records: set[int], documents: set[str]) -> list[Appearance]:
    from django.db.models import Q

    from tipims.border.models import Crossing

    same = Q(person_id__in=records)
    if documents:
        same |= Q(document_index__in=documents)
    rows = (
        Crossing.objects.filter(same, deported=True)
        .order_by("crossed_at")
        .values_list("point__name", "crossed_at")
    )
    return [Appearance("deportee", crossed_at.date(), point) for point, crossed_at in rows]


def register_default_finders() -> None:
    register_finder(defendants)
    register_finder(deportations)


def may_see(user, victim) -> bool:
    """Only the victim's caseworker: a caseworker of her institution assigned to one of her cases."""
    from tipims.protection.models import ProtectionCase

    if Role.CASEWORKER not in policy.roles(user):
        return False
    return ProtectionCase.objects.filter(
        victim_id=victim.pk, caseworker_id=user.pk, institution_id=user.institution_id
    ).exists()


def appearances(victim) -> list[Appearance]:
    records, documents = same_human(victim.person)
    found = [appearance for finder in _finders for appearance in finder(records, documents)]
    return sorted(set(found), key=lambda a: (a.on or datetime.date.min, a.kind, a.detail))


def flag_for(user, victim) -> list[Appearance] | None:
    """The appearances the victim's caseworker must know of; None for anyone else.

    Showing them is recorded in the audit trail: that a victim is a defendant is as sensitive as her
    identity.
    """
    if not may_see(user, victim):
        return None
    found = appearances(victim)
    if found:
        audit_view(actor=user, target=victim, groups=["non_punishment"])
    return found
