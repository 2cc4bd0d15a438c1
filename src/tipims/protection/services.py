"""Every write of the protection module: typed, keyword-only, one transaction, audited (names only)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action, FieldGroup
from tipims.accounts.roles import Role
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, vocabularies
from tipims.core.writes import apply_changes, field_error, validate
from tipims.people import services as people_services
from tipims.people.models import PersonRecord
from tipims.people.selectors import ADULT_AGE, age_on
from tipims.protection import suspects
from tipims.protection.access import may_flag
from tipims.protection.models import (
    MINOR_ONLY_STEPS,
    RETURN_STEPS,
    AgeGroup,
    Assessment,
    CaseNote,
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    ReturnStep,
    SafeReturn,
    ServiceDelivery,
    Shelter,
    SupportPlan,
    SuspectMarker,
    Victim,
    WitnessMeasure,
)

VICTIM_FIELDS = (
    "identified_on",
    "screening_indicators",
    "trafficking_status",
    "status_decided_by",
    "recruitment_methods",
    "recruitment_place",
    "control_methods",
    "exploitation_types",
    "forced_labour_industry",
    "sex_exploitation_types",
    "age_when_trafficked",
    "relationship_to_trafficker",
)
_PICKLISTS = {
    "trafficking_status": "vic_TraffickingStatus",
    "status_decided_by": "vic_TraffickingStatusDecisionMakingOrg",
    "forced_labour_industry": "vic_ForcedLabourIndustry",
    "relationship_to_trafficker": "vic_RelationshipToTrafficker",
}
_MULTISELECTS = {
    "screening_indicators": "screening_indicator",
    "recruitment_methods": "vic_MethodOfRecruitment",
    "control_methods": "vic_MethodsOfControl",
    "exploitation_types": "vic_TypeOfExploitation",
    "sex_exploitation_types": "vic_TypeOfSexExploitation",
}
# Who decided the trafficking status, from the HTCDS type of the flagging institution.
_DECIDER_BY_ORG_TYPE = {"LawEnforcement": "Police", "NGO": "NGO", "LegalService": "CourtOrProsecution"}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record this."))


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(field: str, day: datetime.date | None) -> None:
    if day is not None and day > _today():
        raise field_error(field, _("This date cannot be in the future."))


def _visible(actor: User, record, action: Action = Action.VIEW) -> None:
    """The actor must reach the record through the policy; otherwise it is as if it did not exist."""
    if not policy.can(actor, action, record, FieldGroup.CASE):
        raise PermissionDenied(_("You may not record this."))


def age_group_on(person: PersonRecord, day: datetime.date) -> str:
    age = age_on(person, day)
    if age is None:
        return AgeGroup.UNKNOWN
    return AgeGroup.MINOR if age < ADULT_AGE else AgeGroup.ADULT


# --- victims -----------------------------------------------------------------------------------


def check_victim_context(victim: Victim, *, query_database: bool = True) -> None:
    """Every rule of an HTCDS victim context; also derives the columns statistics read (age group, sex,
    nationality, main form of exploitation). Public so that bulk loaders apply the same rules.

    ``query_database=False`` skips the model validation's queries (unique values, check constraints):
    for a bulk insert of new rows, whose constraints the database enforces on the insert anyway.
    """
    person = victim.person
    if victim.identified_on is None:
        raise field_error("identified_on", _("Give the date of identification."))
    _not_future("identified_on", victim.identified_on)
    if person.birth_date and victim.identified_on < person.birth_date:
        raise field_error("identified_on", _("The identification cannot be before the date of birth."))
    if not victim.trafficking_status:
        raise field_error("trafficking_status", _("Choose the trafficking status."))
    for name, vocabulary in _PICKLISTS.items():
        value = getattr(victim, name)
        if value and value not in vocabularies.codes(vocabulary):
            raise field_error(name, _("Choose a value from the list."))
    for name, vocabulary in _MULTISELECTS.items():
        values = getattr(victim, name)
        if not isinstance(values, list) or not set(values) <= vocabularies.codes(vocabulary):
            raise field_error(name, _("Choose values from the list."))
        setattr(victim, name, sorted(set(values)))
    if victim.forced_labour_industry and "ForcedLabour" not in victim.exploitation_types:
        raise field_error(
            "forced_labour_industry", _("An industry is recorded only for forced labour: add that type.")
        )
    if victim.sex_exploitation_types and "SexualExploitation" not in victim.exploitation_types:
        raise field_error(
            "sex_exploitation_types", _("Types of sexual exploitation need sexual exploitation as a type.")
        )
    age_now = age_on(person, victim.identified_on)
    if (
        victim.age_when_trafficked is not None
        and age_now is not None
        and victim.age_when_trafficked > age_now
    ):
        raise field_error(
            "age_when_trafficked", _("The age when trafficked is above the age at identification.")
        )
    victim.age_group = age_group_on(person, victim.identified_on)
    victim.sex = person.sex
    victim.nationality = (person.citizenships or [""])[0]
    victim.main_exploitation = (victim.exploitation_types or [""])[0]
    if query_database:
        validate(victim, exclude=["institution", "created_by", "person"])
    else:
        victim.full_clean(
            exclude=["institution", "created_by", "person"], validate_unique=False, validate_constraints=False
        )


@transaction.atomic
def victim_identify(*, actor: User, person: PersonRecord, values: Mapping[str, object]) -> Victim:
    """Record the HTCDS victim context of a person record the actor's institution may see."""
    unknown = set(values) - set(VICTIM_FIELDS)
    if unknown:
        raise TypeError(f"unknown victim fields: {', '.join(sorted(unknown))}")
    _require(policy.can_create(actor, Victim))
    _visible(actor, person)
    if Victim.objects.filter(person=person).exists():
        raise field_error("person", _("This person already has a victim record."))
    victim = Victim(person=person, institution=actor.institution, created_by=actor, **values)
    check_victim_context(victim)
    victim.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=victim, fields=[k for k, v in values.items() if v]
    )
    return victim


