import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.justice import services
from tipims.justice.models import IntegrityCase
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.INTEGRITY_OFFICER)


@pytest.fixture
def official(officer):
    return people_services.person_record_create(
        actor=officer, values={"surname1": "Caal", "sex": "Masculine"}
    )


def _open(officer, official, institution, **changes):
    values = {
        "actor": officer,
        "official": official,
        "official_institution": institution,
        "allegations": ["protection_of_prostitution"],
        "proceeding": "disciplinary",
        "opened_on": D(2003, 4, 1),
        **changes,
    }
    return services.integrity_case_open(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"allegations": []}, "allegations"),
        ({"allegations": ["gossip"]}, "allegations"),
        ({"proceeding": "exile"}, "proceeding"),
        ({"opened_on": D(2999, 1, 1)}, "opened_on"),
    ],
)
def test_bad_integrity_input_names_the_field_and_saves_nothing(officer, official, police, changes, field):
    before = (IntegrityCase.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        _open(officer, official, police, **changes)
    assert field in error.value.error_dict
    assert (IntegrityCase.objects.count(), AuditEvent.objects.count()) == before


def test_nobody_but_an_integrity_officer_opens_an_integrity_case(owner, person, police):
    with pytest.raises(PermissionDenied):
        _open(owner, person, police)


def test_an_outcome_cannot_precede_the_opening(officer, official, police):
    case = _open(officer, official, police)
    with pytest.raises(ValidationError) as error:
        services.integrity_case_decide(
            actor=officer, case=case, outcome="suspended", outcome_on=D(2003, 1, 1)
        )
    assert "outcome_on" in error.value.error_dict
    services.integrity_case_decide(actor=officer, case=case, outcome="suspended", outcome_on=D(2003, 6, 1))
    assert IntegrityCase.objects.get(pk=case.pk).outcome == "suspended"
