"""Reads for the care worker's phone: today's and tomorrow's rota, ready for JSON.

Everything is read through ``homecare.core.access``: a care worker sees the
visits on their own rota only. A fixed number of queries, however many visits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from homecare.core import access
from homecare.packages.models import Visit, VisitAssignment

from . import doses as dose_rules
from .models import (
    CallWorker,
    DoseRecord,
    HomeProfile,
    Medication,
    SkinConcern,
    TaskRecord,
    VisitNote,
)

#: How far back a worker sees handover notes for the people on their rota.
HANDOVER_BACK = timedelta(days=3)


def _iso(value):
    return value.isoformat() if value else None


def rota(user, *, now=None) -> dict:
    """Today's and tomorrow's visits of ``user`` (a care worker), with what they need
    at the door, the tasks, the doses due and what has been recorded so far."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = [today, today + timedelta(days=1)]
    worker = access.workers_for(user).filter(user=user).first()
    if worker is None:
        return {"server_time": _iso(now), "worker": None, "visits": []}
    visits = list(
        access.visits_for(user)
        .filter(date__in=days)
        .select_related("individual", "call")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=VisitAssignment.objects.select_related("worker").order_by("assigned_at"),
            )
        )
        .order_by("planned_start")
    )
    ids = [v.pk for v in visits]
    people = {v.individual_id for v in visits}
    profiles = {
        p.individual_id: p
        for p in HomeProfile.objects.filter(
            organisation_id=worker.organisation_id, individual_id__in=people, archived_at=None
        )
    }
    medications = defaultdict(list)
    for m in Medication.objects.filter(
        organisation_id=worker.organisation_id,
        individual_id__in=people,
        active=True,
        archived_at=None,
    ):
        medications[m.individual_id].append(m)
    day_visits = defaultdict(list)
    for v in (
        Visit.objects.filter(
            organisation_id=worker.organisation_id,
            individual_id__in=people,
            date__in=days,
            archived_at=None,
        )
        .exclude(status=Visit.Status.CANCELLED)
        .only("pk", "individual_id", "date", "planned_start", "planned_end")
    ):
        day_visits[(v.individual_id, v.date)].append(v)
    doses_done = {
        (d.dose.visit_id, d.dose.medication_id, d.dose.due_at): d
        for d in DoseRecord.objects.filter(visit_id__in=ids).select_related("dose")
    }
    tasks_done = defaultdict(dict)
    for t in TaskRecord.objects.filter(visit_id__in=ids):
        tasks_done[t.visit_id][t.task] = t
    presence = defaultdict(dict)
    for cw in CallWorker.objects.filter(call__visit_id__in=ids).select_related("call"):
        presence[cw.call.visit_id][cw.worker_id] = cw
    handover = defaultdict(list)
    for n in (
        VisitNote.objects.filter(
            individual_id__in=people,
            organisation_id=worker.organisation_id,
            for_next_worker=True,
            recorded_at__gte=now - HANDOVER_BACK,
            archived_at=None,
        )
        .select_related("worker")
        .order_by("-recorded_at")
    ):
        if len(handover[n.individual_id]) < 5:
            handover[n.individual_id].append(n)
    skin = defaultdict(list)
    for m in SkinConcern.objects.filter(
        individual_id__in=people,
        organisation_id=worker.organisation_id,
        recorded_at__gte=now - HANDOVER_BACK,
        archived_at=None,
    ).select_related("worker"):
        skin[m.individual_id].append(m)
    rows = []
    for v in visits:
        rows.append(
            _visit_json(
                v,
                worker=worker,
                profile=profiles.get(v.individual_id),
                due=dose_rules.due_on(
                    v,
                    medications=medications[v.individual_id],
                    day_visits=day_visits[(v.individual_id, v.date)],
                ),
                doses_done=doses_done,
                tasks_done=tasks_done[v.pk],
                presence=presence[v.pk],
                handover=handover[v.individual_id],
                skin=skin[v.individual_id],
            )
        )
    return {
        "server_time": _iso(now),
        "worker": {"id": str(worker.pk), "name": f"{worker.given_name} {worker.family_name}"},
        "visits": rows,
    }


