"""Named people for tests (healthchecks' habit): the owner, a colleague in the same institution,
someone from another institution, an analyst, and one user for every other role."""

from __future__ import annotations

import pytest
from django.test import Client

from tipims.accounts import services as account_services
from tipims.accounts.models import Institution, User
from tipims.accounts.roles import Role
from tipims.people import services as people_services

PASSWORD = "correct-horse-battery-staple"


def make_institution(code: str, org_type: str = "CentralGovernmentOrganisation") -> Institution:
    return account_services.institution_create(
        actor=None, code=code, name=f"Institution {code}", short_name=code.upper(), org_type=org_type
    )


def make_user(username: str, institution: Institution, *roles: Role) -> User:
    return account_services.user_create(
        actor=None, username=username, institution=institution, roles=list(roles), password=PASSWORD
    )


@pytest.fixture
def ministry(db) -> Institution:
    return make_institution("ministry", "LegalService")


@pytest.fixture
def police(db) -> Institution:
    return make_institution("police", "LawEnforcement")


@pytest.fixture
def owner(ministry) -> User:
    """A prosecutor: sees the identities of the ministry's own records."""
    return make_user("owner", ministry, Role.PROSECUTOR)


@pytest.fixture
def colleague(ministry) -> User:
    return make_user("colleague", ministry, Role.PROSECUTOR)


@pytest.fixture
def outsider(police) -> User:
    """An investigator in another institution: same powers, other records."""
    return make_user("outsider", police, Role.INVESTIGATOR)


@pytest.fixture
def analyst(db) -> User:
    return make_user("analyst", make_institution("statistics"), Role.ANALYST)


@pytest.fixture
def user_with_role(db):
    """A user holding one role, in an institution of its own: ``user_with_role(Role.AUDITOR)``."""

    def build(role: Role, username: str | None = None) -> User:
        institution = Institution.objects.filter(code=f"inst-{role.value}").first() or make_institution(
            f"inst-{role.value}".replace("_", "-")
        )
        return make_user(username or role.value, institution, role)

    return build


@pytest.fixture
def person(owner):
    """A person recorded by the owner's institution, with a passport."""
    return people_services.person_record_create(
        actor=owner,
        values={
            "given_names": "Heidy Marisol",
            "surname1": "Xicará",
            "surname2": "Paiz",
            "sex": "Feminine",
            "birth_date_precision": "estimated",
            "estimated_age": 15,
            "citizenships": ["HN"],
        },
        documents=[people_services.DocumentInput("PASSPORT", "HN 1234567", "HN")],
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    tests/accounts/test_login.py checks that the real configuration hashes with Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
