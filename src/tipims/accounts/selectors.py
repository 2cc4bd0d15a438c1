"""Reads about institutions and users."""

from __future__ import annotations

from django.db.models import QuerySet

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Capability


def list_institutions() -> QuerySet[Institution]:
    """Institutions are public knowledge inside the system: every member may list them."""
    return Institution.objects.filter(is_active=True).order_by("name")


def list_users_for_user(user: User) -> QuerySet[User]:
    if not policy.has_capability(user, Capability.ADMINISTER):
        return User.objects.none()
    return User.objects.select_related("institution").prefetch_related("memberships").order_by("username")
