"""The monitor moves a call nobody starts at the right minute (time_machine)."""

from datetime import timedelta

import pytest
import time_machine

from homecare.core.schedule import PERIODIC
from homecare.monitoring import monitor, services
from homecare.monitoring.models import CallWatch
from tests.monitoring.conftest import minutes_after


def _state_at(visit, minutes):
    with time_machine.travel(minutes_after(visit, minutes), tick=False):
        monitor.sweep()
    return CallWatch.objects.get(visit=visit).state


def test_a_call_nobody_starts_turns_late_at_45_minutes_and_missed_at_2_hours(world):
    """KENT-3.9.4 (late at 45 minutes or more) and KENT-3.9.5 (missed when not made
    2 hours after the ordered time): not a minute before."""
    visit = world["visit"]
    with time_machine.travel(minutes_after(visit, -30), tick=False):
        assert monitor.watch_days() >= 1
    steps = [
        (-1, "planned"),
        (0, "due"),
        (44, "due"),
        (44 + 59 / 60, "due"),
        (45, "late"),
        (119, "late"),
        (119 + 59 / 60, "late"),
        (120, "missed"),
        (300, "missed"),
    ]
    for minutes, state in steps:
        assert _state_at(visit, minutes) == state, f"at +{minutes} min"
    watch = CallWatch.objects.get(visit=visit)
    assert watch.late_at == minutes_after(visit, 45)
    assert watch.missed_at == minutes_after(visit, 120)
    assert watch.alert_at is None


def test_a_monitor_that_was_off_moves_a_call_straight_to_missed(world):
    visit = world["visit"]
    services.watch_for(visit)
    with time_machine.travel(minutes_after(visit, 180), tick=False):
        counts = monitor.sweep()
    assert counts["missed"] == 1 and counts["late"] == 0
    assert CallWatch.objects.get(visit=visit).state == "missed"


def test_a_started_call_is_never_flagged_late(world):
    visit = world["visit"]
    services.call_started(visit=visit, worker=world["care_worker"], at=minutes_after(visit, 10))
    assert _state_at(visit, 60) == "in_progress"
    assert _state_at(visit, 200) == "in_progress"
    watch = CallWatch.objects.get(visit=visit)
    assert watch.no_checkout_at == minutes_after(visit, 200)


def test_a_second_sweep_at_the_same_minute_moves_nothing(world):
    visit = world["visit"]
    services.watch_for(visit)
    first = monitor.sweep(now=minutes_after(visit, 50))
    second = monitor.sweep(now=minutes_after(visit, 50))
    assert first["late"] == 1
    assert not any(second.values())


def test_a_cancelled_visit_is_never_late(world):
    visit = world["visit"]
    services.watch_for(visit)
    visit.status = "cancelled"
    visit.save(update_fields=["status"])
    counts = monitor.sweep(now=minutes_after(visit, 50))
    assert counts["cancelled"] == 1 and counts["late"] == 0
    assert CallWatch.objects.get(visit=visit).state == "cancelled"


@pytest.mark.parametrize("name", ["monitoring.sweep", "monitoring.watch_days"])
def test_the_monitor_runs_on_the_task_runner(name):
    from homecare.core.jobs import registered

    assert name in registered()
    assert PERIODIC[name] <= 600


def test_the_monitor_command_sweeps_once(world, capsys):
    from django.core.management import call_command

    visit = world["visit"]
    with time_machine.travel(visit.planned_start + timedelta(minutes=46), tick=False):
        call_command("monitor", "--once")
    assert CallWatch.objects.get(visit=visit).state == "late"
    assert "sweep" in capsys.readouterr().out
