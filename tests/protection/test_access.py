"""The detail routes with real records, role by role: the owner's caseworker, a caseworker of another
institution, the analyst (pseudonyms), and everyone else (404, like a record that does not exist)."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import client_for
from tests.protection.conftest import TODAY
from tipims.protection import services


@pytest.fixture
def records(caseworker, girl, shelter, border_officer):
    case = services.protection_case_open(actor=caseworker, victim=girl, opened_on=TODAY)
    safe_return = services.return_open(
        actor=caseworker,
        victim=girl,
        origin_country="HN",
        receiving_institution="DINAF",
        border_point="el_florido",
    )
    flag = services.victim_flag(
        actor=border_officer,
        person_values={"sex": "Masculine", "estimated_age": 12, "birth_date_precision": "estimated"},
    )
    return {
        "victim": f"/protection/victims/{girl.reference}/",
        "case": f"/protection/cases/{case.reference}/",
        "return": f"/protection/returns/{safe_return.reference}/",
        "receipt": f"/protection/receipts/{flag.reference}/",
        "api-victim": f"/api/protection/victims/{girl.reference}/",
    }


EXPECTED = {
    # subject: (victim, case, return, receipt, api-victim)
    "owner caseworker": (200, 200, 200, 200, 200),  # the flag was referred to the caseworker's institution
    "other caseworker": (404, 404, 404, 404, 404),
    "analyst": (200, 200, 200, 200, 200),
    "border officer who flagged": (404, 404, 404, 200, 404),
    "prosecutor": (404, 404, 404, 404, 404),
    "coordinator": (404, 404, 404, 404, 404),
    "anonymous": (302, 302, 302, 302, 401),
}


def test_each_subject_gets_the_expected_answer(
    records, caseworker, ngo_caseworker, analyst, border_officer, owner, coordinator
):
    users = {
        "owner caseworker": caseworker,
        "other caseworker": ngo_caseworker,
        "analyst": analyst,
        "border officer who flagged": border_officer,
        "prosecutor": owner,
        "coordinator": coordinator,
    }
    failures = []
    for subject, expected in EXPECTED.items():
        user = users.get(subject)
        for key, status in zip(("victim", "case", "return", "receipt", "api-victim"), expected, strict=True):
            url = records[key]
            if user is None:
                client = Client()
            elif url.startswith("/api/"):
                token, _ = Token.objects.get_or_create(user=user)
                client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
            else:
                client = client_for(user)
            got = client.get(url).status_code
            if got != status:
                failures.append(f"{subject} {key}: got {got}, expected {status}")
    assert not failures, failures


def test_the_api_shows_identity_to_the_owner_and_pseudonyms_to_the_analyst(
    records, caseworker, analyst, girl
):
    def get(user):
        token, _ = Token.objects.get_or_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(records["api-victim"]).json()

    mine = get(caseworker)
    assert mine["vic_TraffickingStatus"] == "ActualVictimOfTrafficking" and mine["age_group"] == "minor"
    assert mine["person"]["identity"]["given_names"] == "Yesenia Marisol"
    theirs = get(analyst)
    assert theirs["person"]["identity"] is None and theirs["person"]["reference"] == girl.person.reference


def test_a_border_officer_flags_through_the_api_and_gets_a_receipt(border_officer, sbs):
    token, _ = Token.objects.get_or_create(user=border_officer)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        "/api/protection/flags/",
        {"sex": "Feminine", "estimated_age": 15, "citizenship": "ni"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["cas_ReferredOrganisation"] == "sbs"
    assert "identity" not in response.json()
