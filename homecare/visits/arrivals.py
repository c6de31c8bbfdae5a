"""Check-ins and check-outs, many in one transaction.

At eight in the morning every care worker of a provider checks in within
minutes. Each check-in locks its visit, reads its call and the monitor's watch,
decides, and writes a handful of rows; done one transaction each, the reads and
writes cost many times the deciding. :func:`record` takes a batch of them (one
phone's queue, or every request a server process has in hand at that moment,
through :data:`group`), and:

1. locks all their visits at once, in id order (two batches never wait on each
   other in a circle), and reads their calls, watches, rota and the keys already
   recorded with the lock (on PostgreSQL one round trip, :mod:`homecare.core.rows`);
2. decides each event in turn, against what the ones before it changed, exactly
   as one event alone is decided: every check first, then the changes, so a
   refused event is recorded with its reason and changes nothing else;
3. writes everything in bulk, the audit history row of each change included
   (two round trips at most).

Idempotency is the key: a key recorded before, or earlier in the same batch,
answers with the first event (``replayed``). A key racing another batch on
another visit fails the insert: the batch is rolled back and done again one
event at a time, where the first event's answer is found.
"""

from __future__ import annotations

import copy
import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from homecare.core import rows
from homecare.core.group_commit import GroupCommit, after_answering
from homecare.domain import evv
from homecare.monitoring import services as monitoring
from homecare.notifications.models import Notification
from homecare.notifications.services import deliver_once_committed, notification_build
from homecare.packages.models import Visit, VisitAssignment

from . import doses as dose_rules
from .event_service import (
    NOT_ON_ROTA,
    EventError,
    EventInput,
    Refused,
    call_of,
    check_may_record,
    local,
    new_event,
    replayed,
    verify,
)
from .lock_query import lock_visits
from .models import CallRecord, CallWorker, VisitEvent

Kind = VisitEvent.Kind
KINDS = (Kind.CHECK_IN, Kind.CHECK_OUT)


@dataclass(frozen=True)
class Check:
    """One check-in or check-out to record: who sent it, for which visit, what."""

    worker: object  # CareWorker
    visit_id: str
    data: EventInput
    sent_at: datetime | None = None
    received_at: datetime | None = None


#: How many times a batch chosen as a deadlock's victim is tried again. The batch
#: locks its visits and watches in visit order, but the call monitor's sweep
#: updates due watches in its own order in one statement: the two can each hold
#: a row the other wants, and the database then rolls one of them back.
DEADLOCK_RETRIES = 3


def record(checks: list[Check], *, retries: int = DEADLOCK_RETRIES) -> list:
    """Record ``checks`` (one transaction); one answer each, in order: the event
    recorded (accepted or refused, or the first one for a replayed key), or the
    :class:`EventError` saying why nothing could be recorded."""
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            answers = _Batch(checks).run()
            hooks = _take_commit_hooks(connection) if outermost else []
    except OperationalError as error:
        if retries and _is_deadlock(error):
            return record(checks, retries=retries - 1)
        raise
    except IntegrityError:
        if len(checks) > 1:
            return [answer for check in checks for answer in record([check])]
        existing = VisitEvent.objects.filter(idempotency_key=checks[0].data.key).first()
        if existing is None:
            raise
        try:
            return [replayed(existing, checks[0].worker)]
        except EventError as error:
            return [error]
    for hook in hooks:
        after_answering(hook)
    return answers


def _take_commit_hooks(connection) -> list:
    """The work the batch's transaction asked to run once committed (a late call's
    email to the council), taken from Django to run after the batch's requests are
    answered (:func:`homecare.core.group_commit.after_answering`): the others
    written with it do not wait for the email. Called last in the transaction, so a
    failed commit runs none of it, as Django's own hooks."""
    hooks = [func for _savepoints, func, _robust in connection.run_on_commit]
    connection.run_on_commit.clear()
    return hooks


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40P01"  # deadlock_detected


#: The process's group commit of check-ins and check-outs (the API submits to it).
group = GroupCommit(record)


