"""Every write of call monitoring: one function each, atomic, conditional updates.

The phone app (app ``visits``) calls :func:`call_started` and :func:`call_ended`
when a worker checks in and out; the monitor (:mod:`homecare.monitoring.monitor`)
moves calls nobody starts to late and missed; the board calls
:func:`call_ahead_record` and :func:`call_reassign`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homecare.domain import calls
from homecare.packages.models import Visit

from . import alerts
from .models import CallPresence, CallWatch


class CallRejected(ValueError):
    """A call event that cannot be accepted; the message is for the coordinator."""


def _watch_fields(visit: Visit) -> dict:
    contract = visit.package.contract
    rules = calls.CallRules.from_rulebook(contract.rules())
    return {
        "organisation_id": visit.organisation_id,
        "council_id": contract.organisation_id,
        "date": visit.date,
        "ordered_at": visit.planned_start,
        "planned_end": visit.planned_end,
        "workers_required": visit.workers_required,
        "late_minutes": rules.late_minutes,
        "missed_minutes": rules.missed_minutes,
        "travel_allowance_minutes": rules.travel_allowance_minutes,
        "arrival_together": rules.arrival_together,
    }


def watch_build(visit: Visit, *, now: datetime | None = None) -> CallWatch:
    """An unsaved watch for ``visit`` in the state the clock gives it at ``now``."""
    watch = CallWatch(visit=visit, **_watch_fields(visit))
    watch.late_due_at = watch.ordered_at + watch.rules.late
    watch.missed_due_at = watch.ordered_at + watch.rules.missed
    watch.checkout_due_at = watch.planned_end + watch.rules.late
    if visit.status == Visit.Status.CANCELLED:
        watch.state, watch.alert_at = calls.CANCELLED, None
        return watch
    state = calls.waiting_state(watch.ordered_at, now or timezone.now(), watch.rules)
    # A new watch starts no earlier than due: the monitor itself moves it on
    # (and raises the late/missed notifications) at its next sweep.
    watch.state = calls.PLANNED if state == calls.PLANNED else calls.DUE
    watch.alert_at = calls.next_alert(
        watch.state, ordered=watch.ordered_at, planned_end=watch.planned_end, rules=watch.rules
    )
    return watch


def watch_for(visit: Visit) -> CallWatch:
    """The visit's watch, made on first use."""
    try:
        return CallWatch.objects.get(visit=visit)
    except CallWatch.DoesNotExist:
        watch = watch_build(visit)
        CallWatch.objects.bulk_create([watch], ignore_conflicts=True)
        return CallWatch.objects.get(visit=visit)


def watches_ensure(*, day, now: datetime | None = None) -> int:
    """Make the missing watches for every live visit on ``day``; returns how many."""
    visits = (
        Visit.objects.live()
        .filter(date=day, call_watch__isnull=True)
        .select_related("package__contract")
    )
    made = [watch_build(visit, now=now) for visit in visits.iterator(chunk_size=2000)]
    CallWatch.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
    return len(made)


def _locked(visit: Visit) -> CallWatch:
    """The visit's watch, locked (made first if the monitor has not made it yet)."""
    # One watch per visit: no ORDER BY to build.
    watch = next(
        iter(CallWatch.objects.select_for_update().filter(visit=visit).order_by()[:1]), None
    )
    if watch is None:
        CallWatch.objects.bulk_create([watch_build(visit)], ignore_conflicts=True)
        watch = CallWatch.objects.select_for_update().get(visit=visit)
    return watch


def _flags(watch: CallWatch, *add: str, drop: tuple[str, ...] = ()) -> list[str]:
    flags = [flag for flag in watch.flags if flag not in drop]
    return flags + [flag for flag in add if flag not in flags]


def _move(watch: CallWatch, **changes) -> CallWatch:
    """Conditional update from the state we read: nobody else moved it meanwhile."""
    changes["updated_at"] = timezone.now()
    moved = CallWatch.objects.filter(pk=watch.pk, state=watch.state).update(**changes)
    if not moved:
        raise CallRejected("This call changed while it was being recorded; try again.")
    for name, value in changes.items():  # the row is locked: nothing else changed
        setattr(watch, name, value)
    return watch


