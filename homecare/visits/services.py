"""Every write from a care worker's phone: one function, one transaction, one event.

Each service takes an :class:`EventInput` (what the phone sent) and returns the
:class:`~homecare.visits.models.VisitEvent` it recorded. Idempotent by key: the
same key sent again (a retry, a replayed queue) returns the first event and
changes nothing more. A refused event is recorded too, with its reason, so the
coordinator sees it as an exception; it changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from homecare.core import access
from homecare.domain import evv
from homecare.monitoring import services as monitoring
from homecare.notifications import events as council
from homecare.packages.models import Visit

from . import doses as dose_rules
from .models import (
    CallRecord,
    CallWorker,
    DoseRecord,
    FinancialTransaction,
    HomeProfile,
    Incident,
    TaskRecord,
    VisitEvent,
    VisitNote,
)

Kind = VisitEvent.Kind
NOT_ON_ROTA = "This visit is not on your rota."


class EventError(ValueError):
    """An event that cannot even be recorded (unknown visit, a key used by someone else)."""


@dataclass(frozen=True)
class EventInput:
    key: str
    kind: str
    device_at: datetime
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_metres: float | None = None
    method: str = ""
    tag_code: str = ""
    manual_reason: str = ""
    payload: dict = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ------------------------------------------------------------------ entry point


def event_record(
    *, user, visit_id, data: EventInput, sent_at: datetime | None = None, received_at=None
) -> VisitEvent:
    """Record one event from ``user``'s phone for the visit ``visit_id``.

    A visit outside the worker's own provider is :class:`EventError` (nothing is
    recorded: the worker learns nothing about it); one of their provider's visits
    that is not on their rota is recorded as a refused event for the office.
    """
    worker = access.workers_for(user).filter(user=user).first()
    if worker is None:
        raise EventError("Only a care worker's phone sends visit events.")
    visit = (
        Visit.objects.filter(organisation_id=worker.organisation_id, archived_at__isnull=True)
        .filter(pk=visit_id)
        .first()
        if _is_uuid(visit_id)
        else None
    )
    if visit is None:
        raise EventError(NOT_ON_ROTA)
    service = SERVICES.get(data.kind)
    if service is None:
        raise EventError(f"Unknown kind of event {data.kind!r}.")
    try:
        return service(
            worker=worker, visit=visit, data=data, sent_at=sent_at, received_at=received_at
        )
    except IntegrityError:
        # The same key arrived twice at once: the other request recorded it.
        existing = VisitEvent.objects.filter(idempotency_key=data.key).first()
        if existing is None:
            raise
        return _replayed(existing, worker)


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _replayed(event: VisitEvent, worker) -> VisitEvent:
    if event.worker_id != worker.pk:
        raise EventError("That idempotency key belongs to another event.")
    event.replayed = True
    return event


# ------------------------------------------------------------------ the shared shape


def _event_service(handler):
    """Wrap a kind's ``handler(event, visit, worker, data, rules)``: replay by key,
    correct the clock, check the rota and the visit's state, record the event."""

    @transaction.atomic
    def service(*, worker, visit: Visit, data: EventInput, sent_at=None, received_at=None):
        existing = VisitEvent.objects.filter(idempotency_key=data.key).first()
        if existing is not None:
            return _replayed(existing, worker)
        received_at = received_at or timezone.now()
        timing = evv.event_time(device_at=data.device_at, received_at=received_at, sent_at=sent_at)
        event = VisitEvent(
            organisation_id=visit.organisation_id,
            idempotency_key=data.key,
            visit=visit,
            worker=worker,
            kind=data.kind,
            device_at=data.device_at,
            sent_at=sent_at,
            received_at=received_at,
            occurred_at=timing.occurred_at,
            skew_seconds=int(timing.skew.total_seconds()),
            latitude=data.latitude,
            longitude=data.longitude,
            accuracy_metres=data.accuracy_metres,
            method=data.method if data.method in evv.METHODS else "",
            payload=_payload_for_log(data),
            outcome=VisitEvent.Outcome.ACCEPTED,
        )
        try:
            if timing.refused:
                raise _Refused(timing.refused)
            # One writer per visit at a time: two workers of a double-handed call
            # checking in together are serialised here.
            visit = (
                Visit.objects.select_for_update(of=("self",))
                .select_related("package__contract", "individual")
                .get(pk=visit.pk)
            )
            if not visit.assignments.filter(worker=worker).exists():
                raise _Refused(NOT_ON_ROTA + " The office has been told.")
            if visit.status == Visit.Status.CANCELLED:
                raise _Refused("This visit was cancelled: nothing can be recorded against it.")
            with transaction.atomic():
                handler(event, visit, worker, data)
                if event._state.adding:
                    event.save()
        except _Refused as refused:
            event.outcome, event.reason = VisitEvent.Outcome.REJECTED, refused.reason
            event.needs_approval = False
            event.save()
        event.replayed = False
        return event

    service.__name__ = handler.__name__.lstrip("_")
    service.__doc__ = handler.__doc__
    return service


