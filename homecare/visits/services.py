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
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from homecare.core import access

from . import arrivals
from .event_service import (
    NOT_ON_ROTA,
    EventError,
    EventInput,
    replayed,
)
from .models import CallRecord, HomeProfile, VisitEvent
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


def phone_worker(user, token=None):
    """The care worker whose phone ``user`` signs in, or :class:`EventError`. With
    the phone ``token`` the request came with, read once per token (the token is
    trusted for a few seconds at a time: ``homecare.api_tokens.auth``)."""
    worker = getattr(token, "phone_worker", None)
    if worker is not None and token.user_id == user.pk:
        return worker
    # One row at most (one worker per user): no ORDER BY to build.
    worker = next(iter(access.workers_for(user).filter(user=user).order_by()[:1]), None)
    if worker is None:
        raise EventError("Only a care worker's phone sends visit events.")
    if token is not None:
        token.phone_worker = worker
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


def visit_check_in(*, worker, visit, data: EventInput, sent_at=None, received_at=None):
    """Check ``worker`` in to ``visit``, verified by GPS, the home's tag or a manual
    reason; the care timer starts when every worker the visit needs is in
    (KENT-3.3.7). See :mod:`homecare.visits.arrivals`."""
    return _check(worker, visit, replace(data, kind=Kind.CHECK_IN), sent_at, received_at)


def visit_check_out(*, worker, visit, data: EventInput, sent_at=None, received_at=None):
    """Check ``worker`` out; the last one out closes the visit, which needs an entry
    for every dose due on it (the MAR rule). See :mod:`homecare.visits.arrivals`."""
    return _check(worker, visit, replace(data, kind=Kind.CHECK_OUT), sent_at, received_at)


def _check(worker, visit, data, sent_at, received_at) -> VisitEvent:
    check = arrivals.Check(worker, getattr(visit, "pk", visit), data, sent_at, received_at)
    (answer,) = arrivals.record([check])
    if isinstance(answer, EventError):
        raise answer
    return answer


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
