"""The protection API's writes: the same services, policy and validation as the pages. Bad input answers
400 naming the field and saves nothing; a record you may not change (another institution's) answers 404."""

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.protection.conftest import CONTEXT, GIRL, TODAY, identify
from tipims.justice import services as justice_services
from tipims.people import services as people_services
from tipims.people.models import PersonRecord
from tipims.protection import services
from tipims.protection.models import (
    Assessment,
    CaseNote,
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    ReturnStep,
    SafeReturn,
    ServiceDelivery,
    Shelter,
    SupportPlan,
    Victim,
    WitnessMeasure,
)

pytestmark = pytest.mark.django_db
DAY = TODAY - datetime.timedelta(days=5)
MODELS = (
    PersonRecord,
    Victim,
    ProtectionCase,
    SupportPlan,
    Assessment,
    ServiceDelivery,
    CaseNote,
    Shelter,
    Placement,
    Consent,
    Referral,
    WitnessMeasure,
    SafeReturn,
)


def api(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def post(user, url: str, body: dict | None = None):
    return api(user).post(url, body or {}, content_type="application/json")


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["steps done"] = ReturnStep.objects.filter(done_on__isnull=False).count()
    counts["plans ended"] = SupportPlan.objects.filter(actual_end__isnull=False).count()
    counts["placements ended"] = Placement.objects.filter(end__isnull=False).count()
    counts["consents withdrawn"] = Consent.objects.filter(withdrawn_at__isnull=False).count()
    counts["cases by status"] = sorted(ProtectionCase.objects.values_list("status", flat=True))
    counts["referrals by status"] = sorted(Referral.objects.values_list("status", flat=True))
    counts["measures by status"] = sorted(WitnessMeasure.objects.values_list("status", flat=True))
    counts["victim statuses"] = sorted(Victim.objects.values_list("trafficking_status", flat=True))
    return counts


def _refused(user, url: str, body: dict | None, field: str, status: int = 400, method: str = "post"):
    before = _counts()
    response = getattr(api(user), method)(url, body or {}, content_type="application/json")
    assert response.status_code == status, response.content
    if status == 400:
        assert field in response.json(), response.json()
    assert _counts() == before
    return response


@pytest.fixture
def case(caseworker, girl):
    return services.protection_case_open(actor=caseworker, victim=girl, opened_on=CONTEXT["identified_on"])


# --- victims -----------------------------------------------------------------------------------------


def test_a_caseworker_identifies_a_victim_with_a_new_person_record(caseworker):
    body = {
        **{key: str(value) if key == "identified_on" else value for key, value in CONTEXT.items()},
        "new_person": {**GIRL, "documents": [{"document_type": "PASSPORT", "number": "HN0012345"}]},
    }
    response = post(caseworker, "/api/protection/victims/", body)
    assert response.status_code == 201, response.content
    victim = Victim.objects.get(reference=response.json()["reference"])
    assert victim.person.documents.get().number == "HN0012345"
    assert response.json()["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"


def test_a_caseworker_identifies_a_victim_of_a_person_already_recorded(caseworker):
    person = people_services.person_record_create(actor=caseworker, values=dict(GIRL))
    response = post(
        caseworker,
        "/api/protection/victims/",
        {
            "person": person.reference,
            "identified_on": str(DAY),
            "trafficking_status": "PossibleVictimOfTrafficking",
        },
    )
    assert response.status_code == 201, response.content
    assert Victim.objects.get(person=person).trafficking_status == "PossibleVictimOfTrafficking"
    _refused(caseworker, "/api/protection/victims/", {"person": person.reference, **_context()}, "person")


def _context() -> dict:
    return {"identified_on": str(DAY), "trafficking_status": "PossibleVictimOfTrafficking"}


def test_bad_identifications_name_the_field_and_save_nothing(caseworker, ngo_caseworker):
    url = "/api/protection/victims/"
    _refused(caseworker, url, _context(), "person")  # neither a person nor a new one
    _refused(caseworker, url, {**_context(), "person": "P-ZZZZZZZZ"}, "person")
    _refused(
        caseworker,
        url,
        {**_context(), "new_person": GIRL, "trafficking_status": "Maybe"},
        "trafficking_status",
    )
    _refused(
        caseworker, url, {**_context(), "new_person": GIRL, "identified_on": "yesterday"}, "identified_on"
    )
    _refused(caseworker, url, {**_context(), "new_person": {**GIRL, "citizenships": ["XX"]}}, "new_person")
    # A person record of another institution is out of reach: as if it did not exist.
    theirs = people_services.person_record_create(actor=ngo_caseworker, values=dict(GIRL))
    _refused(caseworker, url, {**_context(), "person": theirs.reference}, "person")


def test_those_who_may_not_identify_victims_are_refused(analyst, owner):
    for user in (analyst, owner):
        _refused(user, "/api/protection/victims/", {**_context(), "new_person": GIRL}, "", status=403)


def test_a_victims_context_changes_through_a_patch(caseworker, girl):
    url = f"/api/protection/victims/{girl.reference}/"
    response = api(caseworker).patch(
        url, {"trafficking_status": "PossibleVictimOfTrafficking"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    girl.refresh_from_db()
    assert girl.trafficking_status == "PossibleVictimOfTrafficking" and girl.exploitation_types == [
        "SexualExploitation"
    ]
    _refused(caseworker, url, {"control_methods": ["Telepathy"]}, "control_methods", method="patch")


def test_another_institution_may_not_change_a_victim(ngo_caseworker, analyst, girl):
    url = f"/api/protection/victims/{girl.reference}/"
    for user in (ngo_caseworker, analyst):
        _refused(
            user, url, {"trafficking_status": "PossibleVictimOfTrafficking"}, "", status=404, method="patch"
        )


# --- protection cases --------------------------------------------------------------------------------


def test_a_case_opens_for_a_victim_with_a_caseworker_of_the_institution(caseworker, sbs_colleague, girl):
    url = f"/api/protection/victims/{girl.reference}/cases/"
    response = post(caseworker, url, {"opened_on": str(DAY), "caseworker": "sbs-colleague"})
    assert response.status_code == 201, response.content
    case = ProtectionCase.objects.get(reference=response.json()["case"]["reference"])
    assert case.caseworker == sbs_colleague and case.victim == girl
    _refused(caseworker, url, {"opened_on": str(TODAY + datetime.timedelta(days=1))}, "opened_on")
    _refused(caseworker, url, {"opened_on": str(DAY), "caseworker": "nobody"}, "caseworker")


def test_a_caseworker_of_another_institution_may_not_open_a_case(ngo_caseworker, girl):
    url = f"/api/protection/victims/{girl.reference}/cases/"
    _refused(ngo_caseworker, url, {"opened_on": str(DAY)}, "", status=404)


def test_a_case_is_closed_only_with_a_reason(caseworker, case):
    url = f"/api/protection/cases/{case.reference}/status/"
    _refused(caseworker, url, {"status": "Closed"}, "closure_reason")
    _refused(caseworker, url, {"status": "Forgotten"}, "status")
    response = post(caseworker, url, {"status": "Closed", "closure_reason": "Reintegrated with her family"})
    assert response.status_code == 200, response.content
    assert response.json()["case"]["cas_Status"] == "Closed"
    assert ProtectionCase.objects.get(pk=case.pk).closed_on == TODAY


def test_plans_assessments_services_and_notes_are_recorded_on_a_case(caseworker, case):
    base = f"/api/protection/cases/{case.reference}/"
    plan = post(caseworker, base + "plans/", {"plan_type": "Education", "objectives": "Back to school"})
    assert plan.status_code == 201, plan.content
    assert plan.json()["case"]["support_plans"][0]["spl_Type"] == "Education"
    ended = post(caseworker, base + f"plans/{plan.json()['id']}/end/", {"actual_end": str(DAY)})
    assert ended.status_code == 200, ended.content
    assert SupportPlan.objects.get(pk=plan.json()["id"]).actual_end == DAY
    _refused(caseworker, base + f"plans/{plan.json()['id']}/end/", {"actual_end": str(DAY)}, "actual_end")
    _refused(caseworker, base + "plans/999999/end/", {"actual_end": str(DAY)}, "", status=404)
    _refused(caseworker, base + "plans/", {"plan_type": "Holidays"}, "plan_type")

    assessment = {
        "level": "household",
        "assessed_on": str(DAY),
        "risk_level": "high",
        "factors": ["family_involved"],
    }
    recorded = post(caseworker, base + "assessments/", assessment)
    assert recorded.status_code == 201, recorded.content
    assert Assessment.objects.get(pk=recorded.json()["id"]).factors == ["family_involved"]
    _refused(caseworker, base + "assessments/", {**assessment, "factors": ["no_such_factor"]}, "factors")
    _refused(caseworker, base + "assessments/", {**assessment, "risk_level": ""}, "risk_level")

    service = {"service_type": "psychological", "delivered_on": str(DAY), "provider": "Refugio de la Niñez"}
    delivered = post(caseworker, base + "services/", service)
    assert delivered.status_code == 201, delivered.content
    assert delivered.json()["case"]["services"][0]["provider"] == "Refugio de la Niñez"
    _refused(caseworker, base + "services/", {**service, "provider": " "}, "provider")

    note = post(caseworker, base + "notes/", {"text": "Habló con la psicóloga."})
    assert note.status_code == 201 and CaseNote.objects.get(pk=note.json()["id"]).case == case
    _refused(caseworker, base + "notes/", {"text": "   "}, "text")


def test_a_case_of_another_institution_answers_404_to_every_write(ngo_caseworker, analyst, case):
    base = f"/api/protection/cases/{case.reference}/"
    plan = services.support_plan_add(actor=case.caseworker, case=case, plan_type="Education")
    for user in (ngo_caseworker, analyst):
        _refused(user, base + "status/", {"status": "Closed", "closure_reason": "x"}, "", status=404)
        _refused(user, base + "plans/", {"plan_type": "Education"}, "", status=404)
        _refused(user, base + f"plans/{plan.pk}/end/", {"actual_end": str(DAY)}, "", status=404)
        _refused(
            user,
            base + "assessments/",
            {"level": "household", "assessed_on": str(DAY), "risk_level": "low"},
            "",
            404,
        )
        _refused(
            user,
            base + "services/",
            {"service_type": "legal", "delivered_on": str(DAY), "provider": "x"},
            "",
            404,
        )
        _refused(user, base + "notes/", {"text": "x"}, "", status=404)


# --- shelters and placements -------------------------------------------------------------------------


def test_shelters_are_recorded_by_caseworkers_only(caseworker, analyst):
    response = post(
        caseworker, "/api/protection/shelters/", {"name": "Casa Nuestras Raíces", "capacity_female_minor": 12}
    )
    assert response.status_code == 201, response.content
    assert Shelter.objects.get(pk=response.json()["id"]).capacity_female_minor == 12
    _refused(caseworker, "/api/protection/shelters/", {"name": " "}, "name")
    _refused(
        caseworker,
        "/api/protection/shelters/",
        {"name": "X", "capacity_male_adult": -1},
        "capacity_male_adult",
    )
    _refused(analyst, "/api/protection/shelters/", {"name": "Casa"}, "", status=404)


def _placement(shelter, **extra) -> dict:
    return {
        "shelter": shelter.pk,
        "court": "Juzgado de la Niñez de Guatemala",
        "court_reference": "JNA-01-2026",
        "court_order_date": str(TODAY),
        "start": str(TODAY),
        **extra,
    }


def test_a_full_shelter_takes_a_victim_only_with_an_emergency_reason(caseworker, girl, shelter):
    first = post(caseworker, f"/api/protection/victims/{girl.reference}/placements/", _placement(shelter))
    assert first.status_code == 201, first.content
    second = identify(caseworker)
    url = f"/api/protection/victims/{second.reference}/placements/"
    _refused(caseworker, url, _placement(shelter), "emergency_reason")
    _refused(caseworker, url, _placement(shelter, court_reference=""), "court_reference")
    _refused(caseworker, url, {**_placement(shelter), "shelter": 999999}, "shelter")
    over = post(caseworker, url, _placement(shelter, emergency_reason="Rescued at night; no other shelter."))
    assert over.status_code == 201, over.content
    assert Placement.objects.filter(shelter=shelter).count() == 2


def test_a_placement_ends_on_a_date_and_only_for_its_institution(caseworker, ngo_caseworker, girl, shelter):
    placement = services.placement_create(
        actor=caseworker,
        victim=girl,
        shelter=shelter,
        court="Juzgado",
        court_reference="J-1",
        court_order_date=DAY,
        start=DAY,
    )
    url = f"/api/protection/placements/{placement.pk}/end/"
    _refused(ngo_caseworker, url, {"end": str(TODAY)}, "", status=404)
    _refused(
        ngo_caseworker, f"/api/protection/victims/{girl.reference}/placements/", _placement(shelter), "", 404
    )
    _refused(caseworker, url, {"end": str(DAY - datetime.timedelta(days=1))}, "end")
    response = post(caseworker, url, {"end": str(TODAY)})
    assert response.status_code == 200, response.content
    assert Placement.objects.get(pk=placement.pk).end == TODAY


# --- consent and referrals ---------------------------------------------------------------------------


def test_consent_is_recorded_and_withdrawn(caseworker, ngo_caseworker, girl, ngo):
    url = f"/api/protection/victims/{girl.reference}/consents/"
    _refused(caseworker, url, {"purpose": "sharing", "given_on": str(DAY)}, "shared_with")
    _refused(caseworker, url, {"purpose": "gossip", "given_on": str(DAY)}, "purpose")
    _refused(
        caseworker, url, {"purpose": "sharing", "given_on": str(DAY), "shared_with": "nowhere"}, "shared_with"
    )
    _refused(ngo_caseworker, url, {"purpose": "statistics", "given_on": str(DAY)}, "", status=404)
    response = post(caseworker, url, {"purpose": "sharing", "given_on": str(DAY), "shared_with": ngo.code})
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(pk=response.json()["id"])
    assert consent.shared_with == ngo

    withdraw = f"/api/protection/consents/{consent.pk}/withdraw/"
    _refused(ngo_caseworker, withdraw, None, "", status=404)
    assert post(caseworker, withdraw).status_code == 200
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    _refused(caseworker, withdraw, None, "withdrawn_at")


def test_a_referral_is_sent_and_the_receiver_accepts_or_declines_it(caseworker, ngo_caseworker, girl, ngo):
    url = f"/api/protection/victims/{girl.reference}/referrals/"
    referral = {"to_institution": ngo.code, "reason": "AdditionalServicesRequired"}
    _refused(caseworker, url, {**referral, "reason": "Boredom"}, "reason")
    _refused(caseworker, url, {**referral, "to_institution": "sbs"}, "to_institution")
    sent = post(caseworker, url, {**referral, "court_order_reference": "JNA-77-2026"})
    assert sent.status_code == 201, sent.content
    reference = sent.json()["reference"]
    assert Referral.objects.get(reference=reference).legal_basis == "court_order"

    decide = f"/api/protection/referrals/{reference}/decide/"
    _refused(caseworker, decide, {"accept": True}, "", status=404)  # only the receiver decides
    _refused(ngo_caseworker, decide, {"accept": "perhaps"}, "accept")
    assert post(ngo_caseworker, decide, {"accept": True}).status_code == 200
    assert Referral.objects.get(reference=reference).status == "accepted"
    _refused(ngo_caseworker, decide, {"accept": False}, "status")


def test_a_referral_rests_on_consent_or_a_court_order(caseworker, girl, ngo):
    url = f"/api/protection/victims/{girl.reference}/referrals/"
    _refused(caseworker, url, {"to_institution": ngo.code, "reason": "AdditionalServicesRequired"}, "consent")
    services.consent_record(actor=caseworker, victim=girl, purpose="sharing", shared_with=ngo, given_on=DAY)
    sent = post(caseworker, url, {"to_institution": ngo.code, "reason": "AdditionalServicesRequired"})
    assert sent.status_code == 201, sent.content
    assert Referral.objects.get(reference=sent.json()["reference"]).consent.shared_with == ngo


# --- witness protection ------------------------------------------------------------------------------


@pytest.fixture
def criminal_case(owner):
    return justice_services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=TODAY - datetime.timedelta(days=90),
        opened_on=TODAY - datetime.timedelta(days=60),
        exploitation_types=["SexualExploitation"],
    )


def test_a_witness_measure_is_requested_and_decided(caseworker, ngo_caseworker, girl, criminal_case):
    url = f"/api/protection/victims/{girl.reference}/witness-measures/"
    body = {
        "criminal_case": "9023-03",
        "measure": "gesell_chamber",
        "requested_on": str(DAY),
        "requested_from": "Juzgado de Paz de Cuilapa",
    }
    _refused(caseworker, url, {**body, "criminal_case": "0000-00"}, "criminal_case")
    _refused(caseworker, url, {**body, "measure": "invisibility"}, "measure")
    _refused(ngo_caseworker, url, body, "", status=404)
    requested = post(caseworker, url, body)
    assert requested.status_code == 201, requested.content
    measure = WitnessMeasure.objects.get(pk=requested.json()["id"])
    assert measure.criminal_case == criminal_case and measure.status == "requested"

    decide = f"/api/protection/witness-measures/{measure.pk}/decide/"
    decision = {"granted": True, "decided_on": str(TODAY), "deciding_authority": "Juzgado de Paz de Cuilapa"}
    _refused(ngo_caseworker, decide, decision, "", status=404)
    _refused(
        caseworker, decide, {**decision, "decided_on": str(DAY - datetime.timedelta(days=1))}, "decided_on"
    )
    _refused(caseworker, decide, {**decision, "deciding_authority": ""}, "deciding_authority")
    assert post(caseworker, decide, decision).status_code == 200
    assert WitnessMeasure.objects.get(pk=measure.pk).status == "granted"
    _refused(caseworker, decide, decision, "status")


# --- safe return -------------------------------------------------------------------------------------


def test_a_safe_return_opens_and_its_steps_are_completed_in_order(caseworker, ngo_caseworker, girl):
    url = f"/api/protection/victims/{girl.reference}/returns/"
    body = {"origin_country": "HN", "receiving_institution": "DINAF", "border_point": "agua_caliente"}
    _refused(caseworker, url, {**body, "family_member": "P-ZZZZZZZZ"}, "family_member")
    _refused(ngo_caseworker, url, body, "", status=404)
    opened = post(caseworker, url, body)
    assert opened.status_code == 201, opened.content
    reference = opened.json()["reference"]
    base = f"/api/protection/returns/{reference}/steps/"

    _refused(caseworker, base + "handover/", {"done_on": str(DAY), "responsible": "SBS"}, "step")
    _refused(caseworker, base + "identification/", {"done_on": str(DAY), "responsible": " "}, "responsible")
    _refused(caseworker, base + "teleportation/", {"done_on": str(DAY), "responsible": "SBS"}, "", status=404)
    _refused(ngo_caseworker, base + "identification/", {"done_on": str(DAY), "responsible": "SBS"}, "", 404)
    done = post(caseworker, base + "identification/", {"done_on": str(DAY), "responsible": "SBS"})
    assert done.status_code == 200, done.content
    assert ReturnStep.objects.get(safe_return__reference=reference, step="identification").done_on == DAY
