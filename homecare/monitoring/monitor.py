"""The call monitor: moves calls nobody starts to due, late and missed at the
right minute, whether or not anyone has the board open.

The shape of healthchecks' ``sendalerts``: every watch keeps ``alert_at``, the
next moment something must happen to it. A sweep touches only rows with
``alert_at <= now`` (an index), and moves them with set-based *conditional*
updates: each update names the states it moves from, so two monitors running
at once (the loop and the task runner, or two workers) cannot move a call
twice. Rows moved are stamped with the sweep's token; the sweep then writes
one outbox notification for each call it found missed (an event key per call
and kind, so a notification is never raised twice), which the notifications
delivery job sends.

A call nobody has started 45 minutes after the ordered time turns *late* on the
board at once, for the office to act (reassign, call ahead), but the council
is not emailed then: KENT-3.9.4 defines a late call by when it *starts*, so the
late-call notification goes when it starts late (``call_started``), and a call
that never starts is one missed-call notification at 2 hours (KENT-3.9.5). One
email per call, not a late one followed by a missed one.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from homecare.domain import calls

from . import alerts
from .models import CallWatch
from .services import watches_ensure

MOVES = ("cancelled", "missed", "late", "due", "no_checkout")


def sweep(*, now: datetime | None = None, notify: bool = True) -> dict[str, int]:
    """One pass over the due watches; returns how many moved to each state.

    An idle sweep is one indexed read (``alert_at <= now``); otherwise each move
    is one set-based conditional update over the due rows that names the states
    it moves from.
    """
    now = now or timezone.now()
    due = CallWatch.objects.filter(alert_at__lte=now)
    if not due.exists():
        return dict.fromkeys(MOVES, 0)
    token = uuid.uuid4()
    with transaction.atomic():
        counts = _move_due(due, now=now, token=token)
        if notify and counts["missed"]:
            missed = CallWatch.objects.filter(sweep_token=token, state=calls.MISSED)
            missed = missed.select_related(
                "visit__individual", "visit__package__contract", "organisation", "council"
            )
            for watch in missed.iterator(chunk_size=500):
                alerts.call_missed(watch)
    return counts


def _move_due(due, *, now: datetime, token) -> dict[str, int]:
    return {
        "cancelled": due.filter(state__in=calls.WAITING)
        .filter(Q(visit__status=calls.CANCELLED) | Q(visit__archived_at__isnull=False))
        .update(state=calls.CANCELLED, alert_at=None, updated_at=now),
        "missed": due.filter(state__in=calls.WAITING, missed_due_at__lte=now).update(
            state=calls.MISSED,
            missed_at=F("missed_due_at"),
            alert_at=None,
            sweep_token=token,
            updated_at=now,
        ),
        "late": due.filter(state__in=(calls.PLANNED, calls.DUE), late_due_at__lte=now).update(
            state=calls.LATE,
            late_at=F("late_due_at"),
            alert_at=F("missed_due_at"),
            updated_at=now,
        ),
        "due": due.filter(state=calls.PLANNED, ordered_at__lte=now).update(
            state=calls.DUE, alert_at=F("late_due_at"), updated_at=now
        ),
        "no_checkout": due.filter(state=calls.IN_PROGRESS, checkout_due_at__lte=now).update(
            no_checkout_at=now, alert_at=None, updated_at=now
        ),
    }


def watch_days(*, now: datetime | None = None) -> int:
    """Make sure every visit of today and tomorrow (local) has a watch."""
    today = timezone.localdate(now or timezone.now())
    return sum(watches_ensure(day=day, now=now) for day in (today, today + timedelta(days=1)))


def loop(*, every: float = 30.0, once: bool = False, log=print) -> None:
    """The monitor as a long-running loop (``homecare monitor``)."""
    from django.db import close_old_connections

    made = watch_days()
    log(f"Watching: {made} new call watches for today and tomorrow.")
    last_ensure = time.monotonic()
    while True:
        started = time.perf_counter()
        counts = sweep()
        moved = {k: v for k, v in counts.items() if v}
        if moved or once:
            elapsed = (time.perf_counter() - started) * 1000
            log(f"{timezone.now():%H:%M:%S} sweep {elapsed:.0f} ms: {moved or 'nothing due'}")
        if once:
            return
        if time.monotonic() - last_ensure > 600:
            watch_days()
            last_ensure = time.monotonic()
        time.sleep(every)
        close_old_connections()
