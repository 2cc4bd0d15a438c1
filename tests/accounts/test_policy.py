"""The access policy decides; these tests read as the rules of DESIGN.md."""

import pytest
from django.http import Http404
from django.test import override_settings

from tipims.accounts import policy
from tipims.accounts.policy import Action, FieldGroup
from tipims.accounts.roles import Role
from tipims.people.models import PersonRecord
from tipims.people.selectors import get_person_record_for_user, person_records_for_user

pytestmark = pytest.mark.django_db


def test_it_shows_the_owner_every_field_group_of_its_own_records(owner, person):
    assert policy.field_groups(owner, person) == {FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.CASE}


def test_a_colleague_in_the_same_institution_sees_the_record_too(colleague, person):
    assert get_person_record_for_user(colleague, person.reference) == person


def test_it_hides_the_record_from_another_institution_as_if_it_did_not_exist(outsider, person):
    with pytest.raises(Http404):
        get_person_record_for_user(outsider, person.reference)
    with pytest.raises(Http404):
        get_person_record_for_user(outsider, "P-NOSUCH00")
    assert not person_records_for_user(outsider).exists()


def test_the_analyst_sees_every_institution_but_never_an_identity(analyst, person):
    assert list(person_records_for_user(analyst)) == [person]
    assert policy.field_groups(analyst, person) == {FieldGroup.CASE, FieldGroup.AGGREGATE}


def test_the_coordinator_sees_counts_and_no_record(user_with_role, person):
    coordinator = user_with_role(Role.COORDINATOR)
    assert not person_records_for_user(coordinator).exists()
    assert policy.can_see_aggregates(coordinator, PersonRecord)
    assert not policy.can_list(coordinator, PersonRecord)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.MONITOR])
def test_roles_without_person_work_see_no_person_at_all(user_with_role, person, role):
    user = user_with_role(role)
    assert not person_records_for_user(user).exists()
    assert not policy.can_see_aggregates(user, PersonRecord)


def test_an_integrity_officer_sees_only_the_officials_its_own_office_recorded(user_with_role, person):
    """Officials under investigation are person records of the integrity office (justice.IntegrityCase)."""
    officer = user_with_role(Role.INTEGRITY_OFFICER)
    from tipims.people.services import person_record_create

    official = person_record_create(actor=officer, values={"surname1": "Pop", "sex": "Masculine"})
    assert list(person_records_for_user(officer)) == [official]


def test_a_border_officer_may_enter_an_identity_but_not_read_one_back(user_with_role):
    officer = user_with_role(Role.BORDER_OFFICER)
    assert policy.can_create(officer, PersonRecord, FieldGroup.IDENTITY)
    from tipims.people.services import person_record_create

    record = person_record_create(
        actor=officer, values={"given_names": "Kevin", "surname1": "Pop", "sex": "Masculine"}
    )
    assert policy.field_groups(officer, record) == {FieldGroup.CASE}
    assert not policy.can(officer, Action.CHANGE, record, FieldGroup.IDENTITY)


def test_a_user_without_institution_or_inactive_has_no_role(owner):
    owner.is_active = False
    assert policy.roles(owner) == frozenset()


def test_identity_roles_are_derived_from_the_registrations():
    assert policy.identity_roles() >= {Role.PROSECUTOR, Role.INVESTIGATOR, Role.CASEWORKER}
    assert Role.ANALYST not in policy.identity_roles()
    assert Role.BORDER_OFFICER not in policy.identity_roles()


@override_settings(TIPIMS_REQUIRE_MFA=True)
def test_with_mfa_required_an_identity_role_counts_only_after_enrolment(owner, analyst):
    policy.forget(owner)
    assert policy.needs_mfa_enrolment(owner)
    assert policy.roles(owner) == frozenset()
    # A role that never sees identities is not held back.
    assert policy.roles(analyst) == {Role.ANALYST}


def test_registering_identity_for_a_pseudonymised_scope_is_refused():
    with pytest.raises(policy.PolicyError):
        policy.register(
            PersonRecord,
            owner="institution",
            fields={FieldGroup.IDENTITY: ("given_names",)},
            grants={
                Role.ANALYST: (
                    policy.Grant(policy.Scope.ANY, {FieldGroup.IDENTITY: frozenset({Action.VIEW})}),
                )
            },
        )


def test_sharing_added_later_reaches_the_other_institution(outsider, person):
    """How protection's referrals will plug in: a Q of records shared with an institution."""
    from django.db.models import Q

    rules = policy.rules_for(PersonRecord)
    before = list(rules.sharing)
    try:
        policy.add_sharing(
            PersonRecord,
            lambda institution_id: (
                Q(pk=person.pk) if institution_id == outsider.institution_id else Q(pk__in=[])
            ),
        )
        # The outsider is an investigator: no SHARED grant, so still nothing.
        assert not person_records_for_user(outsider).exists()
    finally:
        rules.sharing[:] = before
