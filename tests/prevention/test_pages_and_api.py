"""The pages and the API, used as their users would."""

import datetime

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import client_for
from tipims.prevention.models import (
    Campaign,
    Commitment,
    Decision,
    Evidence,
    Meeting,
    ProgressUpdate,
    Training,
)


def api_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_owner_records_a_campaign_through_the_guided_form(owner):
    client = client_for(owner)
    assert client.get("/prevention/campaigns/new/").status_code == 200
    response = client.post(
        "/prevention/campaigns/new/",
        {
            "title": "Spots de radio",
            "medium": "radio",
            "audiences": ["migrants", "parents"],
            "departments": ["12"],
            "start": "2025-06-01",
            "end": "2025-06-30",
            "reach": "4000",
            "cost": "",
            "funding_source": "",
            "materials": "",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{campaign.reference}/")
    assert campaign.audiences == ["migrants", "parents"]
    listing = client.get("/prevention/campaigns/?medium=radio")
    assert listing.content.count(b'data-testid="campaign-row"') == 1
    assert (
        client.get("/prevention/campaigns/?medium=television").content.count(b'data-testid="campaign-row"')
        == 0
    )


def test_a_campaign_form_with_a_bad_end_date_shows_the_error_and_saves_nothing(owner):
    response = client_for(owner).post(
        "/prevention/campaigns/new/",
        {
            "title": "Spots",
            "medium": "radio",
            "audiences": ["migrants"],
            "start": "2025-06-01",
            "end": "2025-05-01",
        },
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert Campaign.objects.count() == 0


def test_a_training_form_keeps_the_breakdown_by_institution(owner):
    response = client_for(owner).post(
        "/prevention/trainings/new/",
        {
            "title": "Persecución penal de la trata",
            "audience": "prosecutors",
            "partner": "UNODC",
            "start": "2025-09-01",
            "hours": "16",
            "women": "12",
            "men": "8",
            "other": "0",
            "row0_name": "Fiscalía de Trata",
            "row0_people": "15",
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert [(r.institution_name, r.people) for r in training.by_institution.all()] == [
        ("Fiscalía de Trata", 15)
    ]
    page = client_for(owner).get(f"/prevention/trainings/{training.reference}/")
    assert b"Fiscal\xc3\xada de Trata" in page.content


def test_a_commitment_form_without_institutions_names_the_field(coordinator):
    response = client_for(coordinator).post(
        "/prevention/plan/new/",
        {"text": "Política nacional", "due_date": "2026-08-01", "status": "not_started"},
    )
    assert response.status_code == 200
    assert "institutions" in response.context["form"].errors
    assert Commitment.objects.count() == 0


def test_the_coordinator_records_progress_and_evidence_and_filters_late_commitments(
    coordinator, late_commitment, campaign
):
    client = client_for(coordinator)
    base = f"/prevention/plan/{late_commitment.reference}/"
    assert b'data-status="late"' in client.get(base).content
    assert client.get("/prevention/plan/?status=late").content.count(b'data-testid="commitment-row"') == 1
    assert client.get("/prevention/plan/?status=done").content.count(b'data-testid="commitment-row"') == 0
    response = client.post(
        f"{base}progress/", {"on": datetime.date.today().isoformat(), "text": "Aprobada", "status": "done"}
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    response = client.post(
        f"{base}evidence/", {"record_type": "prevention.campaign", "reference": "G-ZZZZZZZZ"}
    )
    assert response.status_code == 200 and "reference" in response.context["form"].errors
    response = client.post(
        f"{base}evidence/", {"record_type": "prevention.campaign", "reference": campaign.reference}
    )
    assert response.status_code == 302
    assert Evidence.objects.get().reference == campaign.reference
    page = client.get(base).content
    assert b'data-status="done"' in page
    assert f'href="/prevention/campaigns/{campaign.reference}/"'.encode() in page


def test_a_meeting_decision_becomes_a_commitment_from_the_meeting_page(coordinator, ministry):
    client = client_for(coordinator)
    response = client.post(
        "/prevention/meetings/new/",
        {
            "title": "Reunión del Grupo",
            "held_on": "2025-05-14",
            "institutions_present": [ministry.pk],
            "decisions": "Publicar estadísticas\nCapacitar fronteras",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    page = client.get(f"/prevention/meetings/{meeting.reference}/")
    assert page.content.count(b'data-testid="make-commitment"') == 2
    decision = Decision.objects.get(text="Publicar estadísticas")
    url = f"/prevention/meetings/{meeting.reference}/decisions/{decision.pk}/commitment/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"institutions": [ministry.pk], "due_date": "2025-09-30"})
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert commitment.decision.pk == decision.pk and commitment.made_on == datetime.date(2025, 5, 14)
    assert client.get(url).status_code == 302  # already a commitment: the page sends you to it


def test_the_prevention_dashboard_draws_charts(coordinator, campaign, training):
    response = client_for(coordinator).get("/prevention/?start=2025-04-01&end=2026-03-31")
    assert response.status_code == 200
    assert b'data-testid="figure-campaigns">1<' in response.content
    assert b"<svg" in response.content


def test_the_api_lists_and_creates_campaigns_within_the_policy(owner, outsider, campaign):
    assert api_for(outsider).get("/api/prevention/campaigns/").json()["count"] == 0
    assert api_for(outsider).get(f"/api/prevention/campaigns/{campaign.reference}/").status_code == 404
    detail = api_for(owner).get(f"/api/prevention/campaigns/{campaign.reference}/").json()
    assert detail["departments"] == [12, 13] and detail["institution"] == "ministry"
    payload = {"title": "TV", "medium": "television", "audiences": ["general_public"], "start": "2025-07-01"}
    response = api_for(owner).post("/api/prevention/campaigns/", payload, format="json")
    assert response.status_code == 201
    bad = api_for(owner).post("/api/prevention/campaigns/", {**payload, "departments": [77]}, format="json")
    assert bad.status_code == 400 and "departments" in bad.json()
    assert Campaign.objects.count() == 2


def test_the_api_creates_trainings_and_refuses_the_analyst(owner, analyst):
    payload = {
        "title": "Jueces de paz",
        "audience": "justices_of_the_peace",
        "start": "2025-09-01",
        "hours": "12",
        "women": 10,
        "men": 5,
        "by_institution": [{"institution_name": "OJ", "people": 15}],
    }
    response = api_for(owner).post("/api/prevention/trainings/", payload, format="json")
    assert response.status_code == 201 and response.json()["people_trained"] == 15
    assert api_for(analyst).post("/api/prevention/trainings/", payload, format="json").status_code == 403
    assert Training.objects.count() == 1


def test_the_api_keeps_the_action_plan(coordinator, owner, ministry, late_commitment):
    client = api_for(coordinator)
    bad = client.post(
        "/api/prevention/commitments/",
        {"text": "x", "institutions": [], "due_date": "2026-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and list(bad.json()) == ["institutions"]
    created = client.post(
        "/api/prevention/commitments/",
        {"text": "Política", "institutions": ["ministry"], "due_date": "2030-01-01"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "not_started"
    listed = api_for(owner).get("/api/prevention/commitments/").json()  # the ministry is responsible for both
    assert {row["status"] for row in listed["results"]} == {"late", "not_started"}
    url = f"/api/prevention/commitments/{late_commitment.reference}/progress/"
    assert api_for(owner).post(url, {"on": "2025-09-01", "text": "x"}, format="json").status_code == 404
    response = client.post(url, {"on": "2025-09-01", "text": "Avance", "status": "done"}, format="json")
    assert response.status_code == 201 and response.json()["author"] == "coordinator"
    detail = client.get(f"/api/prevention/commitments/{late_commitment.reference}/").json()
    assert detail["status"] == "done" and detail["updates"][0]["text"] == "Avance"
    meeting = client.post(
        "/api/prevention/meetings/",
        {
            "title": "Reunión",
            "held_on": "2025-05-14",
            "institutions_present": ["ministry"],
            "decisions": [{"text": "A"}],
        },
        format="json",
    )
    assert meeting.status_code == 201 and meeting.json()["decisions"][0]["commitment"] is None
    assert api_for(owner).get("/api/prevention/meetings/").status_code == 404


def test_the_owner_corrects_a_training_and_keeps_its_breakdown(owner, training):
    url = f"/prevention/trainings/{training.reference}/edit/"
    form = client_for(owner).get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["hours"] = "20"
    assert client_for(owner).post(url, data).status_code == 302
    training.refresh_from_db()
    assert training.hours == 20
    assert [(r.institution_name, r.people) for r in training.by_institution.all()] == [
        ("Juzgados de paz", 45)
    ]
