import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import client_for
from tests.protection.conftest import TODAY, WOMAN, identify
from tipims.protection import selectors, services
from tipims.protection.models import CaseNote, Placement, ProtectionCase


@pytest.fixture
def case(caseworker, girl):
    return services.protection_case_open(actor=caseworker, victim=girl, opened_on=TODAY)


def test_a_case_records_plans_services_and_encrypted_notes(case, caseworker):
    services.support_plan_add(actor=caseworker, case=case, plan_type="SexualExploitationRehabilitation")
    services.service_deliver(
        actor=caseworker,
        case=case,
        service_type="psychological",
        delivered_on=TODAY,
        provider="Psicóloga del hogar",
    )
    services.case_note_add(actor=caseworker, case=case, text="She asked to call her grandmother.")
    assert case.plans.get().plan_type == "SexualExploitationRehabilitation"
    assert case.services.get().service_type == "psychological"
    assert CaseNote.objects.get().text == "She asked to call her grandmother."
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM protection_casenote")
        assert "grandmother" not in cursor.fetchone()[0]


def test_closing_a_case_needs_a_reason(case, caseworker):
    with pytest.raises(ValidationError) as error:
        services.protection_case_set_status(actor=caseworker, case=case, status="Closed")
    assert "closure_reason" in error.value.message_dict
    assert ProtectionCase.objects.get().status == "Active"
    services.protection_case_set_status(
        actor=caseworker,
        case=case,
        status="ClosedReferred",
        closure_reason="Returned to her family in Honduras.",
    )
    assert ProtectionCase.objects.get().status == "ClosedReferred"
    with pytest.raises(ValidationError):
        services.service_deliver(
            actor=caseworker, case=case, service_type="medical", delivered_on=TODAY, provider="x"
        )


def test_a_service_before_the_case_opened_is_refused(case, caseworker):
    with pytest.raises(ValidationError) as error:
        services.service_deliver(
            actor=caseworker,
            case=case,
            service_type="medical",
            delivered_on=case.opened_on - datetime.timedelta(days=1),
            provider="Hospital Roosevelt",
        )
    assert "delivered_on" in error.value.message_dict


def test_the_analyst_sees_the_case_but_never_its_notes(case, caseworker, analyst):
    services.case_note_add(actor=caseworker, case=case, text="Private")
    assert selectors.case_notes(analyst, case) is None
    page = client_for(analyst).get(f"/protection/cases/{case.reference}/")
    assert page.status_code == 200 and b"Private" not in page.content
    assert b"Private" in client_for(caseworker).get(f"/protection/cases/{case.reference}/").content


def test_the_caseworkers_case_list_shows_the_institutions_cases_only(case, ngo_caseworker, caseworker):
    assert case.reference.encode() in client_for(caseworker).get("/protection/cases/").content
    assert case.reference.encode() not in client_for(ngo_caseworker).get("/protection/cases/").content
    assert client_for(ngo_caseworker).get(f"/protection/cases/{case.reference}/").status_code == 404


def place(caseworker, victim, shelter, **extra):
    return services.placement_create(
        actor=caseworker,
        victim=victim,
        shelter=shelter,
        court="Juzgado de la Niñez de Guatemala",
        court_reference="JNA-01-2026",
        court_order_date=TODAY,
        start=TODAY,
        **extra,
    )


def test_a_placement_in_a_full_shelter_needs_an_emergency_reason(caseworker, girl, shelter):
    place(caseworker, girl, shelter)
    second = identify(caseworker)
    with pytest.raises(ValidationError) as error:
        place(caseworker, second, shelter)
    assert "emergency_reason" in error.value.message_dict
    assert Placement.objects.count() == 1
    place(caseworker, second, shelter, emergency_reason="Rescued at night; no other shelter nearby.")
    assert Placement.objects.count() == 2


def test_a_placement_needs_the_court_order(caseworker, girl, shelter):
    for field in ("court", "court_reference"):
        with pytest.raises(ValidationError) as error:
            place(caseworker, girl, shelter, **{field: " "}) if False else services.placement_create(
                actor=caseworker,
                victim=girl,
                shelter=shelter,
                start=TODAY,
                court_order_date=TODAY,
                **{"court": "Juzgado", "court_reference": "R-1", field: " "},
            )
        assert field in error.value.message_dict
    assert not Placement.objects.exists()


def test_occupancy_per_shelter_and_for_the_country(caseworker, girl, shelter, ngo_caseworker):
    woman = identify(caseworker, WOMAN)
    place(caseworker, girl, shelter)
    place(caseworker, woman, shelter)
    [row] = selectors.occupancy_for_user(ngo_caseworker)  # every caseworker sees every shelter's counts
    assert row.occupied == 2 and row.capacity == 3
    assert row.by_group["female_minor"] == (1, 1)
    page = client_for(ngo_caseworker).get("/protection/shelters/")
    assert b"2 / 3" in page.content and b"Yesenia" not in page.content
    services.placement_end(actor=caseworker, placement=girl.placements.get(), end=TODAY)
    assert selectors.occupancy_for_user(caseworker, TODAY + datetime.timedelta(days=1))[0].occupied == 1


def test_a_victim_already_placed_is_not_placed_twice(caseworker, girl, shelter):
    place(caseworker, girl, shelter)
    with pytest.raises(ValidationError) as error:
        place(caseworker, girl, shelter, emergency_reason="x")
    assert "victim" in error.value.message_dict
