"""The justice pages as their users meet them, and the same routes as the permission matrix with real
records: the owner's office, a colleague, another institution, the analyst, the coordinator."""

import datetime

import pytest
from django.test import Client

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.justice import services
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def integrity_officer(user_with_role):
    return user_with_role(Role.INTEGRITY_OFFICER)


@pytest.fixture
def integrity_case(integrity_officer, police):
    official = people_services.person_record_create(
        actor=integrity_officer, values={"given_names": "Selvin", "surname1": "Cutzal", "sex": "Masculine"}
    )
    return services.integrity_case_open(
        actor=integrity_officer,
        official=official,
        official_institution=police,
        position="Agente de migración, Tecún Umán",
        allegations=["bribery", "illegal_transit"],
        proceeding="dismissal_for_cause",
        opened_on=D(2003, 5, 2),
    )


@pytest.fixture
def final_judgment(owner, charged):
    return services.judgment_record(
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="4",
        fine_gtq="10000",
        is_final=True,
    )


def _status(user, url):
    return (client_for(user) if user else Client()).get(url).status_code


def test_case_pages_answer_each_role_as_the_policy_says(
    owner, colleague, outsider, analyst, user_with_role, case, final_judgment, complaint
):
    coordinator = user_with_role(Role.COORDINATOR)
    integrity = user_with_role(Role.INTEGRITY_OFFICER)
    urls = {
        "case": f"/justice/cases/{case.reference}/",
        "brief": f"/justice/cases/{case.reference}/brief/",
        "record": f"/justice/cases/{case.reference}/record/charge/",
        "complaint": f"/justice/complaints/{complaint.reference}/",
        "api-case": f"/api/justice/cases/{case.reference}/",
        "api-complaint": f"/api/justice/complaints/{complaint.reference}/",
    }
    expected = {
        "owner": {
            "case": 200,
            "brief": 200,
            "record": 200,
            "complaint": 200,
            "api-case": 200,
            "api-complaint": 200,
        },
        "colleague": {
            "case": 200,
            "brief": 200,
            "record": 200,
            "complaint": 200,
            "api-case": 200,
            "api-complaint": 200,
        },
        "outsider": {k: 404 for k in urls},
        "analyst": {
            "case": 200,
            "brief": 404,
            "record": 404,
            "complaint": 200,
            "api-case": 200,
            "api-complaint": 200,
        },
        "coordinator": {k: 404 for k in urls},
        "integrity": {k: 404 for k in urls},
    }
    users = {"owner": owner, "colleague": colleague, "outsider": outsider, "analyst": analyst}
    users |= {"coordinator": coordinator, "integrity": integrity}
    got = {name: {key: _status(user, url) for key, url in urls.items()} for name, user in users.items()}
    assert got == expected
    assert {key: _status(None, url) for key, url in urls.items() if not key.startswith("api")} == {
        "case": 302,
        "brief": 302,
        "record": 302,
        "complaint": 302,
    }


def test_the_analyst_sees_a_case_without_names_summary_or_narrative(analyst, case, complaint, defendant):
    page = client_for(analyst).get(f"/justice/cases/{case.reference}/").content.decode()
    assert case.number in page and "Sagastume" not in page and "Heidy" not in page
    assert defendant.person.reference in page
    narrative = client_for(analyst).get(f"/justice/complaints/{complaint.reference}/").content.decode()
    assert "Sinaloa" not in narrative


def test_the_owner_sees_names_and_the_timeline_in_order(owner, case, charged):
    page = client_for(owner).get(f"/justice/cases/{case.reference}/").content.decode()
    assert "Rudy Estuardo Sagastume" in page and "Heidy Marisol" in page
    timeline = page[page.index('data-testid="timeline"') :]
    assert timeline.index("2004-02-10") < timeline.index("2004-02-12") < timeline.index("2004-02-18")


def test_the_case_brief_shows_victims_by_initials_age_sex_and_nationality_only(owner, case, final_judgment):
    page = client_for(owner).get(f"/justice/cases/{case.reference}/brief/").content.decode()
    assert "H.X.P." in page and "Honduras" in page
    assert "Heidy" not in page and "Xicará" not in page
    assert "Rudy Estuardo Sagastume" in page and ("4,00" in page or "4.00" in page)


def test_only_the_integrity_officer_opens_integrity_cases_and_the_coordinator_counts_them(
    integrity_officer, integrity_case, owner, user_with_role
):
    url = f"/justice/integrity/{integrity_case.reference}/"
    page = client_for(integrity_officer).get(url)
    assert page.status_code == 200 and "Selvin Cutzal" in page.content.decode()
    for role in Role:
        if role is not Role.INTEGRITY_OFFICER:
            assert _status(user_with_role(role, f"x-{role.value}"), url) == 404, role
    assert _status(owner, "/justice/integrity/") == 404
    coordinator = user_with_role(Role.COORDINATOR, "coord")
    figures = client_for(coordinator).get("/justice/").content.decode()
    assert 'data-testid="integrity-counts"' in figures
    assert integrity_case.reference not in figures and "Cutzal" not in figures


def test_the_dashboard_and_lists_are_closed_to_roles_without_justice_data(user_with_role):
    for role in (Role.CASEWORKER, Role.MONITOR, Role.BORDER_OFFICER, Role.AUDITOR, Role.ADMIN):
        user = user_with_role(role)
        assert _status(user, "/justice/") == 404
        assert _status(user, "/justice/cases/") == 404


def test_the_pdf_brief_is_an_export_that_needs_a_fresh_password(owner, case, final_judgment):
    from tests.conftest import PASSWORD
    from tipims.audit.models import AuditEvent

    prosecutor = client_for(owner)
    url = f"/justice/cases/{case.reference}/brief.pdf"
    assert prosecutor.get(url).status_code == 302  # to the re-authentication page
    prosecutor.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = prosecutor.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="justice.criminalcase").exists()


def test_the_pdf_brief_of_another_institutions_case_is_not_found(outsider, case, final_judgment):
    assert client_for(outsider).get(f"/justice/cases/{case.reference}/brief.pdf").status_code == 404


def test_a_complaint_waiting_for_triage_is_linked_to_an_existing_case_from_its_page(owner, case):
    later = services.complaint_create(actor=owner, channel="ngo", received_on=D(2004, 3, 1))
    url = f"/justice/cases/{case.reference}/record/complaint/"
    prosecutor = client_for(owner)
    unknown = prosecutor.post(url, {"reference": "D-ZZZZZZZZ"})
    assert unknown.status_code == 200 and "reference" in unknown.context["form"].errors
    assert prosecutor.post(url, {"reference": later.reference.lower()}).status_code == 302
    later.refresh_from_db()
    assert (later.case, later.status) == (case, "case_opened")
    again = prosecutor.post(url, {"reference": later.reference})
    assert again.status_code == 200 and "complaints" in str(again.context["form"].errors)