def _payload_for_log(data: EventInput) -> dict:
    payload = dict(data.payload)
    if data.manual_reason:
        payload["manual_reason"] = data.manual_reason
    if data.tag_code:
        payload["tag_code"] = data.tag_code
    return payload


def _verify(event: VisitEvent, visit: Visit, data: EventInput) -> None:
    rules = visit.package.contract.rules()
    profile = (
        HomeProfile.objects.filter(
            organisation_id=visit.organisation_id, individual_id=visit.individual_id
        ).first()
        if data.method == "tag"
        else None
    )
    person = visit.individual
    position = (
        (float(data.latitude), float(data.longitude))
        if data.latitude is not None and data.longitude is not None
        else None
    )
    result = evv.verify(
        method=data.method,
        allowed=evv.parse_methods(rules.value("visit.checkin_methods")),
        radius_metres=rules.value("visit.checkin_radius_metres"),
        home=(float(person.latitude), float(person.longitude)),
        position=position,
        accuracy_metres=data.accuracy_metres,
        tag_code=data.tag_code,
        home_tag_code=profile.tag_code if profile else "",
        manual_reason=data.manual_reason,
    )
    event.distance_metres = result.distance_metres
    if not result.verified and not result.needs_approval:
        raise _Refused(result.reason)
    event.needs_approval = result.needs_approval


def _monitor(name: str, **kwargs) -> None:
    """Tell the live board's monitor that a call started or ended (same transaction)."""
    try:
        getattr(monitoring, name)(**kwargs)
    except monitoring.CallRejected as exc:
        raise _Refused(str(exc)) from None


def _local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


# ------------------------------------------------------------------ check in and out


def _visit_check_in(event, visit, worker, data):
    """Check ``worker`` in to ``visit``, verified by GPS, the home's tag or a manual
    reason; the care timer starts when every worker the visit needs is in (KENT-3.3.7)."""
    call = CallRecord.objects.filter(visit=visit).first()
    if call and call.status == CallRecord.Status.COMPLETED:
        raise _Refused(f"This visit was completed at {_local(call.ended_at)}.")
    if call and (mine := call.workers.filter(worker=worker).first()):
        raise _Refused(f"You checked in at {_local(mine.checked_in_at)} already.")
    _verify(event, visit, data)
    at = event.occurred_at
    person = visit.individual
    arrivals = [at, *(call.workers.values_list("checked_in_at", flat=True) if call else [])]
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
        dose_rules.ensure_doses(visit)
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
    _monitor("call_started", visit=visit, worker=worker, at=at)


def _service_type(visit: Visit) -> str:
    tasks = ", ".join(str(t) for t in visit.tasks or [])
    kind = visit.get_kind_display()
    return f"{kind}: {tasks}" if tasks else kind


