"""Justice personas: the prosecutor `owner` of tests/conftest.py works in the Public Ministry office
(`ministry`); a complaint it received, a case it opened, a defendant recorded in its institution."""

import datetime

import pytest

from tipims.justice import services
from tipims.justice.models import LegalProvision
from tipims.people import services as people_services

D = datetime.date


@pytest.fixture
def complaint(owner):
    return services.complaint_create(
        actor=owner,
        channel="hotline",
        received_on=D(2004, 2, 10),
        occurred_on=D(2004, 2, 1),
        narrative="Una menor salvadoreña trabaja en el bar Sinaloa de Cuilapa.",
        indicators=["minor_in_bar", "foreign_minor"],
    )


@pytest.fixture
def case(owner, complaint, person):
    return services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=D(2004, 2, 1),
        opened_on=D(2004, 2, 12),
        district="Santa Rosa",
        court="Juzgado de Paz de Cuilapa",
        unit="Fiscalía contra la Trata",
        exploitation_types=["SexualExploitation"],
        complaints=[complaint],
        victims=[person],
    )


@pytest.fixture
def accused(owner):
    return people_services.person_record_create(
        actor=owner,
        values={
            "given_names": "Rudy Estuardo",
            "surname1": "Sagastume",
            "sex": "Masculine",
            "citizenships": ["GT"],
        },
    )


@pytest.fixture
def defendant(owner, case, accused):
    return services.defendant_add(actor=owner, case=case, person=accused, roles=["Exploiter"])


@pytest.fixture
def trafficking():
    return LegalProvision.objects.get(code="cp-194", effective_from=D(1973, 9, 15))


@pytest.fixture
def charged(owner, defendant, trafficking):
    services.measure_record(
        actor=owner, defendant=defendant, kind="arrest", date=D(2004, 2, 18), place="Bar Sinaloa, Cuilapa"
    )
    return services.charge_file(
        actor=owner,
        defendant=defendant,
        provision=trafficking,
        filed_on=D(2004, 3, 1),
        aggravating_factors=["for_profit"],
    )
