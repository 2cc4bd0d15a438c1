"""`tipims stats justice` and the statistics API: the annual report's prosecution figures."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tipims.accounts.roles import Role
from tipims.justice import services
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def judged(owner, charged, defendant, trafficking):
    services.judgment_record(
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="3",
        fine_gtq="9000",
    )
    return charged


@pytest.fixture
def officials(user_with_role, police):
    officer = user_with_role(Role.INTEGRITY_OFFICER)
    cases = []
    for proceeding, outcome in (
        ("criminal_prosecution", None),
        ("dismissal_for_cause", "dismissed_from_post"),
        ("disciplinary", "suspended"),
    ):
        official = people_services.person_record_create(
            actor=officer, values={"surname1": "Pop", "sex": "Masculine"}
        )
        case = services.integrity_case_open(
            actor=officer,
            official=official,
            official_institution=police,
            allegations=["bribery"],
            proceeding=proceeding,
            opened_on=D(2003, 3, 1),
        )
        if outcome:
            services.integrity_case_decide(
                actor=officer, case=case, outcome=outcome, outcome_on=D(2003, 9, 1)
            )
        cases.append(case)
    return cases


def _stats(*args):
    out = StringIO()
    call_command("stats", "justice", *args, stdout=out)
    return out.getvalue()


def test_the_command_counts_a_year_of_complaints_cases_prosecutions_and_convictions(judged, officials):
    figures = json.loads(_stats("--from", "2004-01-01", "--to", "2004-12-31"))["figures"]
    assert (figures["complaints"], figures["cases_opened"], figures["prosecutions"]) == (1, 1, 1)
    assert figures["convictions"] == 0  # the judgment came in 2005
    assert figures["by_offence"] == {"trafficking": 1}
    assert figures["by_exploitation"] == {"SexualExploitation": 1}
    assert figures["defendants_by_sex"] == {"Masculine": 1}
    assert figures["defendants_by_nationality"] == {"GT": 1}
    later = json.loads(_stats("--from", "2005-01-01", "--to", "2005-12-31"))["figures"]
    assert (later["convictions"], later["acquittals"], later["cases_opened"]) == (1, 0, 0)


def test_the_command_counts_officials_prosecuted_dismissed_and_disciplined(officials):
    figures = json.loads(_stats("--from", "2003-01-01", "--to", "2003-12-31"))["figures"]
    assert figures["officials_prosecuted"] == 1
    assert figures["officials_dismissed"] == 1
    assert figures["officials_disciplined"] == 1


def test_the_command_writes_csv_rows(judged):
    rows = _stats("--from", "2004-01-01", "--to", "2004-12-31", "--format", "csv").splitlines()
    assert rows[0] == "figure,category,value" and "by_offence,trafficking,1" in rows


def test_the_statistics_api_gives_officials_figures_only_to_those_who_may_count_them(
    judged, officials, owner, user_with_role
):
    def figures(user):
        token, _ = Token.objects.get_or_create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = client.get("/api/justice/statistics/", {"start": "2003-01-01", "end": "2005-12-31"})
        assert response.status_code == 200
        return response.json()["figures"]

    assert "officials_dismissed" not in figures(owner) and figures(owner)["convictions"] == 1
    coordinator = figures(user_with_role(Role.COORDINATOR))
    assert coordinator["officials_dismissed"] == 1 and coordinator["convictions"] == 1
    integrity = figures(officials[0].created_by)  # the integrity officer who opened them
    assert set(integrity) == {"officials_prosecuted", "officials_dismissed", "officials_disciplined"}
