"""Who may use which import and export. Every answer comes from the one policy (accounts/policy.py):
exchange adds no rule of its own, it only asks the policy the question each file raises."""

from __future__ import annotations

from tipims.accounts import policy
from tipims.accounts.policy import Action, Capability, FieldGroup, Scope


def may_export_identities(user) -> bool:
    """HTCDS and PPRL exports carry (or derive from) identities: roles that may export their own."""
    from tipims.people.models import PersonRecord

    grants = policy.rules_for(PersonRecord).grants
    return any(
        grant.scope is Scope.OWN and Action.EXPORT in grant.groups.get(FieldGroup.IDENTITY, ())
        for role in policy.roles(user)
        for grant in grants.get(role, ())
    )


def may_export_public(user) -> bool:
    """Disclosure-controlled files (CTDC): the statistics roles."""
    return policy.has_capability(user, Capability.VIEW_STATISTICS)


def import_kinds(user) -> list[str]:
    from tipims.monitoring.models import MonitoringVisit
    from tipims.protection.models import Victim

    kinds = []
    if policy.can_create(user, Victim) or policy.has_capability(user, Capability.ADMINISTER):
        kinds.append("htcds")
    if policy.can_create(user, MonitoringVisit) or may_download_screening_form(user):
        kinds.append("submissions")
    if may_export_identities(user):
        kinds.append("pprl")
    if may_propose_watchlist_entries(user):
        kinds.append("ftm")
    return kinds


def may_propose_watchlist_entries(user) -> bool:
    from tipims.border.models import WatchlistEntry

    return policy.can_create(user, WatchlistEntry, FieldGroup.IDENTITY)


def may_download_visit_form(user) -> bool:
    from tipims.monitoring.models import MonitoringVisit

    return policy.can_create(user, MonitoringVisit)


def may_use_exchange(user) -> bool:
    return bool(import_kinds(user)) or may_export_identities(user) or may_export_public(user)


def may_download_screening_form(user) -> bool:
    """The screening form flags possible victims: the roles protection lets flag."""
    from tipims.protection.access import may_flag

    return may_flag(user)
