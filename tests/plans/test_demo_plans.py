"""The demo world comes with plans, goals, reviews and records checks, so the
what-is-due page on `make demo` shows a realistic morning."""

import pytest
from django.db import transaction

from homecare.demo.world import build_world
from homecare.domain.deadlines import classify
from homecare.packages.models import CarePackage
from homecare.plans.deadlines import collect_open
from homecare.plans.models import CarePlan, Goal, PlanVersion, RecordsCheck, Review


@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(size="small", seed=7, scale=0.3)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_most_live_packages_have_a_plan_and_some_do_not(small):
    live = CarePackage.objects.filter(status__in=("active", "suspended"))
    planned = CarePlan.objects.filter(package__in=live).count()
    assert 0.8 * live.count() < planned < live.count()
    assert PlanVersion.objects.filter(number=2).exists()
    assert Goal.objects.filter(status="achieved").exists() and Goal.objects.filter(status="open")
    assert Review.objects.filter(held_on__isnull=False).exists()
    assert RecordsCheck.objects.exists()
    assert PlanVersion.history.count() == PlanVersion.objects.count()  # each with its history


@pytest.mark.django_db
def test_the_morning_has_something_in_each_bucket(small):
    from django.utils import timezone

    now = timezone.now()
    counts = classify(collect_open(CarePackage.objects.all(), now), now).counts()
    assert counts["overdue"] and counts["this_week"] and counts["later"]
