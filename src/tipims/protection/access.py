"""How the access policy applies to protection records, and how referrals share victims.

A victim is shared with another institution only while a referral to it is pending or accepted AND
it rests on an active consent naming that institution or on a recorded legal basis. Withdrawing the
consent or declining the referral ends the sharing at once: the condition is evaluated on every read.
"""

from __future__ import annotations

import functools

from django.db.models import Exists, OuterRef, Q

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.people.models import PersonRecord
from tipims.protection.models import (
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    SafeReturn,
    Shelter,
    SuspectMarker,
    Victim,
    WitnessMeasure,
)

VICTIM_CASE_FIELDS = (
    "reference",
    "person",
    "institution",
    "identified_on",
    "age_group",
    "sex",
    "nationality",
    "trafficking_status",
    "status_decided_by",
    "screening_indicators",
    "recruitment_methods",
    "recruitment_place",
    "control_methods",
    "exploitation_types",
    "main_exploitation",
    "forced_labour_industry",
    "sex_exploitation_types",
    "age_when_trafficked",
    "relationship_to_trafficker",
    "flagged",
)
# Roles that may flag a possible victim (and then see only the receipt).
FLAGGERS = frozenset({Role.BORDER_OFFICER, Role.INVESTIGATOR})

_FULL_CASE = {FieldGroup.CASE: ALL_ACTIONS}
_FULL = {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS}
_READ_CASE = {FieldGroup.CASE: frozenset({Action.VIEW})}
_READ_CHANGE_CASE = {FieldGroup.CASE: frozenset({Action.VIEW, Action.CHANGE})}
_PSEUDONYMISED = {
    FieldGroup.CASE: frozenset({Action.VIEW}),
    FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT}),
}
_COUNTS = {FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT})}
_ANALYSIS = {
    Role.ANALYST: (Grant(Scope.ANY, _PSEUDONYMISED),),
    Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
}


def sharing_referrals(institution_id: int):
    """Referrals through which a victim is shared with this institution right now."""
    return Referral.objects.filter(
        Q(consent__isnull=False, consent__withdrawn_at__isnull=True) | ~Q(legal_basis=""),
        to_institution_id=institution_id,
        status__in=["pending", "accepted"],
    )


# Correlated EXISTS rather than IN (subquery): each row is checked through the referral's index on
# its victim, so the cost does not grow with the number of referrals in the country.
# The conditions are built once per institution and reused: the policy asks for them once per record
# shown (a page of 25 victims asks 50 times), and filtering copies an expression before resolving it,
# so a kept Q is never changed by a query that uses it.
@functools.lru_cache(maxsize=512)
def _victims_shared_with(institution_id: int) -> Q:
    return Q(Exists(sharing_referrals(institution_id).filter(victim_id=OuterRef("pk"))))


@functools.lru_cache(maxsize=512)
def _persons_shared_with(institution_id: int) -> Q:
    return Q(Exists(sharing_referrals(institution_id).filter(victim__person_id=OuterRef("pk"))))


def _referrals_to(institution_id: int) -> Q:
    return Q(to_institution_id=institution_id)


def register() -> None:
    policy.register(
        Victim,
        owner="institution",
        fields={FieldGroup.CASE: VICTIM_CASE_FIELDS},
        grants={
            Role.CASEWORKER: (Grant(Scope.OWN, _FULL_CASE), Grant(Scope.SHARED, _READ_CHANGE_CASE)),
            **_ANALYSIS,
        },
    )
    policy.register(
        ProtectionCase,
        owner="institution",
        fields={
            # Case notes are as sensitive as an identity: only the owning institution reads them.
            FieldGroup.IDENTITY: ("notes",),
            FieldGroup.CASE: (
                "reference",
                "victim",
                "institution",
                "caseworker",
                "opened_on",
                "status",
                "closure_reason",
                "closed_on",
                "plans",
                "services",
                "assessments",
            ),
        },
        grants={Role.CASEWORKER: (Grant(Scope.OWN, _FULL),), **_ANALYSIS},
    )
    policy.register(
        Shelter,
        owner="institution",
        fields={FieldGroup.CASE: ("name", "department", "institution", "capacity")},
        grants={
            # Every caseworker may place a child in any shelter, so every shelter is visible to them.
            Role.CASEWORKER: (Grant(Scope.OWN, _FULL_CASE), Grant(Scope.ANY, _READ_CASE)),
            **_ANALYSIS,
        },
    )
    for model in (Placement, Consent, SafeReturn, WitnessMeasure):
        policy.register(
            model,
            owner="institution",
            fields={FieldGroup.CASE: tuple(f.name for f in model._meta.concrete_fields)},
            grants={Role.CASEWORKER: (Grant(Scope.OWN, _FULL_CASE),), **_ANALYSIS},
        )
    policy.register(
        Referral,
        owner="institution",
        fields={FieldGroup.CASE: tuple(f.name for f in Referral._meta.concrete_fields)},
        grants={
            Role.CASEWORKER: (Grant(Scope.OWN, _FULL_CASE), Grant(Scope.SHARED, _READ_CHANGE_CASE)),
            # The receipt of a flag: the referral, never the victim or the person.
            Role.BORDER_OFFICER: (Grant(Scope.OWN, _READ_CASE),),
            Role.INVESTIGATOR: (Grant(Scope.OWN, _READ_CASE),),
            **_ANALYSIS,
        },
    )
    policy.register(
        SuspectMarker,
        owner="institution",
        fields={FieldGroup.CASE: ("person", "institution", "reason", "created_at")},
        grants={
            Role.CASEWORKER: (Grant(Scope.OWN, _FULL_CASE),),
            Role.PROSECUTOR: (Grant(Scope.OWN, _FULL_CASE),),
            Role.INVESTIGATOR: (Grant(Scope.OWN, _FULL_CASE),),
        },
    )
    policy.add_sharing(Victim, _victims_shared_with)
    policy.add_sharing(PersonRecord, _persons_shared_with)
    policy.add_sharing(Referral, _referrals_to)


def may_flag(user) -> bool:
    return bool(policy.roles(user) & FLAGGERS) and policy.can_create(user, PersonRecord, FieldGroup.IDENTITY)
