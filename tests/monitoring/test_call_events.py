"""Check-ins and check-outs move a call (homecare.monitoring.services)."""

from datetime import timedelta

import pytest

from homecare.monitoring import services
from homecare.monitoring.models import CallWatch
from tests.monitoring.conftest import minutes_after


def test_a_check_in_on_time_starts_the_call(world):
    visit = world["visit"]
    watch = services.call_started(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, 5)
    )
    assert watch.state == "in_progress"
    assert watch.started_at == minutes_after(visit, 5)
    assert watch.flags == []
    assert watch.alert_at == visit.planned_end + watch.rules.late + timedelta(minutes=5)


def test_checking_in_twice_is_accepted_once(world):
    visit = world["visit"]
    services.call_started(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 5))
    again = services.call_started(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, 9)
    )
    assert again.started_at == minutes_after(visit, 5)
    assert again.presences.count() == 1


def test_a_start_45_minutes_after_the_ordered_time_is_late(world):
    """KENT-3.9.4: a call starting 45 minutes or more later is late."""
    visit = world["visit"]
    watch = services.call_started(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, 45)
    )
    assert watch.state == "in_progress"
    assert "late_start" in watch.flags
    assert watch.late_at == minutes_after(visit, 45)


def test_a_start_45_minutes_before_the_ordered_time_is_early(world):
    """KENT-3.9.4: a call starting 45 minutes or more earlier is early."""
    visit = world["visit"]
    watch = services.call_started(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, -45)
    )
    assert "early" in watch.flags


def test_a_start_more_than_two_hours_late_is_a_missed_call(world):
    """KENT-3.9.5: a call started more than two hours after the ordered time is missed."""
    visit = world["visit"]
    watch = services.call_started(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, 121)
    )
    assert watch.state == "missed"
    assert "started_after_missed" in watch.flags


def test_the_first_of_two_workers_waits_for_the_partner(double):
    """KENT-3.3.7: on a double-handed call care starts when both are in."""
    visit = double["visit"]
    watch = services.call_started(visit=visit, worker=double["first"], at=minutes_after(visit, 0))
    assert watch.started_at is None
    assert "waiting_for_partner" in watch.flags
    assert watch.state == "planned"
    watch = services.call_started(
        visit=visit, worker=double["partner"], at=minutes_after(visit, 50)
    )
    assert watch.started_at == minutes_after(visit, 50)
    assert watch.state == "in_progress"
    assert "late_start" in watch.flags
    assert "waiting_for_partner" not in watch.flags


def test_a_call_ends_when_every_worker_has_left(double):
    visit = double["visit"]
    for worker in (double["first"], double["partner"]):
        services.call_started(visit=visit, worker=worker, at=minutes_after(visit, 0))
    watch = services.call_ended(visit=visit, worker=double["first"], at=minutes_after(visit, 25))
    assert watch.state == "in_progress"
    watch = services.call_ended(visit=visit, worker=double["partner"], at=minutes_after(visit, 30))
    assert watch.state == "completed"
    assert watch.ended_at == minutes_after(visit, 30)
    assert watch.alert_at is None
    assert watch.outcome == "delivered"


@pytest.mark.parametrize(("left", "short"), [(35, False), (34, True)])
def test_a_call_cut_short_by_the_travel_allowance_is_not_short(world, left, short):
    """LAN-HC-4.1: up to 10 minutes of each visit is travel (a 45-minute visit of
    35 minutes is not short, 34 is)."""
    visit = world["visit"]
    services.call_started(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 0))
    watch = services.call_ended(
        visit=visit, worker=world["care_worker"], at=minutes_after(visit, left)
    )
    assert ("short" in watch.flags) is short


def test_a_check_out_before_a_check_in_is_refused(world):
    visit = world["visit"]
    with pytest.raises(services.CallRejected, match="not checked in"):
        services.call_ended(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 0))
    services.call_started(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 10))
    with pytest.raises(services.CallRejected, match="before the check-in"):
        services.call_ended(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 5))
    assert CallWatch.objects.get(visit=visit).state == "in_progress"


def test_a_cancelled_visit_cannot_be_started(world):
    visit = world["visit"]
    visit.status = "cancelled"
    visit.save(update_fields=["status"])
    with pytest.raises(services.CallRejected, match="cancelled"):
        services.call_started(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 0))
