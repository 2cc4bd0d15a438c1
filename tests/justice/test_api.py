"""The justice API answers with the same policy and the same validation as the pages."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tipims.justice.models import Complaint, CriminalCase

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_a_prosecutor_records_a_complaint_and_opens_a_case_through_the_api(owner):
    response = api(owner).post(
        "/api/justice/complaints/",
        {"channel": "hotline", "received_on": "2004-02-10", "department": 6, "narrative": "Bar en Cuilapa"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert response.json()["narrative"] == "Bar en Cuilapa"
    opened = api(owner).post(
        "/api/justice/cases/",
        {
            "number": "88-04",
            "offence_date": "2004-02-01",
            "opened_on": "2004-02-12",
            "complaints": [reference],
        },
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    assert Complaint.objects.get(reference=reference).status == "case_opened"
    detail = api(owner).get(f"/api/justice/cases/{opened.json()['reference']}/").json()
    assert [entry["kind"] for entry in detail["timeline"]] == ["complaint", "phase"]


def test_bad_input_answers_400_naming_the_field_and_saves_nothing(owner, case):
    before = CriminalCase.objects.count()
    duplicate = api(owner).post(
        "/api/justice/cases/",
        {"number": case.number, "offence_date": "2004-02-01", "opened_on": "2004-02-12"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400 and "number" in duplicate.json()
    backwards = api(owner).post(
        "/api/justice/cases/",
        {"number": "1-05", "offence_date": "2005-02-01", "opened_on": "2005-01-12"},
        content_type="application/json",
    )
    assert backwards.status_code == 400 and "opened_on" in backwards.json()
    assert CriminalCase.objects.count() == before


def test_the_analyst_lists_cases_but_never_reads_a_narrative(analyst, complaint, case):
    listed = api(analyst).get("/api/justice/cases/").json()
    assert [row["number"] for row in listed["results"]] == [case.number]
    detail = api(analyst).get(f"/api/justice/complaints/{complaint.reference}/").json()
    assert detail["narrative"] is None


def test_another_institution_gets_404_for_a_case_that_exists(outsider, case):
    assert api(outsider).get(f"/api/justice/cases/{case.reference}/").status_code == 404
