"""`tipims stats linkage`: victims, defendants and persons of a period counted once across institutions.

Each institution's own figures count its records; these count humans, through the resolved persons of
linkage (a record no run has resolved yet counts as one human). The other modules add the unique
victim and defendant counts to their own figures with the functions below.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from tipims.linkage.selectors import unique_persons
from tipims.people.models import PersonRecord


def victim_records(start: datetime.date, end: datetime.date) -> QuerySet[PersonRecord]:
    """Victims identified in the period (protection) or named in criminal cases opened in it."""
    from tipims.justice.models import CriminalCase

    in_cases = CriminalCase.victims.through.objects.filter(
        criminalcase__opened_on__range=(start, end)
    ).values("personrecord_id")
    return PersonRecord.objects.filter(Q(victim__identified_on__range=(start, end)) | Q(pk__in=in_cases))


def defendant_records(start: datetime.date, end: datetime.date) -> QuerySet[PersonRecord]:
    """Defendants of criminal cases opened in the period."""
    from tipims.justice.models import Defendant

    return PersonRecord.objects.filter(
        pk__in=Defendant.objects.filter(case__opened_on__range=(start, end)).values("person_id")
    )


def unique_victims(start: datetime.date, end: datetime.date) -> int:
    return unique_persons(victim_records(start, end))


def unique_defendants(start: datetime.date, end: datetime.date) -> int:
    return unique_persons(defendant_records(start, end))


def linkage_statistics(start: datetime.date, end: datetime.date) -> dict:
    victims, defendants = victim_records(start, end), defendant_records(start, end)
    persons = PersonRecord.objects.filter(created_at__date__range=(start, end))
    return {
        "victim_records": victims.count(),
        "victims_unique": unique_persons(victims),
        "defendant_records": defendants.count(),
        "defendants_unique": unique_persons(defendants),
        "person_records": persons.count(),
        "persons_unique": unique_persons(persons),
    }