@transaction.atomic
def victim_identify_person(
    *,
    actor: User,
    person_values: Mapping[str, object],
    documents: Iterable[people_services.DocumentInput] = (),
    values: Mapping[str, object],
) -> Victim:
    """Record a new person and their victim context together: both or neither."""
    person = people_services.person_record_create(actor=actor, values=person_values, documents=documents)
    return victim_identify(actor=actor, person=person, values=values)


@transaction.atomic
def victim_update(*, actor: User, victim: Victim, changes: Mapping[str, object]) -> Victim:
    victim = Victim.objects.select_for_update().select_related("person").get(pk=victim.pk)
    _visible(actor, victim, Action.CHANGE)
    changed = apply_changes(victim, changes, VICTIM_FIELDS)
    if not changed:
        return victim
    check_victim_context(victim)
    victim.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, target=victim, fields=changed)
    return victim


def competent_protection_institution() -> Institution:
    code = settings.TIPIMS_PROTECTION_FLAG_INSTITUTION
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise field_error(
            "to_institution",
            _("No competent protection institution is configured (TIPIMS_PROTECTION_FLAG_INSTITUTION)."),
        )
    return institution


@transaction.atomic
def victim_flag(
    *,
    actor: User,
    person_values: Mapping[str, object],
    documents: Iterable[people_services.DocumentInput] = (),
    observations: str = "",
    exploitation_types: list[str] | None = None,
) -> Referral:
    """A border or police officer flags a possible victim.

    The person record and the victim context pass to the competent protection institution, with a
    referral under its legal mandate; the officer's institution keeps only the referral: a receipt
    with no identity.
    """
    _require(may_flag(actor))
    competent = competent_protection_institution()
    if competent.pk == actor.institution_id:
        raise field_error("to_institution", _("Your own institution cannot receive your flag."))
    person = people_services.person_record_create(actor=actor, values=person_values, documents=documents)
    person.institution = competent
    person.save(update_fields=["institution", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=person, fields=["institution"])
    victim = Victim(
        person=person,
        institution=competent,
        created_by=actor,
        identified_on=_today(),
        trafficking_status="PossibleVictimOfTrafficking",
        status_decided_by=_DECIDER_BY_ORG_TYPE.get(
            actor.institution.org_type, "NonPoliceGovernmentalOrganization"
        ),
        exploitation_types=list(exploitation_types or []),
        flagged=True,
    )
    check_victim_context(victim)
    victim.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=victim,
        fields=[
            "trafficking_status",
            "identified_on",
            "flagged",
            *(["exploitation_types"] if exploitation_types else []),
        ],
    )
    referral = Referral(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        to_institution=competent,
        reason="AdditionalServicesRequired",
        details=observations.strip(),
        legal_basis="protection_mandate",
        legal_basis_reference=_("Flag of a possible victim"),
    )
    validate(referral, exclude=["institution", "created_by", "victim", "to_institution", "consent"])
    referral.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=referral,
        fields=["to_institution", "reason", "legal_basis", *(["details"] if referral.details else [])],
    )
    return referral


