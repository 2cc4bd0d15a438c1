"""How the access policy applies to the border: a border officer records crossings and sees only the
outcome of a check; the watchlist is read and managed only by investigators and prosecutors."""

from django.db.models import Q

from tipims.accounts import policy
from tipims.accounts.policy import ALL_ACTIONS, Action, FieldGroup, Grant, Scope
from tipims.accounts.roles import Role
from tipims.border.models import Alert, Crossing, DeportationReception, WatchlistEntry

CROSSING_IDENTITY = ("document_number",)
CROSSING_CASE = (
    "reference",
    "institution",
    "created_at",
    "person",
    "document_type",
    "direction",
    "crossed_at",
    "point",
    "deported",
    "is_minor",
    "inspection",
    "companions",
)
RECEPTION_CASE = (
    "institution",
    "created_at",
    "received_on",
    "point",
    "nationality",
    "sex",
    "people",
    "minors",
    "unaccompanied_minors",
)
WATCHLIST_IDENTITY = (
    "given_names",
    "surname1",
    "surname2",
    "name_variants",
    "birth_date",
    "birth_year_only",
    "documents",
)
WATCHLIST_CASE = (
    "reference",
    "institution",
    "created_at",
    "nationalities",
    "reason",
    "source_institution",
    "expires_on",
    "status",
    "approved_by",
)
ALERT_CASE = (
    "reference",
    "institution",
    "created_at",
    "kind",
    "crossing",
    "entry",
    "score",
    "explanation",
    "details",
    "status",
    "decided_by",
    "decided_at",
    "decision_reason",
)
# Indicator alerts say nothing about the watchlist: every investigating institution may review them.
INDICATOR_KINDS = (
    "minor_unrelated_adult",
    "adult_many_minors",
    "document_many_names",
    "repeated_deportation",
    "frequent_crossings",
    "screening_error",
)

_VIEW = frozenset({Action.VIEW})
_VIEW_EXPORT = frozenset({Action.VIEW, Action.EXPORT})
_REVIEW = frozenset({Action.VIEW, Action.CHANGE})


def register() -> None:
    policy.register(
        Crossing,
        owner="institution",
        fields={FieldGroup.IDENTITY: CROSSING_IDENTITY, FieldGroup.CASE: CROSSING_CASE},
        grants={
            Role.BORDER_OFFICER: (
                Grant(
                    Scope.OWN,
                    {
                        FieldGroup.IDENTITY: frozenset({Action.CREATE}),
                        FieldGroup.CASE: frozenset({Action.CREATE, Action.VIEW}),
                    },
                ),
            ),
            Role.INVESTIGATOR: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW}),),
            Role.PROSECUTOR: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW}),),
            Role.ANALYST: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW, FieldGroup.AGGREGATE: _VIEW_EXPORT}),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, {FieldGroup.AGGREGATE: _VIEW_EXPORT}),),
        },
    )
    policy.register(
        DeportationReception,
        owner="institution",
        fields={FieldGroup.CASE: RECEPTION_CASE},
        grants={
            Role.BORDER_OFFICER: (Grant(Scope.OWN, {FieldGroup.CASE: ALL_ACTIONS}),),
            Role.INVESTIGATOR: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW}),),
            Role.PROSECUTOR: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW}),),
            Role.ANALYST: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW_EXPORT}),),
            Role.COORDINATOR: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW_EXPORT}),),
        },
    )
    full = {FieldGroup.IDENTITY: ALL_ACTIONS, FieldGroup.CASE: ALL_ACTIONS}
    policy.register(
        WatchlistEntry,
        owner="institution",
        fields={FieldGroup.IDENTITY: WATCHLIST_IDENTITY, FieldGroup.CASE: WATCHLIST_CASE},
        grants={
            Role.INVESTIGATOR: (Grant(Scope.OWN, full),),
            Role.PROSECUTOR: (Grant(Scope.OWN, full),),
        },
    )
    policy.register(
        Alert,
        owner="institution",
        fields={FieldGroup.CASE: ALERT_CASE},
        grants={
            Role.INVESTIGATOR: (
                Grant(Scope.OWN, {FieldGroup.CASE: _REVIEW}),
                Grant(Scope.SHARED, {FieldGroup.CASE: _REVIEW}),
            ),
            Role.PROSECUTOR: (
                Grant(Scope.OWN, {FieldGroup.CASE: _REVIEW}),
                Grant(Scope.SHARED, {FieldGroup.CASE: _REVIEW}),
            ),
            Role.ANALYST: (Grant(Scope.ANY, {FieldGroup.CASE: _VIEW}),),
            Role.COORDINATOR: (Grant(Scope.AGGREGATE, {FieldGroup.AGGREGATE: _VIEW_EXPORT}),),
        },
    )
    policy.add_sharing(Alert, lambda institution_id: Q(kind__in=INDICATOR_KINDS))
