from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query is never meaningful and PostgreSQL refuses it in text:
    answer 400 at the door instead of a database error deep inside a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in query
        ):
            return HttpResponseBadRequest(_("The request contains a NUL character."))
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in user was shown stays in the browser's cache (victim data never in browser
    storage); the browser's back button after sign-out shows nothing either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response
