"""Personas of the border: an immigration officer at El Carmen, two police investigators who keep the
watchlist (one proposes, the other approves), and an active entry for a wanted trafficker."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.border import screening, services
from tipims.people import services as people_services
from tipims.people.services import DocumentInput


@pytest.fixture
def migration(db):
    return make_institution("migracion", "ImmigrationService")


@pytest.fixture
def officer(migration):
    return make_user("officer", migration, Role.BORDER_OFFICER)


@pytest.fixture
def police_unit(db):
    return make_institution("pnc-trata", "LawEnforcement")


@pytest.fixture
def detective(police_unit):
    return make_user("detective", police_unit, Role.INVESTIGATOR)


@pytest.fixture
def second_detective(police_unit):
    return make_user("second-detective", police_unit, Role.INVESTIGATOR)


@pytest.fixture(autouse=True)
def _fresh_index():
    screening.forget_index()
    yield
    screening.forget_index()


@pytest.fixture
def wanted(detective, second_detective, police_unit):
    """An approved entry: Byron Estuardo Sagastume Orellana, born 12 March 1975, passport GT 998877."""
    entry = services.watchlist_entry_create(
        actor=detective,
        values={
            "given_names": "Byron Estuardo",
            "surname1": "Sagastume",
            "surname2": "Orellana",
            "birth_date": datetime.date(1975, 3, 12),
            "nationalities": ["GT"],
            "reason": "suspected_trafficker",
            "source_institution": police_unit,
            "expires_on": timezone.localdate() + datetime.timedelta(days=365),
        },
        documents=[DocumentInput("PASSPORT", "GT 998877", "GT")],
    )
    return services.watchlist_entry_approve(actor=second_detective, entry=entry)


def record_person(actor, given, surname1, surname2="", *, born=None, age=None, sex="Masculine", documents=()):
    values = {"given_names": given, "surname1": surname1, "surname2": surname2, "sex": sex}
    if born is not None:
        values |= {"birth_date": born, "birth_date_precision": "exact"}
    elif age is not None:
        values |= {"estimated_age": age, "birth_date_precision": "estimated"}
    return people_services.person_record_create(actor=actor, values=values, documents=documents)


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)
