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
