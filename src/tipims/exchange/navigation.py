"""The exchange entries in the main navigation, for the roles that may use them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.exchange.access import may_use_exchange


def nav_entries(user) -> list[tuple[str, str, str]]:
    if may_use_exchange(user):
        return [(_("Exchange"), reverse("exchange:index"), "exchange")]
    return []
