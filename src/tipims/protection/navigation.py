"""The protection entries of the main navigation, for the roles that may use them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.protection.access import may_flag
from tipims.protection.models import Victim


def nav_entries(user) -> list[tuple[str, str, str]]:
    """(label, url, section) for each protection page the user may open."""
    from tipims.protection.views import may_see_dashboard

    entries = []
    if policy.can_list(user, Victim):
        entries.append((_("Protection"), reverse("protection:victims"), "protection"))
    if may_flag(user):
        entries.append((_("Flag a possible victim"), reverse("protection:flag"), "protection-flag"))
    if may_see_dashboard(user) and not policy.can_list(user, Victim):
        entries.append((_("Protection statistics"), reverse("protection:dashboard"), "protection-dashboard"))
    return entries
