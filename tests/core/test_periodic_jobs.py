"""Periodic jobs run on a timer: Celery beat in production, an in-process timer
in the embedded mode; either way each run is a recorded job."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.conf import settings
from django.core.management import call_command

from homecare.core.jobs import registered
from homecare.core.models import JobRun
from homecare.core.schedule import PERIODIC, run_due
from homecare.domain.patterns import LONDON
from homecare.referrals import services
from homecare.referrals.models import Referral


def test_every_periodic_job_is_a_registered_job_and_in_the_beat_schedule():
    assert set(PERIODIC) <= set(registered())
    assert {e["args"][0] for e in settings.CELERY_BEAT_SCHEDULE.values()} == set(PERIODIC)


def test_the_timer_runs_each_job_when_its_interval_has_passed(
    db, django_capture_on_commit_callbacks
):
    last: dict[str, float] = {}
    with django_capture_on_commit_callbacks(execute=True):
        assert set(run_due(last, 5.0)) == set(PERIODIC)  # a clock that started just now
    shortest = min(PERIODIC.values())
    due = sorted(name for name, every in PERIODIC.items() if every == shortest)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(last, 5.0 + shortest - 1) == []
        assert sorted(run_due(last, 5.0 + shortest)) == due
    assert JobRun.objects.filter(name=due[0], status="done").count() == 2


def test_the_daily_batch_goes_out_when_the_scheduler_runs(
    world, django_capture_on_commit_callbacks
):
    """LAN-HC-3.2: queued referrals are circulated at the batch time."""
    with time_machine.travel(datetime(2026, 11, 20, 11, 0, tzinfo=LONDON), tick=False):
        referral = services.referral_create(
            by=world["broker"],
            individual=world["person"],
            kind="planned",
            urgency="planned",
            source="community_team",
            referrer_name="Social worker",
            requested_start=date(2026, 11, 30),
            needs_statement="Help at home",
            visits=[
                {"weekday": 0, "slot_start": time(9), "slot_end": time(10), "duration_minutes": 30}
            ],
        )
        referral = services.referral_publish(by=world["broker"], referral=referral)
    assert referral.status == Referral.Status.QUEUED
    batch = referral.publish_after + timedelta(minutes=1)
    with time_machine.travel(batch, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PUBLISHED
    assert referral.offers.count() == 1
