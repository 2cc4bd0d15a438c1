"""`tipims stats linkage`: the same victim recorded twice counts once, and moves when a reviewer
says two records are the same person."""

import datetime
import json

import pytest
from django.core.management import call_command

from tipims.justice import services as justice_services
from tipims.linkage import services
from tipims.linkage.models import Decision, MatchJudgement, Source
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db


def girl(actor, given):
    return people_services.person_record_create(
        actor=actor,
        values={
            "given_names": given,
            "surname1": "Xicará",
            "sex": "Feminine",
            "birth_date": datetime.date(2010, 4, 3),
            "birth_date_precision": "exact",
        },
    )


def figures(capsys):
    call_command("stats", "linkage", "--from", "2004-01-01", "--to", "2004-12-31")
    return json.loads(capsys.readouterr().out)["figures"]


def test_a_victim_named_twice_counts_once_after_a_reviewer_joins_the_records(owner, capsys):
    first, second = girl(owner, "Heidy"), girl(owner, "Heidi")
    justice_services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=datetime.date(2004, 2, 1),
        opened_on=datetime.date(2004, 2, 12),
        exploitation_types=["SexualExploitation"],
        victims=[first, second],
    )
    before = figures(capsys)
    assert before["victim_records"] == 2 and before["victims_unique"] == 2

    a, b = sorted((first.pk, second.pk))
    MatchJudgement.objects.create(record_a_id=a, record_b_id=b, decision=Decision.SAME, source=Source.HUMAN)
    services.resolve_persons()

    after = figures(capsys)
    assert after["victim_records"] == 2 and after["victims_unique"] == 1
    assert after["defendant_records"] == after["defendants_unique"] == 0


def test_a_case_opened_outside_the_period_counts_nothing(owner, capsys):
    justice_services.criminal_case_open(
        actor=owner,
        number="1-05",
        offence_date=datetime.date(2005, 2, 1),
        opened_on=datetime.date(2005, 2, 12),
        exploitation_types=["SexualExploitation"],
        victims=[girl(owner, "Ana")],
    )
    assert figures(capsys)["victim_records"] == 0
