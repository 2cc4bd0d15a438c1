"""Reads of person records, already scoped by the access policy.

``person_views`` is the only way a page or the API gets a person's values: it returns only the field
groups the user may see and records every view of an identity or contact in the audit trail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action, FieldGroup
from tipims.audit.services import audit_list_view, audit_view
from tipims.core import crypto
from tipims.people.models import BirthDatePrecision, PersonRecord

ADULT_AGE = 18


def person_records_for_user(
    user: User,
    *,
    reference: str = "",
    document_number: str = "",
    sex: str = "",
    citizenship: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[PersonRecord]:
    queryset = policy.scoped(user, PersonRecord.objects.select_related("institution"), action=action)
    if reference:
        queryset = queryset.filter(reference=reference.strip().upper())
    if document_number:
        # Any document type: compare the keyed hash under each type the number could be.
        from tipims.core import vocabularies

        indexes = [crypto.blind_index(kind, document_number) for kind in vocabularies.codes("document_type")]
        queryset = queryset.filter(documents__number_index__in=indexes).distinct()
    if sex:
        queryset = queryset.filter(sex=sex)
    if citizenship:
        # JSON containment is not portable to SQLite; a citizenship code is quoted text in the list.
        queryset = queryset.filter(citizenships__icontains=f'"{citizenship.upper()}"')
    return queryset


def get_person_record_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> PersonRecord:
    """The record, or Http404 whether it does not exist or is not the user's to see."""
    return policy.get_or_404(
        user, PersonRecord.objects.select_related("institution"), action=action, reference=reference
    )


def age_on(record: PersonRecord, day: datetime.date) -> int | None:
    if record.birth_date and record.birth_date_precision != BirthDatePrecision.UNKNOWN:
        born = record.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if record.estimated_age is not None:
        estimated_on = record.age_estimated_on or day
        return record.estimated_age + max(0, (day - estimated_on).days // 365)
    return None


def age_group(record: PersonRecord, day: datetime.date | None = None) -> str:
    age = age_on(record, day or timezone.localdate())
    if age is None:
        return "unknown"
    return "minor" if age < ADULT_AGE else "adult"


@dataclass(frozen=True)
class DocumentView:
    pk: int
    document_type: str
    number: str
    issuing_country: str


@dataclass
class PersonView:
    """What one user may see of one person record. Groups the user may not see are None."""

    reference: str
    institution: Institution
    sex: str
    citizenships: list[str]
    age_group: str
    created_at: datetime.datetime
    groups: frozenset[FieldGroup]
    identity: dict | None = None
    documents: list[DocumentView] | None = None
    contact: dict | None = None
    can_change: frozenset[FieldGroup] = field(default_factory=frozenset)

    @property
    def display_name(self) -> str:
        if not self.identity:
            return self.reference
        parts = [self.identity["given_names"], self.identity["surname1"], self.identity["surname2"]]
        return " ".join(part for part in parts if part) or self.reference


def _view(
    user: User, record: PersonRecord, groups: frozenset[FieldGroup], *, with_changes: bool = True
) -> PersonView:
    view = PersonView(
        reference=record.reference,
        institution=record.institution,
        sex=record.sex,
        citizenships=list(record.citizenships),
        age_group=age_group(record),
        created_at=record.created_at,
        groups=groups,
        can_change=policy.field_groups(user, record, action=Action.CHANGE) if with_changes else frozenset(),
    )
    if FieldGroup.IDENTITY in groups:
        view.identity = {
            "given_names": record.given_names,
            "surname1": record.surname1,
            "surname2": record.surname2,
            "birth_date": record.birth_date,
            "birth_date_precision": record.birth_date_precision,
            "estimated_age": record.estimated_age,
            "age_estimated_on": record.age_estimated_on,
        }
        view.documents = [
            DocumentView(d.pk, d.document_type, d.number, d.issuing_country) for d in record.documents.all()
        ]
    if FieldGroup.CONTACT in groups:
        view.contact = {"phone": record.phone, "address": record.address}
    return view


_REVEALING = (FieldGroup.IDENTITY, FieldGroup.CONTACT)


def person_view(user: User, record: PersonRecord) -> PersonView:
    groups = policy.field_groups(user, record)
    revealed = [group for group in _REVEALING if group in groups]
    if revealed:
        audit_view(actor=user, target=record, groups=revealed)
    return _view(user, record, groups)


def person_views(user: User, records: list[PersonRecord], *, with_contact: bool = False) -> list[PersonView]:
    """Views for a page of a list: one audit event names every record whose identity it shows."""
    views = []
    revealed_ids = []
    for record in records:
        groups = policy.field_groups(user, record)
        if not with_contact:
            groups = groups - {FieldGroup.CONTACT}
        if FieldGroup.IDENTITY in groups:
            revealed_ids.append(record.pk)
        views.append(_view(user, record, groups, with_changes=False))  # lists offer no edit action
    audit_list_view(actor=user, model=PersonRecord, object_ids=revealed_ids, groups=[FieldGroup.IDENTITY])
    return views


def person_record_counts(user: User) -> dict[str, int] | None:
    """Counts for the dashboard, or None when the user may not see even aggregates of persons."""
    if not policy.can_see_aggregates(user, PersonRecord):
        return None
    if policy.can_list(user, PersonRecord):
        visible = person_records_for_user(user)
        return {"records": visible.count(), "institutions": visible.values("institution").distinct().count()}
    every = PersonRecord.objects.all()
    return {"records": every.count(), "institutions": every.values("institution").distinct().count()}
