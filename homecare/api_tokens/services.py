"""Making and revoking API tokens (every write here)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homecare.accounts.models import COUNCIL_ROLES, PROVIDER_OFFICE_ROLES, Role

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
def phone_token_create(*, user, now=None) -> tuple[ApiToken, str]:
    """A token for the phone of ``user``, a care worker signed in on the phone app.

    The phone signs its calls to the phone app's API with it instead of the
    session cookie (no session read or write per call). It works on that API
    only, ends with the session's absolute timeout, and replaces the worker's
    earlier phone tokens (which are revoked). Signing out revokes it too.
    """
    now = now or timezone.now()
    if not user.is_active or user.role != Role.CARE_WORKER:
        raise ValidationError("Phone tokens are for care workers only.")
    phone_tokens_revoke(user=user, now=now)
    plaintext = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name="Phone app",
        kind=ApiToken.Kind.PHONE,
        key_hash=hash_token(plaintext),
        prefix=plaintext[:8],
        created_at=now,
        expires_at=now + timedelta(minutes=settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES),
    )
    return token, plaintext


def phone_tokens_revoke(*, user, now=None) -> int:
    """Revoke every phone token of ``user`` (on sign-out, or when a new one is issued)."""
    from .auth import forget_phone_tokens

    forget_phone_tokens(user.pk)
    return ApiToken.objects.filter(
        user=user, kind=ApiToken.Kind.PHONE, revoked_at__isnull=True
    ).update(revoked_at=now or timezone.now())


@transaction.atomic
def token_revoke(*, token: ApiToken, now=None) -> ApiToken:
    """Switch a token off for good (a conditional update: revoking twice is harmless)."""
    from .auth import forget_phone_tokens

    now = now or timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    forget_phone_tokens(token.user_id)
    token.refresh_from_db()
    return token


TOUCH_EVERY = timedelta(minutes=1)


def token_touch(token: ApiToken, now=None) -> None:
    """Record that the token was used, at most once a minute (to spare the database
    a write per request): a conditional update, so that requests arriving together
    on several processes write it once."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
