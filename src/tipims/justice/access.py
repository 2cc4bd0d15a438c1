"""How the access policy applies to justice records.

- Prosecutors own the complaints and criminal cases of their institution (the prosecution office) and
  see the identities of the defendants and victims of those cases (they are the office's own person
  records).
- Investigators (police) own the complaints their institution received; criminal cases belong to the
  prosecution office, so investigators do not open them (kept simple on purpose).
- Analysts see every complaint and case pseudonymised (no narrative, no summary, no names).
- The coordinator sees counts only.
- Integrity cases: only integrity officers, for their own institution's cases; the coordinator counts.
Children of a case (defendants, measures, charges, judgments, appeals) are reached through the case.
"""

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.justice.models import Complaint, CriminalCase, IntegrityCase

COMPLAINT_IDENTITY = ("narrative",)
COMPLAINT_CASE = (
    "reference",
    "institution",
    "channel",
    "received_on",
    "occurred_on",
    "department",
    "municipality",
    "indicators",
    "exploitation_types",
    "status",
    "status_reason",
    "triaged_on",
    "referred_to",
    "case",
    "created_at",
)
CASE_IDENTITY = ("summary", "victims", "defendants")
CASE_CASE = (
    "reference",
    "institution",
    "number",
    "district",
    "court",
    "unit",
    "department",
    "offence_date",
    "opened_on",
    "exploitation_types",
    "phase",
    "phase_since",
    "disposition",
    "disposition_on",
    "complaints",
    "proceedings",  # phase events, measures, charges, judgments, appeals
    "created_at",
)
INTEGRITY_IDENTITY = ("official", "details")
INTEGRITY_CASE = (
    "reference",
    "institution",
    "official_institution",
    "position",
    "allegations",
    "proceeding",
    "opened_on",
    "outcome",
    "outcome_on",
    "created_at",
)

_FULL = {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS, FieldGroup.AGGREGATE: ALL_ACTIONS}
_PSEUDONYMISED = {
    FieldGroup.CASE: frozenset({Action.VIEW}),
    FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT}),
}
_COUNTS = {FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT})}


def register() -> None:
    policy.register(
        Complaint,
        owner="institution",
        fields={FieldGroup.IDENTITY: COMPLAINT_IDENTITY, FieldGroup.CASE: COMPLAINT_CASE},
        grants={
            Role.PROSECUTOR: (Grant(Scope.OWN, _FULL),),
            Role.INVESTIGATOR: (Grant(Scope.OWN, _FULL),),
            Role.ANALYST: (Grant(Scope.ANY, _PSEUDONYMISED),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
    policy.register(
        CriminalCase,
        owner="institution",
        fields={FieldGroup.IDENTITY: CASE_IDENTITY, FieldGroup.CASE: CASE_CASE},
        grants={
            Role.PROSECUTOR: (Grant(Scope.OWN, _FULL),),
            Role.ANALYST: (Grant(Scope.ANY, _PSEUDONYMISED),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
    policy.register(
        IntegrityCase,
        owner="institution",
        fields={FieldGroup.IDENTITY: INTEGRITY_IDENTITY, FieldGroup.CASE: INTEGRITY_CASE},
        grants={
            Role.INTEGRITY_OFFICER: (Grant(Scope.OWN, _FULL),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