# --- protection cases ------------------------------------------------------------------------------


CLOSED_STATUSES = frozenset({"Closed", "ClosedReferred"})


def _check_caseworker(actor: User, caseworker: User | None) -> None:
    if caseworker is None:
        return
    if (
        caseworker.institution_id != actor.institution_id
        or not caseworker.memberships.filter(role=Role.CASEWORKER).exists()
    ):
        raise field_error("caseworker", _("Choose a caseworker of your institution."))


@transaction.atomic
def protection_case_open(
    *, actor: User, victim: Victim, opened_on: datetime.date, caseworker: User | None = None
) -> ProtectionCase:
    _require(policy.can_create(actor, ProtectionCase))
    _visible(actor, victim)
    _not_future("opened_on", opened_on)
    if opened_on < victim.identified_on:
        raise field_error("opened_on", _("A case cannot open before the victim was identified."))
    _check_caseworker(actor, caseworker)
    case = ProtectionCase.objects.create(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        caseworker=caseworker or actor,
        opened_on=opened_on,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=case, fields=["victim", "opened_on", "caseworker"]
    )
    return case


@transaction.atomic
def protection_case_set_status(
    *,
    actor: User,
    case: ProtectionCase,
    status: str,
    closure_reason: str = "",
    on: datetime.date | None = None,
) -> ProtectionCase:
    case = ProtectionCase.objects.select_for_update().get(pk=case.pk)
    _require(policy.can(actor, Action.CHANGE, case))
    if status not in vocabularies.codes("cas_Status"):
        raise field_error("status", _("Choose a value from the list."))
    closure_reason = closure_reason.strip()
    if status in CLOSED_STATUSES and not closure_reason:
        raise field_error("closure_reason", _("Give the reason for closing the case."))
    on = on or _today()
    _not_future("closed_on", on)
    changed = apply_changes(
        case,
        {
            "status": status,
            "closure_reason": closure_reason if status in CLOSED_STATUSES else "",
            "closed_on": on if status in CLOSED_STATUSES else None,
        },
        ["status", "closure_reason", "closed_on"],
    )
    if changed:
        case.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=changed)
    return case


def _case_for_change(actor: User, case: ProtectionCase, field: str) -> ProtectionCase:
    case = ProtectionCase.objects.select_for_update().get(pk=case.pk)  # the status as it is now
    _require(policy.may_write_fields(actor, case, [field], action=Action.CHANGE))
    if case.status in CLOSED_STATUSES:
        raise field_error(field, _("The case is closed: reopen it first."))
    return case


@transaction.atomic
def support_plan_add(
    *,
    actor: User,
    case: ProtectionCase,
    plan_type: str,
    objectives: str = "",
    action_plan: str = "",
    planned_end: datetime.date | None = None,
) -> SupportPlan:
    """A support plan of an HTCDS type (spl_Type) with its objectives and action plan."""
    case = _case_for_change(actor, case, "plans")
    if plan_type not in vocabularies.codes("spl_Type"):
        raise field_error("plan_type", _("Choose a value from the list."))
    if planned_end and planned_end < case.opened_on:
        raise field_error("planned_end", _("The plan cannot end before the case opened."))
    plan = SupportPlan.objects.create(
        case=case,
        plan_type=plan_type,
        objectives=objectives.strip(),
        action_plan=action_plan.strip(),
        planned_end=planned_end,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["plans"])
    return plan


