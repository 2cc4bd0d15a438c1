"""The public complaint form: no sign-in, a receipt code only, and bots and floods kept out."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import make_institution
from tipims.justice.models import Complaint
from tipims.justice.public import form_token

pytestmark = pytest.mark.django_db
NARRATIVE = "En el bar El Faro de Escuintla trabajan niñas hondureñas de unos catorce años."


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_ministry(settings):
    settings.TIPIMS_PUBLIC_COMPLAINT_INSTITUTION = "mp-trata"
    return make_institution("mp-trata", "LegalService")


def _send(client=None, *, narrative=NARRATIVE, token=None, **extra):
    client = client or Client()
    data = {
        "narrative": narrative,
        "token": token or form_token(time.time() - 60),
        "department": "5",
        **extra,
    }
    return client.post("/denuncia/", data)


def test_anyone_may_open_the_form_in_spanish_or_english():
    spanish = Client().get("/denuncia/")
    assert spanish.status_code == 200 and '<html lang="es">' in spanish.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/denuncia/")
    assert english.status_code == 200 and "Report trafficking in persons" in english.content.decode()


def test_a_complaint_lands_in_the_prosecutors_queue_and_the_answer_is_only_a_receipt(public_ministry):
    response = _send(indicators=["minor_in_bar", "foreign_minor"])
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.reference in page
    assert "El Faro" not in page and "Escuintla" not in page and "catorce" not in page
    assert complaint.institution == public_ministry and complaint.channel == "online"
    assert complaint.status == "open" and complaint.narrative == NARRATIVE
    assert complaint.indicators == ["foreign_minor", "minor_in_bar"]


def test_a_bot_that_fills_the_hidden_field_gets_a_receipt_but_nothing_is_stored(public_ministry):
    response = _send(website="http://spam.example")
    assert response.status_code == 200 and "D-" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_form_sent_back_too_quickly_is_refused_without_echoing_it(public_ministry):
    response = _send(token=form_token(time.time()))
    assert response.status_code == 400
    assert not Complaint.objects.exists() and "El Faro" not in response.content.decode()


def test_a_forged_or_expired_time_stamp_is_refused(public_ministry):
    assert _send(token="12345:forged").status_code == 400
    assert _send(token=form_token(time.time() - 4 * 3600)).status_code == 400
    assert not Complaint.objects.exists()


def test_an_empty_narrative_is_refused_without_saving(public_ministry):
    response = _send(narrative="   ")
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_one_address_may_send_only_a_few_complaints_an_hour(public_ministry, settings):
    settings.TIPIMS_PUBLIC_COMPLAINT_RATE = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [_send(client).status_code for _ in range(3)] == [200, 200, 429]
    assert Complaint.objects.count() == 2
    assert _send(Client(REMOTE_ADDR="198.51.100.7")).status_code == 200


def test_without_the_configured_institution_the_form_stores_nothing(settings):
    settings.TIPIMS_PUBLIC_COMPLAINT_INSTITUTION = "nobody"
    assert _send().status_code == 503 and not Complaint.objects.exists()


def _place(department_name: str):
    from tipims.core.models import Municipality

    municipality = Municipality.objects.filter(department__name=department_name).order_by("code").first()
    return municipality.department, municipality


def test_the_form_takes_the_department_and_a_municipality_of_it(public_ministry):
    department, municipality = _place("Santa Rosa")
    response = _send(department=str(department.pk), municipality=str(municipality.code))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert (complaint.department, complaint.municipality) == (department, municipality)
    assert municipality.name not in response.content.decode()


def test_a_municipality_outside_the_department_is_refused_naming_the_field(public_ministry):
    santa_rosa, _ = _place("Santa Rosa")
    _, elsewhere = _place("Escuintla")
    response = _send(department=str(santa_rosa.pk), municipality=str(elsewhere.code))
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert 'data-fields="municipality"' in response.content.decode()
    assert "El Faro" not in response.content.decode()


def _status(code, client=None):
    response = (client or Client()).post("/denuncia/estado/", {"receipt": code})
    found = response.content.decode().split('data-status="', 1)
    return response.status_code, found[1].split('"', 1)[0] if len(found) > 1 else None


def test_with_the_receipt_code_the_public_sees_only_a_coarse_status(public_ministry, owner):
    from tipims.justice import services

    _send()
    complaint = Complaint.objects.get()
    assert Client().get("/denuncia/estado/").status_code == 200
    assert _status(complaint.reference) == (200, "received")
    assert _status(complaint.reference.lower()) == (200, "received")  # as read over the phone
    page = Client().post("/denuncia/estado/", {"receipt": complaint.reference}).content.decode()
    assert "El Faro" not in page and "catorce" not in page and public_ministry.name not in page
    prosecutor = make_prosecutor(public_ministry)
    services.complaint_triage(
        actor=prosecutor,
        complaint=complaint,
        decision="referred",
        reason="PNC",
        referred_to=owner.institution,
    )
    assert _status(complaint.reference) == (200, "under_review")
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    assert _status(complaint.reference) == (200, "closed")


def test_an_unknown_code_or_a_staff_recorded_complaint_answers_not_found(public_ministry, owner):
    from tipims.justice import services

    recorded = services.complaint_create(actor=owner, channel="hotline", received_on=time_today())
    assert _status("D-ZZZZZZZZ") == (404, "unknown")
    assert _status(recorded.reference) == (404, "unknown")
    assert _status("") == (404, "unknown")


def test_status_lookups_are_limited_per_address_like_the_form(public_ministry, settings):
    settings.TIPIMS_PUBLIC_COMPLAINT_RATE = 2
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert [_status("D-ZZZZZZZZ", client)[0] for _ in range(3)] == [404, 404, 429]
    assert _send(client).status_code == 200  # the form keeps its own count


def make_prosecutor(institution):
    from tests.conftest import make_user
    from tipims.accounts.roles import Role

    return make_user("public-desk", institution, Role.PROSECUTOR)


def time_today():
    from django.utils import timezone

    return timezone.localdate()
