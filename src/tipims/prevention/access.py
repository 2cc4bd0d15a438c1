"""How the access policy applies to prevention.

Decisions (prevention records hold no personal data, so no identity group at all):

- Campaigns and trainings are recorded by the institution that ran them. Any operational role of that
  institution (prosecutor, investigator, border officer, caseworker, monitor, integrity officer) may
  record, see and correct its own institution's campaigns and trainings, and nobody else's (another
  institution's record answers 404).
- The coordinator (the commission's secretariat) sees and edits every institution's campaigns and
  trainings, and may record one on behalf of an institution that reported it on paper: its grant is
  in scope "any".
- The national action plan and the coordination meetings are the coordinator's: only the
  coordinator creates and changes commitments, progress updates, evidence, meetings and decisions.
  The staff of an institution responsible for a commitment may read that commitment (scope
  "shared": the commitment names their institution), so they know what is expected of them.
- The analyst reads aggregates only (the prevention dashboard and statistics); the auditor reads the
  audit trail and the administrator no prevention data, as everywhere else.
"""

from django.db.models import Q

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.prevention.models import Campaign, Commitment, Meeting, Training

STAFF_ROLES = (
    Role.PROSECUTOR,
    Role.INVESTIGATOR,
    Role.BORDER_OFFICER,
    Role.CASEWORKER,
    Role.MONITOR,
    Role.INTEGRITY_OFFICER,
)
OWNED = ("institution", "created_by", "created_at", "reference")
CAMPAIGN_CASE = (
    *OWNED,
    "title",
    "medium",
    "departments",
    "audiences",
    "start",
    "end",
    "reach",
    "cost",
    "funding_source",
    "materials",
)
TRAINING_CASE = (
    *OWNED,
    "title",
    "audience",
    "partner",
    "start",
    "end",
    "hours",
    "women",
    "men",
    "other",
    "by_institution",
)
COMMITMENT_CASE = (*OWNED, "text", "institutions", "due_date", "status", "updates", "evidence")
MEETING_CASE = (*OWNED, "title", "held_on", "institutions_present", "notes", "decisions")

_CASE_ALL = {FieldGroup.CASE: ALL_ACTIONS, FieldGroup.AGGREGATE: ALL_ACTIONS}
_CASE_VIEW = {FieldGroup.CASE: frozenset({Action.VIEW})}
_COUNTS = {FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT})}
_AGGREGATE = ("aggregate",)  # a pseudo-field: the counts of the statistics


def responsible_for(institution_id: int) -> Q:
    """Commitments that name the institution among those responsible (a subquery: no duplicates)."""
    through = Commitment.institutions.through
    return Q(pk__in=through.objects.filter(institution_id=institution_id).values("commitment_id"))


def register() -> None:
    for model, case in ((Campaign, CAMPAIGN_CASE), (Training, TRAINING_CASE)):
        policy.register(
            model,
            owner="institution",
            fields={FieldGroup.CASE: case, FieldGroup.AGGREGATE: _AGGREGATE},
            grants={
                Role.COORDINATOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_ALL)),
                **{role: (Grant(Scope.OWN, _CASE_ALL),) for role in STAFF_ROLES},
                Role.ANALYST: (Grant(Scope.AGGREGATE, _COUNTS),),
            },
        )
    policy.register(
        Commitment,
        owner="institution",
        fields={FieldGroup.CASE: COMMITMENT_CASE, FieldGroup.AGGREGATE: _AGGREGATE},
        grants={
            Role.COORDINATOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_ALL)),
            **{role: (Grant(Scope.SHARED, _CASE_VIEW),) for role in STAFF_ROLES},
            Role.ANALYST: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
    policy.add_sharing(Commitment, responsible_for)
    policy.register(
        Meeting,
        owner="institution",
        fields={FieldGroup.CASE: MEETING_CASE},
        grants={Role.COORDINATOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_ALL))},
    )
