"""Reading ``Authorization: Bearer <token>`` on an API request."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken
from .services import hash_token, token_touch

#: Where a phone token works: the phone app's API, nowhere else.
PHONE_PATHS = ("/visits/api/",)


#: How long a server process trusts a phone token it has read before reading it
#: again. A phone sends an event every few seconds through a whole shift; reading
#: its token (and user, and care worker) each time costs more than recording the
#: event. A token revoked (signing out, or by the office) stops working at once in
#: the process that revoked it and within this long in every other.
PHONE_TOKEN_TRUSTED_FOR = timedelta(seconds=10)
_trusted: dict[str, tuple] = {}  # key hash -> (read at, token)
_trusted_lock = threading.Lock()


def forget_phone_tokens(user_id) -> None:
    """Stop trusting the phone tokens of ``user_id`` read by this process."""
    with _trusted_lock:
        for key, (_at, token) in list(_trusted.items()):
            if token.user_id == user_id:
                del _trusted[key]


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
    key_hash, now = hash_token(plaintext), timezone.now()
    trusted = _trusted.get(key_hash)
    if trusted is not None and now - trusted[0] < PHONE_TOKEN_TRUSTED_FOR:
        token = trusted[1]
        if token.has_expired(now):
            raise TokenError("This API token has expired: sign in again.")
        if not request.path_info.startswith(PHONE_PATHS):
            raise TokenError("A phone token works only on the phone app's API.")
        return token
    found = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=key_hash)
        .order_by()[:1]  # unique: no ORDER BY to build
    )
    token = next(iter(found), None)
    if token is None:
        raise TokenError("Unknown API token.")
    if token.is_revoked:
        raise TokenError("This API token has been revoked.")
    if not token.user.is_active:
        raise TokenError("This API token's account is switched off.")
    if token.has_expired(now):
        raise TokenError("This API token has expired: sign in again.")
    if token.kind == ApiToken.Kind.PHONE and not request.path_info.startswith(PHONE_PATHS):
        raise TokenError("A phone token works only on the phone app's API.")
    token_touch(token, now)
    if token.kind == ApiToken.Kind.PHONE:
        with _trusted_lock:
            _trusted[key_hash] = (now, token)
    return token
