"""How the access policy applies to person records."""

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.people.models import PersonRecord

IDENTITY_FIELDS = (
    "given_names",
    "surname1",
    "surname2",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "age_estimated_on",
    "documents",
)
CONTACT_FIELDS = ("phone", "address")
CASE_FIELDS = ("reference", "institution", "sex", "citizenships", "age_group", "created_at")

_FULL = {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CONTACT: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS}
_ENTER_ONLY = {  # type a person in at a post, then see only the receipt (border officers)
    FieldGroup.IDENTITY: frozenset({Action.CREATE}),
    FieldGroup.CASE: frozenset({Action.CREATE, Action.VIEW}),
}
_PSEUDONYMISED = {
    FieldGroup.CASE: frozenset({Action.VIEW}),
    FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT}),
}
_COUNTS = {FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT})}


def register() -> None:
    policy.register(
        PersonRecord,
        owner="institution",
        fields={
            FieldGroup.IDENTITY: IDENTITY_FIELDS,
            FieldGroup.CONTACT: CONTACT_FIELDS,
            FieldGroup.CASE: CASE_FIELDS,
        },
        grants={
            Role.PROSECUTOR: (Grant(Scope.OWN, _FULL),),
            Role.INVESTIGATOR: (Grant(Scope.OWN, _FULL),),
            # Officials under investigation (justice.IntegrityCase) are the integrity office's own records.
            Role.INTEGRITY_OFFICER: (Grant(Scope.OWN, _FULL),),
            # Shared records (referrals with consent) are added by protection through policy.add_sharing.
            Role.CASEWORKER: (
                Grant(Scope.OWN, _FULL),
                Grant(
                    Scope.SHARED,
                    {
                        g: frozenset({Action.VIEW})
                        for g in (FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.CASE)
                    },
                ),
            ),
            Role.BORDER_OFFICER: (Grant(Scope.OWN, _ENTER_ONLY),),
            Role.ANALYST: (Grant(Scope.ANY, _PSEUDONYMISED),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
