"""Personas of protection: the Social Welfare secretariat's caseworkers (the owners), an NGO's
caseworker (another institution), a border officer and a police investigator who flag, an analyst."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.protection import services

TODAY = datetime.date.today()


@pytest.fixture
def sbs(db):
    return make_institution("sbs", "CentralGovernmentOrganisation")


@pytest.fixture
def ngo(db):
    return make_institution("casa-alianza", "NGO")


@pytest.fixture
def caseworker(sbs):
    return make_user("caseworker", sbs, Role.CASEWORKER)


@pytest.fixture
def sbs_colleague(sbs):
    return make_user("sbs-colleague", sbs, Role.CASEWORKER)


@pytest.fixture
def ngo_caseworker(ngo):
    return make_user("ngo-caseworker", ngo, Role.CASEWORKER)


@pytest.fixture
def border_officer(db):
    return make_user("border", make_institution("dgm", "ImmigrationService"), Role.BORDER_OFFICER)


@pytest.fixture
def investigator(db):
    return make_user("investigator", make_institution("pnc", "LawEnforcement"), Role.INVESTIGATOR)


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", make_institution("cit"), Role.COORDINATOR)


GIRL = {
    "given_names": "Yesenia Marisol",
    "surname1": "Tzoc",
    "surname2": "Orellana",
    "sex": "Feminine",
    "birth_date_precision": "estimated",
    "estimated_age": 15,
    "citizenships": ["HN"],
}
WOMAN = {
    "given_names": "Glenda",
    "surname1": "Recinos",
    "sex": "Feminine",
    "birth_date_precision": "exact",
    "birth_date": TODAY.replace(year=TODAY.year - 30) - datetime.timedelta(days=40),
    "citizenships": ["SV"],
}
CONTEXT = {
    "identified_on": TODAY - datetime.timedelta(days=30),
    "trafficking_status": "ActualVictimOfTrafficking",
    "status_decided_by": "NonPoliceGovernmentalOrganization",
    "recruitment_methods": ["ThroughFriendsOrSocialEvents"],
    "control_methods": ["WithholdsDocuments", "DebtBondage"],
    "exploitation_types": ["SexualExploitation"],
    "sex_exploitation_types": ["Prostitution"],
    "relationship_to_trafficker": "Acquainted",
}


def identify(actor, person=None, **context):
    return services.victim_identify_person(
        actor=actor, person_values=dict(person or GIRL), values={**CONTEXT, **context}
    )


@pytest.fixture
def girl(caseworker):
    """A 15-year-old Honduran girl identified by the secretariat a month ago."""
    return identify(caseworker)


@pytest.fixture
def woman(caseworker):
    return identify(caseworker, WOMAN)


@pytest.fixture
def shelter(caseworker):
    return services.shelter_create(
        actor=caseworker,
        name="Hogar Seguro Virgen de la Asunción",
        capacities={"capacity_female_minor": 1, "capacity_female_adult": 2},
    )
