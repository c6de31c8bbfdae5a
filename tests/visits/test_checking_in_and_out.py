"""Checking in and out from the phone, verified by GPS, the home's tag or a manual
reason, and every bad input the issue lists: each refused with a clear reason,
recorded for the office, and changing nothing else."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from homecare.monitoring.models import CallWatch
from homecare.packages.models import Visit
from homecare.visits import services
from homecare.visits.models import CallRecord, CallWorker, VisitEvent
from tests.visits.conftest import dose_payload

pytestmark = pytest.mark.django_db

FAR = (Decimal("53.800000"), Decimal("-2.500000"))  # about 5.7 km north of the home


def _record_doses(send, ward):
    for med, hhmm in [("paracetamol", "08:00"), ("donepezil", "09:00")]:
        event = send("worker", "medication", **dose_payload(ward[med], ward["visit"], hhmm))
        assert event.outcome == "accepted", event.reason


def test_a_gps_check_in_near_the_home_starts_the_call(ward, nine, send):
    """The call keeps the six EVV data elements: service type, person, date,
    location, worker, start (and end at check-out)."""
    event = send("worker", "check_in")
    assert event.outcome == "accepted" and event.method == "gps"
    assert event.distance_metres < 1
    call = CallRecord.objects.get(visit=ward["visit"])
    assert call.status == "in_progress"
    assert call.started_at == call.care_started_at == nine
    assert call.individual == ward["person"] and call.date == ward["visit"].date
    assert "Personal care" in call.service_type and call.address.startswith(
        ward["person"].address_line_1
    )
    assert call.latitude == ward["person"].latitude
    assert list(call.workers.values_list("worker", flat=True)) == [ward["care_worker"].pk]


def test_a_check_out_closes_the_visit_once(ward, nine, send):
    send("worker", "check_in")
    _record_doses(send, ward)
    with time_machine.travel(nine + timedelta(minutes=40), tick=False):
        out = send("worker", "check_out")
    assert out.outcome == "accepted", out.reason
    call = CallRecord.objects.get(visit=ward["visit"])
    assert call.status == "completed" and call.ended_at == nine + timedelta(minutes=40)
    assert Visit.objects.get(pk=ward["visit"].pk).status == "completed"
    assert CallWatch.objects.get(visit=ward["visit"]).state == "completed"  # the live board
    again = send("worker", "check_out")
    assert again.outcome == "rejected" and "checked out at" in again.reason


def test_the_home_tag_verifies_a_check_in(ward, nine, send):
    event = send("worker", "check_in", method="tag", tag_code="PQ7-4411", position=None)
    assert event.outcome == "accepted" and event.method == "tag"


def test_a_wrong_tag_is_refused(ward, nine, send):
    event = send("worker", "check_in", method="tag", tag_code="XXXX", position=None)
    assert event.outcome == "rejected" and "does not match" in event.reason
    assert not CallRecord.objects.exists()


def test_a_manual_check_in_needs_a_reason_and_the_coordinators_approval(ward, nine, send):
    refused = send("worker", "check_in", method="manual", position=None)
    assert refused.outcome == "rejected" and "needs a reason" in refused.reason
    event = send("worker", "check_in", method="manual", position=None, manual_reason="No signal")
    assert event.outcome == "accepted" and event.needs_approval and event.is_exception
    call = CallRecord.objects.get(visit=ward["visit"])
    assert call.needs_approval
    with pytest.raises(services.EventError):
        services.visit_event_approve(by=ward["worker"], event=event)
    approved = services.visit_event_approve(by=ward["coordinator"], event=event)
    assert approved.approved_by == ward["coordinator"] and not approved.is_exception
    call.refresh_from_db()
    assert not call.needs_approval
    with pytest.raises(services.EventError, match="approved already"):
        services.visit_event_approve(by=ward["coordinator"], event=event)


def test_a_location_far_outside_the_radius_is_refused_and_kept_for_the_office(ward, nine, send):
    event = send("worker", "check_in", position=FAR)
    assert event.outcome == "rejected"
    assert "5,671 m from the home" in event.reason and "allows 200 m" in event.reason
    assert event.is_exception and VisitEvent.objects.get(pk=event.pk).distance_metres > 5000
    assert not CallRecord.objects.exists()


def test_the_radius_is_the_contracts(ward, nine, send):
    """About 100 m from the door: inside the default 200 m, outside a contract's 50 m."""
    near = (Decimal("53.749900"), Decimal("-2.500000"))
    contract = ward["contract"]
    contract.rulebook_overrides = {"visit.checkin_radius_metres": 50}
    contract.save()
    refused = send("worker", "check_in", position=near, accuracy=5.0)
    assert refused.outcome == "rejected" and "allows 50 m" in refused.reason
    contract.rulebook_overrides = {}
    contract.save()
    assert send("worker", "check_in", position=near, accuracy=5.0).outcome == "accepted"


