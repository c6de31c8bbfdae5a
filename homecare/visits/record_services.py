"""The visit record from a care worker's phone: tasks, doses (the MAR), money
handled, incidents and notes (KENT-8.2.1, KENT-8.2.2, KENT-3.9.1).

Each is an event service (:func:`homecare.visits.event_service.event_service`):
one transaction, one event, idempotent by key. Reached through
:func:`homecare.visits.services.event_record`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from homecare.notifications import events as council

from . import doses as dose_rules
from .event_service import Refused, event_service, local
from .models import (
    CallWorker,
    DoseRecord,
    FinancialTransaction,
    Incident,
    TaskRecord,
    VisitNote,
)


def _checked_in(visit, worker) -> None:
    if not CallWorker.objects.filter(call__visit=visit, worker=worker).exists():
        raise Refused("Check in to the visit before recording it.")


def _text(payload: dict, name: str, *, required=True, limit=2000) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str):
        raise Refused(f"'{name}' must be text.")
    value = value.strip()
    if required and not value:
        raise Refused(f"'{name}' is required.")
    if len(value) > limit:
        raise Refused(f"'{name}' is longer than {limit} characters.")
    return value


def _choice(payload: dict, name: str, choices) -> str:
    value = payload.get(name)
    if value not in choices.values:
        raise Refused(f"'{name}' must be one of: {', '.join(choices.values)}.")
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
        raise Refused("That medication is not due on this visit.")
    outcome = _choice(data.payload, "outcome", DoseRecord.Outcome)
    reason = _text(data.payload, "reason", required=outcome != "given")
    done = DoseRecord.objects.filter(dose=dose).select_related("worker").first()
    if done is not None:
        raise Refused(
            f"{dose.medication.name} due {local(dose.due_at)} was recorded already "
            f"({done.get_outcome_display().lower()} at {local(done.recorded_at)} "
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
        raise Refused("The amount must be a sum of money, e.g. 12.50.") from None
    if not Decimal("0") < amount < MAX_AMOUNT:
        raise Refused(f"The amount must be more than £0 and less than £{MAX_AMOUNT:,}.")
    purpose = _text(data.payload, "purpose", limit=300)
    if data.payload.get("confirmed_by_person") is not True:
        raise Refused("The person (or their advocate) must confirm the transaction.")
    limit = visit.package.contract.rules().value("gifts.max_value")
    if kind == "gift" and amount > limit:
        raise Refused(
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
            raise Refused(" ".join(exc.messages)) from None


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


visit_record_task = event_service(_visit_record_task)
visit_record_dose = event_service(_visit_record_dose)
visit_record_finance = event_service(_visit_record_finance)
visit_record_incident = event_service(_visit_record_incident)
visit_record_note = event_service(_visit_record_note)
