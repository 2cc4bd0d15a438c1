"""People and records for the exchange tests: a shelter's caseworker with a victim, her consent to share
with an NGO, her case with a support plan, and a referral to the NGO."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.people import services as people_services
from tipims.protection import services as protection_services


@pytest.fixture
def shelter_institution(db):
    return make_institution("sbs", "CentralGovernmentOrganisation")


@pytest.fixture
def ngo(db):
    return make_institution("ngo-refugio", "NGO")


@pytest.fixture
def caseworker(shelter_institution):
    return make_user("caseworker", shelter_institution, Role.CASEWORKER)


@pytest.fixture
def administrator(db):
    return make_user("administrator", make_institution("it"), Role.ADMIN)


def record_victim(
    actor,
    *,
    given="Heidy Marisol",
    surname1="Xicará",
    surname2="Paiz",
    born=datetime.date(2009, 3, 14),
    **victim_values,
):
    person = people_services.person_record_create(
        actor=actor,
        values={
            "given_names": given,
            "surname1": surname1,
            "surname2": surname2,
            "sex": "Feminine",
            "birth_date": born,
            "birth_date_precision": "exact",
            "citizenships": ["HN"],
            "phone": "+50255550101",
        },
        documents=[people_services.DocumentInput("PASSPORT", "HN 1234567", "HN")],
    )
    values = {
        "identified_on": datetime.date(2024, 5, 2),
        "trafficking_status": "ActualVictimOfTrafficking",
        "status_decided_by": "CourtOrProsecution",
        "exploitation_types": ["SexualExploitation"],
        "sex_exploitation_types": ["Prostitution"],
        "recruitment_methods": ["ThroughOnlineSocialNetworks"],
        "control_methods": ["DebtBondage", "FalsePromises"],
        "age_when_trafficked": 14,
        "relationship_to_trafficker": "Acquainted",
        **victim_values,
    }
    return protection_services.victim_identify(actor=actor, person=person, values=values)


@pytest.fixture
def victim_file(caseworker, ngo):
    """A victim with everything HTCDS carries: consent, a case with a plan, a referral."""
    victim = record_victim(caseworker)
    protection_services.consent_record(
        actor=caseworker,
        victim=victim,
        purpose="sharing",
        given_on=datetime.date(2024, 5, 3),
        shared_with=ngo,
    )
    case = protection_services.protection_case_open(
        actor=caseworker, victim=victim, opened_on=datetime.date(2024, 5, 3)
    )
    protection_services.support_plan_add(
        actor=caseworker,
        case=case,
        plan_type="Health",
        objectives='=HYPERLINK("http://x") medical follow-up',
        planned_end=datetime.date(2024, 12, 1),
    )
    protection_services.referral_create(
        actor=caseworker, victim=victim, to_institution=ngo, reason="AdditionalServicesRequired"
    )
    return victim
