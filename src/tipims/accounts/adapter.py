from allauth.account.adapter import DefaultAccountAdapter

from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by administrators; sign-in and sign-out are recorded in the audit trail."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user):
        super().login(request, user)
        audit_record(actor=user, action=AuditAction.LOGIN, target=user)

    def logout(self, request):
        user = request.user if request.user.is_authenticated else None
        if user is not None:
            audit_record(actor=user, action=AuditAction.LOGOUT, target=user)
        super().logout(request)
