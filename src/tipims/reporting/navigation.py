"""The reporting entries in the main navigation, for the roles that may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability


def nav_entries(user) -> list[tuple[str, str, str]]:
    if policy.has_capability(user, Capability.VIEW_STATISTICS):
        return [(_("Annual report"), reverse("reporting:index"), "reporting")]
    if policy.has_capability(user, Capability.EDIT_POPULATION):
        return [(_("Population figures"), reverse("reporting:population"), "reporting")]
    return []
