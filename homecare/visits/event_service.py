"""The shape every event service from a care worker's phone shares.

:func:`event_service` wraps a kind's handler: it locks the visit (reading what
the handler needs in the same query), corrects the phone's clock, checks the
rota and the visit's state, runs the handler and records the event, all in one
transaction. A refusal rolls the handler's writes back and records the refused
event alone, with its reason. Idempotency is the event's unique key: a replayed
key fails the insert, the transaction rolls back, and the service answers
with the first event (``replayed``), without a read before the write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from homecare.domain import evv
from homecare.monitoring import services as monitoring
from homecare.organisations.models import Contract
from homecare.packages.models import CarePackage, Visit, VisitAssignment
from homecare.people.models import Individual

from . import doses as dose_rules
from .models import CallRecord, HomeProfile, VisitEvent

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


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def replayed(event: VisitEvent, worker) -> VisitEvent:
    if event.worker_id != worker.pk:
        raise EventError("That idempotency key belongs to another event.")
    event.replayed = True
    return event


def _only(path: str, model, keep: set[str]) -> list[str]:
    return [
        f"{path}__{f.name}"
        for f in model._meta.concrete_fields
        if f.name not in keep and not f.primary_key
    ]


#: What an event reads of the package, contract and person; the rest is left
#: unread (an access to it would load it: correct, one query more). Fewer
#: columns is most of what the lock's query costs.
_UNREAD = [
    *_only("package", CarePackage, {"organisation", "contract", "individual"}),
    *_only(
        "package__contract",
        Contract,
        {"organisation", "provider", "reference", "rulebook", "rulebook_version"}
        | {"rulebook_overrides"},
    ),
    *_only(
        "individual", Individual, {"latitude", "longitude", "address_line_1", "town"} | {"postcode"}
    ),
]


def _locked_visits():
    """Live visits, locked, with their contract, person, call record and whether
    doses may be due, in one query."""
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("package__contract", "individual", "call")
        .defer(*_UNREAD)
        .annotate(**dose_rules.flags())
        .filter(archived_at__isnull=True)
    )


def _lock(visit_id, worker) -> Visit | None:
    """The worker's provider's live visit ``visit_id``, locked (one writer per visit
    at a time: two workers of a double-handed call checking in together are
    serialised here), with what :func:`_locked_visits` reads and whether the
    worker is on its rota, in one query."""
    found = (
        _locked_visits()
        .annotate(
            on_rota=Exists(
                VisitAssignment.objects.filter(visit_id=OuterRef("pk"), worker_id=worker.pk)
            )
        )
        .filter(pk=visit_id, organisation_id=worker.organisation_id)
        .order_by()[:1]  # unique: no ORDER BY to build
    )
    return next(iter(found), None)


def call_of(visit: Visit) -> CallRecord | None:
    """The visit's call record, as read with the visit (no query)."""
    try:
        return visit.call
    except CallRecord.DoesNotExist:
        return None


def event_service(handler):
    """Wrap a kind's ``handler(event, visit, worker, data)``: lock the visit, correct
    the clock, check the rota and the visit's state, record the event."""

    def service(*, worker, visit, data: EventInput, sent_at=None, received_at=None):
        try:
            return record(worker, visit, data, sent_at, received_at)
        except IntegrityError:
            # The key was recorded before (a replay), or by another request at the
            # same moment: all this one did is rolled back; answer with the first.
            existing = VisitEvent.objects.filter(idempotency_key=data.key).first()
            if existing is None:
                raise
            return replayed(existing, worker)

    def record(worker, visit, data, sent_at, received_at):
        visit_id = getattr(visit, "pk", visit)
        event, timing = new_event(worker, visit_id, data, sent_at, received_at)
        try:
            with transaction.atomic():
                locked = _lock(visit_id, worker)
                if locked is None:
                    existing = VisitEvent.objects.filter(idempotency_key=data.key).first()
                    if existing is not None:  # answered before the visit went
                        return replayed(existing, worker)
                    raise EventError(NOT_ON_ROTA)
                event.visit = locked
                check_may_record(timing, locked, on_rota=locked.on_rota)
                handler(event, locked, worker, data)
                if event._state.adding:
                    event.save(force_insert=True)
        except Refused as refused:
            # The handler's writes are rolled back; the refused event alone is
            # recorded, for the office to see.
            event.outcome, event.reason = VisitEvent.Outcome.REJECTED, refused.reason
            event.needs_approval = False
            event._state.adding = True
            with transaction.atomic():
                event.save(force_insert=True)
        event.replayed = False
        return event

    service.__name__ = handler.__name__.lstrip("_")
    service.__doc__ = handler.__doc__
    return service


def new_event(worker, visit_id, data: EventInput, sent_at, received_at):
    """The event ``worker``'s phone sent for ``visit_id``, accepted until refused, and
    its time on the server's clock (:func:`homecare.domain.evv.event_time`)."""
    received_at = received_at or timezone.now()
    timing = evv.event_time(device_at=data.device_at, received_at=received_at, sent_at=sent_at)
    event = VisitEvent(
        organisation_id=worker.organisation_id,
        idempotency_key=data.key,
        visit_id=visit_id,
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
        payload=payload_for_log(data),
        outcome=VisitEvent.Outcome.ACCEPTED,
    )
    return event, timing


def check_may_record(timing, visit: Visit, *, on_rota: bool) -> None:
    """:class:`Refused` when nothing may be recorded for ``visit`` by this event: a
    time in the future, a visit not on the worker's rota, a cancelled visit."""
    if timing.refused:
        raise Refused(timing.refused)
    if not on_rota:
        raise Refused(NOT_ON_ROTA + " The office has been told.")
    if visit.status == Visit.Status.CANCELLED:
        raise Refused("This visit was cancelled: nothing can be recorded against it.")


def payload_for_log(data: EventInput) -> dict:
    payload = dict(data.payload)
    if data.manual_reason:
        payload["manual_reason"] = data.manual_reason
    if data.tag_code:
        payload["tag_code"] = data.tag_code
    return payload


def verify(event: VisitEvent, visit: Visit, data: EventInput) -> None:
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
        raise Refused(result.reason)
    event.needs_approval = result.needs_approval


def monitor(name: str, **kwargs) -> None:
    """Tell the live board's monitor that a call started or ended (same transaction)."""
    try:
        # No savepoint: a refusal rolls the event's whole transaction back.
        getattr(monitoring, name)(savepoint=False, **kwargs)
    except monitoring.CallRejected as exc:
        raise Refused(str(exc)) from None


def local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")
