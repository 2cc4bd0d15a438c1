"""The analyst sees the overlap of institutions, the estimate of the total and its interval."""

import datetime
import itertools

import pytest

from tests.conftest import client_for, make_institution, make_user
from tipims.accounts.roles import Role
from tipims.linkage.models import Decision, MatchJudgement, Source
from tipims.linkage.services import resolve_persons
from tipims.people import services as people_services
from tipims.statistics.overlaps import capture_histories

pytestmark = pytest.mark.django_db


def person(actor, number):
    return people_services.person_record_create(
        actor=actor,
        values={
            "given_names": f"Persona {number}",
            "surname1": "Caal",
            "sex": "Feminine",
            "birth_date": datetime.date(2008, 1, 1) + datetime.timedelta(days=number),
            "birth_date_precision": "exact",
        },
    )


@pytest.fixture
def three_lists(db):
    """Korea-shaped overlaps: 123 persons seen by three institutions (b, c, d)."""
    users = {code: make_user(f"user-{code}", make_institution(code), Role.INVESTIGATOR) for code in "bcd"}
    patterns = {"001": 41, "010": 5, "100": 5, "110": 54, "101": 6, "011": 0, "111": 12}
    number = 0
    for pattern, count in patterns.items():
        for _ in range(count):
            records = [
                person(users[code], number) for code, flag in zip("bcd", pattern, strict=True) if flag == "1"
            ]
            for left, right in itertools.pairwise(records):
                a, b = sorted((left.pk, right.pk))
                MatchJudgement.objects.create(
                    record_a_id=a, record_b_id=b, decision=Decision.SAME, source=Source.HUMAN
                )
            number += 1
    resolve_persons()


def test_the_overlap_table_counts_each_human_once(three_lists):
    from tipims.people.models import PersonRecord

    lists, counts = capture_histories(PersonRecord.objects.all())
    assert sorted(lists) == ["b", "c", "d"]
    assert sum(counts.values()) == 123


def test_the_analyst_sees_the_estimate_interval_and_chart(three_lists, analyst):
    page = client_for(analyst).get("/statistics/estimate/?method=bic&population=persons").content.decode()
    assert 'data-testid="card-estimate"' in page and "157" in page
    assert "<svg" in page


def test_a_period_with_no_overlap_says_plainly_there_is_no_estimate(three_lists, analyst):
    page = (
        client_for(analyst)
        .get("/statistics/estimate/?since=2001-01-01&until=2001-12-31&population=persons")
        .content.decode()
    )
    assert 'data-testid="estimate-error"' in page


def test_dates_out_of_order_are_refused(three_lists, analyst):
    response = client_for(analyst).get("/statistics/estimate/?since=2026-02-01&until=2026-01-01")
    assert response.status_code == 200 and "id_until_error" in response.content.decode()


def test_by_default_only_victims_are_counted(three_lists, analyst):
    """The fixture's records are plain person records, nobody's victims: there is nothing to estimate."""
    page = client_for(analyst).get("/statistics/estimate/").content.decode()
    assert 'data-testid="estimate-error"' in page and 'data-testid="card-estimate"' not in page


def test_victims_named_in_criminal_cases_are_counted_as_victims(owner, person):
    from tipims.justice import services as justice_services
    from tipims.statistics.overlaps import victim_records

    assert not victim_records().exists()
    justice_services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=datetime.date(2004, 2, 1),
        opened_on=datetime.date(2004, 2, 12),
        exploitation_types=["SexualExploitation"],
        victims=[person],
    )
    assert list(victim_records()) == [person]
