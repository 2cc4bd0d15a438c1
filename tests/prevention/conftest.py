"""Prevention personas: the coordinator keeps the action plan; the owner (a prosecutor of the ministry)
records the ministry's campaigns and trainings; the outsider works for the police."""

import datetime
from decimal import Decimal

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.prevention import services


@pytest.fixture
def secretariat(db):
    return make_institution("secretariat")


@pytest.fixture
def coordinator(secretariat):
    return make_user("coordinator", secretariat, Role.COORDINATOR)


def campaign_values(**changes) -> dict:
    return {
        "title": "Riesgos de viajar con coyotes",
        "medium": "radio",
        "audiences": ["migrants"],
        "start": datetime.date(2025, 6, 1),
        "end": datetime.date(2025, 7, 31),
        "reach": 5000,
        "cost": Decimal("12000.00"),
        "funding_source": "OIM",
        "materials": "https://example.org/spot.mp3",
        **changes,
    }


def training_values(**changes) -> dict:
    return {
        "title": "Atención a niñez víctima",
        "audience": "justices_of_the_peace",
        "partner": "UNICEF",
        "start": datetime.date(2025, 9, 1),
        "end": datetime.date(2025, 9, 3),
        "hours": Decimal("16"),
        "women": 30,
        "men": 20,
        "other": 1,
        **changes,
    }


@pytest.fixture
def campaign(owner):
    return services.campaign_create(actor=owner, values=campaign_values(), departments=[12, 13])


@pytest.fixture
def training(owner):
    return services.training_create(
        actor=owner, values=training_values(), by_institution=[services.TrainedRow("Juzgados de paz", 45)]
    )


@pytest.fixture
def late_commitment(coordinator, ministry):
    """Due long ago, still in progress: late."""
    return services.commitment_create(
        actor=coordinator,
        text="Diseñar la política nacional contra la trata",
        institutions=[ministry],
        due_date=datetime.date(2025, 8, 25),
        status="in_progress",
        made_on=datetime.date(2025, 2, 25),
    )
