"""Billing prices what the phones verified: the call's care time from check-in
to check-out, not the planned length."""

from datetime import timedelta

import time_machine

from homecare.billing import delivery
from tests.visits.conftest import dose_payload


def test_a_checked_out_visit_is_delivered_with_its_verified_times(ward, nine, send):
    send("worker", "check_in")
    for med, hhmm in [("paracetamol", "08:00"), ("donepezil", "09:00")]:
        send("worker", "medication", **dose_payload(ward[med], ward["visit"], hhmm))
    with time_machine.travel(nine + timedelta(minutes=38), tick=False):
        assert send("worker", "check_out").outcome == "accepted"
    day = ward["visit"].date
    [record] = delivery.deliveries(contract_id=ward["contract"].pk, first=day, last=day)
    assert record.visit_id == str(ward["visit"].pk)
    assert (record.actual_start, record.actual_end) == (nine, nine + timedelta(minutes=38))
    assert record.for_pricing().actual_minutes == 38  # planned: 45


def test_a_call_never_checked_out_is_delivered_without_an_end(ward, nine, send):
    """A visit marked completed whose call has no check-out is refused by the
    pricing engine ("no check-out") rather than paid on its plan."""
    from homecare.packages.models import Visit

    send("worker", "check_in")
    Visit.objects.filter(pk=ward["visit"].pk).update(status=Visit.Status.COMPLETED)
    day = ward["visit"].date
    [record] = delivery.deliveries(contract_id=ward["contract"].pk, first=day, last=day)
    assert record.actual_start == nine
    assert record.actual_end is None
    assert record.for_pricing().actual_minutes is None
