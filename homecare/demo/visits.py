"""Demo visit records: what care workers' phones recorded yesterday and today.

Runs after :func:`homecare.demo.monitoring.build_calls` has played the day on the
live board, and gives each call that started the records the phone app would
have sent: check-in and check-out events (GPS near the home), the verified call
(``CallRecord``), each task done (a few refused, with the reason), the doses
due from the person's medication schedule (a few refused), and handover notes.
It also gives every person with care a home profile (the QR tag's code, access
notes, key safety information) and about a third of them a medication schedule.

Bulk inserts: the county demo has thousands of calls a day.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from homecare.monitoring.models import CallWatch
from homecare.packages.models import CarePackage, Visit
from homecare.visits import doses as dose_rules
from homecare.visits.models import (
    CallRecord,
    CallWorker,
    DoseRecord,
    HomeProfile,
    Medication,
    MedicationDose,
    TaskRecord,
    VisitEvent,
    VisitNote,
)

MEDICINES = [
    ("Paracetamol", "500 mg, two tablets", ["08:00", "13:00", "18:00"], "Not within 4 hours."),
    ("Metformin", "500 mg, one tablet", ["08:00", "18:00"], "With food."),
    ("Donepezil", "10 mg, one tablet", ["21:00"], ""),
    ("Amlodipine", "5 mg, one tablet", ["08:00"], ""),
    ("Furosemide", "40 mg, one tablet", ["08:00"], "Morning only."),
    ("Levothyroxine", "50 micrograms", ["07:30"], "Before breakfast."),
]
ACCESS = [
    "Key safe by the front door (code with the office). Knock and call out.",
    "Daughter lets you in before 9; after that the key safe at the back door.",
    "Ring the bell and wait: walks with a frame. Door on the latch in the day.",
    "Flat 3, second floor; lift often out of order. Door entry code with the office.",
]
SAFETY = [
    "Oxygen in use: no naked flames, no smoking in the house.",
    "Friendly dog; keep the garden gate shut.",
    "Falls risk: clear the hallway, check the pendant alarm is worn.",
    "Steep front steps: take care in the wet and the dark.",
    "",
]
NOTES = [
    "Ate all of breakfast and had two cups of tea.",
    "Low on milk and bread; daughter told.",
    "A little breathless today; says she feels fine. Keep an eye on it.",
    "Bins go out tonight.",
    "Pendant alarm tested: works.",
    "Watched the racing and was in good spirits.",
    "Skin on heels looks a bit red; cream applied.",
]
REFUSALS = ["Said not today", "Had already done it", "Too tired", "Wanted to wait for family"]


def build_records(*, today, seed: int = 8) -> dict[str, int]:
    rng = random.Random(seed * 7_919 + today.toordinal())
    counts = {"profiles": _profiles(rng), "medications": _medications(rng)}
    counts.update(_calls(rng, today))
    return counts


def _homes():
    return (
        CarePackage.objects.filter(archived_at__isnull=True, status="active")
        .values_list("organisation_id", "individual_id")
        .distinct()
        .order_by("organisation_id", "individual_id")
    )


def _profiles(rng) -> int:
    rows = [
        HomeProfile(
            organisation_id=org,
            individual_id=person,
            tag_code=f"{rng.choice('BCDFGHJKLMNPQRSTVWXZ')}{rng.randrange(10, 99)}-"
            f"{rng.randrange(1000, 9999)}",
            access_notes=rng.choice(ACCESS),
            safety_notes=rng.choice(SAFETY),
        )
        for org, person in _homes()
    ]
    HomeProfile.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def _medications(rng) -> int:
    rows = []
    for org, person in _homes():
        if rng.random() > 0.35:
            continue
        for name, dose, times, instructions in rng.sample(MEDICINES, rng.randint(1, 3)):
            rows.append(
                Medication(
                    organisation_id=org,
                    individual_id=person,
                    name=name,
                    dose=dose,
                    times=times,
                    instructions=instructions,
                )
            )
    Medication.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _calls(rng, today) -> dict[str, int]:
    watches = list(
        CallWatch.objects.filter(
            date__in=(today - timedelta(days=1), today), first_arrival_at__isnull=False
        )
        .select_related("visit__individual")
        .prefetch_related("presences")
        .order_by("ordered_at", "pk")
    )
    visits = [w.visit for w in watches]
    medications = defaultdict(list)
    for m in Medication.objects.filter(individual_id__in={v.individual_id for v in visits}):
        medications[(m.organisation_id, m.individual_id)].append(m)
    day_visits = defaultdict(list)
    for v in Visit.objects.filter(
        individual_id__in={v.individual_id for v in visits},
        date__in=(today - timedelta(days=1), today),
        archived_at__isnull=True,
    ).exclude(status="cancelled"):
        day_visits[(v.individual_id, v.date)].append(v)
    calls, workers, events, tasks, doses, records, notes, completed = ([] for _ in range(8))
    for watch in watches:
        visit, person = watch.visit, watch.visit.individual
        done = watch.ended_at is not None
        call = CallRecord(
            organisation_id=visit.organisation_id,
            visit=visit,
            individual=person,
            service_type=", ".join(str(t) for t in visit.tasks or []) or "Visit",
            date=visit.date,
            latitude=person.latitude,
            longitude=person.longitude,
            address=f"{person.address_line_1}, {person.town}, {person.postcode}",
            status="completed" if done else ("in_progress" if watch.started_at else "waiting"),
            started_at=watch.first_arrival_at,
            care_started_at=watch.started_at,
            ended_at=watch.ended_at,
        )
        calls.append(call)
        first_event = None
        for presence in watch.presences.all():
            workers.append(
                CallWorker(
                    organisation_id=visit.organisation_id,
                    call=call,
                    worker_id=presence.worker_id,
                    checked_in_at=presence.arrived_at,
                    checked_out_at=presence.left_at,
                    check_in_method="gps",
                    check_out_method="gps" if presence.left_at else "",
                )
            )
            for kind, at in (("check_in", presence.arrived_at), ("check_out", presence.left_at)):
                if at is None:
                    continue
                event = _event(rng, visit, presence.worker_id, kind, at, person)
                events.append(event)
                first_event = first_event or event
        if first_event is None or not watch.started_at:
            continue
        worker_id, at = first_event.worker_id, watch.started_at
        for n, task in enumerate(visit.tasks or []):
            refused = rng.random() < 0.04
            tasks.append(
                TaskRecord(
                    organisation_id=visit.organisation_id,
                    visit=visit,
                    worker_id=worker_id,
                    event=first_event,
                    recorded_at=at + timedelta(minutes=3 + 4 * n),
                    task=str(task),
                    outcome="refused" if refused else "done",
                    reason=rng.choice(REFUSALS) if refused else "",
                )
            )
        due = dose_rules.due_on(
            visit,
            medications=medications[(visit.organisation_id, visit.individual_id)],
            day_visits=day_visits[(visit.individual_id, visit.date)],
        )
        for medication, due_at in due:
            dose = MedicationDose(
                organisation_id=visit.organisation_id,
                visit=visit,
                medication=medication,
                due_at=due_at,
            )
            doses.append(dose)
            refused = rng.random() < 0.03
            records.append(
                DoseRecord(
                    organisation_id=visit.organisation_id,
                    visit=visit,
                    worker_id=worker_id,
                    event=first_event,
                    recorded_at=at + timedelta(minutes=5),
                    dose=dose,
                    outcome="refused" if refused else "given",
                    reason=rng.choice(REFUSALS) if refused else "",
                    given_at=None if refused else at + timedelta(minutes=5),
                )
            )
        if rng.random() < 0.3:
            notes.append(
                VisitNote(
                    organisation_id=visit.organisation_id,
                    visit=visit,
                    worker_id=worker_id,
                    event=first_event,
                    recorded_at=at + timedelta(minutes=10),
                    individual=person,
                    text=rng.choice(NOTES),
                    for_next_worker=True,
                    shared_with_person=rng.random() < 0.4,
                )
            )
        if done:
            completed.append(visit.pk)
    for model, rows in (
        (CallRecord, calls),
        (CallWorker, workers),
        (VisitEvent, events),
        (TaskRecord, tasks),
        (MedicationDose, doses),
        (DoseRecord, records),
        (VisitNote, notes),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    Visit.objects.filter(pk__in=completed, status="planned").update(status="completed")
    return {"calls": len(calls), "events": len(events), "doses": len(records)}


def _event(rng, visit, worker_id, kind, at, person) -> VisitEvent:
    """A GPS-verified event a few metres from the door, received a moment later."""
    lat = person.latitude + Decimal(rng.randrange(-30, 30)) / Decimal(100_000)
    lon = person.longitude + Decimal(rng.randrange(-30, 30)) / Decimal(100_000)
    return VisitEvent(
        organisation_id=visit.organisation_id,
        idempotency_key=str(uuid.UUID(int=rng.getrandbits(128))),
        visit=visit,
        worker_id=worker_id,
        kind=kind,
        device_at=at,
        sent_at=at,
        received_at=at + timedelta(seconds=rng.randint(1, 20)),
        occurred_at=at,
        latitude=lat,
        longitude=lon,
        accuracy_metres=float(rng.randint(5, 40)),
        distance_metres=float(rng.randint(1, 45)),
        method="gps",
        outcome="accepted",
    )
