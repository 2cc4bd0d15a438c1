"""Every write of the justice module: complaints, criminal cases and what happens in them, legal
provisions and their reforms, and integrity cases.

Each service checks the policy, validates (a ValidationError naming the field, nothing saved), writes
and records the audit event (field names only) in one transaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action, Capability, FieldGroup
from tipims.audit.models import AuditAction
from tipims.audit.services import SYSTEM, audit_record
from tipims.core import vocabularies
from tipims.core.models import Department, Municipality
from tipims.core.writes import field_error
from tipims.justice.models import (
    PHASES,
    Appeal,
    Charge,
    Complaint,
    CriminalCase,
    Defendant,
    IntegrityCase,
    Judgment,
    LegalProvision,
    Measure,
    PhaseEvent,
)
from tipims.people.models import PersonRecord

CASE_NUMBER = re.compile(r"^\d{1,7}-\d{2,4}$")
TRIAGE_DECISIONS = ("referred", "closed")
DETAINING = ("arrest", "pretrial_detention", "house_arrest")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record this."))


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(field: str, day: datetime.date | None) -> None:
    if day is not None and day > _today():
        raise field_error(field, _("The date cannot be in the future."))


def _codes(field: str, values: Iterable[str], vocabulary: str) -> list[str]:
    values = list(values or [])
    known = vocabularies.codes(vocabulary)
    if not all(isinstance(value, str) and value in known for value in values):
        raise field_error(field, _("Choose values from the list."))
    return sorted(set(values))


def _code(field: str, value: str, vocabulary: str) -> str:
    if value not in vocabularies.codes(vocabulary):
        raise field_error(field, _("Choose a value from the list."))
    return value


def _place(department: Department | None, municipality: Municipality | None) -> None:
    if municipality is not None and department is not None and municipality.department_id != department.pk:
        raise field_error("municipality", _("This municipality is not in the department chosen."))


def _decimal(field: str, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise field_error(field, _("Give a number.")) from None
    if not number.is_finite() or number < 0 or number > Decimal("99999999"):
        raise field_error(field, _("Give a positive number."))
    return number.quantize(Decimal("0.01"))


# --- complaints ------------------------------------------------------------------------------------


def _check_complaint(complaint: Complaint) -> None:
    _code("channel", complaint.channel, "complaint_channel")
    _not_future("received_on", complaint.received_on)
    _not_future("occurred_on", complaint.occurred_on)
    if complaint.occurred_on and complaint.occurred_on > complaint.received_on:
        raise field_error(
            "occurred_on", _("The events cannot have occurred after the complaint was received.")
        )
    _place(complaint.department, complaint.municipality)
    if complaint.municipality is not None and complaint.department is None:
        complaint.department = complaint.municipality.department
    complaint.indicators = _codes("indicators", complaint.indicators, "complaint_indicator")
    complaint.exploitation_types = _codes(
        "exploitation_types", complaint.exploitation_types, "vic_TypeOfExploitation"
    )


@transaction.atomic
def complaint_create(
    *,
    actor: User,
    channel: str,
    received_on: datetime.date,
    narrative: str = "",
    occurred_on: datetime.date | None = None,
    department: Department | None = None,
    municipality: Municipality | None = None,
    indicators: Sequence[str] = (),
    exploitation_types: Sequence[str] = (),
) -> Complaint:
    """Record a complaint received by the actor's institution; it waits in the triage queue."""
    _require(policy.can_create(actor, Complaint) and policy.can_create(actor, Complaint, FieldGroup.IDENTITY))
    complaint = Complaint(
        institution=actor.institution,
        created_by=actor,
        channel=channel,
        received_on=received_on,
        occurred_on=occurred_on,
        department=department,
        municipality=municipality,
        narrative=narrative.strip(),
        indicators=list(indicators),
        exploitation_types=list(exploitation_types),
    )
    _check_complaint(complaint)
    complaint.save()
    given = ["channel", "received_on", "occurred_on", "department", "municipality", "narrative"]
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=complaint,
        fields=[name for name in given if getattr(complaint, name) not in (None, "")]
        + [name for name in ("indicators", "exploitation_types") if getattr(complaint, name)],
    )
    return complaint


class PublicComplaintsUnavailable(Exception):
    """The institution that receives public complaints is not configured or does not exist."""