def _visit_check_out(event, visit, worker, data):
    """Check ``worker`` out; the last one out closes the visit, which needs an entry
    for every dose due on it (the MAR rule)."""
    call = CallRecord.objects.filter(visit=visit).first()
    mine = call.workers.filter(worker=worker).first() if call else None
    if mine is None:
        raise _Refused("You have not checked in to this visit: check in first.")
    if mine.checked_out_at is not None:
        raise _Refused(f"You checked out at {_local(mine.checked_out_at)} already.")
    at = event.occurred_at
    if mine.checked_in_at - evv.ORDER_TOLERANCE <= at < mine.checked_in_at:
        at = event.occurred_at = mine.checked_in_at
    if at < mine.checked_in_at:
        raise _Refused(
            f"The check-out ({_local(at)}) is before your check-in "
            f"({_local(mine.checked_in_at)}). Check the phone's clock."
        )
    others_in = call.workers.exclude(pk=mine.pk).filter(checked_out_at__isnull=True).exists()
    if not others_in and (missing := dose_rules.unrecorded(visit)):
        names = "; ".join(missing)
        raise _Refused(f"Record each dose due on this visit before checking out: {names}.")
    _verify(event, visit, data)
    moved = CallWorker.objects.filter(pk=mine.pk, checked_out_at__isnull=True).update(
        checked_out_at=at, check_out_method=event.method
    )
    if not moved:
        raise _Refused("You checked out already.")
    fields = ["needs_approval"]
    call.needs_approval = call.needs_approval or event.needs_approval
    if not others_in:
        call.status, call.ended_at = CallRecord.Status.COMPLETED, at
        fields += ["status", "ended_at"]
        Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
            status=Visit.Status.COMPLETED
        )
    call.save(update_fields=fields)
    _monitor("call_ended", visit=visit, worker=worker, at=at)


# ------------------------------------------------------------------ the visit record


def _checked_in(visit, worker) -> None:
    if not CallWorker.objects.filter(call__visit=visit, worker=worker).exists():
        raise _Refused("Check in to the visit before recording it.")


def _text(payload: dict, name: str, *, required=True, limit=2000) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str):
        raise _Refused(f"'{name}' must be text.")
    value = value.strip()
    if required and not value:
        raise _Refused(f"'{name}' is required.")
    if len(value) > limit:
        raise _Refused(f"'{name}' is longer than {limit} characters.")
    return value


def _choice(payload: dict, name: str, choices) -> str:
    value = payload.get(name)
    if value not in choices.values:
        raise _Refused(f"'{name}' must be one of: {', '.join(choices.values)}.")
    return value


def _part(event, visit, worker) -> dict:
    if event._state.adding:
        event.save()
    return {
        "organisation_id": visit.organisation_id,
        "visit": visit,
        "worker": worker,
        "event": event,
        "recorded_at": event.occurred_at,
    }


def _visit_record_task(event, visit, worker, data):
    """A task done, not done or refused (with the reason) (KENT-8.2.2, KENT-3.9.1).
    A second entry for the same task replaces the first; the history keeps both."""
    _checked_in(visit, worker)
    task = _text(data.payload, "task", limit=200)
    outcome = _choice(data.payload, "outcome", TaskRecord.Outcome)
    reason = _text(data.payload, "reason", required=outcome != "done")
    record = TaskRecord.objects.filter(visit=visit, task=task).first()
    if record is None:
        TaskRecord.objects.create(
            **_part(event, visit, worker), task=task, outcome=outcome, reason=reason
        )
    else:
        record.outcome, record.reason, record.event = outcome, reason, event
        record.worker, record.recorded_at = worker, event.occurred_at
        record.save(update_fields=["outcome", "reason", "event", "worker", "recorded_at"])
    if outcome == TaskRecord.Outcome.REFUSED:
        council.refusals_check(visit=visit)  # KENT-3.8.1: three refusals in a row


def _visit_record_dose(event, visit, worker, data):
    """One dose given, refused or not given, with the reason and time; a dose is
    recorded once (the MAR)."""
    _checked_in(visit, worker)
    dose = dose_rules.find_dose(visit, data.payload.get("medication"), data.payload.get("due_at"))
    if dose is None:
        raise _Refused("That medication is not due on this visit.")
    outcome = _choice(data.payload, "outcome", DoseRecord.Outcome)
    reason = _text(data.payload, "reason", required=outcome != "given")
    done = DoseRecord.objects.filter(dose=dose).select_related("worker").first()
    if done is not None:
        raise _Refused(
            f"{dose.medication.name} due {_local(dose.due_at)} was recorded already "
            f"({done.get_outcome_display().lower()} at {_local(done.recorded_at)} "
            f"by {done.worker.given_name})."
        )
    DoseRecord.objects.create(
        **_part(event, visit, worker),
        dose=dose,
        outcome=outcome,
        reason=reason,
        given_at=event.occurred_at if outcome == "given" else None,
    )
    if outcome == DoseRecord.Outcome.REFUSED:
        council.refusals_check(visit=visit)


