import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")
#: Sent by live page parts that refresh on a timer (htmx polling).
POLL_HEADER = "X-Homecare-Poll"


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT_MINUTES without activity, and in
    any case SESSION_ABSOLUTE_TIMEOUT_MINUTES after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "api_token", None) is not None:
            return self.get_response(request)  # a token request has no session
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("signed_in_at", now)
            last = request.session.get("last_seen_at", now)
            idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
            if now - last > idle or now - started > absolute:
                logout(request)
                query = {"timed_out": "1"}
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    query["next"] = request.get_full_path()
                target = f"{reverse(settings.LOGIN_URL)}?{urlencode(query)}"
                if request.headers.get("HX-Request"):
                    # A live part of a page: send the whole page to sign-in.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
            if not request.headers.get(POLL_HEADER):
                # A page refreshing itself is not a person at the keyboard.
                request.session["last_seen_at"] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Staff who signed in without their second factor reach nothing but sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "api_token", None) is not None:
            # A token is its own authentication (homecare.api_tokens.middleware).
            return self.get_response(request)
        user = request.user
        if (
            settings.HOMECARE_REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "Sign in with your second factor."}, status=401)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
