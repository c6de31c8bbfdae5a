class NoStoreMiddleware:
    """Pages with personal data must not be kept by browsers or proxies.

    Every signed-in page carries ``Cache-Control: no-store``; only static files
    (served before this by WhiteNoise) may be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
