"""The issue's "Done when", tried as a new user would, through the pages:

a member of the public sends a complaint (department and municipality) and gets a receipt code; the
prosecutor finds it in the triage queue, registers it as a criminal case, records the arrest (date and
place), the bail, the charge and the judgment; a sentence outside the legal range is refused; the
statistics command and the dashboard show the case; the integrity officer records an official's case
that nobody else can open, and the coordinator sees only its count.
"""

import datetime
import json
import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.core.models import Municipality
from tipims.justice.models import (
    Charge,
    Complaint,
    CriminalCase,
    IntegrityCase,
    Judgment,
    LegalProvision,
    Measure,
)
from tipims.justice.public import form_token
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db


def _figure(page: str, key: str) -> str:
    """The number shown on the dashboard card data-testid="figure-<key>"."""
    card = page.split(f'data-testid="figure-{key}"', 1)[1]
    return card.split('<p class="figure">', 1)[1].split("</p>", 1)[0]


def _stats(day: str) -> dict:
    out = StringIO()
    call_command("stats", "justice", "--from", day, "--to", day, "--format", "json", stdout=out)
    return json.loads(out.getvalue())["figures"]


def test_a_public_complaint_becomes_a_judged_case_counted_in_the_statistics(owner, settings, analyst):
    cache.clear()
    settings.TIPIMS_PUBLIC_COMPLAINT_INSTITUTION = owner.institution.code
    today = datetime.date.today()
    day = today.isoformat()

    # 1. The public form: no sign-in, department and municipality, a receipt code and nothing else.
    cuilapa = Municipality.objects.filter(department__name="Santa Rosa").order_by("code").first()
    public = Client()
    assert public.get("/denuncia/").status_code == 200
    sent = public.post(
        "/denuncia/",
        {
            "narrative": "Menores salvadoreñas en el bar Sinaloa.",
            "department": cuilapa.department_id,
            "municipality": cuilapa.code,
            "indicators": ["minor_in_bar", "foreign_minor"],
            "token": form_token(time.time() - 30),
        },
    )
    received = Complaint.objects.get(channel="online")
    assert sent.status_code == 200 and received.reference in sent.content.decode()
    assert "Sinaloa" not in sent.content.decode()
    assert (received.department_id, received.municipality_id) == (cuilapa.department_id, cuilapa.code)
    status = public.post("/denuncia/estado/", {"receipt": received.reference}).content.decode()
    assert 'data-status="received"' in status

    # 2. The prosecutor finds it in the triage queue, reads it, and registers it as a case.
    prosecutor = client_for(owner)
    queue = prosecutor.get("/justice/complaints/?status=open").content.decode()
    assert received.reference in queue
    detail = prosecutor.get(f"/justice/complaints/{received.reference}/").content.decode()
    assert "bar Sinaloa" in detail and 'data-testid="open-case"' in detail
    form = prosecutor.get(f"/justice/cases/new/?complaint={received.reference}")
    assert form.context["form"].initial["complaints"] == received.reference
    opened = prosecutor.post(
        "/justice/cases/new/",
        {
            "number": "77-26",
            "offence_date": day,
            "opened_on": day,
            "district": "Santa Rosa",
            "court": "Juzgado de Paz de Cuilapa",
            "department": cuilapa.department_id,
            "exploitation_types": ["SexualExploitation"],
            "complaints": received.reference,
        },
    )
    case = CriminalCase.objects.get(number="77-26")
    assert opened.status_code == 302 and opened["Location"] == f"/justice/cases/{case.reference}/"
    assert Complaint.objects.get(pk=received.pk).status == "case_opened"
    assert (
        'data-status="under_review"'
        in public.post("/denuncia/estado/", {"receipt": received.reference}).content.decode()
    )

    # 3. The defendant, the arrest with its date and place, the bail, the charge.
    record = f"/justice/cases/{case.reference}/record/"
    accused = people_services.person_record_create(
        actor=owner,
        values={"given_names": "Byron", "surname1": "Tux", "sex": "Masculine", "citizenships": ["GT"]},
    )
    assert (
        prosecutor.post(
            record + "defendant/", {"person": accused.reference, "roles": ["Exploiter"]}
        ).status_code
        == 302
    )
    defendant = case.defendants.get()
    arrest = {"defendant": defendant.pk, "kind": "arrest", "date": day, "place": "Bar Sinaloa, Cuilapa"}
    assert prosecutor.post(record + "measure/", arrest).status_code == 302
    bail = {"defendant": defendant.pk, "kind": "bail", "date": day, "bail_gtq": "5000"}
    assert prosecutor.post(record + "measure/", bail).status_code == 302
    assert list(Measure.objects.filter(defendant=defendant).values_list("kind", "place")) == [
        ("arrest", "Bar Sinaloa, Cuilapa"),
        ("bail", ""),
    ]
    trafficking = LegalProvision.objects.get(code="cp-194")
    charge_form = {
        "defendant": defendant.pk,
        "provision": trafficking.pk,
        "filed_on": day,
        "aggravating_factors": "for_profit",
    }
    assert prosecutor.post(record + "charge/", charge_form).status_code == 302
    charge = Charge.objects.get(defendant=defendant)

    # 4. A sentence outside the range (for profit: 1.67-5 years) is refused, naming the field.
    judgment = {
        "charge": charge.pk,
        "verdict": "conviction",
        "date": day,
        "prison_years": "12",
        "fine_gtq": "10000",
    }
    refused = prosecutor.post(record + "judgment/", judgment)
    assert refused.status_code == 200 and "prison_years" in refused.context["form"].errors
    assert not Judgment.objects.exists()
    assert prosecutor.post(record + "judgment/", {**judgment, "prison_years": "4"}).status_code == 302
    assert Judgment.objects.get().prison_years == 4
    page = prosecutor.get(f"/justice/cases/{case.reference}/").content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "Bar Sinaloa, Cuilapa" in timeline and "Byron Tux" in page

    # 5. The statistics command and the dashboard show the case.
    figures = _stats(day)
    assert (figures["complaints"], figures["cases_opened"], figures["prosecutions"]) == (1, 1, 1)
    assert (figures["convictions"], figures["acquittals"]) == (1, 0)
    assert figures["by_department"] == {"Santa Rosa": 1} and figures["by_offence"] == {"trafficking": 1}
    assert figures["defendants_by_nationality"] == {"GT": 1}
    dashboard = prosecutor.get(f"/justice/?start={day}&end={day}").content.decode()
    assert [_figure(dashboard, k) for k in ("complaints", "cases_opened", "prosecutions", "convictions")] == [
        "1",
        "1",
        "1",
        "1",
    ]
    assert "<svg" in dashboard and "Santa Rosa" in dashboard and "style=" not in dashboard
    # The analyst counts it too, without names.
    analyst_view = client_for(analyst).get(f"/justice/cases/{case.reference}/").content.decode()
    assert case.number in analyst_view and "Byron" not in analyst_view


