"""Making and revoking API tokens (every write here)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homecare.accounts.models import COUNCIL_ROLES, PROVIDER_OFFICE_ROLES

from .models import ApiToken

#: Every token starts with this, so a leaked one is easy to recognise in logs or code.
TOKEN_START = "hc_"


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: the record, and the token itself (shown once,
    never stored). Only council and provider office staff call the API."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    if not user.is_active:
        raise ValidationError("This account is switched off; it cannot have API tokens.")
    if user.role not in COUNCIL_ROLES | PROVIDER_OFFICE_ROLES:
        raise ValidationError("API tokens are for council and provider office staff only.")
    plaintext = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(plaintext), prefix=plaintext[:8]
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, token: ApiToken, now=None) -> ApiToken:
    """Switch a token off for good (a conditional update: revoking twice is harmless)."""
    now = now or timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db()
    return token


def token_touch(token: ApiToken, now=None) -> None:
    """Record that the token was used (at most once a minute, to spare the database)."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
