"""Double-handed visits: the first worker in waits for the partner and the care
timer starts when both are in (KENT-3.3.7)."""

from datetime import timedelta

import pytest
import time_machine

from homecare.packages.models import Visit
from homecare.visits.models import CallRecord
from tests.visits.conftest import dose_payload

pytestmark = pytest.mark.django_db


def test_the_care_timer_starts_when_both_workers_are_in(ward, send):
    """KENT-3.3.7: the first to arrive does not begin until the second arrives."""
    evening = ward["evening"]
    six = evening.planned_start
    with time_machine.travel(six - timedelta(minutes=3), tick=False):
        assert send("worker", "check_in", visit=evening).outcome == "accepted"
    call = CallRecord.objects.get(visit=evening)
    assert call.status == "waiting" and call.care_started_at is None
    assert call.started_at == six - timedelta(minutes=3)
    with time_machine.travel(six + timedelta(minutes=4), tick=False):
        assert send("partner_user", "check_in", visit=evening).outcome == "accepted"
    call.refresh_from_db()
    assert call.status == "in_progress" and call.care_started_at == six + timedelta(minutes=4)
    with time_machine.travel(six + timedelta(minutes=30), tick=False):
        send(
            "worker",
            "medication",
            visit=evening,
            **dose_payload(ward["paracetamol"], evening, "18:00"),
        )
        assert send("worker", "check_out", visit=evening).outcome == "accepted"
        call.refresh_from_db()
        assert call.status == "in_progress"
        assert Visit.objects.get(pk=evening.pk).status == "planned"
    with time_machine.travel(six + timedelta(minutes=34), tick=False):
        assert send("partner_user", "check_out", visit=evening).outcome == "accepted"
    call.refresh_from_db()
    assert call.status == "completed" and call.care_minutes == 30
    assert Visit.objects.get(pk=evening.pk).status == "completed"


def test_without_the_arrive_together_rule_the_timer_starts_at_once(ward, send):
    contract = ward["contract"]
    contract.rulebook_overrides = {"visit.double_handed_arrival_together": False}
    contract.save()
    evening = ward["evening"]
    with time_machine.travel(evening.planned_start, tick=False):
        send("worker", "check_in", visit=evening)
    call = CallRecord.objects.get(visit=evening)
    assert call.status == "in_progress" and call.care_started_at == evening.planned_start
