"""The DRF permission every API route starts from (kept apart from views: DRF imports it early)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from tipims.accounts import policy


class IsMemberWithMFA(permissions.BasePermission):
    """Signed in, holding a role in an institution, and enrolled in MFA where the role requires it."""

    message = _(
        "Your account has no role that counts yet: enrol in two-factor authentication "
        "or ask an administrator."
    )

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        return bool(policy.roles(user))