def public_complaint_institution() -> Institution:
    code = settings.TIPIMS_PUBLIC_COMPLAINT_INSTITUTION
    institution = Institution.objects.filter(code=code, is_active=True).first() if code else None
    if institution is None:
        raise PublicComplaintsUnavailable(code)
    return institution


@transaction.atomic
def complaint_submit_public(
    *,
    narrative: str,
    occurred_on: datetime.date | None = None,
    department: Department | None = None,
    municipality: Municipality | None = None,
    indicators: Sequence[str] = (),
) -> Complaint:
    """A complaint from the public form: no user, owned by the configured prosecution office."""
    if not narrative.strip():
        raise field_error("narrative", _("Tell us what happened."))
    complaint = Complaint(
        institution=public_complaint_institution(),
        channel="online",
        received_on=_today(),
        occurred_on=occurred_on,
        department=department,
        municipality=municipality,
        narrative=narrative.strip(),
        indicators=list(indicators),
    )
    _check_complaint(complaint)
    complaint.save()
    audit_record(
        actor=SYSTEM,
        action=AuditAction.CREATE,
        target=complaint,
        fields=["channel", "narrative", "received_on"]
        + [name for name in ("occurred_on", "department", "municipality") if getattr(complaint, name)]
        + (["indicators"] if complaint.indicators else []),
    )
    return complaint


