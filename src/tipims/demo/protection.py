"""Synthetic protection data: four thousand victims with the nationality mix the cable reports for
minors found in bars, the Social Welfare secretariat's and Casa Alianza's shelters, court-ordered
placements, referrals with consent, flags from the border and the police, and safe returns at the
Mexican, Salvadoran, Honduran and Belizean borders. The first 200 victims go through the services one
by one (audited call by call); the rest are written in bulk under the same rules (protection_bulk).
Seeded and deterministic; nothing happens when victims exist already."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tipims.accounts import services as account_services
from tipims.accounts.models import Institution, User
from tipims.accounts.roles import Role
from tipims.demo import protection_bulk
from tipims.demo.generator import REFERENCE_DAY, synthetic_person
from tipims.people import services as people_services
from tipims.people.models import PersonRecord
from tipims.people.selectors import age_on
from tipims.protection import services
from tipims.protection.models import Victim

# A few hundred victims go through the services one by one (about eight audited calls each: every step
# of the demo's stories is a real, audited service call); thousands more are written in bulk under the
# same rules (demo/protection_bulk.py says how, and what the audit trail records of them).
VICTIMS = 200
BULK_VICTIMS = 3800
# Minors observed by Casa Alianza, by nationality (cable, 1D): 288 GT, 115 undetermined, 100 HN, 98 SV,
# 61 NI, 3 BZ, 3 CR ("" = undetermined: no citizenship recorded); a few Mexicans so that returns also
# cross at the Mexican border.
NATIONALITIES = [
    ("GT", 288),
    ("", 115),
    ("HN", 100),
    ("SV", 98),
    ("NI", 61),
    ("BZ", 3),
    ("CR", 3),
    ("MX", 8),
]
RETURN_ROUTES = {
    "HN": (["agua_caliente", "el_florido"], "Dirección de Niñez, Adolescencia y Familia (DINAF), Honduras"),
    "SV": (
        ["pedro_de_alvarado", "valle_nuevo"],
        "Instituto Salvadoreño para el Desarrollo Integral de la Niñez (ISNA)",
    ),
    "NI": (["agua_caliente"], "Ministerio de la Familia, Nicaragua"),
    "MX": (["tecun_uman", "la_mesilla"], "Sistema Nacional DIF, México"),
    "BZ": (["melchor_de_mencos"], "Department of Human Services, Belize"),
    "CR": (["la_aurora"], "Patronato Nacional de la Infancia (PANI), Costa Rica"),
}
SHELTERS = [
    # (institution, name, department, girls, boys, women, men)
    ("sbs", "Hogar Seguro SBS – Antigua Guatemala", "Sacatepéquez", 40, 15, 10, 0),
    ("sbs", "Hogar temporal SBS – Ciudad de Guatemala", "Guatemala", 60, 30, 20, 10),
    ("sbs", "Hogar SBS – Coatepeque", "Quetzaltenango", 20, 10, 0, 0),
    ("casa-alianza", "Casa Alianza – Hogar de niñas", "Guatemala", 45, 0, 0, 0),
    ("casa-alianza", "Casa Alianza – Hogar de varones", "Guatemala", 0, 35, 0, 0),
]
CONTROL = [
    "FalsePromises",
    "WithholdsDocuments",
    "DebtBondage",
    "PhysicalThreats",
    "PsychoactiveSubstance",
    "TakesEarnings",
    "ExcessiveWorkingHours",
    "PsychologicalAbuse",
]
RECRUITMENT = [
    "ThroughFriendsOrSocialEvents",
    "ThroughFamilyOrFamilyEvents",
    "AtWork",
    "ThroughOnlineSocialNetworks",
    "ThroughANewspaperAdvert",
]
EXPLOITATION = [
    ("SexualExploitation", 70),
    ("ForcedLabour", 14),
    ("ChildLabour", 6),
    ("ForcedBegging", 5),
    ("Servitude", 3),
    ("ForcedMarriage", 2),
]
INDUSTRIES = [
    "A_AgricultureForestryAndFishing",
    "I_AccommodationAndFoodServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
]
SERVICES = [
    ("medical", 25),
    ("psychological", 25),
    ("legal", 15),
    ("shelter", 10),
    ("education", 10),
    ("livelihood", 5),
    ("social", 6),
    ("family_contact", 4),
]
PROVIDERS = {
    "medical": "Centro de Salud",
    "psychological": "Psicología SBS",
    "legal": "PGN – Procuraduría de la Niñez",
    "shelter": "Hogar SBS",
    "education": "Ministerio de Educación",
    "livelihood": "INTECAP",
    "social": "Trabajo social SBS",
    "family_contact": "OIM",
}
COURTS = [
    "Juzgado de la Niñez y Adolescencia de Guatemala",
    "Juzgado de la Niñez y Adolescencia de Escuintla",
    "Juzgado de la Niñez y Adolescencia de Quetzaltenango",
    "Juzgado de Paz de Cuilapa",
]
NGO_CASEWORKER = "caseworker-casa-alianza"
FIRST_DAY = REFERENCE_DAY - datetime.timedelta(days=364)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _ngo_caseworker(institutions: dict[str, Institution]) -> User:
    """Casa Alianza's caseworker: an actor for the NGO's data (no password: not a demo login)."""
    user = User.objects.filter(username=NGO_CASEWORKER).first()
    if user is None:
        user = account_services.user_create(
            actor=None,
            username=NGO_CASEWORKER,
            institution=institutions["casa-alianza"],
            roles=[Role.CASEWORKER],
            password=None,
            first_name="Casa Alianza",
        )
    return user


def _context(rng: random.Random, identified_on: datetime.date, age: int | None) -> dict:
    main = _weighted(rng, EXPLOITATION)
    values = {
        "identified_on": identified_on,
        "trafficking_status": _weighted(
            rng, [("ActualVictimOfTrafficking", 80), ("PossibleVictimOfTrafficking", 20)]
        ),
        "status_decided_by": _weighted(
            rng, [("NonPoliceGovernmentalOrganization", 50), ("CourtOrProsecution", 30), ("NGO", 20)]
        ),
        "recruitment_methods": rng.sample(RECRUITMENT, rng.randint(1, 2)),
        "control_methods": rng.sample(CONTROL, rng.randint(1, 3)),
        "exploitation_types": [main],
        "relationship_to_trafficker": _weighted(
            rng, [("Acquainted", 55), ("Unaquainted", 30), ("Familial", 15)]
        ),
    }
    if main == "SexualExploitation":
        values["sex_exploitation_types"] = [
            _weighted(rng, [("Prostitution", 85), ("Pornography", 10), ("PrivateSexualServices", 5)])
        ]
    if main == "ForcedLabour":
        values["forced_labour_industry"] = rng.choice(INDUSTRIES)
    if age is not None:
        values["age_when_trafficked"] = max(6, age - rng.randint(0, 2))
    return values


def _person(rng: random.Random) -> dict:
    for _ in range(20):  # victims are mostly minors: redraw most adults
        values, _documents = synthetic_person(rng)
        adult = values.get("estimated_age", 0) >= 18 or (
            values.get("birth_date") and (REFERENCE_DAY - values["birth_date"]).days >= 18 * 365
        )
        if not adult or rng.random() < 0.35:
            break
    nationality = _weighted(rng, NATIONALITIES)
    values["citizenships"] = [nationality] if nationality else []
    return values


def _age(values: dict, day: datetime.date) -> int | None:
    return age_on(PersonRecord(**values), day)


def load_protection(
    users: dict[str, User],
    institutions: dict[str, Institution],
    *,
    seed: int = 2004,
    progress: Callable[[int, int], None] | None = None,
    bulk_victims: int = BULK_VICTIMS,
) -> int:
    """Synthetic victims (four thousand at full size) and their protection; nothing when victims exist
    already."""
    if Victim.objects.exists():
        return 0
    rng = random.Random(seed)
    with transaction.atomic():
        sbs_worker = users["caseworker"]
        ngo_worker = _ngo_caseworker(institutions)
        workers = {"sbs": sbs_worker, "casa-alianza": ngo_worker}
        shelters = [
            services.shelter_create(
                actor=workers[code],
                name=name,
                department=department,
                capacities={
                    "capacity_female_minor": girls,
                    "capacity_male_minor": boys,
                    "capacity_female_adult": women,
                    "capacity_male_adult": men,
                },
            )
            for code, name, department, girls, boys, women, men in SHELTERS
        ]
        own_shelters = {code: [s for s in shelters if s.institution.code == code] for code in workers}
        done = 0
        total = VICTIMS + bulk_victims
        for index in range(VICTIMS):
            _one_victim(rng, index, users, institutions, workers, own_shelters)
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
        done += protection_bulk.load_bulk(
            rng,
            bulk_victims,
            workers=workers,
            institutions=institutions,
            own_shelters=own_shelters,
            progress=(lambda bulk: progress(VICTIMS + bulk, total)) if progress else None,
        )
    return done


def _one_victim(rng, index, users, institutions, workers, own_shelters) -> None:
    roll = rng.random()
    person_values = _person(rng)
    day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 364))
    if roll < 0.12:  # flagged at the border or by the police: the flag is dated the day it is made
        flagger = users["border_officer"] if roll < 0.09 else users["investigator"]
        if flagger.username == "border_officer":
            person_values = {k: v for k, v in person_values.items() if k not in ("phone", "address")}
        referral = services.victim_flag(
            actor=flagger,
            person_values=person_values,
            observations="Indicadores observados en el control.",
            exploitation_types=[_weighted(rng, EXPLOITATION)],
        )
        victim = referral.victim
        if rng.random() < 0.9:
            services.referral_decide(actor=workers["sbs"], referral=referral, accept=True)
        worker = workers["sbs"]
        day = victim.identified_on
    else:
        code = "casa-alianza" if roll > 0.85 else "sbs"
        worker = workers[code]
        victim = services.victim_identify_person(
            actor=worker, person_values=person_values, values=_context(rng, day, _age(person_values, day))
        )
    cap = max(REFERENCE_DAY, day)  # flags are dated the day the demo runs
    services.consent_record(actor=worker, victim=victim, purpose="services", given_on=day)
    case = services.protection_case_open(actor=worker, victim=victim, opened_on=day)
    if rng.random() < 0.5:
        services.support_plan_add(
            actor=worker,
            case=case,
            plan_type="SexualExploitationRehabilitation"
            if "SexualExploitation" in victim.exploitation_types
            else rng.choice(["SocialCare", "Education", "Health", "Legal"]),
        )
    for _ in range(rng.randint(1, 2)):
        service_day = min(cap, day + datetime.timedelta(days=rng.randint(0, 60)))
        kind = _weighted(rng, SERVICES)
        services.service_deliver(
            actor=worker, case=case, service_type=kind, delivered_on=service_day, provider=PROVIDERS[kind]
        )
    placed = None
    if rng.random() < 0.45:
        placed = _place(rng, worker, victim, own_shelters[worker.institution.code], day, cap)
    if worker.institution.code == "sbs" and rng.random() < 0.08:
        _refer_to_ngo(rng, worker, victim, institutions["casa-alianza"], workers["casa-alianza"], day)
    nationality = victim.nationality
    if nationality in RETURN_ROUTES and rng.random() < 0.3:
        if placed is not None and placed.end is None:
            end = min(cap, day + datetime.timedelta(days=rng.randint(20, 60)))
            services.placement_end(actor=worker, placement=placed, end=end)
        _return(rng, worker, victim, nationality, day, cap)
    elif rng.random() < 0.3:
        services.protection_case_set_status(
            actor=worker,
            case=case,
            status=rng.choice(["FollowUp", "Closed"]),
            closure_reason="Reintegrada con su familia en Guatemala.",
        )


def _place(rng, worker, victim, shelters, day, cap):
    candidates = [s for s in shelters if s.capacity(services.placement_group(victim)) > 0]
    if not candidates:
        return None
    shelter = rng.choice(candidates)
    try:
        placement = services.placement_create(
            actor=worker,
            victim=victim,
            shelter=shelter,
            court=rng.choice(COURTS),
            court_reference=f"MP-{day.year}-{rng.randint(100, 9999)}",
            court_order_date=day,
            start=day,
        )
    except ValidationError:  # full: most wait for a place, a few go in on an emergency
        if rng.random() > 0.1:
            return None
        placement = services.placement_create(
            actor=worker,
            victim=victim,
            shelter=shelter,
            court=rng.choice(COURTS),
            court_reference=f"MP-{day.year}-{rng.randint(100, 9999)}",
            court_order_date=day,
            start=day,
            emergency_reason="Rescate nocturno; ningún otro albergue disponible.",
        )
    if rng.random() < 0.6:
        end = min(cap, day + datetime.timedelta(days=rng.randint(15, 200)))
        placement = services.placement_end(actor=worker, placement=placement, end=end)
    return placement


def _refer_to_ngo(rng, worker, victim, ngo, ngo_worker, day) -> None:
    consent = services.consent_record(
        actor=worker, victim=victim, purpose="sharing", shared_with=ngo, given_on=day
    )
    referral = services.referral_create(
        actor=worker,
        victim=victim,
        to_institution=ngo,
        reason="AdditionalServicesRequired",
        details="Atención especializada.",
    )
    roll = rng.random()
    if roll < 0.7:
        services.referral_decide(actor=ngo_worker, referral=referral, accept=True)
    elif roll < 0.85:
        services.referral_decide(actor=ngo_worker, referral=referral, accept=False)
    if rng.random() < 0.1:
        services.consent_withdraw(actor=worker, consent=consent)


def _return(rng, worker, victim, nationality, day, cap) -> None:
    points, receiving = RETURN_ROUTES[nationality]
    if not victim.is_minor:
        services.consent_record(actor=worker, victim=victim, purpose="voluntary_return", given_on=day)
    safe_return = services.return_open(
        actor=worker,
        victim=victim,
        origin_country=nationality,
        receiving_institution=receiving,
        border_point=rng.choice(points),
    )
    when = day
    for step in safe_return.steps.all():
        gap = {"followup_3m": 90, "followup_6m": 90, "followup_12m": 180}.get(step.step, rng.randint(1, 8))
        when = when + datetime.timedelta(days=gap)
        if when > cap or rng.random() < 0.03:
            break
        responsible = (
            "Consulado"
            if step.step == "consular_notification"
            else (
                receiving
                if step.step in ("reception", "followup_3m", "followup_6m", "followup_12m")
                else "SBS"
            )
        )
        services.return_step_complete(
            actor=worker, step=step, done_on=when, outcome="Completado", responsible=responsible
        )


# --- links with justice and the border (run after their demo data exists) -------------------------

WITNESS_MEASURES = 40
AUTHORITIES = [
    "Juzgado de Primera Instancia Penal de Escuintla",
    "Tribunal de Sentencia Penal de Guatemala",
    "Oficina de Protección del Ministerio Público",
]


def load_protection_links(users: dict[str, User], *, seed: int = 2005) -> int:
    """Witness protection measures in the demo's criminal cases, and a few victims who also appear as a
    defendant or a deportee (joined by the analyst's linkage decisions), so that the victim's page shows
    the non-punishment notice to her caseworker. Through the services; nothing when measures exist."""
    from tipims.border import services as border_services
    from tipims.justice import services as justice_services
    from tipims.justice.models import CriminalCase
    from tipims.linkage.models import Decision
    from tipims.linkage.services import judgement_record
    from tipims.protection.models import WitnessMeasure

    if WitnessMeasure.objects.exists():
        return 0
    cases = list(CriminalCase.objects.order_by("opened_on", "id"))
    worker = users["caseworker"]
    victims = list(
        Victim.objects.filter(institution=worker.institution, cases__caseworker=worker, flagged=False)
        .select_related("person")
        .order_by("id")[: WITNESS_MEASURES + 6]
    )
    if not cases or len(victims) < WITNESS_MEASURES + 6:
        return 0
    rng = random.Random(seed)
    today = REFERENCE_DAY
    with transaction.atomic():
        for victim in victims[:WITNESS_MEASURES]:
            case = rng.choice(cases)
            asked = min(
                today, max(victim.identified_on, case.opened_on) + datetime.timedelta(rng.randint(1, 30))
            )
            measure = services.witness_measure_request(
                actor=worker,
                victim=victim,
                criminal_case=case,
                measure=_weighted(
                    rng,
                    [
                        ("gesell_chamber", 30),
                        ("identity_reserve", 25),
                        ("police_protection", 20),
                        ("anticipated_testimony", 15),
                        ("relocation", 10),
                    ],
                ),
                requested_on=asked,
                requested_from=case.court or AUTHORITIES[0],
            )
            if rng.random() < 0.7:
                services.witness_measure_decide(
                    actor=worker,
                    witness_measure=measure,
                    granted=rng.random() < 0.75,
                    decided_on=min(today, asked + datetime.timedelta(rng.randint(3, 40))),
                    deciding_authority=rng.choice([case.court or AUTHORITIES[0], *AUTHORITIES]),
                    decision_reference=f"RES-{asked.year}-{rng.randint(10, 999)}",
                )
        # Victims recorded again elsewhere: three charged by the prosecution office (for acts the
        # exploiters forced on them), three deported at the border; the analyst links the records.
        prosecutor, officer, analyst = users["prosecutor"], users["border_officer"], users["analyst"]
        for index, victim in enumerate(victims[WITNESS_MEASURES:]):
            person = victim.person
            values = {
                "given_names": person.given_names,
                "surname1": person.surname1,
                "surname2": person.surname2,
                "sex": person.sex,
                "citizenships": person.citizenships,
            }
            if index < 3:
                record = people_services.person_record_create(actor=prosecutor, values=values)
                justice_services.defendant_add(actor=prosecutor, case=cases[-1 - index], person=record)
            else:
                record = people_services.person_record_create(actor=officer, values=values)
                border_services.crossing_create(
                    actor=officer,
                    person=record,
                    point=rng.choice(["tecun-uman", "la-mesilla"]),
                    direction="in",
                    crossed_at=timezone.make_aware(
                        datetime.datetime.combine(victim.identified_on, datetime.time(10))
                    )
                    - datetime.timedelta(days=rng.randint(20, 200)),
                    deported=True,
                    screen=False,
                )
            judgement_record(actor=analyst, record_a=person, record_b=record, decision=Decision.SAME)
    return WITNESS_MEASURES
