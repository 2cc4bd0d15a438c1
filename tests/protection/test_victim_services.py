import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.protection.conftest import CONTEXT, TODAY, WOMAN, identify
from tipims.audit.models import AuditEvent
from tipims.people.models import PersonRecord
from tipims.protection import services
from tipims.protection.models import Victim


def counts():
    return PersonRecord.objects.count(), Victim.objects.count()


def test_a_victim_is_a_person_record_with_the_htcds_victim_context(girl, sbs):
    assert girl.person.given_names == "Yesenia Marisol"
    assert girl.institution == sbs and girl.identified_on == CONTEXT["identified_on"]
    assert girl.trafficking_status == "ActualVictimOfTrafficking"
    assert girl.control_methods == ["DebtBondage", "WithholdsDocuments"]
    assert (
        girl.nationality == "HN" and girl.sex == "Feminine" and girl.main_exploitation == "SexualExploitation"
    )


def test_a_child_is_marked_a_minor_by_estimated_age_or_by_date_of_birth(girl, woman, caseworker):
    assert girl.is_minor and girl.age_group == "minor"
    assert not woman.is_minor and woman.age_group == "adult"
    boy = identify(
        caseworker,
        {**WOMAN, "sex": "Masculine", "birth_date": TODAY.replace(year=TODAY.year - 17)},
    )
    assert boy.is_minor


def test_an_adult_who_was_17_on_the_identification_day_stays_a_minor_case(caseworker):
    birth = TODAY.replace(year=TODAY.year - 18) - datetime.timedelta(days=10)
    victim = identify(
        caseworker, {**WOMAN, "birth_date": birth}, identified_on=TODAY - datetime.timedelta(days=20)
    )
    assert victim.is_minor


def test_an_identification_before_birth_is_refused_naming_the_field_and_nothing_is_saved(caseworker):
    before = counts()
    with pytest.raises(ValidationError) as error:
        identify(caseworker, WOMAN, identified_on=WOMAN["birth_date"] - datetime.timedelta(days=1))
    assert "identified_on" in error.value.message_dict
    assert counts() == before


def test_a_date_of_birth_in_the_future_is_refused_naming_the_field_and_nothing_is_saved(caseworker):
    before = counts()
    with pytest.raises(ValidationError) as error:
        identify(caseworker, {**WOMAN, "birth_date": TODAY + datetime.timedelta(days=3)})
    assert "birth_date" in error.value.message_dict
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trafficking_status", "Maybe"),
        ("control_methods", ["Magic"]),
        ("forced_labour_industry", "Z_Nothing"),
        ("identified_on", TODAY + datetime.timedelta(days=1)),
    ],
)
def test_values_outside_the_htcds_picklists_are_refused(caseworker, field, value):
    before = counts()
    with pytest.raises(ValidationError) as error:
        identify(caseworker, **{field: value})
    assert field in error.value.message_dict
    assert counts() == before


def test_an_isic_industry_needs_forced_labour(caseworker):
    with pytest.raises(ValidationError) as error:
        identify(caseworker, forced_labour_industry="A_AgricultureForestryAndFishing")
    assert "forced_labour_industry" in error.value.message_dict
    victim = identify(
        caseworker,
        exploitation_types=["ForcedLabour"],
        sex_exploitation_types=[],
        forced_labour_industry="A_AgricultureForestryAndFishing",
    )
    assert victim.forced_labour_industry == "A_AgricultureForestryAndFishing"


def test_one_person_record_has_one_victim_context(girl, caseworker):
    with pytest.raises(ValidationError) as error:
        services.victim_identify(actor=caseworker, person=girl.person, values=CONTEXT)
    assert "person" in error.value.message_dict


def test_another_institution_cannot_identify_a_person_it_cannot_see(girl, ngo_caseworker):
    with pytest.raises(PermissionDenied):
        services.victim_identify(actor=ngo_caseworker, person=girl.person, values=CONTEXT)


def test_the_audit_trail_names_fields_never_values(girl):
    event = AuditEvent.objects.filter(object_type="protection.victim", object_id=str(girl.pk)).get()
    assert "trafficking_status" in event.fields
    assert all("Actual" not in name and "Yesenia" not in name for name in event.fields)


def test_roles_without_protection_work_cannot_identify(owner, person):
    with pytest.raises(PermissionDenied):
        services.victim_identify(actor=owner, person=person, values=CONTEXT)
