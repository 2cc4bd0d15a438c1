"""Writes of monitoring: establishments, visits, operations and published survey reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, vocabularies
from tipims.core.models import Department, Municipality
from tipims.core.writes import field_error, validate
from tipims.justice.models import Defendant
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation, SurveyReport
from tipims.people.models import PersonRecord
from tipims.protection.models import Victim

UNKNOWN_NATIONALITY = "unknown"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record these details."))


def _past_date(name: str, value) -> None:
    if not isinstance(value, datetime.date) or value > timezone.localdate():
        raise field_error(name, _("Give a date that is not in the future."))


@transaction.atomic
def establishment_create(
    *,
    actor: User,
    name: str,
    kind: str,
    municipality: Municipality,
    owner: PersonRecord | None = None,
    manager: PersonRecord | None = None,
) -> Establishment:
    fields = ["name", "kind", "department", "municipality"] + [
        f for f, v in (("owner", owner), ("manager", manager)) if v is not None
    ]
    _require(policy.may_write_fields(actor, Establishment, fields, action=Action.CREATE))
    if not name.strip():
        raise field_error("name", _("Give the establishment's name."))
    if kind not in vocabularies.codes("establishment_type"):
        raise field_error("kind", _("Choose a type from the list."))
    if not isinstance(municipality, Municipality):
        raise field_error("municipality", _("Choose a municipality."))
    for label, person in (("owner", owner), ("manager", manager)):
        if (
            person is not None
            and not policy.scoped(actor, PersonRecord.objects.filter(pk=person.pk)).exists()
        ):
            raise field_error(label, _("Unknown person record."))
    establishment = Establishment(
        institution=actor.institution,
        created_by=actor,
        name=name.strip(),
        kind=kind,
        department_id=municipality.department_id,
        municipality=municipality,
        owner=owner,
        manager=manager,
    )
    validate(establishment, exclude=["institution", "created_by", "owner", "manager"])
    establishment.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=establishment, fields=fields)
    return establishment


def check_breakdown(name: str, breakdown: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(breakdown, Mapping):
        raise field_error(name, _("Give counts by country code."))
    clean = {}
    for code, count in breakdown.items():
        code = str(code).strip()
        code = code if code == UNKNOWN_NATIONALITY else code.upper()
        if code != UNKNOWN_NATIONALITY and not countries.is_country(code):
            raise field_error(name, _("%(code)s is not an ISO 3166 country code.") % {"code": code})
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise field_error(name, _("Counts must be whole numbers, zero or more."))
        if count:
            clean[code] = clean.get(code, 0) + count
    return clean


@transaction.atomic
def monitoring_visit_create(
    *,
    actor: User,
    establishment: Establishment,
    visited_on: datetime.date,
    entry_denied: bool = False,
    minors_confirmed: int = 0,
    minors_suspected: int = 0,
    adults: int = 0,
    minors_by_nationality: Mapping[str, int] | None = None,
    notes: str = "",
) -> MonitoringVisit:
    """Record a visit. The nationality breakdown must add up to the minors seen (confirmed + apparent)."""
    fields = ["establishment", "visited_on", "entry_denied", "minors_confirmed", "minors_suspected", "adults"]
    fields += ["minors_by_nationality"] if minors_by_nationality else []
    fields += ["notes"] if notes else []
    _require(policy.may_write_fields(actor, MonitoringVisit, fields, action=Action.CREATE))
    if not policy.scoped(actor, Establishment.objects.filter(pk=establishment.pk)).exists():
        raise field_error("establishment", _("Unknown establishment."))
    _past_date("visited_on", visited_on)
    breakdown = check_breakdown("minors_by_nationality", minors_by_nationality or {})
    for name, value in (
        ("minors_confirmed", minors_confirmed),
        ("minors_suspected", minors_suspected),
        ("adults", adults),
    ):
        if not isinstance(value, int) or value < 0:
            raise field_error(name, _("Counts must be whole numbers, zero or more."))
    if entry_denied and (minors_confirmed or minors_suspected or adults):
        raise field_error("entry_denied", _("Entry was denied: nobody inside can have been counted."))
    if breakdown and sum(breakdown.values()) != minors_confirmed + minors_suspected:
        raise field_error(
            "minors_by_nationality",
            _("The nationalities add up to %(sum)s, but %(seen)s minors were seen (confirmed and apparent).")
            % {"sum": sum(breakdown.values()), "seen": minors_confirmed + minors_suspected},
        )
    visit = MonitoringVisit(
        institution=actor.institution,
        created_by=actor,
        establishment=establishment,
        visited_on=visited_on,
        entry_denied=entry_denied,
        minors_confirmed=minors_confirmed,
        minors_suspected=minors_suspected,
        adults=adults,
        minors_by_nationality=breakdown,
        notes=notes.strip(),
    )
    validate(visit, exclude=["institution", "created_by", "establishment"])
    visit.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=visit, fields=fields)
    return visit


@transaction.atomic
def operation_create(
    *,
    actor: User,
    kind: str,
    carried_out_on: datetime.date,
    institutions: Iterable[Institution] = (),
    establishments: Iterable[Establishment] = (),
    victims_rescued: int = 0,
    people_arrested: int = 0,
    victims: Iterable[str] = (),
    defendants: Iterable[str] = (),
    notes: str = "",
) -> Operation:
    """Record a raid or rescue, linked to the people protection and justice recorded: ``victims`` are
    victim references (V-...), ``defendants`` the person references (P-...) of defendants.

    The police officer who records a rescue cannot read the shelter's victim records nor the
    prosecutor's case (the policy), but is given their references; a reference is checked to exist,
    nothing else is revealed, and the links are shown only to those who may see the people.
    """
    institutions, establishments = list(institutions), list(establishments)
    victim_references = sorted({str(r).strip().upper() for r in victims if str(r).strip()})
    defendant_references = sorted({str(r).strip().upper() for r in defendants if str(r).strip()})
    victims = list(Victim.objects.filter(reference__in=victim_references))
    defendants = list(Defendant.objects.filter(person__reference__in=defendant_references))
    fields = [
        "kind",
        "carried_out_on",
        "institutions",
        "establishments",
        "victims_rescued",
        "people_arrested",
    ]
    fields += ["victims"] if victim_references else []
    fields += ["defendants"] if defendant_references else []
    fields += ["notes"] if notes else []
    _require(policy.may_write_fields(actor, Operation, fields, action=Action.CREATE))
    if kind not in vocabularies.codes("operation_kind"):
        raise field_error("kind", _("Choose raid or rescue."))
    _past_date("carried_out_on", carried_out_on)
    for name, value in (("victims_rescued", victims_rescued), ("people_arrested", people_arrested)):
        if not isinstance(value, int) or value < 0:
            raise field_error(name, _("Counts must be whole numbers, zero or more."))
    visible = policy.scoped(actor, Establishment.objects.filter(pk__in=[e.pk for e in establishments]))
    if visible.count() != len({e.pk for e in establishments}):
        raise field_error("establishments", _("Unknown establishment."))
    unknown = sorted(set(victim_references) - {v.reference for v in victims})
    if unknown:
        raise field_error("victims", _("Unknown victim references: %(refs)s") % {"refs": ", ".join(unknown)})
    found = set(
        PersonRecord.objects.filter(pk__in=[d.person_id for d in defendants]).values_list(
            "reference", flat=True
        )
    )
    unknown = sorted(set(defendant_references) - found)
    if unknown:
        raise field_error(
            "defendants",
            _("No defendant has these person references: %(refs)s") % {"refs": ", ".join(unknown)},
        )
    if len(victims) > victims_rescued:
        raise field_error(
            "victims", _("More victims are named than were rescued: correct the number rescued.")
        )
    operation = Operation(
        institution=actor.institution,
        created_by=actor,
        kind=kind,
        carried_out_on=carried_out_on,
        victims_rescued=victims_rescued,
        people_arrested=people_arrested,
        notes=notes.strip(),
    )
    validate(operation, exclude=["institution", "created_by"])
    operation.save()
    operation.institutions.set({actor.institution, *institutions})
    operation.establishments.set(establishments)
    operation.victims.set(victims)
    operation.defendants.set(defendants)
    audit_record(actor=actor, action=AuditAction.CREATE, target=operation, fields=fields)
    return operation


REPORT_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "establishments_visited",
    "establishments_with_minors",
    "establishments_without_minors",
    "minors_total",
    "minors_confirmed",
    "minors_suspected",
    "by_nationality",
    "by_department",
    "counted_within",
)


@transaction.atomic
def survey_report_create(*, actor: User, values: Mapping[str, object]) -> SurveyReport:
    """Record a published survey as it was published: its figures are reconciled, never corrected."""
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown survey report fields: {', '.join(sorted(unknown))}")
    _require(policy.may_write_fields(actor, SurveyReport, list(values), action=Action.CREATE))
    data = dict(values)
    data["by_nationality"] = check_breakdown("by_nationality", data.get("by_nationality") or {})
    departments = set(Department.objects.values_list("name", flat=True))
    for name in ("by_department", "counted_within"):
        mapping = data.get(name) or {}
        if not isinstance(mapping, Mapping):
            raise field_error(name, _("Give counts by department."))
        keys = set(mapping) | (set(mapping.values()) if name == "counted_within" else set())
        strange = sorted(str(k) for k in keys if k not in departments)
        if strange:
            raise field_error(name, _("Unknown departments: %(names)s") % {"names": ", ".join(strange)})
        data[name] = dict(mapping)
    report = SurveyReport(institution=actor.institution, created_by=actor, **data)
    if report.period_start and report.period_end and report.period_end < report.period_start:
        raise field_error("period_end", _("The period ends before it starts."))
    validate(report, exclude=["institution", "created_by"])
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=report, fields=list(values))
    return report
