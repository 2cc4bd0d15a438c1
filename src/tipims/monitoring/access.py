"""How the access policy applies to establishments, monitoring visits, operations and survey reports."""

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation, SurveyReport

ESTABLISHMENT_IDENTITY = ("owner", "manager")
ESTABLISHMENT_CASE = ("institution", "created_at", "name", "kind", "department", "municipality")
VISIT_CASE = (
    "institution",
    "created_at",
    "establishment",
    "visited_on",
    "entry_denied",
    "minors_confirmed",
    "minors_suspected",
    "adults",
    "minors_by_nationality",
    "notes",
)
OPERATION_CASE = (
    "institution",
    "created_at",
    "kind",
    "carried_out_on",
    "institutions",
    "establishments",
    "victims_rescued",
    "people_arrested",
    "notes",
)
# Who the victims and defendants of an operation are: identity, seen only where they may be seen.
OPERATION_IDENTITY = ("victims", "defendants")
REPORT_CASE = (
    "institution",
    "created_at",
    "title",
    "period_start",
    "period_end",
    "establishments_visited",
    "establishments_with_minors",
    "establishments_without_minors",
    "minors_total",
    "minors_confirmed",
    "minors_suspected",
    "by_nationality",
    "by_department",
    "counted_within",
)

_VIEW = frozenset({Action.VIEW})
_CASE_ALL = {FieldGroup.CASE: ALL_ACTIONS}
_CASE_VIEW = {FieldGroup.CASE: _VIEW}
_COUNTS = {FieldGroup.AGGREGATE: frozenset({Action.VIEW, Action.EXPORT})}


def register() -> None:
    policy.register(
        Establishment,
        owner="institution",
        fields={FieldGroup.IDENTITY: ESTABLISHMENT_IDENTITY, FieldGroup.CASE: ESTABLISHMENT_CASE},
        grants={
            Role.MONITOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_VIEW)),
            Role.INVESTIGATOR: (
                Grant(Scope.OWN, {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS}),
                Grant(Scope.ANY, _CASE_VIEW),
            ),
            Role.PROSECUTOR: (Grant(Scope.ANY, _CASE_VIEW),),
            Role.ANALYST: (Grant(Scope.ANY, _CASE_VIEW),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, _COUNTS),),
        },
    )
    for model, case in ((MonitoringVisit, VISIT_CASE), (SurveyReport, REPORT_CASE)):
        policy.register(
            model,
            owner="institution",
            fields={FieldGroup.CASE: case},
            grants={
                Role.MONITOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_VIEW)),
                Role.INVESTIGATOR: (Grant(Scope.OWN, _CASE_ALL), Grant(Scope.ANY, _CASE_VIEW)),
                Role.PROSECUTOR: (Grant(Scope.ANY, _CASE_VIEW),),
                Role.ANALYST: (Grant(Scope.ANY, _CASE_VIEW),),
                Role.COORDINATOR: (Grant(Scope.ANY, _CASE_VIEW),),
            },
        )
    _identity_and_case = {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS}
    policy.register(
        Operation,
        owner="institution",
        fields={FieldGroup.IDENTITY: OPERATION_IDENTITY, FieldGroup.CASE: OPERATION_CASE},
        grants={
            Role.INVESTIGATOR: (Grant(Scope.OWN, _identity_and_case), Grant(Scope.ANY, _CASE_VIEW)),
            Role.PROSECUTOR: (Grant(Scope.OWN, _identity_and_case), Grant(Scope.ANY, _CASE_VIEW)),
            Role.MONITOR: (Grant(Scope.ANY, _CASE_VIEW),),
            Role.ANALYST: (Grant(Scope.ANY, _CASE_VIEW),),
            Role.COORDINATOR: (Grant(Scope.ANY, _CASE_VIEW),),
        },
    )
