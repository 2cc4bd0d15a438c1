"""Monitoring's entry in the main navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.monitoring import selectors
from tipims.monitoring.models import Establishment


def nav_entries(user) -> list[tuple[str, str, str]]:
    if policy.can_list(user, Establishment):
        return [(_("Monitoring"), reverse("monitoring:establishments"), "monitoring")]
    if selectors.can_see_monitoring(user):
        return [(_("Monitoring"), reverse("monitoring:dashboard"), "monitoring")]
    return []
