"""Witness protection: a measure is requested for the victim in a criminal case, then granted or denied
by an authority on a date; the victim's page and the API show it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import client_for
from tests.protection.conftest import TODAY
from tipims.justice import services as justice_services
from tipims.protection import services
from tipims.protection.models import WitnessMeasure

ASKED = TODAY - datetime.timedelta(days=10)


@pytest.fixture
def criminal_case(owner):
    """The prosecution office's case against the girl's exploiters."""
    return justice_services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=TODAY - datetime.timedelta(days=90),
        opened_on=TODAY - datetime.timedelta(days=60),
        court="Juzgado de Paz de Cuilapa",
        exploitation_types=["SexualExploitation"],
    )


def request_measure(caseworker, girl, criminal_case, **extra):
    values = {
        "measure": "gesell_chamber",
        "requested_on": ASKED,
        "requested_from": "Juzgado de Paz de Cuilapa",
        **extra,
    }
    return services.witness_measure_request(
        actor=caseworker, victim=girl, criminal_case=criminal_case, **values
    )


def test_a_measure_is_requested_in_a_criminal_case_and_then_granted(caseworker, girl, criminal_case):
    measure = request_measure(caseworker, girl, criminal_case)
    assert measure.status == "requested" and measure.criminal_case == criminal_case
    services.witness_measure_decide(
        actor=caseworker,
        witness_measure=measure,
        granted=True,
        decided_on=TODAY,
        deciding_authority="Juzgado de Paz de Cuilapa",
        decision_reference="Res. 44-2004",
    )
    measure.refresh_from_db()
    assert (measure.status, measure.decided_on, measure.deciding_authority) == (
        "granted",
        TODAY,
        "Juzgado de Paz de Cuilapa",
    )


def test_a_denied_measure_keeps_its_date_and_authority_and_cannot_be_decided_twice(
    caseworker, girl, criminal_case
):
    measure = request_measure(caseworker, girl, criminal_case, measure="relocation")
    services.witness_measure_decide(
        actor=caseworker,
        witness_measure=measure,
        granted=False,
        decided_on=TODAY,
        deciding_authority="Oficina de Protección del Ministerio Público",
    )
    with pytest.raises(ValidationError) as error:
        services.witness_measure_decide(
            actor=caseworker,
            witness_measure=measure,
            granted=True,
            decided_on=TODAY,
            deciding_authority="Otro",
        )
    assert "status" in error.value.message_dict
    assert WitnessMeasure.objects.get().status == "denied"


@pytest.mark.parametrize(
    ("field", "decision"),
    [
        ("decided_on", {"decided_on": ASKED - datetime.timedelta(days=1)}),  # before the request
        ("decided_on", {"decided_on": TODAY + datetime.timedelta(days=1)}),  # in the future
        ("deciding_authority", {"deciding_authority": "  "}),
    ],
)
def test_a_decision_without_a_valid_date_or_authority_is_refused_and_nothing_changes(
    caseworker, girl, criminal_case, field, decision
):
    measure = request_measure(caseworker, girl, criminal_case)
    values = {"decided_on": TODAY, "deciding_authority": "Juzgado", **decision}
    with pytest.raises(ValidationError) as error:
        services.witness_measure_decide(actor=caseworker, witness_measure=measure, granted=True, **values)
    assert field in error.value.message_dict
    assert WitnessMeasure.objects.get().status == "requested"


def test_a_request_names_an_existing_criminal_case(caseworker, girl, criminal_case):
    assert services.criminal_case_by_reference("9023-03") == criminal_case
    assert services.criminal_case_by_reference(criminal_case.reference.lower()) == criminal_case
    with pytest.raises(ValidationError) as error:
        services.criminal_case_by_reference("1-99")
    assert "criminal_case" in error.value.message_dict


def test_a_request_without_an_authority_or_with_an_unknown_measure_saves_nothing(
    caseworker, girl, criminal_case
):
    for field, extra in (("requested_from", {"requested_from": ""}), ("measure", {"measure": "jail"})):
        with pytest.raises(ValidationError) as error:
            request_measure(caseworker, girl, criminal_case, **extra)
        assert field in error.value.message_dict
    assert not WitnessMeasure.objects.exists()


def test_the_page_records_a_request_and_a_decision_and_shows_them(caseworker, girl, criminal_case):
    client = client_for(caseworker)
    client.post(
        f"/protection/victims/{girl.reference}/witness-measures/",
        {
            "criminal_case": "9023-03",
            "measure": "identity_reserve",
            "requested_on": ASKED,
            "requested_from": "Tribunal de Sentencia",
        },
    )
    measure = WitnessMeasure.objects.get()
    client.post(
        f"/protection/witness-measures/{measure.pk}/decide/",
        {"decision": "granted", "decided_on": TODAY, "deciding_authority": "Tribunal de Sentencia"},
    )
    page = client.get(f"/protection/victims/{girl.reference}/").content.decode()
    assert page.count('data-testid="witness-measure"') == 1
    assert "9023-03" in page and criminal_case.reference in page and "Tribunal de Sentencia" in page
    body = client.get(f"/api/protection/victims/{girl.reference}/").json()
    assert body["witness_measures"][0] | {"id": None} == {
        "id": None,
        "criminal_case": criminal_case.reference,
        "criminal_case_number": "9023-03",
        "measure": "identity_reserve",
        "status": "granted",
        "requested_on": ASKED.isoformat(),
        "requested_from": "Tribunal de Sentencia",
        "decided_on": TODAY.isoformat(),
        "deciding_authority": "Tribunal de Sentencia",
        "decision_reference": "",
    }


def test_another_institution_can_neither_see_nor_decide_the_measure(
    caseworker, ngo_caseworker, girl, criminal_case
):
    measure = request_measure(caseworker, girl, criminal_case)
    response = client_for(ngo_caseworker).post(
        f"/protection/witness-measures/{measure.pk}/decide/",
        {"decision": "denied", "decided_on": TODAY, "deciding_authority": "x"},
    )
    assert response.status_code == 404
    assert WitnessMeasure.objects.get().status == "requested"
