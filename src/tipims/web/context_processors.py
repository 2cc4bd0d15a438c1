from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.people.models import PersonRecord


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str


def _items(user) -> list[NavItem]:
    items = [NavItem(_("Dashboard"), reverse("web:dashboard"), "dashboard")]
    if policy.can_list(user, PersonRecord) or policy.can_create(user, PersonRecord):
        items.append(NavItem(_("People"), reverse("people:list"), "people"))
    from tipims.protection.navigation import nav_entries as protection_entries

    items.extend(NavItem(label, url, section) for label, url, section in protection_entries(user))
    from tipims.justice.navigation import nav_entries as justice_entries

    items.extend(NavItem(label, url, section) for label, url, section in justice_entries(user))
    from tipims.border.navigation import nav_entries as border_entries

    items.extend(NavItem(label, url, section) for label, url, section in border_entries(user))
    from tipims.monitoring.navigation import nav_entries as monitoring_entries

    items.extend(NavItem(label, url, section) for label, url, section in monitoring_entries(user))
    from tipims.prevention.navigation import nav_entries as prevention_entries

    items.extend(NavItem(label, url, section) for label, url, section in prevention_entries(user))
    from tipims.reporting.navigation import nav_entries as reporting_entries

    items.extend(NavItem(label, url, section) for label, url, section in reporting_entries(user))
    from tipims.exchange.navigation import nav_entries as exchange_entries

    items.extend(NavItem(label, url, section) for label, url, section in exchange_entries(user))
    if policy.has_capability(user, Capability.VIEW_STATISTICS):
        items.append(NavItem(_("Estimate"), reverse("statistics:estimate"), "statistics"))
    if policy.has_capability(user, Capability.REVIEW_LINKAGE):
        items.append(NavItem(_("Linkage review"), reverse("linkage:queue"), "linkage"))
    if policy.has_capability(user, Capability.READ_AUDIT):
        items.append(NavItem(_("Audit trail"), reverse("audit:list"), "audit"))
    if policy.has_capability(user, Capability.ADMINISTER):
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_items": _items(user) if signed_in and policy.roles(user) else [],
        "user_roles": sorted(policy.roles(user)) if signed_in else [],
        "mfa_off_banner": not settings.TIPIMS_REQUIRE_MFA,
        "demo_banner": settings.TIPIMS_DEMO,
    }
