import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.people import services
from tipims.people.models import IdentityDocument, PersonRecord
from tipims.people.selectors import person_records_for_user

pytestmark = pytest.mark.django_db


def test_it_encrypts_identity_at_rest(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, surname1, birth_date FROM people_personrecord WHERE id = %s", [person.pk]
        )
        row = cursor.fetchone()
        cursor.execute("SELECT number FROM people_identitydocument WHERE person_id = %s", [person.pk])
        number = cursor.fetchone()[0]
    assert "Heidy" not in row[0] and "Xicar" not in row[1]
    assert row[0].startswith("gAAAA")  # a Fernet token
    assert "1234567" not in number
    assert PersonRecord.objects.get(pk=person.pk).given_names == "Heidy Marisol"


def test_a_document_is_found_by_its_number_written_differently(owner, person):
    assert list(person_records_for_user(owner, document_number="hn-1234567")) == [person]
    assert not person_records_for_user(owner, document_number="HN1234568").exists()


def test_it_refuses_a_date_of_birth_in_the_future_and_saves_nothing(owner):
    before = (PersonRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.person_record_create(
            actor=owner,
            values={
                "given_names": "Ana",
                "birth_date": datetime.date.today() + datetime.timedelta(days=3),
                "birth_date_precision": "exact",
            },
            documents=[services.DocumentInput("PASSPORT", "X1", "GT")],
        )
    assert "birth_date" in error.value.error_dict
    assert (PersonRecord.objects.count(), AuditEvent.objects.count()) == before
    assert not IdentityDocument.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"birth_date_precision": "estimated"}, "estimated_age"),
        ({"birth_date_precision": "exact"}, "birth_date"),
        ({"sex": "Robot"}, "sex"),
        ({"citizenships": ["XX"]}, "citizenships"),
    ],
)
def test_it_names_the_field_at_fault(owner, values, field):
    with pytest.raises(ValidationError) as error:
        services.person_record_create(actor=owner, values=values)
    assert field in error.value.error_dict


def test_a_bad_document_saves_no_person(owner):
    with pytest.raises(ValidationError) as error:
        services.person_record_create(
            actor=owner,
            values={"given_names": "Ana"},
            documents=[services.DocumentInput("PASSPORT", "  ", "GT")],
        )
    assert "number" in error.value.error_dict
    assert not PersonRecord.objects.exists()


def test_every_write_records_field_names_and_never_values(owner, person):
    services.person_record_update(
        actor=owner, record=person, changes={"surname2": "Tzoc", "phone": "5555-0101"}
    )
    event = AuditEvent.objects.filter(object_type="people.personrecord", action="change").get()
    assert event.fields == ["phone", "surname2"]
    assert event.actor_username == "owner" and event.institution_code == "ministry"
    everything = " ".join(str(e.payload()) for e in AuditEvent.objects.all())
    for value in ("Heidy", "Xicará", "Tzoc", "5555", "1234567"):
        assert value not in everything


def test_an_update_that_changes_nothing_writes_nothing(owner, person):
    before = AuditEvent.objects.count()
    services.person_record_update(actor=owner, record=person, changes={"surname1": "Xicará"})
    assert AuditEvent.objects.count() == before


def test_a_border_officer_cannot_record_contact_details(user_with_role):
    officer = user_with_role(Role.BORDER_OFFICER)
    with pytest.raises(PermissionDenied):
        services.person_record_create(actor=officer, values={"given_names": "Ana", "phone": "5555"})
    assert not PersonRecord.objects.exists()


def test_a_minor_by_estimated_age_is_marked_as_a_minor(owner, person):
    from tipims.people.selectors import age_group

    assert age_group(person) == "minor"
