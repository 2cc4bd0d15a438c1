"""The one access policy of TIPIMS.

Every page, API route, export and report asks this module; none filters records by hand.

A decision is a record scope (which records: the user's institution's own, those shared with it
through a referral, any institution's for pseudonymised analysis, or aggregates only) times a field
group (identity, contact, case details, aggregate) times an action (view, create, change, export).

Domain apps register each model once, in their ``AppConfig.ready``, with:
- ``owner``: the field that names the owning institution;
- ``fields``: which model fields belong to which field group;
- ``grants``: for each role, the scopes it reaches and, per field group, the actions it may take.
Sharing through referrals is added later by the app that owns referrals (``add_sharing``).

Roles that can see identities count only once their holder has enrolled in MFA when
TIPIMS_REQUIRE_MFA is on, so a user who has not enrolled is refused everywhere, API tokens included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tipims.accounts.roles import Role

if TYPE_CHECKING:
    from tipims.accounts.models import User


class Scope(StrEnum):
    OWN = "own"  # records owned by the user's institution
    SHARED = "shared"  # records shared with the user's institution (referrals with consent)
    ANY = "any"  # records of every institution, for pseudonymised analysis: never identity
    AGGREGATE = "aggregate"  # no record at all, only counts


class FieldGroup(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    CASE = "case"
    AGGREGATE = "aggregate"


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    EXPORT = "export"


class Capability(StrEnum):
    """Things a role may do that are not about one model's records."""

    ADMINISTER = "administer"  # institutions, users, memberships, lockouts
    READ_AUDIT = "read_audit"
    VIEW_STATISTICS = "view_statistics"
    REVIEW_LINKAGE = "review_linkage"  # judge whether two person records are the same human
    INTERNAL_REPORT = "internal_report"  # the annual report with exact figures, and its narratives
    EDIT_POPULATION = "edit_population"  # the population figures behind SDG 16.2.2


CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.ADMINISTER: frozenset({Role.ADMIN}),
    Capability.READ_AUDIT: frozenset({Role.AUDITOR}),
    Capability.VIEW_STATISTICS: frozenset({Role.COORDINATOR, Role.ANALYST}),
    Capability.REVIEW_LINKAGE: frozenset({Role.ANALYST}),
    Capability.INTERNAL_REPORT: frozenset({Role.COORDINATOR}),
    Capability.EDIT_POPULATION: frozenset({Role.COORDINATOR, Role.ADMIN}),
}

ALL_ACTIONS = frozenset(Action)


@dataclass(frozen=True)
class Grant:
    scope: Scope
    groups: Mapping[FieldGroup, frozenset[Action]]


@dataclass
class ModelRules:
    owner: str
    fields: Mapping[FieldGroup, tuple[str, ...]]
    grants: Mapping[Role, tuple[Grant, ...]]
    sharing: list[Callable[[int], Q]] = field(default_factory=list)


_registry: dict[type[Model], ModelRules] = {}


class PolicyError(Exception):
    """A programming error: a model asked about that was never registered."""


def register(
    model: type[Model],
    *,
    owner: str,
    fields: Mapping[FieldGroup, Iterable[str]],
    grants: Mapping[Role, Iterable[Grant]],
) -> None:
    if FieldGroup.IDENTITY in fields:
        for role, role_grants in grants.items():
            for grant in role_grants:
                if grant.scope in (Scope.ANY, Scope.AGGREGATE) and grant.groups.get(FieldGroup.IDENTITY):
                    raise PolicyError(
                        f"{role} may not see identities of {model.__name__} in scope {grant.scope}"
                    )
    _registry[model] = ModelRules(
        owner=owner,
        fields={group: tuple(names) for group, names in fields.items()},
        grants={role: tuple(role_grants) for role, role_grants in grants.items()},
    )


def add_sharing(model: type[Model], shared_with: Callable[[int], Q]) -> None:
    """Let an app (protection's referrals) say which records are shared with an institution."""
    rules_for(model).sharing.append(shared_with)


def rules_for(model: type[Model]) -> ModelRules:
    try:
        return _registry[model]
    except KeyError:
        raise PolicyError(f"{model.__name__} is not registered with the access policy") from None


# --- who the user is -------------------------------------------------------------------------------


def identity_roles() -> frozenset[Role]:
    """Roles that can see an identity of some registered model: these must enrol in MFA."""
    roles = set()
    for rules in _registry.values():
        for role, role_grants in rules.grants.items():
            if any(Action.VIEW in grant.groups.get(FieldGroup.IDENTITY, ()) for grant in role_grants):
                roles.add(role)
    return frozenset(roles)