def test_a_contract_may_forbid_manual_check_ins(ward, nine, send):
    contract = ward["contract"]
    contract.rulebook_overrides = {"visit.checkin_methods": "gps_tag"}
    contract.save()
    event = send("worker", "check_in", method="manual", position=None, manual_reason="No signal")
    assert event.outcome == "rejected" and "does not allow manual" in event.reason


def test_a_check_out_before_a_check_in_is_refused(ward, nine, send):
    event = send("worker", "check_out")
    assert event.outcome == "rejected" and "check in first" in event.reason
    assert Visit.objects.get(pk=ward["visit"].pk).status == "planned"
    assert not CallRecord.objects.exists()


def test_a_check_out_stamped_before_the_check_in_is_refused(ward, nine, send):
    send("worker", "check_in")
    event = send("worker", "check_out", device_at=nine - timedelta(minutes=30))
    assert event.outcome == "rejected" and "before your check-in" in event.reason
    assert CallWorker.objects.get().checked_out_at is None


def test_a_check_in_for_another_workers_visit_is_refused_and_kept(ward, nine, send):
    event = send("partner_user", "check_in")
    assert event.outcome == "rejected" and "not on your rota" in event.reason
    assert event.visit == ward["visit"] and event.is_exception
    assert not CallRecord.objects.exists()


def test_a_visit_of_another_provider_is_not_even_recorded(ward, nine, send):
    from tests import factories as f

    other = f.PatternEntryFactory()
    stranger = f.CareWorkerFactory(organisation=other.organisation)
    stranger.user = f.UserFactory(organisation=other.organisation, role="care_worker")
    stranger.save()
    with pytest.raises(services.EventError, match="not on your rota"):
        send(stranger.user, "check_in")
    assert not VisitEvent.objects.exists()


def test_a_cancelled_visit_takes_no_record(ward, nine, send):
    Visit.objects.filter(pk=ward["visit"].pk).update(status="cancelled")
    event = send("worker", "check_in")
    assert event.outcome == "rejected" and "cancelled" in event.reason
    assert not CallRecord.objects.exists()


def test_an_event_days_in_the_future_is_refused(ward, nine, send):
    event = send("worker", "check_in", device_at=nine + timedelta(days=3))
    assert event.outcome == "rejected" and "3 days in the future" in event.reason
    assert not CallRecord.objects.exists()


def test_a_phone_with_a_slow_clock_is_corrected_by_the_time_it_sent(ward, nine, send):
    """Server time is recorded beside device time; the phone's clock is an hour slow,
    and an event queued 20 minutes ago is recorded at its real time."""
    slow = timedelta(hours=1)
    event = send(
        "worker",
        "check_in",
        device_at=nine - slow - timedelta(minutes=20),
        sent_at=nine - slow,
    )
    assert event.outcome == "accepted"
    assert event.received_at == nine and event.skew_seconds == 3600
    assert event.occurred_at == nine - timedelta(minutes=20)
    assert CallRecord.objects.get().started_at == nine - timedelta(minutes=20)


def test_a_phone_with_a_fast_clock_is_not_in_the_future(ward, nine, send):
    fast = timedelta(days=2)
    event = send("worker", "check_in", device_at=nine + fast, sent_at=nine + fast)
    assert event.outcome == "accepted" and event.occurred_at == nine


def test_queueing_delay_is_not_taken_for_a_wrong_clock(ward, nine, send):
    """A batch that waited 40 s in a queue is not a phone 40 s slow; and a check-out
    whose correction differs a little from the check-in's counts at the check-in."""
    event = send(
        "worker",
        "check_in",
        device_at=nine - timedelta(seconds=41),
        sent_at=nine - timedelta(seconds=40),
    )
    assert event.skew_seconds == 0 and event.occurred_at == nine - timedelta(seconds=41)
    _record_doses(send, ward)
    out = send("worker", "check_out", device_at=nine - timedelta(seconds=70))
    assert out.outcome == "accepted", out.reason
    assert CallWorker.objects.get().checked_out_at == nine - timedelta(seconds=41)