def test_the_integrity_officer_records_an_officials_case_that_nobody_else_opens(
    owner, police, user_with_role
):
    officer = user_with_role(Role.INTEGRITY_OFFICER)
    official = people_services.person_record_create(
        actor=officer, values={"given_names": "Selvin", "surname1": "Cutzal", "sex": "Masculine"}
    )
    integrity = client_for(officer)
    opened = integrity.post(
        "/justice/integrity/new/",
        {
            "person": official.reference,
            "official_institution": police.pk,
            "position": "Agente de migración, Tecún Umán",
            "allegations": ["bribery", "illegal_transit"],
            "proceeding": "dismissal_for_cause",
            "opened_on": "2003-05-02",
        },
    )
    case = IntegrityCase.objects.get()
    assert opened.status_code == 302
    url = f"/justice/integrity/{case.reference}/"
    decided = integrity.post(url, {"outcome": "dismissed_from_post", "outcome_on": "2003-09-01"})
    assert decided.status_code == 302 and IntegrityCase.objects.get().outcome == "dismissed_from_post"
    assert "Selvin Cutzal" in integrity.get(url).content.decode()

    # Nobody else opens it: every other role answers 404, the prosecutor included.
    others = {
        role: user_with_role(role, f"x-{role.value}") for role in Role if role is not Role.INTEGRITY_OFFICER
    }
    others["owner"] = owner
    for who, user in others.items():
        assert client_for(user).get(url).status_code == 404, who
        assert client_for(user).get("/justice/integrity/").status_code == 404, who

    # The coordinator sees the count and nothing of the case; the command counts it for 2003.
    dashboard = (
        client_for(others[Role.COORDINATOR]).get("/justice/?start=2003-01-01&end=2003-12-31").content.decode()
    )
    assert _figure(dashboard, "officials_dismissed") == "1"
    assert 'data-testid="integrity-counts"' in dashboard
    assert case.reference not in dashboard and "Cutzal" not in dashboard
    assert _stats("2003-09-01")["officials_dismissed"] == 1