def _visit_key(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class _Batch:
    def __init__(self, checks: list[Check]):
        self.checks = checks
        ids = sorted({key for c in checks if (key := _visit_key(c.visit_id))})
        keys = sorted({c.data.key for c in checks})
        self.visits, (rota, workers, recorded) = lock_visits(
            ids,
            also=[
                rows.Select(VisitAssignment, "visit", ids, names=("visit", "worker")),
                rows.Select(CallWorker, "call", ids, through=(CallRecord, "visit")),
                rows.Select(VisitEvent, "idempotency_key", keys),
            ],
        )
        self.rota = set(rota)
        self.present = defaultdict(list)  # visit id -> CallWorker
        visit_of_call = {call.pk: pk for pk, v in self.visits.items() if (call := call_of(v))}
        for worker in workers:
            self.present[visit_of_call[worker.call_id]].append(worker)
        self.watches = {pk: v.call_watch for pk, v in self.visits.items()}
        self.known = {e.idempotency_key: e for e in recorded}
        # What the batch writes, in the order it must be written.
        self.new: dict[type, list] = defaultdict(list)
        self.changed: dict[type, dict] = defaultdict(dict)  # model -> {id: (obj, fields)}
        self.history: list[tuple] = []
        self.events: list[VisitEvent] = []
        self.notifications: dict[str, Notification] = {}  # by event key

    # ------------------------------------------------------------------ deciding

    def run(self) -> list:
        answers = []
        for check in self.checks:
            try:
                answers.append(self._one(check))
            except EventError as error:
                answers.append(error)
        self._write()
        return answers

    def _one(self, check: Check) -> VisitEvent:
        data, worker = check.data, check.worker
        if (first := self.known.get(data.key)) is not None:
            return replayed(copy.copy(first), worker)
        key = _visit_key(check.visit_id)
        visit = self.visits.get(key)
        if visit is None or visit.organisation_id != worker.organisation_id:
            raise EventError(NOT_ON_ROTA)
        event, timing = new_event(worker, visit.pk, data, check.sent_at, check.received_at)
        event.visit = visit
        try:
            check_may_record(timing, visit, on_rota=(key, worker.pk) in self.rota)
            if data.kind == Kind.CHECK_IN:
                self._check_in(event, visit, worker, data)
            else:
                self._check_out(event, visit, worker, data)
        except Refused as refused:
            event.outcome, event.reason = VisitEvent.Outcome.REJECTED, refused.reason
            event.needs_approval = False
        event.replayed = False
        self.events.append(event)
        self.known[data.key] = event
        return event

    def _step(self, decide, visit, worker, at):
        watch = self.watches[visit.pk]
        try:
            return watch, decide(watch, watch.present, worker, at)
        except monitoring.CallRejected as exc:
            raise Refused(str(exc)) from None

    def _check_in(self, event, visit, worker, data):
        """Check ``worker`` in, verified by GPS, the home's tag or a manual reason;
        the care timer starts when every worker the visit needs is in (KENT-3.3.7)."""
        call = call_of(visit)
        if call and call.status == CallRecord.Status.COMPLETED:
            raise Refused(f"This visit was completed at {local(call.ended_at)}.")
        present = self.present[visit.pk]
        if mine := next((w for w in present if w.worker_id == worker.pk), None):
            raise Refused(f"You checked in at {local(mine.checked_in_at)} already.")
        verify(event, visit, data)
        at = event.occurred_at
        watch, step = self._step(monitoring.arrival, visit, worker, at)
        # Decided: from here on, only changes.
        arrivals = [at, *(w.checked_in_at for w in present)]
        together = visit.package.contract.rules().value("visit.double_handed_arrival_together")
        timer = evv.care_timer_start(
            workers_required=visit.workers_required if together else 1, arrivals=arrivals
        )
        state = {
            "started_at": min(arrivals),
            "care_started_at": timer,
            "status": CallRecord.Status.IN_PROGRESS if timer else CallRecord.Status.WAITING,
            "needs_approval": bool(call and call.needs_approval) or event.needs_approval,
        }
        if call is None:
            person = visit.individual
            call = CallRecord(
                organisation_id=visit.organisation_id,
                visit=visit,
                individual=person,
                service_type=_service_type(visit),
                date=visit.date,
                latitude=person.latitude,
                longitude=person.longitude,
                address=", ".join(
                    p for p in [person.address_line_1, person.town, person.postcode] if p
                ),
                **state,
            )
            visit.call = call
            self._add(call, worker)
            if dose_rules.may_have_doses(visit):
                dose_rules.ensure_doses(visit)  # the MAR lines, for the phone to show
        else:
            self._change(call, state, worker)
        mine = CallWorker(
            organisation_id=visit.organisation_id,
            call=call,
            worker=worker,
            checked_in_at=at,
            check_in_method=event.method,
        )
        present.append(mine)
        self._add(mine, worker)
        self._apply(watch, step)

    def _check_out(self, event, visit, worker, data):
        """Check ``worker`` out; the last one out closes the visit, which needs an
        entry for every dose due on it (the MAR rule)."""
        call = call_of(visit)
        present = self.present[visit.pk]
        mine = next((w for w in present if w.worker_id == worker.pk), None)
        if mine is None:
            raise Refused("You have not checked in to this visit: check in first.")
        if mine.checked_out_at is not None:
            raise Refused(f"You checked out at {local(mine.checked_out_at)} already.")
        at = event.occurred_at
        if mine.checked_in_at - evv.ORDER_TOLERANCE <= at < mine.checked_in_at:
            at = event.occurred_at = mine.checked_in_at
        if at < mine.checked_in_at:
            raise Refused(
                f"The check-out ({local(at)}) is before your check-in "
                f"({local(mine.checked_in_at)}). Check the phone's clock."
            )
        others_in = any(w is not mine and w.checked_out_at is None for w in present)
        if (
            not others_in
            and dose_rules.may_have_doses(visit)
            and (missing := dose_rules.unrecorded(visit))
        ):
            names = "; ".join(missing)
            raise Refused(f"Record each dose due on this visit before checking out: {names}.")
        verify(event, visit, data)
        watch, step = self._step(monitoring.departure, visit, worker, at)
        # Decided: from here on, only changes.
        self._change(mine, {"checked_out_at": at, "check_out_method": event.method}, worker)
        changes = {"needs_approval": call.needs_approval or event.needs_approval}
        if not others_in:
            changes |= {"status": CallRecord.Status.COMPLETED, "ended_at": at}
            if visit.status == Visit.Status.PLANNED:
                visit.status = Visit.Status.COMPLETED
                self._mark(visit, ["status"])
        self._change(call, changes, worker)
        self._apply(watch, step)

    def _apply(self, watch, step: monitoring.Step) -> None:
        if step.arrived is not None:
            watch.present.append(step.arrived)
            self.new[type(step.arrived)].append(step.arrived)
        if step.left is not None:
            step.left.left_at = step.left_at
            self._mark(step.left, ["left_at"])
        if step.changes:
            for name, value in step.changes.items():
                setattr(watch, name, value)
            watch.updated_at = timezone.now()
            self._mark(watch, [*step.changes, "updated_at"])
        if step.alert:
            monitoring.ALERTS[step.alert](watch, notify=self._notify)

    def _notify(self, **fields) -> Notification:
        """What the council must be told (a late or missed call), written with the
        batch's other rows."""
        notification = notification_build(**fields)
        return self.notifications.setdefault(notification.event_key, notification)

    # ------------------------------------------------------------------ changes

    def _add(self, obj, worker) -> None:
        self.new[type(obj)].append(obj)
        self._audit(obj, "+", worker.user_id)

    def _change(self, obj, values: dict, worker) -> None:
        for name, value in values.items():
            setattr(obj, name, value)
        self._mark(obj, list(values))
        self._audit(obj, "~", worker.user_id)

    def _mark(self, obj, fields: list[str]) -> None:
        """Remember to update ``fields`` of ``obj`` (nothing to do for a row this
        batch inserts: it is inserted as it ends up)."""
        if obj._state.adding:
            return
        _obj, known = self.changed[type(obj)].setdefault(obj.pk, (obj, set()))
        known.update(fields)

    def _audit(self, obj, kind: str, user_id) -> None:
        """The audit history row of this change, as it is now (its id is filled in
        when the row is inserted)."""
        model = _history_model(type(obj))
        values = {f.attname: getattr(obj, f.attname) for f in model.tracked_fields}
        self.history.append((obj, model, kind, user_id, timezone.now(), values))

    def _write(self) -> None:
        """Everything decided, in two round trips at most: the calls and the workers
        checked in (whose keys their audit rows need), then the rest."""
        first = rows.inserts(self.new.pop(CallRecord, []))
        first += rows.inserts(self.new.pop(CallWorker, []))
        if keys := list(self.notifications):
            # Each raiser of a call's notification holds the call's lock, as this
            # batch does: one raised before is there to be read now.
            first.append(rows.Select(Notification, "event_key", keys, names=("event_key",)))
        answers = rows.run(first)
        raised = {key for (key,) in answers[-1]} if keys else set()
        for key, notification in self.notifications.items():
            if key not in raised:
                self.new[Notification].append(notification)
                self._audit(notification, "+", notification.raised_by_id)
                deliver_once_committed(notification)
        rest = []
        for new in self.new.values():
            rest += rows.inserts(new, need_pk=False)
        for model, changed in self.changed.items():
            objs = [obj for obj, _fields in changed.values()]
            fields = sorted(set().union(*(f for _obj, f in changed.values())))
            rest += rows.updates(model, objs, fields)
        history = defaultdict(list)
        for obj, model, kind, user_id, when, values in self.history:
            values |= {
                "id": obj.pk,
                "history_date": when,
                "history_user_id": user_id,
                "history_type": kind,
            }
            history[model].append(values)
        for model, values in history.items():
            rest += rows.value_inserts(model, values)
        rest += rows.inserts(self.events)
        rows.run(rest)


@functools.cache
def _history_model(model):
    """The audit history model of ``model`` (``model.history`` builds a manager on
    every access)."""
    return model.history.model


def _service_type(visit: Visit) -> str:
    tasks = ", ".join(str(t) for t in visit.tasks or [])
    kind = visit.get_kind_display()
    return f"{kind}: {tasks}" if tasks else kind
