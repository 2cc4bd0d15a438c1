"""The justice entries of the main navigation, for the roles that may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.justice.models import Complaint, CriminalCase, IntegrityCase


def nav_entries(user) -> list[tuple[str, str, str]]:
    entries = []
    if policy.can_list(user, CriminalCase):
        entries.append((_("Justice"), reverse("justice:cases"), "justice"))
    elif policy.can_list(user, Complaint):
        entries.append((_("Complaints"), reverse("justice:complaints"), "justice"))
    elif policy.can_see_aggregates(user, CriminalCase):
        entries.append((_("Justice figures"), reverse("justice:dashboard"), "justice"))
    if policy.can_list(user, IntegrityCase):
        entries.append((_("Integrity"), reverse("justice:integrity"), "integrity"))
    return entries
