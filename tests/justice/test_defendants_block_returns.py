"""Protection never hands a child over to a family member who is a defendant in justice, even when
the shelter and the prosecution office recorded that person separately and linkage joined them."""

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.justice.selectors import is_defendant_anywhere
from tipims.linkage.models import Decision
from tipims.linkage.services import judgement_record
from tipims.people import services as people_services
from tipims.protection import suspects

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelters_record_of_the_father(db):
    caseworker = make_user("shelter-caseworker", make_institution("shelter", "NGO"), Role.CASEWORKER)
    return people_services.person_record_create(
        actor=caseworker,
        values={"given_names": "Rudy", "surname1": "Sagastume", "sex": "Masculine", "citizenships": ["GT"]},
    )


def test_a_defendant_is_a_suspect_for_protection(defendant, accused):
    assert is_defendant_anywhere(accused)
    assert suspects.is_suspect(accused)


def test_the_same_human_recorded_by_a_shelter_becomes_a_suspect_once_linkage_joins_the_records(
    defendant, accused, shelters_record_of_the_father, analyst
):
    assert not suspects.is_suspect(shelters_record_of_the_father)
    judgement_record(
        actor=analyst, record_a=accused, record_b=shelters_record_of_the_father, decision=Decision.SAME
    )
    assert suspects.is_suspect(shelters_record_of_the_father)
