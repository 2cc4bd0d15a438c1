"""Tried as a new user would: an officer at El Carmen, an investigator, a monitor."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tipims.audit.models import AuditEvent
from tipims.border.models import Alert, Crossing

pytestmark = pytest.mark.django_db


def _crossing_form(**person):
    return {
        "point": "el-carmen",
        "direction": "in",
        "crossed_at": (timezone.localtime() - datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "sex": "Masculine",
        **person,
    }


def test_an_officer_sees_only_secondary_inspection_and_the_investigator_sees_why(officer, detective, wanted):
    officer_client = client_for(officer)
    response = officer_client.post(
        "/border/crossings/new/",
        _crossing_form(
            given_names="Biron Estuardo", surname1="Sagastume", surname2="Orelana", birth_date="1975-03-12"
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Send to secondary inspection" in page or "Enviar a inspección secundaria" in page
    assert "suspected" not in page.lower() and wanted.reference not in page  # nothing about why
    assert 'value="el-carmen" selected' in page  # the next person is typed at the same post
    crossing = Crossing.objects.get()
    assert officer_client.get(f"/border/crossings/{crossing.reference}/").status_code == 200
    alert = Alert.objects.get(kind="watchlist")
    assert officer_client.get(f"/border/alerts/{alert.reference}/").status_code == 404
    assert officer_client.get(f"/border/watchlist/{wanted.reference}/").status_code == 404

    investigator = client_for(detective)
    detail = investigator.get(f"/border/alerts/{alert.reference}/").content.decode()
    assert "Both surnames agree apart from typing errors" in detail
    assert wanted.reference in detail
    response = investigator.post(
        f"/border/alerts/{alert.reference}/",
        {"decision": "confirmed", "reason": "Same man, checked passport"},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "confirmed" and alert.decision_reason == "Same man, checked passport"


def test_a_crossing_in_the_future_is_shown_back_with_the_field_named(officer):
    client = client_for(officer)
    form = _crossing_form(given_names="Kevin", surname1="Tzoc")
    form["crossed_at"] = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/border/crossings/new/", form)
    assert response.status_code == 200
    assert "future" in response.content.decode() or "futuro" in response.content.decode()
    assert Crossing.objects.count() == 0


def test_a_minor_with_an_unrelated_adult_is_sent_to_secondary_inspection(officer, detective):
    client = client_for(officer)
    client.post(
        "/border/crossings/new/",
        _crossing_form(given_names="Walter", surname1="Gómez", birth_date="1970-01-01"),
    )
    adult = Crossing.objects.get().person
    response = client.post(
        "/border/crossings/new/",
        _crossing_form(
            given_names="Dulce",
            surname1="Chávez",
            sex="Feminine",
            estimated_age="14",
            companion1=adult.reference,
            relation1="unrelated",
        ),
        follow=True,
    )
    assert "secondary" in response.content.decode() or "secundaria" in response.content.decode()
    alert = Alert.objects.get(kind="minor_unrelated_adult")
    assert client_for(detective).get(f"/border/alerts/{alert.reference}/").status_code == 200


def test_the_watchlist_form_proposes_and_a_second_investigator_approves(
    detective, second_detective, police_unit
):
    response = client_for(detective).post(
        "/border/watchlist/new/",
        {
            "given_names": "Mario",
            "surname1": "Cifuentes",
            "reason": "arrest_warrant",
            "source_institution": police_unit.pk,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "document_type": "DPI",
            "document_number": "1234 56789 0101",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client_for(detective).get(url).content.decode()
    assert 'data-testid="approve"' not in page  # not by the one who proposed it
    assert "1234" not in page
    client_for(second_detective).post(url, {"action": "approve"})
    events = AuditEvent.objects.filter(object_type="border.watchlistentry", actor_username="second-detective")
    assert [event.fields for event in events] == [["approved_by", "status"]]
    assert "Activa" in client_for(second_detective).get(url).content.decode()


def test_the_border_dashboard_draws_the_map_for_a_coordinator(user_with_role, officer):
    from tipims.accounts.roles import Role

    page = client_for(user_with_role(Role.COORDINATOR)).get("/border/").content.decode()
    assert 'data-testid="department-map"' in page and page.count("<path") == 22
    assert "style=" not in page.split("<main")[1]  # the content security policy forbids inline styles


def test_the_api_tells_a_border_officer_only_the_outcome(officer, wanted):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(
        "/api/border/crossings/",
        {
            "person_details": {"given_names": "Byron", "surname1": "Sagastume", "surname2": "Orellana"},
            "point": "el-carmen",
            "direction": "in",
            "crossed_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["inspection"] == "secondary"
    assert "explanation" not in response.json() and "score" not in response.json()
    assert api.get("/api/border/watchlist/").status_code == 404
    bad = api.post(
        "/api/border/crossings/",
        {
            "person_details": {"surname1": "X"},
            "point": "atlantis",
            "direction": "in",
            "crossed_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert bad.status_code == 400 and "point" in bad.json()
