"""Reading ``Authorization: Bearer <token>`` on an API request."""

from __future__ import annotations

import functools
import threading
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone

from .models import ApiToken
from .services import hash_token, token_touch

#: Where a phone token works: the phone app's API, nowhere else.
PHONE_PATHS = ("/visits/api/",)


#: How long a server process trusts a phone token it has read before checking it
#: again. A phone sends an event every few seconds through a whole shift; reading
#: its token (and user, and care worker) each time costs more than recording the
#: event. A token revoked (signing out, or by the office) or whose user is
#: switched off stops working at once in the process that did it and within this
#: long in every other. The check is one small statement (:func:`_unchanged`);
#: the token is read again in full only when something changed.
PHONE_TOKEN_TRUSTED_FOR = timedelta(seconds=10)
_trusted: dict[str, tuple] = {}  # key hash -> (read at, token)
_trusted_lock = threading.Lock()


def forget_phone_tokens(user_id) -> None:
    """Stop trusting the phone tokens of ``user_id`` read by this process."""
    with _trusted_lock:
        for key, (_at, token) in list(_trusted.items()):
            if token.user_id == user_id:
                del _trusted[key]


def _unchanged(token: ApiToken) -> bool:
    """Whether the phone ``token`` this process trusts is still as it was read: not
    revoked, its user still active, in the same role and organisation, and the care
    worker the phone app found for it (``token.phone_worker``) still live. One small
    statement, built once; anything else changed means reading it all again."""
    user, worker = token.user, getattr(token, "phone_worker", None)
    if user.organisation_id is None:
        return False
    checked = [(token, "id"), (user, "role"), (user, "organisation")]
    if worker is not None:
        checked.append((worker, "id"))
    params = [_db_value(obj, name) for obj, name in checked]
    with connection.cursor() as cursor:
        cursor.execute(_unchanged_sql(connection.alias, worker is not None), params)
        return cursor.fetchone() is not None


def _db_value(obj, name: str):
    field = type(obj)._meta.get_field(name)
    return field.get_db_prep_value(getattr(obj, field.attname), connection)


@functools.cache
def _unchanged_sql(alias: str, with_worker: bool) -> str:
    from homecare.accounts.models import User
    from homecare.workforce.models import CareWorker

    q = connections[alias].ops.quote_name

    def col(table, model, name):
        return f"{table}.{q(model._meta.get_field(name).column)}"

    sql = (
        f"SELECT 1 FROM {q(ApiToken._meta.db_table)} t "
        f"INNER JOIN {q(User._meta.db_table)} u ON {col('u', User, 'id')} = "
        f"{col('t', ApiToken, 'user')} "
        f"WHERE {col('t', ApiToken, 'id')} = %s AND {col('t', ApiToken, 'revoked_at')} IS NULL "
        f"AND {col('u', User, 'is_active')} AND {col('u', User, 'role')} = %s "
        f"AND {col('u', User, 'organisation')} = %s"
    )
    if with_worker:
        sql += (
            f" AND EXISTS (SELECT 1 FROM {q(CareWorker._meta.db_table)} w WHERE "
            f"{col('w', CareWorker, 'id')} = %s AND {col('w', CareWorker, 'user')} = "
            f"{col('u', User, 'id')} AND {col('w', CareWorker, 'archived_at')} IS NULL)"
        )
    return sql


class TokenError(Exception):
    """The request carries an Authorization header that does not sign anyone in."""


def authenticate(request) -> ApiToken | None:
    """The token the request carries, or None when it carries no Authorization
    header at all. Raises TokenError for a malformed, unknown or revoked token,
    or one whose user is switched off."""
    # From META: ``request.headers`` builds a mapping of every header first.
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    scheme, _, plaintext = header.partition(" ")
    plaintext = plaintext.strip()
    if scheme.lower() != "bearer" or not plaintext:
        raise TokenError("Send the token as 'Authorization: Bearer <token>'.")
    key_hash, now = hash_token(plaintext), timezone.now()
    trusted = _trusted.get(key_hash)
    stale = trusted is not None and now - trusted[0] >= PHONE_TOKEN_TRUSTED_FOR
    if stale and not _unchanged(trusted[1]):
        with _trusted_lock:  # read again in full below, and trusted again only if good
            _trusted.pop(key_hash, None)
        trusted = None
    if trusted is not None:
        token = trusted[1]
        if token.has_expired(now):
            raise TokenError("This API token has expired: sign in again.")
        if not request.path_info.startswith(PHONE_PATHS):
            raise TokenError("A phone token works only on the phone app's API.")
        if stale:  # checked just now: trusted for another while
            token_touch(token, now)
            with _trusted_lock:
                _trusted[key_hash] = (now, token)
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
