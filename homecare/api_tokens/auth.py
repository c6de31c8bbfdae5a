"""Reading ``Authorization: Bearer <token>`` on an API request."""

from __future__ import annotations

from django.utils import timezone

from .models import ApiToken
from .services import hash_token, token_touch

#: Where a phone token works: the phone app's API, nowhere else.
PHONE_PATHS = ("/visits/api/",)


class TokenError(Exception):
    """The request carries an Authorization header that does not sign anyone in."""


def authenticate(request) -> ApiToken | None:
    """The token the request carries, or None when it carries no Authorization
    header at all. Raises TokenError for a malformed, unknown or revoked token,
    or one whose user is switched off."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, plaintext = header.partition(" ")
    plaintext = plaintext.strip()
    if scheme.lower() != "bearer" or not plaintext:
        raise TokenError("Send the token as 'Authorization: Bearer <token>'.")
    found = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=hash_token(plaintext))
        .order_by()[:1]  # unique: no ORDER BY to build
    )
    token = next(iter(found), None)
    if token is None:
        raise TokenError("Unknown API token.")
    if token.is_revoked:
        raise TokenError("This API token has been revoked.")
    if not token.user.is_active:
        raise TokenError("This API token's account is switched off.")
    now = timezone.now()
    if token.has_expired(now):
        raise TokenError("This API token has expired: sign in again.")
    if token.kind == ApiToken.Kind.PHONE and not request.path_info.startswith(PHONE_PATHS):
        raise TokenError("A phone token works only on the phone app's API.")
    token_touch(token, now)
    return token
