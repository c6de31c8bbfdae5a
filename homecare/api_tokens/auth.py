"""Reading ``Authorization: Bearer <token>`` on an API request."""

from __future__ import annotations

from .models import ApiToken
from .services import hash_token, token_touch


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
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=hash_token(plaintext))
        .first()
    )
    if token is None:
        raise TokenError("Unknown API token.")
    if token.is_revoked:
        raise TokenError("This API token has been revoked.")
    if not token.user.is_active:
        raise TokenError("This API token's account is switched off.")
    token_touch(token)
    return token
