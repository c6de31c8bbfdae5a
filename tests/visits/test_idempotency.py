"""Every event carries an idempotency key: a replayed or duplicated event is
accepted once and never double-counted."""

from datetime import timedelta

import pytest
import time_machine

from homecare.visits import services
from homecare.visits.models import CallRecord, CallWorker, DoseRecord, TaskRecord, VisitEvent
from tests.visits.conftest import dose_payload

pytestmark = pytest.mark.django_db


def test_the_same_check_in_sent_three_times_is_one_event(ward, nine, send):
    first, second, third = (send("worker", "check_in", key="k-1") for _ in range(3))
    assert first.pk == second.pk == third.pk
    assert not first.replayed and second.replayed and third.replayed
    assert VisitEvent.objects.count() == 1 and CallWorker.objects.count() == 1


def test_a_replayed_day_of_events_changes_nothing(ward, nine, send):
    keys = {
        "check_in": {},
        "task": {"task": "Personal care", "outcome": "done"},
        "medication": dose_payload(ward["paracetamol"], ward["visit"], "08:00"),
        "note": {"text": "Ate well"},
    }
    for _ in range(3):
        for kind, payload in keys.items():
            assert send("worker", kind, key=f"day-{kind}", **payload).outcome == "accepted"
    assert VisitEvent.objects.count() == 4
    assert TaskRecord.objects.count() == DoseRecord.objects.count() == 1


def test_a_check_in_tapped_twice_with_two_keys_counts_once(ward, nine, send):
    send("worker", "check_in")
    again = send("worker", "check_in")
    assert again.outcome == "rejected" and "checked in at" in again.reason
    assert CallWorker.objects.count() == 1


def test_a_replayed_check_out_does_not_close_twice(ward, nine, send):
    send("worker", "check_in")
    for hhmm, med in [("08:00", "paracetamol"), ("09:00", "donepezil")]:
        send("worker", "medication", **dose_payload(ward[med], ward["visit"], hhmm))
    with time_machine.travel(nine + timedelta(minutes=40), tick=False):
        outs = [send("worker", "check_out", key="out-1") for _ in range(3)]
    assert {o.pk for o in outs} == {outs[0].pk} and outs[0].outcome == "accepted"
    assert CallRecord.objects.get().history.filter(status="completed").count() == 1


def test_another_workers_key_is_not_theirs(ward, nine, send):
    send("worker", "check_in", key="shared")
    with pytest.raises(services.EventError, match="another event"):
        send("partner_user", "check_in", key="shared", visit=ward["evening"])
