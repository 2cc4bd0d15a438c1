"""Signing in and out: allauth, axes lockouts keyed on user and address, MFA enrolment, sessions."""

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


def test_a_right_password_signs_in_and_is_audited(owner):
    response = attempt(Client(), "owner", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert AuditEvent.objects.filter(action="login", actor_username="owner").exists()


def test_a_wrong_password_gets_a_clear_message_in_spanish(owner):
    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="es"), "owner", "wrong-password")
    assert response.status_code == 200
    assert "no son correctos" in response.content.decode()


def test_passwords_are_hashed_with_argon2():
    assert django_settings.PASSWORD_HASHERS[-2].endswith(
        "Argon2PasswordHasher"
    )  # first after the test-only one


def test_repeated_failures_lock_that_user_from_that_address_only(owner, colleague):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "owner", "wrong-password", "10.0.0.1")
    locked = attempt(Client(), "owner", PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    # A colleague behind the same office address still signs in ...
    assert attempt(Client(), "colleague", PASSWORD, "10.0.0.1").status_code == 302
    # ... and so does the owner from another address.
    assert attempt(Client(), "owner", PASSWORD, "10.0.0.2").status_code == 302


def test_sign_up_is_closed(db):
    response = Client().get("/accounts/signup/")
    assert response.status_code in (200, 302)
    assert b'name="password1"' not in response.content


def test_signing_out_ends_the_session(owner):
    client = Client()
    client.force_login(owner)
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor_username="owner").exists()


def test_the_session_expires_after_the_idle_timeout():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.SESSION_COOKIE_AGE == django_settings.TIPIMS_SESSION_IDLE_MINUTES * 60


@override_settings(TIPIMS_REQUIRE_MFA=True)
def test_an_identity_role_must_enrol_in_mfa_before_seeing_anything(owner, person):
    client = Client()
    assert attempt(client, "owner", PASSWORD).status_code == 302
    response = client.get(f"/people/{person.reference}/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    assert client.get("/api/people/").status_code == 403
    # allauth asks for the password once more before TOTP is set up; both pages stay reachable.
    enrol = client.get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 302 and enrol.url.startswith("/accounts/reauthenticate/")
    assert client.get(enrol.url).status_code == 200
    confirmed = client.post(enrol.url, {"password": PASSWORD})
    assert confirmed.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@override_settings(TIPIMS_REQUIRE_MFA=True)
def test_after_enrolling_in_totp_the_role_counts_again(owner, person):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(owner)
    assert client.get(f"/people/{person.reference}/").status_code == 200


@override_settings(TIPIMS_REQUIRE_MFA=True)
def test_a_role_that_never_sees_identities_is_not_forced_to_enrol(analyst):
    client = Client()
    client.force_login(analyst)
    assert client.get("/").status_code == 200


def test_an_administrator_lifts_a_lockout_and_the_trail_says_so(owner, user_with_role):
    from axes.models import AccessAttempt

    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "owner", "wrong-password", "10.0.0.9")
    lockout = AccessAttempt.objects.get(username="owner")
    admin = Client()
    admin.force_login(user_with_role(Role.ADMIN))
    response = admin.post(f"/admin/axes/accessattempt/{lockout.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="axes.accessattempt").exists()
    assert attempt(Client(), "owner", PASSWORD, "10.0.0.9").status_code == 302


def test_the_administrator_gets_a_form_error_for_a_bad_country_and_nothing_is_saved(user_with_role):
    from tipims.accounts.models import Institution

    admin = Client()
    admin.force_login(user_with_role(Role.ADMIN))
    before = Institution.objects.count()
    response = admin.post(
        "/admin/accounts/institution/add/",
        {
            "code": "new-ngo",
            "name": "New NGO",
            "short_name": "NEW",
            "org_type": "NGO",
            "country": "XX",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert Institution.objects.count() == before