@dataclass
class Step:
    """What one arrival or departure does to a call, decided before anything is
    written: the watch's changed fields, the presence made or closed, and the
    notification to raise (``"late"`` or ``"missed"``). The one-call services
    below write it at once; the phone's batches (``homecare.visits.arrivals``)
    write many together."""

    changes: dict = field(default_factory=dict)
    arrived: CallPresence | None = None
    left: CallPresence | None = None  # closed at ``left_at``
    left_at: datetime | None = None
    alert: str | None = None


ALERTS = {"late": alerts.call_late, "missed": alerts.call_missed}


def arrival(watch: CallWatch, presences: list[CallPresence], worker, at: datetime) -> Step:
    """The step of ``worker`` arriving at ``at`` on the locked ``watch``, whose
    presences are ``presences`` (:class:`CallRejected` when it cannot be)."""
    if watch.state == calls.CANCELLED:
        raise CallRejected("This visit is cancelled: there is nothing to check in to.")
    step = Step()
    present = {p.worker_id: p.arrived_at for p in presences}
    if worker.pk not in present:
        step.arrived = CallPresence(
            watch=watch, worker=worker, arrived_at=at, organisation_id=watch.organisation_id
        )
        present[worker.pk] = at
    if watch.started_at is not None:
        return step
    arrivals = list(present.values())
    start = calls.start_of_care(
        arrivals, workers_required=watch.workers_required, rules=watch.rules
    )
    first = min(arrivals)
    if start is None:
        step.changes = {"first_arrival_at": first, "flags": _flags(watch, "waiting_for_partner")}
        return step
    verdict = calls.judge_start(watch.ordered_at, start, watch.rules)
    if watch.state == calls.MISSED or verdict == calls.MISSED:
        step.changes = {
            "state": calls.MISSED,
            "alert_at": None,
            "first_arrival_at": first,
            "started_at": start,
            "missed_at": watch.missed_at or start,
            "flags": _flags(watch, "started_after_missed", drop=("waiting_for_partner",)),
        }
        step.alert = "missed"
        return step
    mark = {"early": ("early",), calls.LATE: ("late_start",)}.get(verdict, ())
    checkout_due = calls.checkout_due(
        started=start, ordered=watch.ordered_at, planned_end=watch.planned_end, rules=watch.rules
    )
    step.changes = {
        "state": calls.IN_PROGRESS,
        "first_arrival_at": first,
        "started_at": start,
        "late_at": watch.late_at or (start if verdict == calls.LATE else None),
        # A call still open its full length plus the late threshold after it started
        # has no check-out: the monitor flags it then.
        "checkout_due_at": checkout_due,
        "alert_at": checkout_due,
        "flags": _flags(watch, *mark, drop=("waiting_for_partner",)),
    }
    step.alert = "late" if verdict == calls.LATE else None
    return step


def departure(watch: CallWatch, presences: list[CallPresence], worker, at: datetime) -> Step:
    """The step of ``worker`` leaving at ``at`` (:class:`CallRejected` when it cannot be)."""
    presence = next((p for p in presences if p.worker_id == worker.pk), None)
    if presence is None:
        raise CallRejected("This worker has not checked in to this visit.")
    step = Step()
    left = {p.pk: p.left_at for p in presences}
    if presence.left_at is None:
        if at < presence.arrived_at:
            raise CallRejected("A check-out cannot be before the check-in.")
        step.left, step.left_at = presence, at
        left[presence.pk] = at
    if watch.ended_at is not None or any(when is None for when in left.values()):
        return step
    if watch.started_at is None:  # everyone left before care could start
        step.changes = {"flags": _flags(watch, drop=("waiting_for_partner",))}
        return step
    ended = max(left.values())
    minutes = calls.delivered_minutes(watch.started_at, ended)
    ordered = calls.delivered_minutes(watch.ordered_at, watch.planned_end)
    short = calls.is_short(ordered_minutes=ordered, delivered_minutes=minutes, rules=watch.rules)
    step.changes = {
        "state": calls.MISSED if watch.state == calls.MISSED else calls.COMPLETED,
        "ended_at": ended,
        "alert_at": None,
        "outcome": CallWatch.Outcome.DELIVERED,
        "flags": _flags(watch, *(("short",) if short else ()), drop=("no_checkout",)),
    }
    return step


