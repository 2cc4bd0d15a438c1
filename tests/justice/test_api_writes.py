"""The justice API's writes: the same services, policy and validation as the pages. Bad input answers
400 naming the field and saves nothing; a record you may not change answers 404."""

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tipims.accounts.roles import Role
from tipims.justice.models import (
    Appeal,
    Charge,
    Complaint,
    CriminalCase,
    Defendant,
    IntegrityCase,
    Judgment,
    LegalProvision,
    Measure,
    PhaseEvent,
)
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db
D = datetime.date


def api(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def post(user, url: str, body: dict):
    return api(user).post(url, body, content_type="application/json")


def _counts() -> dict[str, int]:
    models = (
        Complaint,
        CriminalCase,
        PhaseEvent,
        Defendant,
        Measure,
        Charge,
        Judgment,
        Appeal,
        IntegrityCase,
    )
    return {model.__name__: model.objects.count() for model in models}


def _refused(user, url: str, body: dict, field: str, status: int = 400):
    before = _counts()
    response = post(user, url, body)
    assert response.status_code == status, response.content
    if status == 400:
        assert field in response.json(), response.json()
    assert _counts() == before
    return response


@pytest.fixture
def fresh_complaint(owner):
    response = post(
        owner,
        "/api/justice/complaints/",
        {"channel": "online", "received_on": "2004-02-10", "narrative": "Bar Sinaloa, Cuilapa"},
    )
    return Complaint.objects.get(reference=response.json()["reference"])


def test_triage_opens_a_case_from_a_complaint(owner, fresh_complaint):
    url = f"/api/justice/complaints/{fresh_complaint.reference}/triage/"
    response = post(
        owner,
        url,
        {
            "decision": "case_opened",
            "number": "9023-03",
            "offence_date": "2004-02-01",
            "opened_on": "2004-02-12",
        },
    )
    assert response.status_code == 200, response.content
    case = CriminalCase.objects.get(number="9023-03")
    assert response.json()["status"] == "case_opened" and response.json()["case"] == case.reference
    assert list(case.complaints.all()) == [fresh_complaint]


def test_triage_links_a_complaint_to_an_existing_case(owner, case, fresh_complaint):
    url = f"/api/justice/complaints/{fresh_complaint.reference}/triage/"
    response = post(owner, url, {"decision": "case_opened", "case": case.reference})
    assert response.status_code == 200, response.content
    assert case.complaints.filter(pk=fresh_complaint.pk).exists()


def test_triage_refers_or_closes_with_a_reason(owner, police, fresh_complaint, complaint):
    url = f"/api/justice/complaints/{fresh_complaint.reference}/triage/"
    _refused(owner, url, {"decision": "referred", "reason": "PNC"}, "referred_to")
    _refused(owner, url, {"decision": "closed", "reason": " "}, "reason")
    _refused(owner, url, {"decision": "case_opened", "number": "1-04"}, "offence_date")
    _refused(owner, url, {"decision": "case_opened", "case": "K-ZZZZZZZZ"}, "case")
    _refused(owner, url, {"decision": "archive", "reason": "x"}, "decision")
    referred = post(
        owner, url, {"decision": "referred", "reason": "Competencia de la PNC", "referred_to": "police"}
    )
    assert referred.status_code == 200 and referred.json()["referred_to"] == "police"
    other = f"/api/justice/complaints/{complaint.reference}/triage/"
    closed = post(owner, other, {"decision": "closed", "reason": "No constituye delito", "on": "2004-03-01"})
    assert closed.status_code == 200 and Complaint.objects.get(pk=complaint.pk).status == "closed"
    _refused(owner, other, {"decision": "closed", "reason": "again"}, "decision")


def test_those_who_may_not_change_a_complaint_get_404(analyst, outsider, fresh_complaint):
    url = f"/api/justice/complaints/{fresh_complaint.reference}/triage/"
    for user in (analyst, outsider):
        _refused(user, url, {"decision": "closed", "reason": "x"}, "", status=404)


def test_a_case_moves_through_its_phases_with_dates(owner, case):
    url = f"/api/justice/cases/{case.reference}/phases/"
    response = post(owner, url, {"phase": "investigation", "date": "2004-02-20", "note": "Allanamiento"})
    assert response.status_code == 201, response.content
    assert response.json()["case"]["phase"] == "investigation"
    assert PhaseEvent.objects.get(pk=response.json()["id"]).date == D(2004, 2, 20)
    _refused(owner, url, {"phase": "complaint", "date": "2004-02-21"}, "phase")
    _refused(owner, url, {"phase": "trial", "date": "2004-02-01"}, "date")
    _refused(owner, url, {"phase": "trial", "date": "20-02-2004"}, "date")


def test_the_whole_proceeding_through_the_api(owner, case, accused):
    base = f"/api/justice/cases/{case.reference}/"
    added = post(owner, base + "defendants/", {"person": accused.reference, "roles": ["Exploiter"]})
    assert added.status_code == 201, added.content
    defendant = added.json()["id"]
    arrest = post(
        owner,
        base + "measures/",
        {"defendant": defendant, "kind": "arrest", "date": "2004-02-18", "place": "Cuilapa"},
    )
    assert arrest.status_code == 201, arrest.content
    bail = post(
        owner,
        base + "measures/",
        {"defendant": defendant, "kind": "bail", "date": "2004-02-25", "bail_gtq": "5000"},
    )
    assert bail.status_code == 201, bail.content
    trafficking = LegalProvision.objects.get(code="cp-194")
    charged = post(
        owner,
        base + "charges/",
        {
            "defendant": defendant,
            "provision": trafficking.pk,
            "filed_on": "2004-03-01",
            "aggravating_factors": ["for_profit"],
        },
    )
    assert charged.status_code == 201, charged.content
    charge = charged.json()["id"]
    judged = post(
        owner,
        base + "judgments/",
        {
            "charge": charge,
            "verdict": "conviction",
            "date": "2005-01-10",
            "prison_years": "4",
            "fine_gtq": "10000",
        },
    )
    assert judged.status_code == 201, judged.content
    appealed = post(
        owner,
        base + "appeals/",
        {"judgment": judged.json()["id"], "filed_by": "defence", "filed_on": "2005-01-20"},
    )
    assert appealed.status_code == 201, appealed.content
    detail = api(owner).get(base).json()
    [entry] = detail["defendants"]
    assert [m["kind"] for m in entry["measures"]] == ["arrest", "bail"]
    assert entry["measures"][0]["place"] == "Cuilapa"
    assert entry["charges"][0]["judgment"]["prison_years"] == "4.00"
    assert entry["charges"][0]["judgment"]["appeals"][0]["filed_by"] == "defence"
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds.index("measure") < kinds.index("charge") < kinds.index("judgment") < kinds.index("appeal")


def test_measures_need_their_date_place_and_amount(owner, case, defendant):
    url = f"/api/justice/cases/{case.reference}/measures/"
    _refused(owner, url, {"defendant": defendant.pk, "kind": "arrest", "date": "2004-02-18"}, "place")
    _refused(owner, url, {"defendant": defendant.pk, "kind": "bail", "date": "2004-02-18"}, "bail_gtq")
    _refused(
        owner, url, {"defendant": defendant.pk, "kind": "arrest", "date": "2003-01-01", "place": "x"}, "date"
    )
    _refused(owner, url, {"defendant": 999999, "kind": "release", "date": "2004-02-18"}, "defendant")
    _refused(owner, url, {"defendant": defendant.pk, "kind": "torture", "date": "2004-02-18"}, "kind")


def test_a_charge_under_a_provision_not_in_force_is_refused(owner, case, defendant):
    reform = LegalProvision.objects.create(
        code="cp-194",
        offence="trafficking",
        law_es="CP",
        law_en="PC",
        article="202 Ter",
        title_es="Trata",
        title_en="Trafficking",
        effective_from=D(2009, 4, 1),
        min_years=8,
        max_years=18,
    )
    url = f"/api/justice/cases/{case.reference}/charges/"
    _refused(
        owner, url, {"defendant": defendant.pk, "provision": reform.pk, "filed_on": "2004-03-01"}, "provision"
    )
    _refused(
        owner, url, {"defendant": defendant.pk, "provision": 2**31 - 1, "filed_on": "2004-03-01"}, "provision"
    )
    trafficking = LegalProvision.objects.get(code="cp-194", effective_from=D(1973, 9, 15))
    _refused(
        owner,
        url,
        {
            "defendant": defendant.pk,
            "provision": trafficking.pk,
            "filed_on": "2004-03-01",
            "aggravating_factors": ["x"],
        },
        "aggravating_factors",
    )


def test_a_sentence_outside_the_range_is_refused_unless_a_reason_is_given(owner, case, charged):
    url = f"/api/justice/cases/{case.reference}/judgments/"
    body = {
        "charge": charged.pk,
        "verdict": "conviction",
        "date": "2005-01-10",
        "prison_years": "12",
        "fine_gtq": "10000",
    }
    _refused(owner, url, body, "prison_years")
    _refused(owner, url, {**body, "date": "2004-02-01"}, "date")  # before the charge and the arrest
    with_reason = post(owner, url, {**body, "departure_reason": "Concurso real de delitos (art. 69 CP)"})
    assert with_reason.status_code == 201, with_reason.content
    assert Judgment.objects.get().departure_reason.startswith("Concurso")
    _refused(owner, url, {**body, "prison_years": "4"}, "charge")  # a second judgment on the same charge


def test_an_appeal_before_the_judgment_is_refused(owner, case, charged):
    judgment = post(
        owner,
        f"/api/justice/cases/{case.reference}/judgments/",
        {"charge": charged.pk, "verdict": "acquittal", "date": "2005-01-10"},
    ).json()["id"]
    url = f"/api/justice/cases/{case.reference}/appeals/"
    _refused(
        owner, url, {"judgment": judgment, "filed_by": "prosecution", "filed_on": "2004-12-01"}, "filed_on"
    )
    _refused(
        owner,
        url,
        {"judgment": judgment, "filed_by": "prosecution", "filed_on": "2005-02-01", "outcome": "upheld"},
        "decided_on",
    )


def test_the_disposition_closes_the_case(owner, case):
    url = f"/api/justice/cases/{case.reference}/disposition/"
    response = post(owner, url, {"disposition": "archived", "date": "2004-06-01"})
    assert response.status_code == 201, response.content
    assert response.json()["case"]["phase"] == "closed"
    _refused(owner, url, {"disposition": "dismissed", "date": "2004-06-02"}, "disposition")


def test_case_writes_answer_404_to_those_who_may_not_change_the_case(
    analyst, outsider, colleague, case, accused
):
    body = {"phase": "investigation", "date": "2004-02-20"}
    for user in (analyst, outsider):
        _refused(user, f"/api/justice/cases/{case.reference}/phases/", body, "", status=404)
    assert post(colleague, f"/api/justice/cases/{case.reference}/phases/", body).status_code == 201


def test_a_defendant_must_be_a_person_record_of_the_office(owner, outsider, case):
    stranger = people_services.person_record_create(
        actor=outsider, values={"surname1": "Ajú", "sex": "Masculine"}
    )
    url = f"/api/justice/cases/{case.reference}/defendants/"
    _refused(owner, url, {"person": stranger.reference}, "person")
    _refused(owner, url, {"person": "P-ZZZZZZZZ", "is_public_official": True}, "person")


def test_the_provisions_are_listed_for_anyone_signed_in(analyst):
    rows = api(analyst).get("/api/justice/provisions/").json()
    trafficking = next(row for row in rows if row["code"] == "cp-194")
    assert (trafficking["min_years"], trafficking["max_fine_gtq"]) == ("1.00", "15000.00")
    assert Client().get("/api/justice/provisions/").status_code == 401


@pytest.fixture
def integrity_officer(user_with_role):
    return user_with_role(Role.INTEGRITY_OFFICER)


def test_the_integrity_officer_opens_and_decides_integrity_cases(
    integrity_officer, police, owner, user_with_role
):
    official = people_services.person_record_create(
        actor=integrity_officer, values={"given_names": "Selvin", "surname1": "Cutzal", "sex": "Masculine"}
    )
    body = {
        "official": official.reference,
        "official_institution": "police",
        "allegations": ["bribery", "illegal_transit"],
        "proceeding": "dismissal_for_cause",
        "opened_on": "2003-05-02",
        "position": "Agente",
    }
    _refused(integrity_officer, "/api/justice/integrity/", {**body, "allegations": []}, "allegations")
    _refused(integrity_officer, "/api/justice/integrity/", {**body, "official": "P-ZZZZZZZZ"}, "official")
    opened = post(integrity_officer, "/api/justice/integrity/", body)
    assert opened.status_code == 201, opened.content
    reference = opened.json()["reference"]
    url = f"/api/justice/integrity/{reference}/outcome/"
    _refused(
        integrity_officer, url, {"outcome": "dismissed_from_post", "outcome_on": "2003-01-01"}, "outcome_on"
    )
    _refused(integrity_officer, url, {"outcome": "pending", "outcome_on": "2003-09-01"}, "outcome")
    decided = post(integrity_officer, url, {"outcome": "dismissed_from_post", "outcome_on": "2003-09-01"})
    assert decided.status_code == 200 and decided.json()["outcome"] == "dismissed_from_post"
    # nobody else opens it, reads it or changes it
    for role in Role:
        if role is Role.INTEGRITY_OFFICER:
            continue
        other = user_with_role(role, f"x-{role.value}")
        assert api(other).get(f"/api/justice/integrity/{reference}/").status_code == 404, role
        _refused(other, url, {"outcome": "cleared", "outcome_on": "2003-09-02"}, "", status=404)
        _refused(other, "/api/justice/integrity/", body, "", status=403)
    assert IntegrityCase.objects.get().outcome == "dismissed_from_post"
