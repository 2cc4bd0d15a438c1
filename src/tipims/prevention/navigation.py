"""The prevention entries in the main navigation, for the roles that may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.prevention import selectors
from tipims.prevention.models import Campaign, Commitment


def nav_entries(user) -> list[tuple[str, str, str]]:
    if policy.can_list(user, Campaign) or policy.can_create(user, Campaign):
        return [(_("Prevention"), reverse("prevention:campaigns"), "prevention")]
    if policy.can_list(user, Commitment):
        return [(_("Action plan"), reverse("prevention:commitments"), "prevention")]
    if selectors.can_see_prevention_figures(user):
        return [(_("Prevention"), reverse("prevention:dashboard"), "prevention")]
    return []