def call_started(*, visit: Visit, worker, at: datetime, savepoint: bool = True) -> CallWatch:
    """A worker is in the home (checked in at ``at``). Idempotent per worker.

    Single-handed: care starts now. Double-handed under KENT-3.3.7: the first
    worker is "waiting for partner"; care starts when the second is in. A start
    45 minutes or more from the ordered time is late/early (KENT-3.9.4); more
    than 2 hours late is a missed call (KENT-3.9.5).

    ``savepoint=False`` when the caller's transaction rolls back whole on
    :class:`CallRejected`: one round trip less.
    """
    with transaction.atomic(savepoint=savepoint):
        watch = _locked(visit)
        return _write(watch, arrival(watch, list(watch.presences.all()), worker, at))


def call_ended(*, visit: Visit, worker, at: datetime, savepoint: bool = True) -> CallWatch:
    """A worker left (checked out at ``at``). Idempotent per worker.

    The call ends when every worker who came in has left; it is short if cut
    by more than the travel allowance (LAN-HC-4.1). ``savepoint`` as for
    :func:`call_started`.
    """
    with transaction.atomic(savepoint=savepoint):
        watch = _locked(visit)
        return _write(watch, departure(watch, list(watch.presences.all()), worker, at))


def _write(watch: CallWatch, step: Step) -> CallWatch:
    if step.arrived is not None:
        step.arrived.save(force_insert=True)
    if step.left is not None:
        CallPresence.objects.filter(pk=step.left.pk).update(left_at=step.left_at)
    if step.changes:
        watch = _move(watch, **step.changes)
    if step.alert:
        ALERTS[step.alert](watch)
    return watch


@transaction.atomic
def call_not_delivered(
    *, visit: Visit, by, outcome: str, at: datetime, note: str = ""
) -> CallWatch:
    """The call could not be delivered: ``"no_response"`` (nobody answered the
    door) or ``"void"`` (no care possible: the person was out, in hospital,
    refused entry). The call counts as not made (missed, KENT-3.9.5) and the
    council is told (KENT-3.8.1: void or no-response calls)."""
    if outcome not in (CallWatch.Outcome.VOID, CallWatch.Outcome.NO_RESPONSE):
        raise CallRejected("The outcome must be 'void' or 'no_response'.")
    watch = _locked(visit)
    if watch.state in (calls.CANCELLED, calls.COMPLETED):
        raise CallRejected(f"This call is {watch.get_state_display().lower()} already.")
    if watch.outcome == outcome:
        return watch
    watch = _move(
        watch,
        state=calls.MISSED,
        outcome=outcome,
        alert_at=None,
        missed_at=watch.missed_at or at,
        ended_at=at,
        call_ahead_note=note or watch.call_ahead_note,
    )
    alerts.call_not_delivered(watch, note=note)
    return watch


@transaction.atomic
def call_ahead_record(*, by, watch: CallWatch, note: str = "") -> CallWatch:
    """The coordinator called the person ahead to say the worker is late (KENT-8.4.6)."""
    watch = CallWatch.objects.select_for_update().get(pk=watch.pk)
    watch.called_ahead_at = timezone.now()
    watch.called_ahead_by = by
    watch.call_ahead_note = note
    watch.flags = _flags(watch, "called_ahead")
    watch.save(update_fields=["called_ahead_at", "called_ahead_by", "call_ahead_note", "flags"])
    return watch


@transaction.atomic
def call_reassign(*, by, watch: CallWatch, worker) -> CallWatch:
    """Give a call nobody has started to another worker (one click on the board)."""
    from homecare.packages.services import visit_assign_workers

    watch = CallWatch.objects.select_for_update().select_related("visit").get(pk=watch.pk)
    if watch.state not in calls.WAITING:
        raise CallRejected("Only a call nobody has started can be reassigned.")
    if worker.organisation_id != watch.organisation_id:
        raise CallRejected("That worker does not work for this provider.")
    visit = watch.visit
    present = set(watch.presences.values_list("worker_id", flat=True))
    current = [w for w in visit.workers.all() if w.pk != worker.pk]
    # Keep whoever is already in the home, then the others, and let the new worker
    # take the place of the last one not in.
    current.sort(key=lambda w: w.pk not in present)
    keep = current[: max(0, visit.workers_required - 1)]
    try:
        visit_assign_workers(by=by, visit=visit, workers=[*keep, worker])
    except ValidationError as error:
        raise CallRejected(" ".join(error.messages)) from None
    watch.flags = _flags(watch, "reassigned")
    watch.save(update_fields=["flags"])
    return watch