def held_roles(user: User | Any) -> frozenset[Role]:
    """The roles a user holds, whether or not MFA lets them count yet."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_tipims_held_roles", None)
    if cached is None:
        cached = frozenset(Role(role) for role in user.memberships.values_list("role", flat=True))
        user._tipims_held_roles = cached
    return cached


def mfa_enrolled(user: User) -> bool:
    cached = getattr(user, "_tipims_mfa_enrolled", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._tipims_mfa_enrolled = cached
    return cached


def needs_mfa_enrolment(user: User | Any) -> bool:
    if not settings.TIPIMS_REQUIRE_MFA:
        return False
    return bool(held_roles(user) & identity_roles()) and not mfa_enrolled(user)


def roles(user: User | Any) -> frozenset[Role]:
    """The roles that count now: none at all for a user who must enrol in MFA and has not."""
    if user is None or getattr(user, "institution_id", None) is None or needs_mfa_enrolment(user):
        return frozenset()
    return held_roles(user)


def has_role(user: User | Any, role: Role) -> bool:
    return role in roles(user)


def has_capability(user: User | Any, capability: Capability) -> bool:
    return bool(roles(user) & CAPABILITIES[capability])


def forget(user: User) -> None:
    """Drop what this module cached on a user object (after a membership or MFA change)."""
    for name in ("_tipims_held_roles", "_tipims_mfa_enrolled"):
        if hasattr(user, name):
            delattr(user, name)


# --- records ---------------------------------------------------------------------------------------


def _grants(user: User | Any, model: type[Model]) -> list[Grant]:
    rules = rules_for(model)
    return [grant for role in roles(user) for grant in rules.grants.get(role, ())]


def _scope_q(user: User, model: type[Model], scope: Scope) -> Q | None:
    rules = rules_for(model)
    institution_id = user.institution_id
    if scope is Scope.OWN:
        return Q(**{f"{rules.owner}_id": institution_id})
    if scope is Scope.SHARED:
        if not rules.sharing:
            return None
        combined = Q(pk__in=[])
        for shared_with in rules.sharing:
            combined |= shared_with(institution_id)
        return combined
    if scope is Scope.ANY:
        return Q()
    return None  # AGGREGATE reaches no record


def scoped(user: User | Any, queryset: QuerySet, *, action: Action = Action.VIEW) -> QuerySet:
    """The records of ``queryset`` on which the user may take ``action`` on at least one field group."""
    condition: Q | None = None
    for grant in _grants(user, queryset.model):
        if not any(action in actions for actions in grant.groups.values()):
            continue
        scope_q = _scope_q(user, queryset.model, grant.scope)
        if scope_q is None:
            continue
        if not scope_q:  # Q() matches everything
            return queryset
        condition = scope_q if condition is None else condition | scope_q
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_or_404(user: User | Any, queryset: QuerySet, *, action: Action = Action.VIEW, **lookup) -> Model:
    """One record, or Http404 whether it does not exist or is not the user's: the two look the same."""
    try:
        return scoped(user, queryset, action=action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    except (ValueError, TypeError):  # a malformed key is as absent as a missing one
        raise Http404 from None


def _scopes_of(user: User, record: Model) -> set[Scope]:
    rules = rules_for(type(record))
    scopes = {Scope.ANY}
    if getattr(record, f"{rules.owner}_id") == user.institution_id:
        scopes.add(Scope.OWN)
    if rules.sharing:
        shared_q = _scope_q(user, type(record), Scope.SHARED)
        if shared_q is not None and type(record)._default_manager.filter(shared_q, pk=record.pk).exists():
            scopes.add(Scope.SHARED)
    return scopes


def field_groups(user: User | Any, record: Model, *, action: Action = Action.VIEW) -> frozenset[FieldGroup]:
    """The field groups of ``record`` on which the user may take ``action``."""
    grants = _grants(user, type(record))
    if not grants:
        return frozenset()
    scopes = _scopes_of(user, record)
    return frozenset(
        group
        for grant in grants
        if grant.scope in scopes
        for group, actions in grant.groups.items()
        if action in actions
    )


def can(user: User | Any, action: Action, record: Model, group: FieldGroup = FieldGroup.CASE) -> bool:
    return group in field_groups(user, record, action=action)


def can_create(user: User | Any, model: type[Model], group: FieldGroup = FieldGroup.CASE) -> bool:
    """Create records of ``model`` (owned by the user's institution) with values of ``group``."""
    return any(
        grant.scope is Scope.OWN and Action.CREATE in grant.groups.get(group, ())
        for grant in _grants(user, model)
    )


def can_list(user: User | Any, model: type[Model]) -> bool:
    return any(
        grant.scope is not Scope.AGGREGATE and any(Action.VIEW in a for a in grant.groups.values())
        for grant in _grants(user, model)
    )


def can_see_aggregates(user: User | Any, model: type[Model]) -> bool:
    return any(
        any(Action.VIEW in actions for actions in grant.groups.values()) for grant in _grants(user, model)
    )


def group_of(model: type[Model], field_name: str) -> FieldGroup:
    for group, names in rules_for(model).fields.items():
        if field_name in names:
            return group
    raise PolicyError(f"{model.__name__}.{field_name} belongs to no field group")


def may_write_fields(
    user: User | Any, record_or_model, field_names: Iterable[str], *, action: Action
) -> bool:
    """Whether the user may create/change every one of these fields."""
    if action is Action.CREATE:
        model = record_or_model
        return all(can_create(user, model, group_of(model, name)) for name in field_names)
    groups = field_groups(user, record_or_model, action=action)
    return all(group_of(type(record_or_model), name) in groups for name in field_names)