@transaction.atomic
def support_plan_end(*, actor: User, plan: SupportPlan, actual_end: datetime.date) -> SupportPlan:
    """Record the actual end date of a plan (spl_ActualEndDate)."""
    case = _case_for_change(actor, plan.case, "plans")
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk, case=case)
    if plan.actual_end is not None:
        raise field_error("actual_end", _("This plan has ended already."))
    if actual_end is None:
        raise field_error("actual_end", _("Give the date."))
    _not_future("actual_end", actual_end)
    if actual_end < case.opened_on:
        raise field_error("actual_end", _("The plan cannot end before the case opened."))
    plan.actual_end = actual_end
    plan.save(update_fields=["actual_end"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["plans"])
    return plan


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: ProtectionCase,
    level: str,
    assessed_on: datetime.date,
    risk_level: str,
    factors: Iterable[str] = (),
    notes: str = "",
) -> Assessment:
    """A risk and vulnerability assessment of one HTCDS level; assessments repeat during a case, so
    each is a new row and the history shows how the risk changed."""
    case = _case_for_change(actor, case, "assessments")
    if notes.strip():
        _require(policy.may_write_fields(actor, case, ["notes"], action=Action.CHANGE))
    if level not in vocabularies.codes("assessment_level"):
        raise field_error("level", _("Choose a value from the list."))
    if risk_level not in vocabularies.codes("risk_level"):
        raise field_error("risk_level", _("Choose a value from the list."))
    factors = sorted(set(factors))
    if not set(factors) <= vocabularies.codes(f"assessment_factor_{level}"):
        raise field_error("factors", _("Choose risk factors of this level from the list."))
    if assessed_on is None:
        raise field_error("assessed_on", _("Give the date."))
    _not_future("assessed_on", assessed_on)
    if assessed_on < case.opened_on:
        raise field_error("assessed_on", _("An assessment cannot be dated before the case opened."))
    assessment = Assessment.objects.create(
        case=case,
        level=level,
        assessed_on=assessed_on,
        risk_level=risk_level,
        factors=factors,
        notes=notes.strip(),
        assessed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=case,
        fields=["assessments", *(["notes"] if assessment.notes else [])],
    )
    return assessment


@transaction.atomic
def service_deliver(
    *, actor: User, case: ProtectionCase, service_type: str, delivered_on: datetime.date, provider: str
) -> ServiceDelivery:
    case = _case_for_change(actor, case, "services")
    if service_type not in vocabularies.codes("service_type"):
        raise field_error("service_type", _("Choose a value from the list."))
    _not_future("delivered_on", delivered_on)
    if delivered_on < case.opened_on:
        raise field_error("delivered_on", _("A service cannot be delivered before the case opened."))
    if not provider.strip():
        raise field_error("provider", _("Name who provided the service."))
    service = ServiceDelivery.objects.create(
        case=case, service_type=service_type, delivered_on=delivered_on, provider=provider.strip()[:200]
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["services"])
    return service


@transaction.atomic
def case_note_add(*, actor: User, case: ProtectionCase, text: str) -> CaseNote:
    _require(policy.may_write_fields(actor, case, ["notes"], action=Action.CHANGE))
    if not text.strip():
        raise field_error("text", _("Write the note."))
    note = CaseNote.objects.create(case=case, text=text.strip(), author=actor)
    audit_record(actor=actor, action=AuditAction.CHANGE, target=case, fields=["notes"])
    return note


# --- shelters and placements -----------------------------------------------------------------------

CAPACITY_FIELDS = (
    "capacity_female_minor",
    "capacity_male_minor",
    "capacity_female_adult",
    "capacity_male_adult",
)