@transaction.atomic
def complaint_triage(
    *,
    actor: User,
    complaint: Complaint,
    decision: str,
    reason: str,
    referred_to: Institution | None = None,
    on: datetime.date | None = None,
) -> Complaint:
    """Refer a complaint to another institution or close it, with a reason. (Opening a case: case_open.)"""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require(policy.can(actor, Action.CHANGE, complaint))
    if decision not in TRIAGE_DECISIONS:
        raise field_error("decision", _("Choose to refer or to close the complaint."))
    if complaint.status != "open":
        raise field_error("decision", _("This complaint has already been triaged."))
    if not reason.strip():
        raise field_error("reason", _("Give the reason."))
    on = on or _today()
    _not_future("on", on)
    if on < complaint.received_on:
        raise field_error("on", _("The decision cannot come before the complaint was received."))
    if decision == "referred":
        if referred_to is None:
            raise field_error("referred_to", _("Choose the institution it is referred to."))
        if referred_to.pk == complaint.institution_id:
            raise field_error("referred_to", _("Refer it to another institution."))
    else:
        referred_to = None
    complaint.status, complaint.status_reason = decision, reason.strip()
    complaint.referred_to, complaint.triaged_on = referred_to, on
    complaint.save(update_fields=["status", "status_reason", "referred_to", "triaged_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=complaint,
        fields=["status", "status_reason", "triaged_on", *(["referred_to"] if referred_to else [])],
    )
    return complaint


# --- criminal cases --------------------------------------------------------------------------------


def _check_number(institution_id: int, number: str, exclude_pk: int | None = None) -> str:
    number = (number or "").strip()
    if not CASE_NUMBER.match(number):
        raise field_error(
            "number", _("Write the case number as digits, a dash and the year, such as 9023-03.")
        )
    clash = CriminalCase.objects.filter(institution_id=institution_id, number=number)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise field_error("number", _("Your office already has a case with this number."), code="unique")
    return number


def _check_person_of(case: CriminalCase, person: PersonRecord, field: str) -> None:
    if person.institution_id != case.institution_id:
        raise field_error(field, _("Record this person in your own institution first."))


def _check_complaint_for_case(case: CriminalCase, complaint: Complaint) -> None:
    if complaint.institution_id != case.institution_id:
        raise field_error("complaints", _("Only your institution's complaints can be linked."))
    if complaint.status != "open" and complaint.case_id != case.pk:
        raise field_error(
            "complaints", _("Complaint %(ref)s has already been triaged.") % {"ref": complaint.reference}
        )
    if case.offence_date > complaint.received_on:
        raise field_error(
            "offence_date",
            _("The offence cannot come after the complaint %(ref)s was received (%(day)s).")
            % {"ref": complaint.reference, "day": complaint.received_on.isoformat()},
        )


@transaction.atomic
def criminal_case_open(
    *,
    actor: User,
    number: str,
    offence_date: datetime.date,
    opened_on: datetime.date,
    district: str = "",
    court: str = "",
    unit: str = "",
    department: Department | None = None,
    exploitation_types: Sequence[str] = (),
    summary: str = "",
    complaints: Sequence[Complaint] = (),
    victims: Sequence[PersonRecord] = (),
) -> CriminalCase:
    """Open a criminal case in the actor's office; linked complaints leave the triage queue."""
    _require(policy.can_create(actor, CriminalCase))
    if victims or summary:
        _require(policy.can_create(actor, CriminalCase, FieldGroup.IDENTITY))
    case = CriminalCase(
        institution=actor.institution,
        created_by=actor,
        number=_check_number(actor.institution_id, number),
        offence_date=offence_date,
        opened_on=opened_on,
        district=district.strip(),
        court=court.strip(),
        unit=unit.strip(),
        department=department,
        exploitation_types=_codes("exploitation_types", exploitation_types, "vic_TypeOfExploitation"),
        summary=summary.strip(),
        phase="complaint",
        phase_since=opened_on,
    )
    _not_future("offence_date", offence_date)
    _not_future("opened_on", opened_on)
    if opened_on < offence_date:
        raise field_error("opened_on", _("A case cannot be opened before the offence."))
    complaints = [Complaint.objects.select_for_update().get(pk=c.pk) for c in complaints]
    for complaint in complaints:
        _check_complaint_for_case(case, complaint)
        if complaint.received_on > opened_on:
            raise field_error("opened_on", _("The case cannot be opened before its complaint was received."))
    for person in victims:
        _check_person_of(case, person, "victims")
    case.save()
    PhaseEvent.objects.create(case=case, phase="complaint", date=opened_on)
    for complaint in complaints:
        complaint.case, complaint.status, complaint.triaged_on = case, "case_opened", opened_on
        complaint.save(update_fields=["case", "status", "triaged_on", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.CHANGE, target=complaint, fields=["case", "status", "triaged_on"]
        )
    if victims:
        case.victims.set(victims)
    filled = ["number", "offence_date", "opened_on", "phase"]
    filled += [n for n in ("district", "court", "unit", "department", "summary") if getattr(case, n)]
    filled += ["exploitation_types"] if case.exploitation_types else []
    filled += ["complaints"] if complaints else []
    filled += ["victims"] if victims else []
    audit_record(actor=actor, action=AuditAction.CREATE, target=case, fields=filled)
    return case


def _lock_case(actor: User, case: CriminalCase, group: FieldGroup = FieldGroup.CASE) -> CriminalCase:
    case = CriminalCase.objects.select_for_update().get(pk=case.pk)
    _require(policy.can(actor, Action.CHANGE, case, group))
    return case


@transaction.atomic
def criminal_case_link_complaint(*, actor: User, case: CriminalCase, complaint: Complaint) -> Complaint:
    case = _lock_case(actor, case)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require(policy.can(actor, Action.CHANGE, complaint))
    if complaint.case_id == case.pk:
        raise field_error("complaints", _("This complaint is already linked to this case."))
    _check_complaint_for_case(case, complaint)
    on = max(complaint.received_on, case.opened_on)
    complaint.case, complaint.status, complaint.triaged_on = case, "case_opened", on
    complaint.save(update_fields=["case", "status", "triaged_on", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=complaint, fields=["case", "status", "triaged_on"]
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["complaints"])
    return complaint


@transaction.atomic
def criminal_case_add_victim(*, actor: User, case: CriminalCase, person: PersonRecord) -> None:
    case = _lock_case(actor, case, FieldGroup.IDENTITY)
    _check_person_of(case, person, "person")
    if case.victims.filter(pk=person.pk).exists():
        raise field_error("person", _("This person is already a victim in this case."))
    case.victims.add(person)
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["victims"])


@transaction.atomic
def criminal_case_advance(
    *, actor: User, case: CriminalCase, phase: str, date: datetime.date, note: str = ""
) -> PhaseEvent:
    """Move a case to a later phase on a date no earlier than the phase it leaves."""
    case = _lock_case(actor, case)
    _code("phase", phase, "criminal_case_phase")
    if PHASES.index(phase) <= PHASES.index(case.phase):
        raise field_error("phase", _("A case only moves forward: choose a phase after the current one."))
    _not_future("date", date)
    if date < case.phase_since:
        raise field_error(
            "date",
            _("The date cannot be before the current phase began (%(day)s).")
            % {"day": case.phase_since.isoformat()},
        )
    event = PhaseEvent.objects.create(case=case, phase=phase, date=date, note=note.strip()[:300])
    case.phase, case.phase_since = phase, date
    case.save(update_fields=["phase", "phase_since", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=case, fields=["phase", "phase_since", "proceedings"]
    )
    return event


@transaction.atomic
def criminal_case_dispose(
    *, actor: User, case: CriminalCase, disposition: str, date: datetime.date
) -> CriminalCase:
    """Record how the case ended (archive, dismissal, opportunity criterion, judgment...) and close it."""
    case = _lock_case(actor, case)
    _code("disposition", disposition, "criminal_case_disposition")
    if case.disposition:
        raise field_error("disposition", _("This case already has a disposition."))
    _not_future("date", date)
    if date < case.phase_since:
        raise field_error(
            "date",
            _("The date cannot be before the current phase began (%(day)s).")
            % {"day": case.phase_since.isoformat()},
        )
    case.disposition, case.disposition_on = disposition, date
    fields = ["disposition", "disposition_on"]
    if case.phase != "closed":
        PhaseEvent.objects.create(case=case, phase="closed", date=date)
        case.phase, case.phase_since = "closed", date
        fields += ["phase", "phase_since", "proceedings"]
    case.save(update_fields=[*[f for f in fields if f != "proceedings"], "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=fields)
    return case


# --- defendants, measures, charges, judgments, appeals ---------------------------------------------


@transaction.atomic
def defendant_add(
    *,
    actor: User,
    case: CriminalCase,
    person: PersonRecord,
    roles: Sequence[str] = (),
    is_public_official: bool = False,
    official_institution: str = "",
    official_position: str = "",
) -> Defendant:
    case = _lock_case(actor, case, FieldGroup.IDENTITY)
    _check_person_of(case, person, "person")
    if case.defendants.filter(person=person).exists():
        raise field_error("person", _("This person is already a defendant in this case."))
    if is_public_official and not official_institution.strip():
        raise field_error("official_institution", _("Give the institution where the official works."))
    if not is_public_official and (official_institution.strip() or official_position.strip()):
        raise field_error(
            "is_public_official", _("Tick 'public official' to record an institution and position.")
        )
    defendant = Defendant.objects.create(
        case=case,
        person=person,
        roles=_codes("roles", roles, "per_RoleInProcess"),
        is_public_official=is_public_official,
        official_institution=official_institution.strip(),
        official_position=official_position.strip(),
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["defendants"])
    return defendant


def _first_arrest(defendant: Defendant) -> datetime.date | None:
    return defendant.measures.filter(kind__in=DETAINING).aggregate(first=Min("date"))["first"]


@transaction.atomic
def measure_record(
    *,
    actor: User,
    defendant: Defendant,
    kind: str,
    date: datetime.date,
    place: str = "",
    ordered_by: str = "",
    bail_gtq=None,
) -> Measure:
    """An arrest (date and place), pretrial detention, house arrest, bail or release."""
    case = _lock_case(actor, defendant.case)
    _code("kind", kind, "justice_measure")
    _not_future("date", date)
    if date < case.offence_date:
        raise field_error(
            "date",
            _("A measure cannot come before the offence (%(day)s).") % {"day": case.offence_date.isoformat()},
        )
    bail = _decimal("bail_gtq", bail_gtq)
    if kind == "bail" and not bail:
        raise field_error("bail_gtq", _("Give the amount of the bail."))
    if kind != "bail" and bail is not None:
        raise field_error("bail_gtq", _("Only bail has an amount."))
    if kind == "arrest" and not place.strip():
        raise field_error("place", _("Give the place of the arrest."))
    if kind in ("bail", "release"):
        first = _first_arrest(defendant)
        if first is not None and date < first:
            raise field_error(
                "date", _("A release cannot come before the arrest (%(day)s).") % {"day": first.isoformat()}
            )
    measure = Measure.objects.create(
        defendant=defendant,
        kind=kind,
        date=date,
        place=place.strip(),
        ordered_by=ordered_by.strip(),
        bail_gtq=bail,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["proceedings"])
    return measure


def provision_in_force(code: str, day: datetime.date) -> LegalProvision | None:
    """The version of a provision that applied on a day, or None when none did."""
    version = (
        LegalProvision.objects.filter(code=code, effective_from__lte=day).order_by("-effective_from").first()
    )
    if version is None or (version.repealed_on and version.repealed_on <= day):
        return None
    return version


@transaction.atomic
def charge_file(
    *,
    actor: User,
    defendant: Defendant,
    provision: LegalProvision,
    filed_on: datetime.date,
    offence_date: datetime.date | None = None,
    aggravating_factors: Sequence[str] = (),
) -> Charge:
    """Charge a defendant under the version of a provision that was in force on the offence date."""
    case = _lock_case(actor, defendant.case)
    offence_date = offence_date or case.offence_date
    _not_future("offence_date", offence_date)
    _not_future("filed_on", filed_on)
    first_complaint = case.complaints.aggregate(first=Min("received_on"))["first"]
    if first_complaint and offence_date > first_complaint:
        raise field_error(
            "offence_date",
            _("The offence cannot come after the complaint was received (%(day)s).")
            % {"day": first_complaint.isoformat()},
        )
    if filed_on < offence_date:
        raise field_error("filed_on", _("Charges cannot be filed before the offence."))
    if filed_on < case.opened_on:
        raise field_error(
            "filed_on",
            _("Charges cannot be filed before the case was opened (%(day)s).")
            % {"day": case.opened_on.isoformat()},
        )
    in_force = provision_in_force(provision.code, offence_date)
    if in_force is None or in_force.pk != provision.pk:
        message = (
            _(
                "This provision was not in force on the date of the offence (%(day)s); "
                "the version in force is %(version)s."
            )
            % {"day": offence_date.isoformat(), "version": in_force}
            if in_force
            else _("This provision was not in force on the date of the offence (%(day)s).")
            % {"day": offence_date.isoformat()}
        )
        raise field_error("provision", message)
    factors = sorted(set(aggravating_factors or []))
    known = {item["code"] for item in provision.aggravations}
    if not set(factors) <= known:
        raise field_error("aggravating_factors", _("Choose aggravating factors that this provision defines."))
    charge = Charge.objects.create(
        defendant=defendant,
        provision=provision,
        offence_date=offence_date,
        filed_on=filed_on,
        aggravating_factors=factors,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["proceedings"])
    return charge


def _check_range(
    field: str, value: Decimal | None, low: Decimal | None, high: Decimal | None, reason: str, unit: str
) -> None:
    if low is None:
        if value and not reason:
            raise field_error(
                field, _("The provision sets no %(unit)s: give a reason to impose one.") % {"unit": unit}
            )
        return
    if (value is None or value < low or value > high) and not reason:
        raise field_error(
            field,
            _(
                "Outside the legal range of %(low)s to %(high)s %(unit)s that applied on the date of "
                "the offence: record the reason or correct it."
            )
            % {"low": format(low.normalize(), "f"), "high": format(high.normalize(), "f"), "unit": unit},
        )


@transaction.atomic
def judgment_record(
    *,
    actor: User,
    charge: Charge,
    verdict: str,
    date: datetime.date,
    court: str = "",
    prison_years=None,
    fine_gtq=None,
    suspended: bool = False,
    departure_reason: str = "",
    is_final: bool = False,
) -> Judgment:
    """The judgment on one charge of one defendant. A sentence outside the range in force on the date of
    the offence (with the aggravations charged) is refused unless a reason is recorded."""
    defendant = charge.defendant
    case = _lock_case(actor, defendant.case)
    if Judgment.objects.filter(charge=charge).exists():
        raise field_error("charge", _("This charge already has a judgment; record an appeal instead."))
    _code("verdict", verdict, "verdict")
    _not_future("date", date)
    if date < charge.filed_on:
        raise field_error(
            "date",
            _("The judgment cannot come before the charge was filed (%(day)s).")
            % {"day": charge.filed_on.isoformat()},
        )
    first_arrest = _first_arrest(defendant)
    if first_arrest and date < first_arrest:
        raise field_error(
            "date",
            _("The judgment cannot come before the arrest (%(day)s).") % {"day": first_arrest.isoformat()},
        )
    years, fine = _decimal("prison_years", prison_years), _decimal("fine_gtq", fine_gtq)
    reason = departure_reason.strip()
    if verdict == "acquittal":
        if years or fine or suspended:
            raise field_error("verdict", _("An acquittal carries no sentence."))
    else:
        limits = charge.provision.sentence_range(charge.aggravating_factors)
        _check_range("prison_years", years, limits["min_years"], limits["max_years"], reason, _("years"))
        _check_range("fine_gtq", fine, limits["min_fine_gtq"], limits["max_fine_gtq"], reason, "GTQ")
    judgment = Judgment.objects.create(
        charge=charge,
        verdict=verdict,
        date=date,
        court=court.strip() or case.court,
        prison_years=years,
        fine_gtq=fine,
        suspended=suspended,
        departure_reason=reason,
        is_final=is_final,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["proceedings"])
    return judgment


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    judgment: Judgment,
    filed_by: str,
    filed_on: datetime.date,
    court: str = "",
    outcome: str = "pending",
    decided_on: datetime.date | None = None,
) -> Appeal:
    case = _lock_case(actor, judgment.charge.defendant.case)
    _code("filed_by", filed_by, "appeal_party")
    _code("outcome", outcome, "appeal_outcome")
    _not_future("filed_on", filed_on)
    _not_future("decided_on", decided_on)
    if filed_on < judgment.date:
        raise field_error(
            "filed_on",
            _("An appeal cannot be filed before the judgment (%(day)s).")
            % {"day": judgment.date.isoformat()},
        )
    if (outcome == "pending") != (decided_on is None):
        raise field_error("decided_on", _("Give the date of the decision with its outcome, or neither."))
    if decided_on and decided_on < filed_on:
        raise field_error("decided_on", _("The decision cannot come before the appeal was filed."))
    appeal = Appeal.objects.create(
        judgment=judgment,
        filed_by=filed_by,
        filed_on=filed_on,
        court=court.strip(),
        outcome=outcome,
        decided_on=decided_on,
    )
    if judgment.is_final:
        Judgment.objects.filter(pk=judgment.pk).update(is_final=False)
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["proceedings"])
    return appeal


@transaction.atomic
def judgment_make_final(*, actor: User, judgment: Judgment) -> Judgment:
    """Mark a judgment final (firme): no appeal pending."""
    case = _lock_case(actor, judgment.charge.defendant.case)
    if judgment.appeals.filter(outcome="pending").exists():
        raise field_error("is_final", _("An appeal is still pending."))
    judgment.is_final = True
    judgment.save(update_fields=["is_final"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["proceedings"])
    return judgment


# --- legal provisions ------------------------------------------------------------------------------


def legal_provision_build_reform(
    *,
    code: str,
    effective_from: datetime.date,
    article: str | None = None,
    min_years=None,
    max_years=None,
    min_fine_gtq=None,
    max_fine_gtq=None,
    aggravations: list | None = None,
    note_es: str = "",
    note_en: str = "",
) -> LegalProvision:
    """A validated, unsaved reform of the provision ``code`` (the admin form checks with it)."""
    current = LegalProvision.objects.filter(code=code).order_by("-effective_from").first()
    if current is None:
        raise field_error("code", _("No provision has this code."))
    if effective_from <= current.effective_from:
        raise field_error(
            "effective_from",
            _("A reform takes effect after the version it reforms (%(day)s).")
            % {"day": current.effective_from.isoformat()},
        )
    reform = LegalProvision(
        code=code,
        offence=current.offence,
        law_es=current.law_es,
        law_en=current.law_en,
        article=article or current.article,
        title_es=current.title_es,
        title_en=current.title_en,
        effective_from=effective_from,
        min_years=_decimal("min_years", min_years),
        max_years=_decimal("max_years", max_years),
        min_fine_gtq=_decimal("min_fine_gtq", min_fine_gtq),
        max_fine_gtq=_decimal("max_fine_gtq", max_fine_gtq),
        aggravations=current.aggravations if aggravations is None else aggravations,
        note_es=note_es,
        note_en=note_en,
    )
    legal_provision_check(reform)
    return reform


@transaction.atomic
def legal_provision_add_reform(*, actor: User | None, **values) -> LegalProvision:
    """A reform of a provision that takes effect on a date; earlier offences keep the earlier range.

    Only administrators (or the system, for seeds and the demo) add reforms: the law is reference data.
    ``values`` are those of ``legal_provision_build_reform``."""
    if actor is not None:
        _require(policy.has_capability(actor, Capability.ADMINISTER))
    reform = legal_provision_build_reform(**values)
    reform.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=reform,
        fields=[
            "code",
            "effective_from",
            "min_years",
            "max_years",
            "min_fine_gtq",
            "max_fine_gtq",
            "aggravations",
        ],
    )
    return reform


@transaction.atomic
def legal_provision_annotate(
    *, actor: User, provision: LegalProvision, repealed_on: datetime.date | None, note_es: str, note_en: str
) -> LegalProvision:
    """Mark a version repealed or change its notes; its ranges never change once judgments used them."""
    _require(policy.has_capability(actor, Capability.ADMINISTER))
    provision = LegalProvision.objects.select_for_update().get(pk=provision.pk)
    changed = [
        name
        for name, value in (("repealed_on", repealed_on), ("note_es", note_es), ("note_en", note_en))
        if getattr(provision, name) != value
    ]
    provision.repealed_on, provision.note_es, provision.note_en = repealed_on, note_es, note_en
    legal_provision_check(provision)
    if changed:
        provision.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.CHANGE, target=provision, fields=changed)
    return provision


def legal_provision_check(provision: LegalProvision) -> None:
    for low, high in (("min_years", "max_years"), ("min_fine_gtq", "max_fine_gtq")):
        a, b = getattr(provision, low), getattr(provision, high)
        if (a is None) != (b is None):
            raise field_error(high if a is not None else low, _("Give both ends of the range, or neither."))
        if a is not None and a > b:
            raise field_error(high, _("The maximum is below the minimum."))
    if provision.repealed_on and provision.repealed_on <= provision.effective_from:
        raise field_error("repealed_on", _("A provision is repealed after it takes effect."))
    from fractions import Fraction

    if not isinstance(provision.aggravations, list):
        raise field_error("aggravations", _("Give a list of aggravating factors."))
    for item in provision.aggravations:
        try:
            ok = bool(item["code"] and item["es"] and item["en"]) and Fraction(item["raise"]) > 0
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            ok = False
        if not ok:
            raise field_error(
                "aggravations", _('Each factor needs "code", "es", "en" and a "raise" such as "2/3".')
            )


# --- integrity cases -------------------------------------------------------------------------------


@transaction.atomic
def integrity_case_open(
    *,
    actor: User,
    official: PersonRecord,
    official_institution: Institution,
    allegations: Sequence[str],
    proceeding: str,
    opened_on: datetime.date,
    position: str = "",
    details: str = "",
) -> IntegrityCase:
    _require(
        policy.can_create(actor, IntegrityCase)
        and policy.can_create(actor, IntegrityCase, FieldGroup.IDENTITY)
    )
    if official.institution_id != actor.institution_id:
        raise field_error("official", _("Record the official in your own institution first."))
    allegations = _codes("allegations", allegations, "integrity_allegation")
    if not allegations:
        raise field_error("allegations", _("Choose at least one allegation."))
    _code("proceeding", proceeding, "integrity_proceeding")
    _not_future("opened_on", opened_on)
    case = IntegrityCase.objects.create(
        institution=actor.institution,
        created_by=actor,
        official=official,
        official_institution=official_institution,
        position=position.strip(),
        allegations=allegations,
        proceeding=proceeding,
        opened_on=opened_on,
        details=details.strip(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=case,
        fields=["official", "official_institution", "allegations", "proceeding", "opened_on"]
        + [n for n in ("position", "details") if getattr(case, n)],
    )
    return case


@transaction.atomic
def integrity_case_decide(
    *, actor: User, case: IntegrityCase, outcome: str, outcome_on: datetime.date
) -> IntegrityCase:
    case = IntegrityCase.objects.select_for_update().get(pk=case.pk)
    _require(policy.can(actor, Action.CHANGE, case))
    _code("outcome", outcome, "integrity_outcome")
    if outcome == "pending":
        raise field_error("outcome", _("Choose the outcome."))
    _not_future("outcome_on", outcome_on)
    if outcome_on < case.opened_on:
        raise field_error("outcome_on", _("The outcome cannot come before the case was opened."))
    case.outcome, case.outcome_on = outcome, outcome_on
    case.save(update_fields=["outcome", "outcome_on", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["outcome", "outcome_on"])
    return case
