"""The border's entries in the main navigation, for the roles that may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.border import selectors
from tipims.border.models import Alert, Crossing, WatchlistEntry


def nav_entries(user) -> list[tuple[str, str, str]]:
    entries = []
    if policy.can_list(user, Crossing) or policy.can_create(user, Crossing):
        entries.append((_("Border"), reverse("border:crossings"), "border"))
    elif selectors.can_see_border_figures(user):
        entries.append((_("Border"), reverse("border:dashboard"), "border"))
    if policy.can_list(user, WatchlistEntry):
        entries.append((_("Watchlist"), reverse("border:watchlist"), "watchlist"))
    if policy.can_list(user, Alert):
        entries.append((_("Alerts"), reverse("border:alerts"), "alerts"))
    return entries
