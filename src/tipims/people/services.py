"""Writes to person records and their identity documents."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, crypto, vocabularies
from tipims.core.writes import apply_changes, field_error, validate
from tipims.people.access import CONTACT_FIELDS, IDENTITY_FIELDS
from tipims.people.models import BirthDatePrecision, IdentityDocument, PersonRecord

# The fields a service may set: the policy's field groups, less what is not a plain value.
PERSON_FIELDS = (
    *(name for name in IDENTITY_FIELDS if name != "documents"),
    *CONTACT_FIELDS,
    "sex",
    "citizenships",
)


@dataclass(frozen=True)
class DocumentInput:
    document_type: str
    number: str
    issuing_country: str = ""


def _check_person(record: PersonRecord) -> None:
    today = timezone.localdate()
    if record.birth_date and record.birth_date > today:
        raise field_error("birth_date", _("The date of birth cannot be in the future."))
    if record.birth_date and record.birth_date < datetime.date(1900, 1, 1):
        raise field_error("birth_date", _("The date of birth is before 1900: check the year."))
    precision = record.birth_date_precision
    if (
        precision in (BirthDatePrecision.EXACT, BirthDatePrecision.MONTH, BirthDatePrecision.YEAR)
        and not record.birth_date
    ):
        raise field_error("birth_date", _("Give the date of birth, or choose another precision."))
    if precision == BirthDatePrecision.ESTIMATED:
        if record.estimated_age is None:
            raise field_error("estimated_age", _("Give the estimated age, or choose another precision."))
        if record.age_estimated_on is None:
            record.age_estimated_on = today
        if record.age_estimated_on > today:
            raise field_error("age_estimated_on", _("The date of the estimate cannot be in the future."))
    if record.sex not in vocabularies.codes("prs_Gender"):
        raise field_error("sex", _("Choose a value from the list."))
    if not isinstance(record.citizenships, list) or not all(
        isinstance(code, str) and countries.is_country(code) for code in record.citizenships
    ):
        raise field_error("citizenships", _("Use two-letter ISO 3166 country codes."))
    record.citizenships = sorted(set(record.citizenships))
    validate(record, exclude=["institution", "created_by"])


def _check_document(document: DocumentInput) -> None:
    if document.document_type not in vocabularies.codes("document_type"):
        raise field_error("document_type", _("Choose a document type from the list."))
    if not document.number.strip():
        raise field_error("number", _("Give the document number."))
    if document.issuing_country and not countries.is_country(document.issuing_country):
        raise field_error("issuing_country", _("Use a two-letter ISO 3166 country code."))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record these details."))


@transaction.atomic
def person_record_create(
    *,
    actor: User,
    values: Mapping[str, object],
    documents: Iterable[DocumentInput] = (),
) -> PersonRecord:
    """Create a person record owned by the actor's institution."""
    documents = list(documents)
    given = {name: value for name, value in values.items() if value not in (None, "", [])}
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {', '.join(sorted(unknown))}")
    _require(
        policy.may_write_fields(
            actor, PersonRecord, [*given, *(["documents"] if documents else [])], action=Action.CREATE
        )
    )
    record = PersonRecord(institution=actor.institution, created_by=actor, **values)
    _check_person(record)
    for document in documents:
        _check_document(document)
    record.save()
    for document in documents:
        _save_document(record, document)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=record,
        fields=[*given, *(["documents"] if documents else [])],
    )
    return record


@transaction.atomic
def person_record_update(*, actor: User, record: PersonRecord, changes: Mapping[str, object]) -> PersonRecord:
    record = PersonRecord.objects.select_for_update().get(pk=record.pk)
    changed = apply_changes(record, changes, PERSON_FIELDS)
    if not changed:
        return record
    _require(policy.may_write_fields(actor, record, changed, action=Action.CHANGE))
    _check_person(record)
    record.save(
        update_fields=[*changed, "updated_at", *(["age_estimated_on"] if "estimated_age" in changed else [])]
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=record, fields=changed)
    return record


def _save_document(record: PersonRecord, document: DocumentInput) -> IdentityDocument:
    return IdentityDocument.objects.create(
        person=record,
        document_type=document.document_type,
        number=document.number.strip(),
        number_index=crypto.blind_index(document.document_type, document.number),
        issuing_country=document.issuing_country,
    )


@transaction.atomic
def identity_document_add(*, actor: User, record: PersonRecord, document: DocumentInput) -> IdentityDocument:
    _require(policy.may_write_fields(actor, record, ["documents"], action=Action.CHANGE))
    _check_document(document)
    saved = _save_document(record, document)
    audit_record(actor=actor, action=AuditAction.CHANGE, target=record, fields=["documents"])
    return saved


@transaction.atomic
def identity_document_remove(*, actor: User, document: IdentityDocument) -> None:
    record = document.person
    _require(policy.may_write_fields(actor, record, ["documents"], action=Action.CHANGE))
    document.delete()
    audit_record(actor=actor, action=AuditAction.CHANGE, target=record, fields=["documents"])