@transaction.atomic
def shelter_create(*, actor: User, name: str, department: str = "", capacities: Mapping[str, int]) -> Shelter:
    _require(policy.can_create(actor, Shelter))
    unknown = set(capacities) - set(CAPACITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown capacities: {', '.join(sorted(unknown))}")
    if not name.strip():
        raise field_error("name", _("Give the shelter's name."))
    for field, value in capacities.items():
        if not isinstance(value, int) or value < 0:
            raise field_error(field, _("A capacity is a whole number, zero or more."))
    shelter = Shelter(institution=actor.institution, name=name.strip(), department=department, **capacities)
    validate(shelter, exclude=["institution"])
    shelter.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=shelter, fields=["name", *capacities])
    return shelter


def placement_group(victim: Victim) -> str:
    """The capacity a placement uses. Only masculine identities use men's and boys' places; every
    other value (feminine, non-conforming, unknown) uses women's and girls' places, the safer default."""
    sex = "male" if victim.sex in ("Masculine", "TransgenderMasculine") else "female"
    return f"{sex}_{'minor' if victim.age_group == AgeGroup.MINOR else 'adult'}"


def occupied(shelter: Shelter, group: str) -> int:
    return shelter.placements.filter(group=group, end__isnull=True).count()


@transaction.atomic
def placement_create(
    *,
    actor: User,
    victim: Victim,
    shelter: Shelter,
    court: str,
    court_reference: str,
    court_order_date: datetime.date | None,
    start: datetime.date,
    emergency_reason: str = "",
) -> Placement:
    """Place a victim in a shelter by court order. A full shelter takes one more only for a recorded
    emergency reason."""
    _require(policy.can_create(actor, Placement))
    _visible(actor, victim)
    _visible(actor, shelter)
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)  # one placement at a time per shelter
    if not court.strip():
        raise field_error("court", _("Name the court that ordered the placement."))
    if not court_reference.strip():
        raise field_error("court_reference", _("Give the reference of the court order."))
    if court_order_date is None:
        raise field_error("court_order_date", _("Give the date of the court order."))
    _not_future("court_order_date", court_order_date)
    _not_future("start", start)
    if start < victim.identified_on:
        raise field_error("start", _("A placement cannot start before the victim was identified."))
    if Placement.objects.filter(victim=victim, end__isnull=True).exists():
        raise field_error(
            "victim", _("This victim is already placed in a shelter: end that placement first.")
        )
    group = placement_group(victim)
    emergency_reason = emergency_reason.strip()
    if occupied(shelter, group) >= shelter.capacity(group) and not emergency_reason:
        raise field_error(
            "emergency_reason",
            _(
                "The shelter is full for this group (%(group)s): "
                "record the emergency reason to place over capacity."
            )
            % {"group": vocabularies.label("placement_group", group)},
        )
    placement = Placement.objects.create(
        victim=victim,
        shelter=shelter,
        institution=actor.institution,
        created_by=actor,
        group=group,
        court=court.strip(),
        court_reference=court_reference.strip(),
        court_order_date=court_order_date,
        start=start,
        emergency_reason=emergency_reason,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=placement,
        fields=[
            "victim",
            "shelter",
            "court",
            "court_reference",
            "court_order_date",
            "start",
            *(["emergency_reason"] if emergency_reason else []),
        ],
    )
    return placement


