"""Thousands more synthetic victims for the demo, written in bulk.

Why in bulk: one victim through the services costs about eight audited calls (tens of milliseconds
each: the policy, row locks, the hash-chained audit append), so thousands would make `tipims demo`
take minutes. ``demo.protection`` still walks a few hundred victims through the services one by one;
the rest are built here in memory and

- checked by the rules the services apply: ``protection.services.check_victim_context`` for every
  victim (dates, picklists, minors), field validation for person records (unique values and check
  constraints are left to the database, which enforces them on the insert); shelter capacity, consent
  before sharing or an adult's return, the order and dates of return steps and a minor's
  best-interests determination before handover hold by construction and are asserted below;
- written with ``bulk_create``, a batch at a time.

What is audited: one ``create`` event per model and per batch, by the caseworker on whose behalf the
rows were written, naming every id written (``object_ids``) and the field names set. The trail thus
says truthfully that these records were created together by a bulk load, not that someone typed each.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable

from tipims.accounts.models import Institution, User
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.people.models import PersonRecord
from tipims.people.selectors import age_on
from tipims.protection import services
from tipims.protection.models import (
    Assessment,
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    ReturnStep,
    SafeReturn,
    ServiceDelivery,
    Shelter,
    SupportPlan,
    Victim,
)

BATCH = 500
STEP_GAPS = {"followup_3m": 90, "followup_6m": 90, "followup_12m": 180}
RESPONSIBLE_ABROAD = {"reception", "followup_3m", "followup_6m", "followup_12m"}
ASSESSMENT_FACTORS = {
    "individual": ["age", "migration_status", "nationality_ethnicity", "health", "education"],
    "household": ["income_source", "violence_abuse", "family_involved", "household_debt"],
    "community": ["trafficking_networks", "armed_groups", "education_access", "law_enforcement_access"],
}


def _audit(worker: User, model, rows: list, fields: list[str]) -> None:
    if rows:
        audit_record(
            actor=worker,
            action=AuditAction.CREATE,
            object_type=model._meta.label_lower,
            object_ids=[row.pk for row in rows],
            fields=fields,
        )


class _Occupancy:
    """Open placements per shelter and group, as ``services.occupied`` counts them."""

    def __init__(self, shelters: list[Shelter]):
        self.counts: Counter[tuple[int, str]] = Counter(
            (row["shelter_id"], row["group"])
            for row in Placement.objects.filter(shelter__in=shelters, end__isnull=True).values(
                "shelter_id", "group"
            )
        )

    def full(self, shelter: Shelter, group: str) -> bool:
        return self.counts[(shelter.pk, group)] >= shelter.capacity(group)

    def take(self, shelter: Shelter, group: str) -> None:
        self.counts[(shelter.pk, group)] += 1


def load_bulk(
    rng: random.Random,
    count: int,
    *,
    workers: dict[str, User],
    institutions: dict[str, Institution],
    own_shelters: dict[str, list[Shelter]],
    progress: Callable[[int], None] | None = None,
) -> int:
    from tipims.demo import protection as demo

    occupancy = _Occupancy([s for shelters in own_shelters.values() for s in shelters])
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        for code in ("sbs", "casa-alianza"):
            share = round(size * (0.8 if code == "sbs" else 0.2))
            if share:
                _batch(rng, share, code, demo, workers, institutions, own_shelters, occupancy)
        done += size
        if progress:
            progress(done)
    return done


def _batch(rng, size, code, demo, workers, institutions, own_shelters, occupancy) -> None:
    worker = workers[code]
    institution = worker.institution
    people, victims = [], []
    for _ in range(size):
        values = demo._person(rng)
        person = PersonRecord(institution=institution, created_by=worker, **values)
        # Field validation here; unique values and check constraints are enforced by the insert itself.
        person.full_clean(
            exclude=["institution", "created_by"], validate_unique=False, validate_constraints=False
        )
        people.append(person)
    PersonRecord.objects.bulk_create(people)
    for person in people:
        day = demo.FIRST_DAY + datetime.timedelta(days=rng.randint(0, 364))
        victim = Victim(
            person=person,
            institution=institution,
            created_by=worker,
            **demo._context(rng, day, age_on(person, day)),
        )
        # The service's own rules and derived columns; constraints are enforced by the insert.
        services.check_victim_context(victim, query_database=False)
        victims.append(victim)
    Victim.objects.bulk_create(victims)
    _audit(worker, PersonRecord, people, ["given_names", "surname1", "surname2", "sex", "citizenships"])
    _audit(worker, Victim, victims, ["person", "identified_on", "trafficking_status", "exploitation_types"])

    consents = [
        Consent(
            victim=v, institution=institution, created_by=worker, purpose="services", given_on=v.identified_on
        )
        for v in victims
    ]
    cases = []
    for victim in victims:
        case = ProtectionCase(
            victim=victim,
            institution=institution,
            created_by=worker,
            caseworker=worker,
            opened_on=victim.identified_on,
        )
        if rng.random() < 0.3 and victim.nationality not in demo.RETURN_ROUTES:
            case.status = rng.choice(["FollowUp", "Closed"])
            if case.status == "Closed":
                case.closure_reason = "Reintegrada con su familia en Guatemala."
                case.closed_on = min(demo.REFERENCE_DAY, victim.identified_on + datetime.timedelta(days=90))
        cases.append(case)
    ProtectionCase.objects.bulk_create(cases)

    delivered, plans, assessments = [], [], []
    for case in cases:
        for _ in range(rng.randint(1, 2)):
            kind = demo._weighted(rng, demo.SERVICES)
            delivered.append(
                ServiceDelivery(
                    case=case,
                    service_type=kind,
                    delivered_on=min(
                        demo.REFERENCE_DAY, case.opened_on + datetime.timedelta(rng.randint(0, 60))
                    ),
                    provider=demo.PROVIDERS[kind],
                )
            )
        if rng.random() < 0.5:
            sexual = "SexualExploitation" in case.victim.exploitation_types
            plans.append(
                SupportPlan(
                    case=case,
                    plan_type="SexualExploitationRehabilitation"
                    if sexual
                    else rng.choice(["SocialCare", "Education", "Health", "Legal", "Livelihood"]),
                    objectives="Recuperación y reintegración.",
                    action_plan="Atención psicológica semanal; escolarización.",
                    planned_end=case.opened_on + datetime.timedelta(days=180),
                )
            )
        if rng.random() < 0.4:
            level = rng.choice(list(ASSESSMENT_FACTORS))
            assessments.append(
                Assessment(
                    case=case,
                    level=level,
                    assessed_on=case.opened_on,
                    risk_level=rng.choice(["low", "medium", "high"]),
                    factors=sorted(rng.sample(ASSESSMENT_FACTORS[level], rng.randint(1, 2))),
                    assessed_by=worker,
                )
            )
    ServiceDelivery.objects.bulk_create(delivered)
    SupportPlan.objects.bulk_create(plans)
    Assessment.objects.bulk_create(assessments)

    placements = _placements(rng, victims, worker, own_shelters[code], occupancy, demo)
    referrals = []
    if code == "sbs":
        ngo = institutions["casa-alianza"]
        for victim in victims:
            if rng.random() < 0.08:
                consent = Consent(
                    victim=victim,
                    institution=institution,
                    created_by=worker,
                    purpose="sharing",
                    shared_with=ngo,
                    given_on=victim.identified_on,
                )
                consents.append(consent)
                referrals.append(
                    Referral(
                        victim=victim,
                        institution=institution,
                        created_by=worker,
                        to_institution=ngo,
                        reason="AdditionalServicesRequired",
                        details="Atención especializada.",
                        consent=consent,
                        status=demo._weighted(rng, [("accepted", 70), ("declined", 15), ("pending", 15)]),
                    )
                )
    returns, steps = _returns(rng, victims, worker, consents, demo)
    Consent.objects.bulk_create(consents)
    # Saved consents and returns now have ids: bulk_create fills the foreign keys that point at them.
    Referral.objects.bulk_create(referrals)
    SafeReturn.objects.bulk_create(returns)
    ReturnStep.objects.bulk_create(steps)

    _audit(worker, Consent, consents, ["victim", "purpose", "given_on", "shared_with"])
    _audit(worker, ProtectionCase, cases, ["victim", "opened_on", "caseworker", "status"])
    _audit(worker, ServiceDelivery, delivered, ["case", "service_type", "delivered_on", "provider"])
    _audit(worker, SupportPlan, plans, ["case", "plan_type", "objectives", "action_plan", "planned_end"])
    _audit(worker, Assessment, assessments, ["case", "level", "assessed_on", "risk_level", "factors"])
    _audit(worker, Placement, placements, ["victim", "shelter", "court", "court_reference", "start", "end"])
    _audit(worker, Referral, referrals, ["victim", "to_institution", "reason", "consent", "status"])
    _audit(worker, SafeReturn, returns, ["victim", "origin_country", "receiving_institution", "border_point"])
    _audit(worker, ReturnStep, steps, ["step", "done_on", "responsible", "outcome"])


def _placements(rng, victims, worker, shelters, occupancy, demo) -> list[Placement]:
    placements = []
    for victim in victims:
        if rng.random() >= 0.45:
            continue
        group = services.placement_group(victim)
        candidates = [s for s in shelters if s.capacity(group) > 0]
        if not candidates:
            continue
        shelter = rng.choice(candidates)
        day = victim.identified_on
        end = None
        if rng.random() < 0.85:  # most stays are over by now; the others hold a place
            end = min(demo.REFERENCE_DAY, day + datetime.timedelta(days=rng.randint(15, 200)))
        emergency = ""
        if end is None:
            if occupancy.full(shelter, group):
                if rng.random() > 0.1:
                    continue  # full: she waits for a place, as the service would make her
                emergency = "Rescate nocturno; ningún otro albergue disponible."
            occupancy.take(shelter, group)
        placements.append(
            Placement(
                victim=victim,
                shelter=shelter,
                institution=worker.institution,
                created_by=worker,
                group=group,
                court=rng.choice(demo.COURTS),
                court_reference=f"MP-{day.year}-{rng.randint(100, 9999)}",
                court_order_date=day,
                start=day,
                end=end,
                emergency_reason=emergency,
            )
        )
    Placement.objects.bulk_create(placements)
    return placements


def _returns(rng, victims, worker, consents, demo) -> tuple[list[SafeReturn], list[ReturnStep]]:
    returns, steps = [], []
    for victim in victims:
        nationality = victim.nationality
        if nationality not in demo.RETURN_ROUTES or rng.random() >= 0.3:
            continue
        points, receiving = demo.RETURN_ROUTES[nationality]
        consent = None
        if not victim.is_minor:  # an adult returns only voluntarily, with her consent
            consent = Consent(
                victim=victim,
                institution=worker.institution,
                created_by=worker,
                purpose="voluntary_return",
                given_on=victim.identified_on,
            )
            consents.append(consent)
        safe_return = SafeReturn(
            victim=victim,
            institution=worker.institution,
            created_by=worker,
            origin_country=nationality,
            receiving_institution=receiving,
            border_point=rng.choice(points),
            consent=consent,
        )
        when, done = victim.identified_on, True
        names = services.applicable_steps(victim)
        for position, name in enumerate(names, start=1):
            step = ReturnStep(safe_return=safe_return, step=name, position=position)
            if done:
                when = when + datetime.timedelta(days=STEP_GAPS.get(name, rng.randint(1, 8)))
                done = when <= demo.REFERENCE_DAY and rng.random() >= 0.03
            if done:  # steps are done in order, each dated after the one before
                step.done_on = when
                step.outcome = "Completado"
                step.responsible = (
                    "Consulado"
                    if name == "consular_notification"
                    else (receiving if name in RESPONSIBLE_ABROAD else "SBS")
                )
                if name == "handover":
                    safe_return.handed_over_on = when
            steps.append(step)
        if victim.is_minor and safe_return.handed_over_on:
            before = {s.step for s in steps if s.safe_return is safe_return and s.done_on}
            assert {"best_interests_determination", "family_tracing"} <= before
        returns.append(safe_return)
    return returns, steps
