"""A short-lived cache of each reader's open deadlines, for the what-is-due page.

The page is read all day by every coordinator and council officer; the
deadlines change only when a record changes. So the open deadlines of one
scope (a provider's office, or a council) are kept for
``HOMECARE_DUE_CACHE_SECONDS`` (default 60; 0 turns the cache off), under a
version that every save or delete of a care record in the apps deadlines are
read from moves on: the next read after a change recomputes. Which bucket a
deadline is in (overdue, today...) is worked out at every request from its
due time, so the cache never makes a deadline late or early.

The version lives in Django's cache: with several server processes, use a
shared cache (Redis, Memcached) so a change seen by one is seen by all; with
the default per-process memory cache, another process catches up within the
cache time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .deadlines import collect_open

VERSION_KEY = "homecare:deadlines:version"
#: Apps whose records deadlines are read from: a save or delete in one of
#: them moves the version on.
WATCHED = frozenset(
    {"plans", "journey", "packages", "people", "organisations", "referrals", "visits"}
)


def _seconds() -> int:
    return int(getattr(settings, "HOMECARE_DUE_CACHE_SECONDS", 60))


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def changed(sender=None, **kwargs) -> None:
    """Signal receiver: a watched record changed, so every cached list is stale."""
    if sender is not None and sender._meta.app_label not in WATCHED:
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value is a new version
        cache.set(VERSION_KEY, 2, None)


def open_deadlines(user, packages, now, *, until, scope_day) -> list:
    """``collect_open(packages, now, until=until)`` for the user's scope, from
    the cache when nothing watched has changed since it was computed."""
    seconds = _seconds()
    if seconds <= 0:
        return collect_open(packages, now, until=until)
    key = (
        f"homecare:due:{version()}:{user.role}:{user.organisation_id}:{user.individual_id}:"
        f"{scope_day}:{until.isoformat() if until else 'all'}"
    )
    found = cache.get(key)
    if found is None:
        found = collect_open(packages, now, until=until)
        cache.set(key, found, seconds)
    return found