MAX_AMOUNT = Decimal("10000")


def _visit_record_finance(event, visit, worker, data):
    """Money handled for the person: amount, purpose and the person's confirmation
    (KENT-5.6.1); a gift above the contract's limit is refused (KENT-5.6.2)."""
    _checked_in(visit, worker)
    kind = _choice(data.payload, "kind", FinancialTransaction.Kind)
    try:
        amount = Decimal(str(data.payload.get("amount", ""))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _Refused("The amount must be a sum of money, e.g. 12.50.") from None
    if not Decimal("0") < amount < MAX_AMOUNT:
        raise _Refused(f"The amount must be more than £0 and less than £{MAX_AMOUNT:,}.")
    purpose = _text(data.payload, "purpose", limit=300)
    if data.payload.get("confirmed_by_person") is not True:
        raise _Refused("The person (or their advocate) must confirm the transaction.")
    limit = visit.package.contract.rules().value("gifts.max_value")
    if kind == "gift" and amount > limit:
        raise _Refused(
            f"Gifts worth more than £{limit} must be refused (KENT-5.6.2). "
            "Thank the person and decline it."
        )
    FinancialTransaction.objects.create(
        **_part(event, visit, worker),
        individual_id=visit.individual_id,
        kind=kind,
        amount=amount,
        purpose=purpose,
        confirmed_by_person=True,
        confirmed_by_name=_text(data.payload, "confirmed_by_name", required=False, limit=120),
    )


def _visit_record_incident(event, visit, worker, data):
    """An accident, incident, safeguarding concern or change in health (KENT-8.2.2)."""
    _checked_in(visit, worker)
    incident = Incident.objects.create(
        **_part(event, visit, worker),
        individual_id=visit.individual_id,
        kind=_choice(data.payload, "kind", Incident.Kind),
        description=_text(data.payload, "description"),
        action_taken=_text(data.payload, "action_taken", required=False),
    )
    if reported := TELL_THE_COUNCIL.get(incident.kind):
        try:
            council.event_report(
                by=worker.user,
                package=visit.package,
                kind=reported,
                occurred_at=incident.recorded_at,
                summary=incident.description,
                event_key=f"incident:{incident.pk}",
            )
        except ValidationError as exc:
            raise _Refused(" ".join(exc.messages)) from None


#: Incidents the council is told of (KENT-3.8.1, KENT-8.4.6): the kind of report each is.
TELL_THE_COUNCIL = {
    Incident.Kind.SAFEGUARDING: "safeguarding",
    Incident.Kind.ACCIDENT: "emergency",
    Incident.Kind.HEALTH: "deterioration",
}


def _visit_record_note(event, visit, worker, data):
    """A note: handover for the next worker, shared with family only when the person
    agreed (KENT-8.2.1, KENT-8.2.2, KENT-3.9.1)."""
    _checked_in(visit, worker)
    VisitNote.objects.create(
        **_part(event, visit, worker),
        individual_id=visit.individual_id,
        text=_text(data.payload, "text"),
        for_next_worker=data.payload.get("for_next_worker", True) is True,
        shared_with_person=data.payload.get("shared_with_person") is True,
    )


visit_check_in = _event_service(_visit_check_in)
visit_check_out = _event_service(_visit_check_out)
visit_record_task = _event_service(_visit_record_task)
visit_record_dose = _event_service(_visit_record_dose)
visit_record_finance = _event_service(_visit_record_finance)
visit_record_incident = _event_service(_visit_record_incident)
visit_record_note = _event_service(_visit_record_note)

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
