"""The demo plays the day's calls up to now, so the board is alive on `make demo`."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.utils import timezone

from homecare.demo.monitoring import build_calls, demo_now
from homecare.monitoring.models import CallWatch
from homecare.notifications.models import Notification
from homecare.packages import services as package_services
from homecare.packages.models import Visit


def test_the_demo_day_has_calls_in_every_state_and_missed_ones_are_told(world):
    now = timezone.now().replace(second=0, microsecond=0)
    for n in range(60):
        start = now - timedelta(minutes=5 * n - 60)
        visit = Visit.objects.create(
            organisation=world["provider"],
            package=world["package"],
            individual=world["person"],
            date=timezone.localdate(),
            planned_start=start,
            planned_end=start + timedelta(minutes=30),
            duration_minutes=30,
        )
        package_services.visit_assign_workers(
            by=world["coordinator"], visit=visit, workers=[world["care_worker"]]
        )
    counts = build_calls(today=timezone.localdate(), now=now, seed=3)
    states = Counter(CallWatch.objects.values_list("state", flat=True))
    assert counts["calls"] == CallWatch.objects.count() >= 60
    assert {"planned", "in_progress", "completed", "missed"} <= set(states)
    assert Notification.objects.filter(kind="missed_call").count() == states["missed"]


def test_a_demo_built_before_11_15_plays_the_morning():
    today = timezone.localdate()
    morning = timezone.make_aware(datetime.combine(today, time(11, 15)))
    played = demo_now(today)
    assert played >= morning
    assert played >= timezone.now() - timedelta(seconds=5)
