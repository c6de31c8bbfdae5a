"""Visits are generated from the weekly pattern for a rolling four-week horizon,
regenerated for the future when the pattern changes, never rewritten in the past."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.domain.patterns import LONDON
from homecare.packages import services
from homecare.packages.models import Visit
from tests import factories as f

MONDAY = date(2026, 11, 2)


@pytest.fixture
def package(db):
    return f.CarePackageFactory(start_date=MONDAY - timedelta(days=7))


@pytest.fixture
def coordinator(package):
    return f.UserFactory(organisation=package.organisation)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=LONDON)


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_pattern_line_makes_one_visit_per_week_for_four_weeks(package, coordinator):
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[0, 3],
        start_time=time(8),
        end_time=time(8, 45),
    )
    visits = list(package.visits.order_by("planned_start"))
    assert len(visits) == 9  # Mondays 2, 9, 16, 23, 30 and Thursdays 5, 12, 19, 26
    assert visits[0].planned_start == at(MONDAY, 8)
    assert all(v.duration_minutes == 45 for v in visits)
    assert all(timezone.localtime(v.planned_start).time() == time(8) for v in visits)


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_double_handed_line_makes_double_handed_visits(package, coordinator):
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[1],
        start_time=time(8),
        end_time=time(9),
        workers_required=2,
    )
    assert set(package.visits.values_list("workers_required", flat=True)) == {2}


def test_changing_the_pattern_moves_future_visits_and_leaves_the_past_alone(package, coordinator):
    with time_machine.travel(at(MONDAY, 6), tick=False):
        [entry] = services.pattern_entry_add(
            by=coordinator,
            package=package,
            weekdays=[0],
            start_time=time(8),
            end_time=time(8, 30),
        )
    with time_machine.travel(at(MONDAY + timedelta(days=8), 12), tick=False):
        services.pattern_entry_archive(by=coordinator, entry=entry)
        services.pattern_entry_add(
            by=coordinator,
            package=package,
            weekdays=[0],
            start_time=time(10),
            end_time=time(10, 30),
        )
        past = package.visits.filter(planned_start__lt=timezone.now())
        future = package.visits.filter(planned_start__gte=timezone.now())
    assert {v.status for v in past} == {"planned"}
    assert [timezone.localtime(v.planned_start).hour for v in past] == [8, 8]
    assert {timezone.localtime(v.planned_start).hour for v in future.filter(status="planned")} == {
        10
    }
    assert future.filter(status="cancelled").count() == 3  # the old 08:00 visits still ahead
    assert future.filter(status="planned").count() == 4


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_regenerating_twice_changes_nothing(package, coordinator):
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[2],
        start_time=time(18),
        end_time=time(18, 30),
    )
    again = services.visits_regenerate(packages=[package])
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)


def test_the_horizon_rolls_forward_with_the_nightly_job(package, coordinator):
    from homecare.core.jobs import enqueue, run_job

    with time_machine.travel(at(MONDAY, 6), tick=False):
        services.pattern_entry_add(
            by=coordinator,
            package=package,
            weekdays=[0],
            start_time=time(8),
            end_time=time(8, 30),
        )
    with time_machine.travel(at(MONDAY + timedelta(days=14), 1), tick=False):
        run = enqueue("visits.extend_horizon")
        run_job(str(run.pk))
        run.refresh_from_db()
    assert run.status == "done"
    assert run.result == {"created": 2}
    assert package.visits.count() == 7


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_suspending_cancels_visits_from_the_effective_date_only(package, coordinator):
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=time(9),
        end_time=time(9, 30),
    )
    services.package_transition(
        by=coordinator,
        package=package,
        to_status="suspended",
        effective_on=MONDAY + timedelta(days=3),
        reason="Admitted to hospital",
    )
    planned = package.visits.filter(status="planned")
    assert sorted(v.date for v in planned) == [MONDAY + timedelta(days=i) for i in range(3)]
    assert package.transitions.last().reason == "Admitted to hospital"
    assert package.history.get(status="suspended").history_user == coordinator


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_suspended_package_made_active_again_gets_its_visits_back_once(package, coordinator):
    """The visits a suspension cancelled come back on reactivation (the same rows,
    planned again), never as a second visit in the same slot."""
    services.pattern_entry_add(
        by=coordinator, package=package, weekdays=[0, 2], start_time=time(9), end_time=time(9, 30)
    )
    before = set(package.visits.values_list("pk", flat=True))
    services.package_transition(
        by=coordinator, package=package, to_status="suspended", effective_on=MONDAY
    )
    assert not package.visits.filter(status="planned").exists()
    services.package_transition(
        by=coordinator, package=package, to_status="active", effective_on=MONDAY
    )
    assert set(package.visits.filter(status="planned").values_list("pk", flat=True)) == before
    assert package.visits.count() == len(before)


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_visit_cancelled_on_its_own_stays_cancelled_when_the_pattern_is_regenerated(
    package, coordinator
):
    services.pattern_entry_add(
        by=coordinator, package=package, weekdays=[0], start_time=time(9), end_time=time(9, 30)
    )
    visit = package.visits.order_by("planned_start").first()
    Visit.objects.filter(pk=visit.pk).update(status="cancelled")
    result = services.visits_regenerate(packages=[package])
    assert result.created == 0
    visit.refresh_from_db()
    assert visit.status == "cancelled"


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_visit_already_done_keeps_its_slot_whatever_the_clock_of_the_regeneration(
    package, coordinator
):
    """A call checked out early, before its planned start, is not planned again."""
    services.pattern_entry_add(
        by=coordinator, package=package, weekdays=[0], start_time=time(9), end_time=time(9, 30)
    )
    visit = package.visits.order_by("planned_start").first()
    Visit.objects.filter(pk=visit.pk).update(status="completed")
    result = services.visits_regenerate(packages=[package], restore_cancelled=True)
    assert (result.created, result.updated, result.cancelled) == (0, 0, 0)
    assert Visit.objects.get(pk=visit.pk).status == "completed"


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_closed_package_cannot_be_reactivated(package, coordinator):
    services.package_transition(
        by=coordinator, package=package, to_status="ceased", effective_on=MONDAY
    )
    services.package_transition(
        by=coordinator, package=package, to_status="closed", effective_on=MONDAY
    )
    with pytest.raises(ValidationError, match="cannot become active"):
        services.package_transition(
            by=coordinator, package=package, to_status="active", effective_on=MONDAY
        )


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_visit_that_ends_before_it_starts_is_refused_and_nothing_is_saved(package, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.pattern_entry_add(
            by=coordinator,
            package=package,
            weekdays=[0],
            start_time=time(9),
            end_time=time(8),
        )
    assert "before it starts" in str(exc.value)
    assert package.pattern.count() == 0
    assert Visit.objects.count() == 0


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_double_handed_visit_with_one_worker_is_refused(package, coordinator):
    """KENT-3.3.7: double-handed care needs both workers."""
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[0],
        start_time=time(9),
        end_time=time(10),
        workers_required=2,
    )
    visit = package.visits.first()
    worker = f.CareWorkerFactory(organisation=package.organisation)
    with pytest.raises(ValidationError, match="double-handed: choose two workers"):
        services.visit_assign_workers(by=coordinator, visit=visit, workers=[worker])
    assert visit.assignments.count() == 0
    other = f.CareWorkerFactory(organisation=package.organisation)
    services.visit_assign_workers(by=coordinator, visit=visit, workers=[worker, other])
    assert visit.assignments.count() == 2


@time_machine.travel(at(MONDAY, 6), tick=False)
def test_a_worker_of_another_provider_cannot_be_rostered(package, coordinator):
    services.pattern_entry_add(
        by=coordinator,
        package=package,
        weekdays=[0],
        start_time=time(9),
        end_time=time(10),
    )
    stranger = f.CareWorkerFactory()
    with pytest.raises(ValidationError, match="employed by the provider"):
        services.visit_assign_workers(
            by=coordinator, visit=package.visits.first(), workers=[stranger]
        )


def test_care_records_are_never_deleted(package):
    with pytest.raises(Exception, match="archived, never deleted"):
        package.delete()
    with pytest.raises(Exception, match="archived, never deleted"):
        type(package).objects.filter(pk=package.pk).delete()
