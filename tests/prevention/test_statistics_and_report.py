"""`tipims stats prevention` and the contract the annual report relies on (selectors.report_*)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.prevention.conftest import campaign_values, training_values
from tipims.prevention import selectors, services

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def period_data(owner, coordinator, ministry, police, late_commitment):
    services.campaign_create(actor=owner, values=campaign_values(), departments=[12, 13])
    services.campaign_create(
        actor=owner, values=campaign_values(medium="television", reach=None), departments=[13]
    )
    services.campaign_create(  # before the period
        actor=owner, values=campaign_values(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 2, 1))
    )
    services.training_create(actor=owner, values=training_values())  # 30 women, 20 men, 1 other
    services.training_create(
        actor=owner, values=training_values(audience="teachers", women=5, men=5, other=0, hours=Decimal("4"))
    )
    done = services.commitment_create(
        actor=coordinator,
        text="Campaña en puestos fronterizos",
        institutions=[police],
        due_date=datetime.date(2025, 6, 30),
        made_on=datetime.date(2025, 2, 1),
    )
    services.progress_update_add(
        actor=coordinator, commitment=done, on=datetime.date(2025, 6, 15), text="Ejecutada", status="done"
    )
    services.progress_update_add(
        actor=coordinator, commitment=late_commitment, on=datetime.date(2025, 7, 1), text="Borrador listo"
    )
    services.meeting_create(
        actor=coordinator,
        title="Reunión",
        held_on=datetime.date(2025, 5, 14),
        institutions_present=[ministry],
    )


def test_the_statistics_count_the_period(period_data):
    out = io.StringIO()
    call_command("stats", "prevention", "--from", START.isoformat(), "--to", END.isoformat(), stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    assert figures["campaigns"] == 2
    assert figures["campaigns_by_medium"] == {"radio": 1, "television": 1}
    assert figures["campaigns_by_department"] == {"12": 1, "13": 2}
    assert figures["trainings"] == 2
    assert figures["people_trained"] == 61
    assert figures["people_trained_by_sex"] == {"women": 35, "men": 25, "other": 1}
    assert figures["people_trained_by_audience"] == {"justices_of_the_peace": 51, "teachers": 10}
    assert figures["commitments_by_status"] == {"done": 1, "late": 1}
    assert figures["commitments_late"] == 1
    assert figures["meetings"] == 1


def test_the_statistics_come_as_csv_too(period_data):
    out = io.StringIO()
    call_command(
        "stats",
        "prevention",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--format",
        "csv",
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["figure", "category", "value"]
    assert ["people_trained_by_sex", "women", "35"] in rows


def test_report_commitments_keeps_the_contract(period_data, late_commitment):
    rows = selectors.report_commitments(START, END)
    assert [set(row) for row in rows] == [{"text", "institutions", "due_date", "status", "last_update"}] * 2
    by_text = {row["text"]: row for row in rows}
    late = by_text[late_commitment.text]
    assert late["status"] == "late"
    assert late["institutions"] == ["Institution ministry"]
    assert late["last_update"] == "Borrador listo"
    assert by_text["Campaña en puestos fronterizos"]["status"] == "done"


def test_a_commitment_closed_after_the_period_was_open_at_its_end(coordinator, police):
    commitment = services.commitment_create(
        actor=coordinator,
        text="Reforma del Código Penal",
        institutions=[police],
        due_date=datetime.date(2024, 6, 30),
        made_on=datetime.date(2024, 1, 10),
    )
    services.progress_update_add(
        actor=coordinator, commitment=commitment, on=datetime.date(2026, 5, 1), text="Aprobada", status="done"
    )
    (row,) = selectors.report_commitments(START, END)
    assert row["status"] == "late" and row["last_update"] == ""
    assert (
        selectors.report_commitments(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))[0]["status"]
        == "done"
    )


def test_report_campaigns_and_trainings_keep_the_contract(period_data, ministry):
    campaigns = selectors.report_campaigns(START, END)
    assert len(campaigns) == 2
    assert set(campaigns[0]) == {"title", "institution", "medium", "start", "end", "reach"}
    assert campaigns[0]["institution"] == ministry.name
    trainings = selectors.report_trainings(START, END)
    assert [set(t) for t in trainings] == [
        {"title", "audience", "partner", "date", "hours", "people_trained", "women", "men"}
    ] * 2
    assert sorted(t["people_trained"] for t in trainings) == [10, 51]