def _visit_json(
    v, *, worker, profile, due, doses_done, tasks_done, presence, handover, skin
) -> dict:
    person = v.individual
    call = getattr(v, "call", None)
    mine = presence.get(worker.pk)
    partners = [a.worker for a in v.assignments.all() if a.worker_id != worker.pk]
    safety = [
        s
        for s in [
            profile.safety_notes if profile else "",
            person.known_risks,
            f"Moving and handling: {person.moving_and_handling}"
            if person.moving_and_handling
            else "",
        ]
        if s
    ]
    return {
        "id": str(v.pk),
        "date": v.date.isoformat(),
        "start": _iso(v.planned_start),
        "end": _iso(v.planned_end),
        "duration_minutes": v.duration_minutes,
        "status": v.status,
        "workers_required": v.workers_required,
        "person": {
            "name": f"{person.given_name} {person.family_name}",
            "address_as": person.preferred_name or f"{person.title} {person.family_name}".strip(),
            "address": ", ".join(
                p
                for p in [
                    person.address_line_1,
                    person.address_line_2,
                    person.town,
                    person.postcode,
                ]
                if p
            ),
            "latitude": float(person.latitude),
            "longitude": float(person.longitude),
            "access_notes": profile.access_notes if profile else "",
            "safety": safety,
            "communication": person.communication_needs,
        },
        "partners": [f"{w.given_name} {w.family_name}" for w in partners],
        "tasks": [
            {
                "task": str(t),
                "outcome": tasks_done[str(t)].outcome if str(t) in tasks_done else None,
                "reason": tasks_done[str(t)].reason if str(t) in tasks_done else "",
            }
            for t in (v.tasks or [])
        ],
        "doses": [
            {
                "medication": str(m.pk),
                "name": m.name,
                "dose": m.dose,
                "route": m.route,
                "instructions": m.instructions,
                "due_at": _iso(at),
                "outcome": (r := doses_done.get((v.pk, m.pk, at))) and r.outcome,
            }
            for m, at in due
        ],
        "call": {
            "status": call.status if call else None,
            "waiting_for_partner": bool(call and call.status == "waiting"),
            "care_started_at": _iso(call.care_started_at) if call else None,
            "checked_in_at": _iso(mine.checked_in_at) if mine else None,
            "checked_out_at": _iso(mine.checked_out_at) if mine else None,
            "workers_in": sum(1 for p in presence.values() if p.checked_out_at is None),
        },
        "handover": [
            {"text": n.text, "by": n.worker.given_name, "at": _iso(n.recorded_at)} for n in handover
        ],
        "skin": [_skin_json(m, this_visit=m.visit_id == v.pk) for m in skin],
    }


def _skin_json(m, *, this_visit: bool) -> dict:
    """A mark on the body map: this visit's, or an earlier one to check on."""
    return {
        "side": m.side,
        "x": m.x,
        "y": m.y,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "region": m.region,
        "note": m.note,
        "by": m.worker.given_name,
        "at": _iso(m.recorded_at),
        "this_visit": this_visit,
    }


def exceptions_for(user):
    """Refused events and manual check-ins awaiting approval, for the office."""
    from .models import VisitEvent

    return (
        access.visit_events_for(user)
        .filter(
            Q(outcome=VisitEvent.Outcome.REJECTED)
            | Q(needs_approval=True, approved_at__isnull=True)
        )
        .select_related("visit__individual", "worker")
        .order_by("-received_at")
    )


def visit_record(visit) -> dict:
    """Everything recorded about one visit, for its record page."""
    from .models import CallRecord, FinancialTransaction, Incident, VisitEvent

    call = CallRecord.objects.filter(visit=visit).first()
    return {
        "visit": visit,
        "call": call,
        "call_workers": list(
            CallWorker.objects.filter(call=call).select_related("worker") if call else []
        ),
        "events": list(
            VisitEvent.objects.filter(visit=visit).select_related("worker").order_by("received_at")
        ),
        "tasks": list(TaskRecord.objects.filter(visit=visit).select_related("worker")),
        "doses": list(
            DoseRecord.objects.filter(visit=visit).select_related("dose__medication", "worker")
        ),
        "money": list(FinancialTransaction.objects.filter(visit=visit).select_related("worker")),
        "incidents": list(Incident.objects.filter(visit=visit).select_related("worker")),
        "notes": list(VisitNote.objects.filter(visit=visit).select_related("worker")),
        "skin": _numbered(SkinConcern.objects.filter(visit=visit).select_related("worker")),
    }


def _numbered(marks) -> list:
    """Marks numbered in the order recorded, as the body map labels them."""
    marks = list(marks)
    for number, mark in enumerate(marks, start=1):
        mark.number = number
    return marks
