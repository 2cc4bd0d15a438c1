"""A safe return is an ordered procedure; a child is never handed over early or to a suspect."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.protection.conftest import TODAY
from tipims.people import services as people_services
from tipims.protection import services, suspects
from tipims.protection.models import SafeReturn

DAY = TODAY - datetime.timedelta(days=20)


@pytest.fixture
def mother(caseworker):
    return people_services.person_record_create(
        actor=caseworker, values={"given_names": "Juana", "surname1": "Tzoc", "sex": "Feminine"}
    )


def open_return(caseworker, victim, **extra):
    return services.return_open(
        actor=caseworker,
        victim=victim,
        origin_country="HN",
        receiving_institution="Dirección de Niñez, Adolescencia y Familia (DINAF)",
        border_point="agua_caliente",
        **extra,
    )


def complete(caseworker, safe_return, step, day=DAY):
    return services.return_step_complete(
        actor=caseworker,
        step=safe_return.steps.get(step=step),
        done_on=day,
        outcome="done",
        responsible="SBS",
    )


def test_a_childs_return_has_every_step_in_order(caseworker, girl):
    safe_return = open_return(caseworker, girl)
    assert [s.step for s in safe_return.steps.all()] == [
        "identification",
        "consular_notification",
        "best_interests_determination",
        "family_tracing",
        "travel_documents",
        "escort",
        "handover",
        "reception",
        "followup_3m",
        "followup_6m",
        "followup_12m",
    ]


def test_the_procedure_refuses_to_skip_a_step(caseworker, girl):
    safe_return = open_return(caseworker, girl)
    with pytest.raises(ValidationError) as error:
        complete(caseworker, safe_return, "consular_notification")
    assert "step" in error.value.message_dict
    assert not safe_return.steps.filter(done_on__isnull=False).exists()


def test_a_childs_handover_is_refused_before_the_best_interests_determination_and_family_tracing(
    caseworker, girl
):
    safe_return = open_return(caseworker, girl)
    complete(caseworker, safe_return, "identification")
    complete(caseworker, safe_return, "consular_notification")
    with pytest.raises(ValidationError) as error:
        complete(caseworker, safe_return, "handover")
    message = " ".join(error.value.message_dict["step"])
    assert "Best-interests determination" in message or "interés superior" in message
    assert SafeReturn.objects.get().handed_over_on is None


def test_the_whole_return_to_handover_and_follow_up(caseworker, girl, mother):
    safe_return = open_return(caseworker, girl, family_member=mother)
    for step in (
        "identification",
        "consular_notification",
        "best_interests_determination",
        "family_tracing",
        "travel_documents",
        "escort",
        "handover",
    ):
        complete(caseworker, safe_return, step)
    assert SafeReturn.objects.get().handed_over_on == DAY
    complete(caseworker, safe_return, "reception", DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        complete(caseworker, safe_return, "followup_3m", DAY)
    assert "done_on" in error.value.message_dict


def test_a_return_to_a_family_member_who_is_a_suspect_is_refused(caseworker, girl, mother):
    services.suspect_mark(actor=caseworker, person=mother, reason="Named by the victim as the recruiter")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        open_return(caseworker, girl, family_member=mother)
    assert "suspect or defendant" in " ".join(error.value.message_dict["family_member"])
    assert not SafeReturn.objects.exists()


def test_a_suspect_found_after_the_return_opened_still_stops_the_handover(caseworker, girl, mother):
    safe_return = open_return(caseworker, girl, family_member=mother)
    for step in (
        "identification",
        "consular_notification",
        "best_interests_determination",
        "family_tracing",
        "travel_documents",
        "escort",
    ):
        complete(caseworker, safe_return, step)
    registered = list(suspects._checkers)
    suspects.register_checker(lambda person: person.pk == mother.pk)  # as justice's defendants would
    try:
        with pytest.raises(ValidationError) as error:
            complete(caseworker, safe_return, "handover")
        assert "family_member" in error.value.message_dict
    finally:
        suspects._checkers[:] = registered


def test_an_adult_returns_only_with_consent(caseworker, woman):
    with pytest.raises(ValidationError) as error:
        open_return(caseworker, woman)
    assert "consent" in error.value.message_dict
    services.consent_record(actor=caseworker, victim=woman, purpose="voluntary_return", given_on=TODAY)
    safe_return = open_return(caseworker, woman)
    assert "best_interests_determination" not in {s.step for s in safe_return.steps.all()}
    assert safe_return.consent is not None
