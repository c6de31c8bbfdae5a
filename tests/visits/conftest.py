"""A visit tomorrow at 09:00 with two doses due, a double-handed one at 18:00, and
the clock stopped two minutes after nine so the phone's events are 'now'.

``send(who, kind, visit=..., **fields)`` records one event as that worker's phone
would send it (a fresh idempotency key unless ``key`` is given); ``lunch`` is a
13:00 visit with no dose due, and ``check(worker, visit, kind, at)`` one
check-in or check-out for a batch (``homecare.visits.arrivals``).
"""

import uuid
from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from homecare.accounts.models import Role
from homecare.packages import services as package_services
from homecare.visits import arrivals, services
from homecare.visits.models import Medication
from tests import factories as f

HOME = (Decimal("53.749000"), Decimal("-2.500000"))  # IndividualFactory's home


@pytest.fixture
def ward(world):
    person, package, coordinator = world["person"], world["package"], world["coordinator"]
    visit = world["visit"]
    partner = f.CareWorkerFactory(organisation=world["provider"], given_name="Tomasz")
    partner.user = f.UserFactory(organisation=world["provider"], role=Role.CARE_WORKER)
    partner.save()
    package_services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[visit.date.weekday()],
        start_time=time(18, 0),
        end_time=time(18, 30),
        workers_required=2,
        tasks=["Hoist to bed"],
    )
    evening = package.visits.get(date=visit.date, planned_start__gt=visit.planned_start)
    package_services.visit_assign_workers(
        by=coordinator, visit=evening, workers=[world["care_worker"], partner]
    )
    paracetamol = Medication.objects.create(
        organisation=world["provider"],
        individual=person,
        name="Paracetamol",
        dose="500 mg, two tablets",
        times=["08:00", "18:00"],
    )
    donepezil = Medication.objects.create(
        organisation=world["provider"],
        individual=person,
        name="Donepezil",
        dose="10 mg",
        times=["09:00"],
    )
    services.home_profile_set(
        by=coordinator,
        organisation=world["provider"],
        individual=person,
        tag_code="pq7-4411",
        access_notes="Key safe by the back door: 1966.",
        safety_notes="Oxygen in use: no naked flames.",
    )
    return {
        **world,
        "partner": partner,
        "partner_user": partner.user,
        "evening": evening,
        "paracetamol": paracetamol,
        "donepezil": donepezil,
    }


@pytest.fixture
def nine(ward):
    """Tomorrow, 09:02 local time."""
    start = ward["visit"].planned_start + timedelta(minutes=2)
    with time_machine.travel(start, tick=False):
        yield start


@pytest.fixture
def send(ward):
    def _send(
        who,
        event_kind,
        /,
        *,
        visit=None,
        key=None,
        device_at=None,
        sent_at=None,
        method="gps",
        position=HOME,
        accuracy=12.0,
        tag_code="",
        manual_reason="",
        **payload,
    ):
        data = services.EventInput(
            key=key or str(uuid.uuid4()),
            kind=event_kind,
            device_at=device_at or timezone.now(),
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            accuracy_metres=accuracy,
            method=method,
            tag_code=tag_code,
            manual_reason=manual_reason,
            payload=payload,
        )
        user = ward[who] if isinstance(who, str) else who
        return services.event_record(
            user=user, visit_id=(visit or ward["visit"]).pk, data=data, sent_at=sent_at
        )

    return _send


def dose_payload(dose_medication, visit, hhmm, outcome="given", reason=""):
    from datetime import datetime

    due = timezone.make_aware(datetime.combine(visit.date, time(*map(int, hhmm.split(":")))))
    return {
        "medication": str(dose_medication.pk),
        "due_at": due.isoformat(),
        "outcome": outcome,
        "reason": reason,
    }


@pytest.fixture
def lunch(ward):
    """A 13:00 visit of the first worker with no dose due."""
    package_services.pattern_entry_add(
        by=ward["coordinator"],
        package=ward["package"],
        weekdays=[ward["visit"].date.weekday()],
        start_time=time(13, 0),
        end_time=time(13, 30),
        tasks=["Lunch"],
    )
    day = ward["package"].visits.filter(date=ward["visit"].date)
    visit = next(v for v in day if v.tasks == ["Lunch"])
    package_services.visit_assign_workers(
        by=ward["coordinator"], visit=visit, workers=[ward["care_worker"]]
    )
    return visit


def check(worker, visit, kind, at, key=None):
    data = services.EventInput(
        key=key or str(uuid.uuid4()),
        kind=kind,
        device_at=at,
        latitude=HOME[0],
        longitude=HOME[1],
        accuracy_metres=10,
        method="gps",
    )
    return arrivals.Check(worker, str(getattr(visit, "pk", visit)), data, None, None)