@transaction.atomic
def placement_end(*, actor: User, placement: Placement, end: datetime.date) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _require(policy.can(actor, Action.CHANGE, placement))
    if placement.end is not None:
        raise field_error("end", _("This placement has ended already."))
    _not_future("end", end)
    if end < placement.start:
        raise field_error("end", _("A placement cannot end before it started."))
    placement.end = end
    placement.save(update_fields=["end"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=placement, fields=["end"])
    return placement


# --- consent and referrals --------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    victim: Victim,
    purpose: str,
    given_on: datetime.date,
    shared_with: Institution | None = None,
) -> Consent:
    _require(policy.can_create(actor, Consent))
    _visible(actor, victim)
    if purpose not in vocabularies.codes("consent_purpose"):
        raise field_error("purpose", _("Choose a value from the list."))
    if purpose == "sharing" and shared_with is None:
        raise field_error("shared_with", _("Name the institution the victim agrees to share with."))
    if purpose != "sharing":
        shared_with = None
    _not_future("given_on", given_on)
    if given_on < victim.identified_on:
        raise field_error("given_on", _("Consent cannot be given before the victim was identified."))
    consent = Consent.objects.create(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        purpose=purpose,
        shared_with=shared_with,
        given_on=given_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=consent,
        fields=["victim", "purpose", "given_on", *(["shared_with"] if shared_with else [])],
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: every referral that rested on it stops sharing."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _require(policy.can(actor, Action.CHANGE, consent))
    if consent.withdrawn_at is not None:
        raise field_error("withdrawn_at", _("This consent has been withdrawn already."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=consent, fields=["withdrawn_at"])
    return consent


def active_sharing_consent(victim: Victim, institution: Institution) -> Consent | None:
    return (
        Consent.objects.filter(
            victim=victim, purpose="sharing", shared_with=institution, withdrawn_at__isnull=True
        )
        .order_by("-given_on", "-id")
        .first()
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    victim: Victim,
    to_institution: Institution,
    reason: str,
    details: str = "",
    legal_basis: str = "",
    legal_basis_reference: str = "",
) -> Referral:
    """Refer a victim to another institution. It rests on the victim's active consent to share with
    that institution, or on a recorded legal basis (a court order); without either it is refused."""
    _require(policy.can_create(actor, Referral))
    _visible(actor, victim)
    if to_institution.pk == actor.institution_id:
        raise field_error("to_institution", _("Refer to another institution than your own."))
    if reason not in vocabularies.codes("cas_ReasonForOutgoingReferral"):
        raise field_error("reason", _("Choose a value from the list."))
    if legal_basis and legal_basis != "court_order":
        raise field_error("legal_basis", _("The only legal basis you can record here is a court order."))
    if legal_basis and not legal_basis_reference.strip():
        raise field_error("legal_basis_reference", _("Give the reference of the court order."))
    consent = active_sharing_consent(victim, to_institution)
    if consent is None and not legal_basis:
        raise field_error(
            "consent",
            _(
                "There is no consent of the victim to share with %(institution)s and no legal basis: "
                "the referral would share an identity without either."
            )
            % {"institution": to_institution.short_name or to_institution.name},
        )
    referral = Referral.objects.create(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        to_institution=to_institution,
        reason=reason,
        details=details.strip(),
        consent=consent,
        legal_basis=legal_basis,
        legal_basis_reference=legal_basis_reference.strip(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=referral,
        fields=[
            "victim",
            "to_institution",
            "reason",
            *(["consent"] if consent else []),
            *(["legal_basis"] if legal_basis else []),
            *(["details"] if referral.details else []),
        ],
    )
    return referral


@transaction.atomic
def referral_decide(*, actor: User, referral: Referral, accept: bool) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.to_institution_id != actor.institution_id or not policy.can(actor, Action.CHANGE, referral):
        raise PermissionDenied(_("Only the receiving institution accepts or declines a referral."))
    if referral.status != "pending":
        raise field_error("status", _("This referral has been decided already."))
    referral.status = "accepted" if accept else "declined"
    referral.decided_at = timezone.now()
    referral.decided_by = actor
    referral.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=referral, fields=["status", "decided_by"])
    return referral


# --- witness protection ---------------------------------------------------------------------------


def criminal_case_by_reference(value: str):
    """The criminal case a measure is requested in, by its TIPIMS reference (K-...) or its number.

    Only the case's reference, number and court are ever shown through a measure: its contents stay
    with the prosecution office under the policy.
    """
    from tipims.justice.models import CriminalCase

    value = (value or "").strip()
    if not value:
        raise field_error("criminal_case", _("Give the reference or the number of the criminal case."))
    found = list(CriminalCase.objects.filter(reference=value.upper())[:1]) or list(
        CriminalCase.objects.filter(number=value)[:2]
    )
    if not found:
        raise field_error("criminal_case", _("No criminal case with this reference or number."))
    if len(found) > 1:
        raise field_error(
            "criminal_case",
            _("Several prosecution offices use this case number: give the case reference (K-...)."),
        )
    return found[0]


@transaction.atomic
def witness_measure_request(
    *,
    actor: User,
    victim: Victim,
    criminal_case,
    measure: str,
    requested_on: datetime.date,
    requested_from: str,
) -> WitnessMeasure:
    """Record that a protection measure was requested for the victim as a witness in a criminal case."""
    _require(policy.can_create(actor, WitnessMeasure))
    _visible(actor, victim)
    if criminal_case is None:
        raise field_error("criminal_case", _("Give the reference or the number of the criminal case."))
    if measure not in vocabularies.codes("witness_measure_type"):
        raise field_error("measure", _("Choose a value from the list."))
    if requested_on is None:
        raise field_error("requested_on", _("Give the date."))
    _not_future("requested_on", requested_on)
    if not requested_from.strip():
        raise field_error("requested_from", _("Name the authority the measure was requested from."))
    witness_measure = WitnessMeasure.objects.create(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        criminal_case=criminal_case,
        measure=measure,
        requested_on=requested_on,
        requested_from=requested_from.strip()[:200],
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=witness_measure,
        fields=["victim", "criminal_case", "measure", "requested_on", "requested_from"],
    )
    return witness_measure


@transaction.atomic
def witness_measure_decide(
    *,
    actor: User,
    witness_measure: WitnessMeasure,
    granted: bool,
    decided_on: datetime.date,
    deciding_authority: str,
    decision_reference: str = "",
) -> WitnessMeasure:
    """Record the authority's decision: granted or denied, when, by whom."""
    witness_measure = WitnessMeasure.objects.select_for_update().get(pk=witness_measure.pk)
    _require(policy.can(actor, Action.CHANGE, witness_measure))
    if witness_measure.status != "requested":
        raise field_error("status", _("This measure has been decided already."))
    if decided_on is None:
        raise field_error("decided_on", _("Give the date."))
    _not_future("decided_on", decided_on)
    if decided_on < witness_measure.requested_on:
        raise field_error("decided_on", _("A decision cannot come before the request."))
    if not deciding_authority.strip():
        raise field_error("deciding_authority", _("Name the authority that decided."))
    witness_measure.status = "granted" if granted else "denied"
    witness_measure.decided_on = decided_on
    witness_measure.deciding_authority = deciding_authority.strip()[:200]
    witness_measure.decision_reference = decision_reference.strip()[:60]
    witness_measure.save(update_fields=["status", "decided_on", "deciding_authority", "decision_reference"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=witness_measure,
        fields=[
            "status",
            "decided_on",
            "deciding_authority",
            *(["decision_reference"] if witness_measure.decision_reference else []),
        ],
    )
    return witness_measure


# --- safe return -----------------------------------------------------------------------------------


@transaction.atomic
def suspect_mark(*, actor: User, person: PersonRecord, reason: str) -> SuspectMarker:
    """Mark a person record as a suspect or defendant (for instance a parent who sold the child)."""
    _require(policy.can_create(actor, SuspectMarker))
    _visible(actor, person)
    if not reason.strip():
        raise field_error("reason", _("Say why this person is a suspect."))
    marker = SuspectMarker.objects.create(
        person=person, institution=actor.institution, created_by=actor, reason=reason.strip()[:200]
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=marker, fields=["person", "reason"])
    return marker


def _refuse_suspect(family_member: PersonRecord | None) -> None:
    if family_member is not None and suspects.is_suspect(family_member):
        raise field_error(
            "family_member",
            _(
                "The receiving family member is recorded as a suspect or defendant in a trafficking case: "
                "a victim is never returned to them. Trace another family member or a care institution."
            ),
        )


def applicable_steps(victim: Victim) -> list[str]:
    return [step for step in RETURN_STEPS if victim.is_minor or step not in MINOR_ONLY_STEPS]


@transaction.atomic
def return_open(
    *,
    actor: User,
    victim: Victim,
    origin_country: str,
    receiving_institution: str,
    border_point: str,
    family_member: PersonRecord | None = None,
) -> SafeReturn:
    """Open a return to the country of origin: its steps, in order, are created with it."""
    _require(policy.can_create(actor, SafeReturn))
    _visible(actor, victim)
    if not countries.is_country(origin_country or ""):
        raise field_error("origin_country", _("Use a two-letter ISO 3166 country code."))
    if origin_country == "GT":
        raise field_error("origin_country", _("A return goes to another country than Guatemala."))
    if not receiving_institution.strip():
        raise field_error(
            "receiving_institution", _("Name the receiving institution of the country of origin.")
        )
    if border_point not in vocabularies.codes("return_border_point"):
        raise field_error("border_point", _("Choose a value from the list."))
    if family_member is not None:
        _visible(actor, family_member)
    _refuse_suspect(family_member)
    consent = None
    if not victim.is_minor:
        consent = (
            Consent.objects.filter(victim=victim, purpose="voluntary_return", withdrawn_at__isnull=True)
            .order_by("-given_on")
            .first()
        )
        if consent is None:
            raise field_error(
                "consent",
                _("An adult returns only voluntarily: record the victim's consent to return first."),
            )
    if SafeReturn.objects.filter(victim=victim, handed_over_on__isnull=True).exists():
        raise field_error("victim", _("A return of this victim is already under way."))
    safe_return = SafeReturn.objects.create(
        victim=victim,
        institution=actor.institution,
        created_by=actor,
        origin_country=origin_country,
        receiving_institution=receiving_institution.strip(),
        border_point=border_point,
        family_member=family_member,
        consent=consent,
    )
    ReturnStep.objects.bulk_create(
        ReturnStep(safe_return=safe_return, step=step, position=position)
        for position, step in enumerate(applicable_steps(victim), start=1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=safe_return,
        fields=[
            "victim",
            "origin_country",
            "receiving_institution",
            "border_point",
            *(["family_member"] if family_member else []),
            *(["consent"] if consent else []),
        ],
    )
    return safe_return


@transaction.atomic
def return_step_complete(
    *, actor: User, step: ReturnStep, done_on: datetime.date, outcome: str, responsible: str
) -> ReturnStep:
    """Record a step as done. Steps go in order; a minor's handover waits for the best-interests
    determination and family tracing; no one is handed over to a suspect."""
    safe_return = SafeReturn.objects.select_for_update().select_related("victim").get(pk=step.safe_return_id)
    step = ReturnStep.objects.get(pk=step.pk)
    _require(policy.can(actor, Action.CHANGE, safe_return))
    if step.done:
        raise field_error("step", _("This step is recorded already."))
    steps = list(safe_return.steps.all())
    earlier = [s for s in steps if s.position < step.position]
    if step.step == "handover":
        if safe_return.victim.is_minor:
            missing = [
                vocabularies.label("return_step", s.step)
                for s in earlier
                if s.step in ("best_interests_determination", "family_tracing") and not s.done
            ]
            if missing:
                raise field_error(
                    "step",
                    _("A child is not handed over before these steps are complete: %(steps)s.")
                    % {"steps": ", ".join(missing)},
                )
        _refuse_suspect(safe_return.family_member)
    pending = [s for s in earlier if not s.done]
    if pending:
        raise field_error(
            "step",
            _("Steps go in order: first complete “%(step)s”.")
            % {"step": vocabularies.label("return_step", pending[0].step)},
        )
    if done_on is None:
        raise field_error("done_on", _("Give the date."))
    _not_future("done_on", done_on)
    if earlier and done_on < earlier[-1].done_on:
        raise field_error("done_on", _("A step cannot be dated before the step that comes before it."))
    if done_on < safe_return.victim.identified_on:
        raise field_error("done_on", _("A step cannot be dated before the victim was identified."))
    if not responsible.strip():
        raise field_error("responsible", _("Name the responsible institution."))
    step.done_on = done_on
    step.outcome = outcome.strip()
    step.responsible = responsible.strip()[:200]
    step.save(update_fields=["done_on", "outcome", "responsible"])
    if step.step == "handover":
        safe_return.handed_over_on = done_on
        safe_return.save(update_fields=["handed_over_on"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=safe_return, fields=[f"step:{step.step}"])
    return step
