"""A small reporting year created through the modules' services: the Social Welfare secretariat
identifies victims (most of them Honduran girls, a few Salvadoran and Guatemalan), the Public
Ministry prosecutes one case to a conviction, monitors visit a bar. The reporting period is April 2025
to March 2026; a few victims of the year before give the comparison."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.core.models import Department, Municipality
from tipims.justice import services as justice
from tipims.justice.models import LegalProvision
from tipims.monitoring import services as monitoring
from tipims.people import services as people
from tipims.protection import services as protection

D = datetime.date
START, END = D(2025, 4, 1), D(2026, 3, 31)
# Synthetic names, as demo/names.py writes them: they must never reach the public report.
GIVEN = ["Yesenia", "Marisol", "Wendy", "Dulce", "Heidy", "Kimberly", "Sonia", "Ingrid"]
SURNAMES = ["Tzoc", "Ajanel", "Xicará", "Cifuentes", "Barrios", "Orellana", "Recinos"]


def _victim(actor, number: int, *, identified_on, sex="Feminine", age=15, citizenship="HN"):
    return protection.victim_identify_person(
        actor=actor,
        person_values={
            "given_names": GIVEN[number % len(GIVEN)],
            "surname1": SURNAMES[number % len(SURNAMES)],
            "sex": sex,
            "birth_date_precision": "estimated",
            "estimated_age": age,
            "citizenships": [citizenship],
        },
        values={
            "identified_on": identified_on,
            "trafficking_status": "ActualVictimOfTrafficking",
            "status_decided_by": "NonPoliceGovernmentalOrganization",
            "exploitation_types": ["SexualExploitation"],
        },
    )


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", make_institution("cit"), Role.COORDINATOR)


@pytest.fixture
def caseworker(db):
    return make_user("caseworker", make_institution("sbs"), Role.CASEWORKER)


@pytest.fixture
def monitor(db):
    return make_user("monitor", make_institution("ecpat", "NGO"), Role.MONITOR)


@pytest.fixture
def year(caseworker, owner, monitor):
    """The reporting year's records; returns the names used, for the 'no name' checks."""
    victims = []
    # 14 Honduran girls, 3 Salvadoran girls, 2 Guatemalan boys in the period; 5 girls the year before.
    for number in range(14):
        victims.append(
            _victim(caseworker, number, identified_on=D(2025, 5, 1) + datetime.timedelta(days=9 * number))
        )
    for number in range(3):
        victims.append(_victim(caseworker, 20 + number, identified_on=D(2025, 9, 3), citizenship="SV"))
    for number in range(2):
        victims.append(
            _victim(caseworker, 30 + number, identified_on=D(2026, 1, 15), sex="Masculine", citizenship="GT")
        )
    for number in range(5):
        _victim(caseworker, 40 + number, identified_on=D(2024, 6, 1), age=30)

    santa_rosa = Department.objects.get(name="Santa Rosa")
    case = justice.criminal_case_open(
        actor=owner,
        number="1234-25",
        offence_date=D(2025, 5, 1),
        opened_on=D(2025, 6, 2),
        department=santa_rosa,
        exploitation_types=["SexualExploitation"],
    )
    accused = people.person_record_create(
        actor=owner,
        values={
            "given_names": "Rudy Estuardo",
            "surname1": "Sagastume",
            "sex": "Masculine",
            "citizenships": ["GT"],
        },
    )
    defendant = justice.defendant_add(actor=owner, case=case, person=accused, roles=["Exploiter"])
    provision = LegalProvision.objects.get(code="cp-194")
    charge = justice.charge_file(
        actor=owner, defendant=defendant, provision=provision, filed_on=D(2025, 7, 1)
    )
    justice.judgment_record(
        actor=owner,
        charge=charge,
        verdict="conviction",
        date=D(2026, 2, 10),
        prison_years="3",
        fine_gtq="9000",
    )

    bar = monitoring.establishment_create(
        actor=monitor,
        name="Bar Sinaloa",
        kind="bar",
        municipality=Municipality.objects.filter(department=santa_rosa).first(),
    )
    monitoring.monitoring_visit_create(
        actor=monitor,
        establishment=bar,
        visited_on=D(2025, 8, 20),
        minors_confirmed=2,
        adults=4,
        minors_by_nationality={"HN": 2},
    )
    return {"names": [*GIVEN, *SURNAMES, "Rudy", "Sagastume", "Bar Sinaloa"], "victims": victims}


@pytest.fixture
def prevention_year(coordinator, owner, ministry):
    """The prevention module's part of the year, recorded through its services: a radio campaign,
    a training of justices of the peace, a late commitment."""
    from decimal import Decimal

    from tipims.prevention import services as prevention

    campaign = prevention.campaign_create(
        actor=owner,
        values={
            "title": "Riesgos de viajar con coyotes",
            "medium": "radio",
            "audiences": ["migrants"],
            "start": D(2025, 6, 1),
            "end": D(2025, 7, 31),
            "reach": 5000,
            "cost": Decimal("12000.00"),
            "funding_source": "OIM",
        },
        departments=[6],
    )
    training = prevention.training_create(
        actor=owner,
        values={
            "title": "Atención a niñez víctima",
            "audience": "justices_of_the_peace",
            "partner": "UNICEF",
            "start": D(2025, 9, 1),
            "end": D(2025, 9, 3),
            "hours": Decimal("16"),
            "women": 30,
            "men": 20,
            "other": 0,
        },
    )
    commitment = prevention.commitment_create(
        actor=coordinator,
        text="Diseñar la política nacional contra la trata",
        institutions=[ministry],
        due_date=D(2025, 8, 25),
        status="in_progress",
        made_on=D(2025, 2, 25),
    )
    return {"campaign": campaign, "training": training, "commitment": commitment}
