"""Shared data for the referral tests."""

from datetime import datetime, time

from homecare.domain.patterns import LONDON

#: A Friday, 16:00 London time: the hospital discharge everyone remembers.
FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=LONDON)

VISITS = [
    {
        "weekday": d,
        "slot_start": time(7, 30),
        "slot_end": time(9, 0),
        "duration_minutes": 45,
        "workers_required": 1,
        "tasks": ["Wash and dress", "Breakfast"],
    }
    for d in range(7)
] + [
    {
        "weekday": d,
        "slot_start": time(17, 0),
        "slot_end": time(18, 30),
        "duration_minutes": 30,
        "workers_required": 1,
        "tasks": ["Tea", "Medication prompt"],
    }
    for d in range(7)
]


def answer_times(referral, hour_offset=0):
    return {
        v.pk: time(v.slot_start.hour + hour_offset, v.slot_start.minute)
        for v in referral.visits.all()
    }


def offer_for(referral, provider):
    return referral.offers.get(provider=provider)
