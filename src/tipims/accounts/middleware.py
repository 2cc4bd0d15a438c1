"""Until a user whose roles can see identities has enrolled in MFA, every page sends them to enrol."""

from django.shortcuts import redirect
from django.urls import reverse

from tipims.accounts import policy

# Pages a user must still reach while enrolling: the enrolment itself, sign-out, language and assets.
_ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/i18n/", "/static/")


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")  # the API's own permission class refuses instead
            and policy.needs_mfa_enrolment(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
