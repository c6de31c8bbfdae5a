"""Every write from a care worker's phone: one function, one transaction, one event.

Each service takes an :class:`EventInput` (what the phone sent) and returns the
:class:`~homecare.visits.models.VisitEvent` it recorded. Idempotent by key: the
same key sent again (a retry, a replayed queue) returns the first event and
changes nothing more. A refused event is recorded too, with its reason, so the
coordinator sees it as an exception; it changes nothing else.

Check-in and check-out live here; the visit record (tasks, doses, money,
incidents, notes) in :mod:`homecare.visits.record_services`; the shape they
share in :mod:`homecare.visits.event_service`.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from homecare.core import access
from homecare.domain import evv
from homecare.packages.models import Visit

from . import doses as dose_rules
from .event_service import (
    NOT_ON_ROTA,
    EventError,
    EventInput,
    Refused,
    call_of,
    event_service,
    local,
    monitor,
    replayed,
    verify,
)
from .models import CallRecord, CallWorker, HomeProfile, VisitEvent
from .record_services import (
    visit_record_dose,
    visit_record_finance,
    visit_record_incident,
    visit_record_note,
    visit_record_task,
)

__all__ = [
    "NOT_ON_ROTA",
    "SERVICES",
    "EventError",
    "EventInput",
    "event_record",
    "event_replayed",
    "events_recorded",
    "home_profile_set",
    "phone_worker",
    "visit_check_in",
    "visit_check_out",
    "visit_event_approve",
    "visit_record_dose",
    "visit_record_finance",
    "visit_record_incident",
    "visit_record_note",
    "visit_record_task",
]

Kind = VisitEvent.Kind


# ------------------------------------------------------------------ entry point


def phone_worker(user):
    """The care worker whose phone ``user`` signs in, or :class:`EventError`."""
    # One row at most (one worker per user): no ORDER BY to build.
    worker = next(iter(access.workers_for(user).filter(user=user).order_by()[:1]), None)
    if worker is None:
        raise EventError("Only a care worker's phone sends visit events.")
    return worker


def event_record(
    *, user, visit_id, data: EventInput, sent_at=None, received_at=None, worker=None
) -> VisitEvent:
    """Record one event from ``user``'s phone for the visit ``visit_id``
    (``worker``: ``user``'s care worker when the caller has it already).

    A visit outside the worker's own provider is :class:`EventError` (nothing is
    recorded: the worker learns nothing about it); one of their provider's visits
    that is not on their rota is recorded as a refused event for the office.
    """
    if worker is None:
        worker = phone_worker(user)
    if not _is_uuid(visit_id):
        raise EventError(NOT_ON_ROTA)
    service = SERVICES.get(data.kind)
    if service is None:
        raise EventError(f"Unknown kind of event {data.kind!r}.")
    return service(
        worker=worker, visit=visit_id, data=data, sent_at=sent_at, received_at=received_at
    )


def events_recorded(keys: list[str]) -> dict[str, VisitEvent]:
    """The events already recorded under ``keys`` (one query), by key."""
    return {e.idempotency_key: e for e in VisitEvent.objects.filter(idempotency_key__in=keys)}


def event_replayed(event: VisitEvent, worker) -> VisitEvent:
    """``event``, recorded before, answered again to ``worker`` (whose it must be)."""
    return replayed(event, worker)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------ check in and out


def _visit_check_in(event, visit, worker, data):
    """Check ``worker`` in to ``visit``, verified by GPS, the home's tag or a manual
    reason; the care timer starts when every worker the visit needs is in (KENT-3.3.7)."""
    call = call_of(visit)
    if call and call.status == CallRecord.Status.COMPLETED:
        raise Refused(f"This visit was completed at {local(call.ended_at)}.")
    present = list(call.workers.all()) if call else []
    if mine := next((w for w in present if w.worker_id == worker.pk), None):
        raise Refused(f"You checked in at {local(mine.checked_in_at)} already.")
    verify(event, visit, data)
    at = event.occurred_at
    person = visit.individual
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
        call = CallRecord.objects.create(
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
        if dose_rules.may_have_doses(visit):
            dose_rules.ensure_doses(visit)  # the MAR lines, for the phone to show
    else:
        for name, value in state.items():
            setattr(call, name, value)
        call.save(update_fields=list(state))
    CallWorker.objects.create(
        organisation_id=visit.organisation_id,
        call=call,
        worker=worker,
        checked_in_at=at,
        check_in_method=event.method,
    )
    monitor("call_started", visit=visit, worker=worker, at=at)


def _service_type(visit: Visit) -> str:
    tasks = ", ".join(str(t) for t in visit.tasks or [])
    kind = visit.get_kind_display()
    return f"{kind}: {tasks}" if tasks else kind


def _visit_check_out(event, visit, worker, data):
    """Check ``worker`` out; the last one out closes the visit, which needs an entry
    for every dose due on it (the MAR rule)."""
    call = call_of(visit)
    present = list(call.workers.all()) if call else []
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
    others_in = any(w.pk != mine.pk and w.checked_out_at is None for w in present)
    if (
        not others_in
        and dose_rules.may_have_doses(visit)
        and (missing := dose_rules.unrecorded(visit))
    ):
        names = "; ".join(missing)
        raise Refused(f"Record each dose due on this visit before checking out: {names}.")
    verify(event, visit, data)
    moved = CallWorker.objects.filter(pk=mine.pk, checked_out_at__isnull=True).update(
        checked_out_at=at, check_out_method=event.method
    )
    if not moved:
        raise Refused("You checked out already.")
    fields = ["needs_approval"]
    call.needs_approval = call.needs_approval or event.needs_approval
    if not others_in:
        call.status, call.ended_at = CallRecord.Status.COMPLETED, at
        fields += ["status", "ended_at"]
        Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
            status=Visit.Status.COMPLETED
        )
    call.save(update_fields=fields)
    monitor("call_ended", visit=visit, worker=worker, at=at)


visit_check_in = event_service(_visit_check_in)
visit_check_out = event_service(_visit_check_out)

SERVICES = {
    Kind.CHECK_IN: visit_check_in,
    Kind.CHECK_OUT: visit_check_out,
    Kind.TASK: visit_record_task,
    Kind.MEDICATION: visit_record_dose,
    Kind.FINANCE: visit_record_finance,
    Kind.INCIDENT: visit_record_incident,
    Kind.NOTE: visit_record_note,
}


# ------------------------------------------------------------------ the office


@transaction.atomic
def visit_event_approve(*, by, event: VisitEvent) -> VisitEvent:
    """The coordinator approves a manual check-in or check-out (once)."""
    if not access.may_plan_packages(by):
        raise EventError("Only the provider's office approves manual check-ins.")
    now = timezone.now()
    moved = VisitEvent.objects.filter(
        pk=event.pk, needs_approval=True, approved_at__isnull=True
    ).update(approved_by=by, approved_at=now)
    if not moved:
        raise EventError("This event does not need approval, or was approved already.")
    pending = VisitEvent.objects.filter(
        visit_id=event.visit_id,
        needs_approval=True,
        approved_at__isnull=True,
        outcome=VisitEvent.Outcome.ACCEPTED,
    ).exists()
    if not pending:
        call = CallRecord.objects.filter(visit_id=event.visit_id).first()
        if call and call.needs_approval:
            call.needs_approval = False
            call._history_user = by
            call.save(update_fields=["needs_approval"])
    event.refresh_from_db()
    return event


@transaction.atomic
def home_profile_set(
    *, by, organisation, individual, tag_code="", access_notes="", safety_notes=""
) -> HomeProfile:
    profile, _ = HomeProfile.objects.get_or_create(organisation=organisation, individual=individual)
    profile.tag_code, profile.access_notes, profile.safety_notes = (
        tag_code.strip().upper(),
        access_notes,
        safety_notes,
    )
    profile._history_user = by
    profile.save()
    return profile
