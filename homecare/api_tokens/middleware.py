"""Token requests to the JSON APIs are authenticated by their token alone.

``BearerTokenMiddleware`` sits after the session, authentication and OTP
middleware. For a request to an API path that carries an ``Authorization``
header it reads the token (``homecare.api_tokens.auth``) and makes the token's
user the request's user, before anything reads the session: such a request
never loads, checks or writes a session, and the session timeout and
second-factor checks (``homecare.accounts.middleware``) leave it alone, since a
token is its own authentication (made by office staff with their second
factor, or issued to a care worker signed in with theirs). A token that signs
nobody in leaves the request anonymous, with the reason for the API's 401; the
session cookie is ignored either way. Requests without the header, and every
page outside the APIs, are untouched.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from . import auth

#: The JSON APIs: the referrals API and the phone app's API.
API_PATHS = ("/api/", "/visits/api/")


def _not_verified() -> bool:
    return False


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_AUTHORIZATION" in request.META and request.path_info.startswith(API_PATHS):
            try:
                token = auth.authenticate(request)
            except auth.TokenError as exc:
                request.user = AnonymousUser()
                request.api_token = None
                request.api_token_error = str(exc)
            else:
                user = token.user
                # No OTP device behind a token: anything asking is told "not verified".
                user.otp_device = None
                user.is_verified = _not_verified
                request.user = user
                request.api_token = token
        return self.get_response(request)
