"""Person records through the pages and the API, as each persona meets them."""

import json

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import client_for
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.people.models import PersonRecord

pytestmark = pytest.mark.django_db


def test_the_owner_sees_the_identity_and_the_view_is_audited(owner, person):
    response = client_for(owner).get(f"/people/{person.reference}/")
    assert response.status_code == 200
    assert "Xicará" in response.content.decode()
    event = AuditEvent.objects.filter(action="view", object_id=str(person.pk)).get()
    assert event.fields == ["contact", "identity"] and event.actor_username == "owner"


def test_a_list_that_shows_names_records_one_view_naming_every_record(owner, person):
    client_for(owner).get("/people/")
    event = AuditEvent.objects.filter(action="view", object_type="people.personrecord").get()
    assert event.object_ids == [str(person.pk)]


def test_the_analyst_sees_the_pseudonym_only_and_nothing_is_audited_as_an_identity_view(analyst, person):
    response = client_for(analyst).get(f"/people/{person.reference}/")
    content = response.content.decode()
    assert response.status_code == 200 and person.reference in content
    assert "Xicará" not in content and "Heidy" not in content
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_border_officer_records_a_person_and_then_sees_only_the_receipt(user_with_role):
    officer = user_with_role(Role.BORDER_OFFICER)
    client = client_for(officer)
    form = client.get("/people/new/").content.decode()
    assert 'name="phone"' not in form and 'name="given_names"' in form
    response = client.post(
        "/people/new/",
        {
            "given_names": "Selvin",
            "surname1": "Caal",
            "sex": "Masculine",
            "birth_date_precision": "unknown",
            "document_type": "PASSPORT",
            "document_number": "HN998877",
            "issuing_country": "HN",
        },
        follow=True,
    )
    record = PersonRecord.objects.get()
    page = response.content.decode()
    assert record.reference in page
    assert "Selvin" not in page and "HN998877" not in page


def test_bad_input_on_the_form_names_the_field_and_saves_nothing(owner):
    response = client_for(owner).post(
        "/people/new/",
        {
            "given_names": "Ana",
            "sex": "Feminine",
            "birth_date_precision": "exact",
            "birth_date": "2999-01-01",
        },
    )
    assert response.status_code == 200
    assert 'id="id_birth_date_error"' in response.content.decode()
    assert not PersonRecord.objects.exists()


def test_htmx_asks_for_the_results_alone(owner, person):
    response = client_for(owner).get("/people/?sex=Feminine", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and person.reference.encode() in response.content


def test_the_owner_edits_a_record_and_the_change_is_audited(owner, person):
    client = client_for(owner)
    assert client.get(f"/people/{person.reference}/edit/").status_code == 200
    response = client.post(
        f"/people/{person.reference}/edit/",
        {
            "given_names": "Heidy",
            "surname1": "Xicará",
            "surname2": "Paiz",
            "sex": "Feminine",
            "birth_date_precision": "estimated",
            "estimated_age": "15",
            "age_estimated_on": person.age_estimated_on.isoformat(),
            "citizenships": ["HN", "GT"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_names == "Heidy" and person.citizenships == ["GT", "HN"]
    change = AuditEvent.objects.filter(action="change").get()
    assert set(change.fields) == {"given_names", "citizenships"}


def api(user):
    from django.test import Client

    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_the_api_creates_and_reads_a_person_under_the_same_policy(owner, outsider):
    response = api(owner).post(
        "/api/people/",
        data=json.dumps(
            {
                "given_names": "Dulce",
                "surname1": "Sic",
                "sex": "Feminine",
                "citizenships": ["sv"],
                "documents": [{"document_type": "PASSPORT", "number": "SV 55", "issuing_country": "SV"}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["identity"]["given_names"] == "Dulce" and body["citizenships"] == ["SV"]
    assert api(outsider).get(f"/api/people/{body['reference']}/").status_code == 404


def test_the_api_answers_bad_input_with_400_naming_the_field(owner):
    client = api(owner)
    bad = client.post("/api/people/", data="{not json", content_type="application/json")
    assert bad.status_code == 400
    future = client.post(
        "/api/people/",
        data=json.dumps({"birth_date": "2999-01-01", "birth_date_precision": "exact"}),
        content_type="application/json",
    )
    assert future.status_code == 400 and "birth_date" in future.json()
    assert not PersonRecord.objects.exists()


def test_the_api_hides_identity_from_the_analyst(analyst, person):
    body = api(analyst).get(f"/api/people/{person.reference}/").json()
    assert body["identity"] is None and body["contact"] is None and body["documents"] is None
    assert body["age_group"] == "minor"


def test_a_search_by_document_number_goes_by_post_and_never_into_a_url(owner, person):
    client = client_for(owner)
    response = client.post("/people/", {"document_number": "HN 1234567"})
    page = response.content.decode()
    assert person.reference in page
    assert "1234567" not in page.split('id="results"')[1]  # not echoed in pagination links either
    form = client.get("/people/").content.decode()
    assert 'method="post"' in form and "hx-push-url" not in form.split('id="results"')[0]


def test_a_nul_byte_anywhere_in_a_request_answers_400(owner, person):
    client = client_for(owner)
    assert client.get("/people/a%00b/").status_code in (400, 404)
    assert client.get("/api/people/?sex=a%00b").status_code == 400
    assert api(owner).get("/api/people/?reference=P%00X").status_code == 400


def test_the_api_refuses_filters_that_are_not_in_the_vocabularies(owner):
    assert api(owner).get("/api/people/?sex=Robot").status_code == 400
    assert api(owner).get("/api/people/?citizenship=XX").status_code == 400
