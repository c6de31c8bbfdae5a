"""Each plan, review and records deadline appears at the right time, cites its
clause, and clears when the thing is done; the numbers come from the
contract's rulebook."""

from datetime import timedelta

from django.utils import timezone

from homecare.domain.deadlines import add_months, end_of_day
from homecare.packages import services as package_services
from homecare.plans import services

from .conftest import smart


def test_short_term_plan_within_five_days_of_start(world, under, deadlines, issue_plan):
    """LAN-ST-5.7: a Short Term Care at Home plan exists within 5 days of start."""
    package = under("lan-st", start_days_ago=2)
    [d] = deadlines("plan.due_after_start")
    assert d.due_at == end_of_day(package.start_date + timedelta(days=5))
    assert d.refs == ("LAN-ST-5.7",) and "within 5 days" in d.clause
    assert d.done_at is None and d.url.endswith(f"/plans/package/{package.pk}/edit/")
    issue_plan()
    [d] = deadlines("plan.due_after_start")
    assert d.done_at is not None and not d.was_late


def test_a_kent_contract_counts_visits_not_days(world, under, deadlines, issue_plan):
    """KENT-3.6.5: the SMART action plan by the second visit; Kent sets no day count."""
    package = under("kent", start_days_ago=0)
    assert deadlines("plan.due_after_start") == []
    tomorrow = timezone.localdate() + timedelta(days=1)
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=package,
        weekdays=[(tomorrow + timedelta(days=1)).weekday()],
        start_time=timezone.datetime(2000, 1, 1, 18, 0).time(),
        end_time=timezone.datetime(2000, 1, 1, 18, 30).time(),
    )
    second = package.visits.exclude(status="cancelled").order_by("planned_start")[1]
    [d] = deadlines("plan.due_by_visit")
    assert d.due_at == second.planned_start
    assert d.refs == ("KENT-3.6.5",) and d.title == "SMART action plan by visit 2"
    issue_plan()
    assert deadlines("plan.due_by_visit")[0].done_at is None  # the plan alone is not the SMART plan
    services.goal_add(by=world["coordinator"], package=package, **smart())
    [d] = deadlines("plan.due_by_visit")
    assert d.done_at is not None


def test_a_cancelled_visit_does_not_count(world, under, deadlines):
    """KENT-3.6.5: the second visit with the person, not a cancelled one."""
    package = under("kent", start_days_ago=0)
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=package,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=timezone.datetime(2000, 1, 1, 12, 0).time(),
        end_time=timezone.datetime(2000, 1, 1, 12, 30).time(),
    )
    visits = list(package.visits.order_by("planned_start")[:3])
    package.visits.filter(pk=visits[1].pk).update(status="cancelled")
    [d] = deadlines("plan.due_by_visit")
    assert d.due_at == visits[2].planned_start


def test_first_review_within_eight_weeks(world, under, deadlines):
    """KENT-3.11.1: a light-touch review within 8 weeks of the start."""
    package = under("kent", start_days_ago=10)
    [d] = deadlines("review.first")
    assert d.due_at == end_of_day(package.start_date + timedelta(weeks=8))
    assert d.refs == ("KENT-3.11.1",)
    services.review_hold(
        by=world["coordinator"],
        package=package,
        kind="light_touch",
        held_on=timezone.localdate(),
        summary="Going well; keep the morning call.",
    )
    [d] = deadlines("review.first")
    assert d.done_at is not None


def test_lancashire_short_term_reviews_within_five_days(world, under, deadlines):
    """LAN-ST-3.5: immediate needs reviewed within 5 days of starting."""
    package = under("lan-st", start_days_ago=1)
    [d] = deadlines("review.first")
    assert d.due_at == end_of_day(package.start_date + timedelta(days=5))
    assert d.refs == ("LAN-ST-3.5",)


def test_statutory_review_every_year(world, under, deadlines):
    """KENT-3.11.2: a statutory review at least annually; the next is counted
    from the last one held."""
    package = under("kent", start_days_ago=100)
    [d] = deadlines("review.statutory")
    assert d.due_at == end_of_day(package.start_date.replace(year=package.start_date.year + 1))
    held = timezone.localdate() - timedelta(days=1)
    services.review_hold(
        by=world["coordinator"], package=package, kind="statutory", held_on=held, summary="Fine."
    )
    done, next_one = deadlines("review.statutory")
    assert done.done_at is not None and done.key != next_one.key
    assert next_one.done_at is None
    assert next_one.due_at == end_of_day(held.replace(year=held.year + 1))


def test_derby_cites_its_own_clause_for_yearly_reviews(world, under, deadlines):
    """DERBY-3.4: reviewed as needed and at least annually."""
    under("derby", start_days_ago=10)
    [d] = deadlines("review.statutory")
    assert d.refs == ("DERBY-3.4",)


def test_pre_review_form_two_weeks_before_the_review(world, under, deadlines):
    """KENT-3.11.3: the provider's PPRIF is completed two weeks before the review."""
    package = under("kent", start_days_ago=10)
    [d] = deadlines("review.pprif")
    first_due = package.start_date + timedelta(weeks=8)
    assert d.due_at == end_of_day(first_due - timedelta(weeks=2))
    assert d.refs == ("KENT-3.11.3",)
    booked_for = timezone.localdate() + timedelta(days=30)
    review = services.review_schedule(
        by=world["coordinator"], package=package, kind="light_touch", scheduled_for=booked_for
    )
    [d] = deadlines("review.pprif")
    assert d.due_at == end_of_day(booked_for - timedelta(weeks=2)) and d.done_at is None
    services.review_pprif_complete(
        by=world["coordinator"],
        review=review,
        answers={k: "Answered" for k in services.PPRIF_FIELDS},
    )
    [d] = deadlines("review.pprif")
    assert d.done_at is not None


def test_no_pre_review_form_where_the_contract_has_none(world, under, deadlines):
    under("lan-hc", start_days_ago=10)
    assert deadlines("review.pprif") == []


def test_records_reviewed_monthly(world, under, deadlines):
    """KENT-3.6.10: records reviewed at least monthly."""
    package = under("kent", start_days_ago=40)
    [d] = deadlines("records.check")
    start = package.start_date
    assert d.due_at == end_of_day(add_months(start, 1))
    assert d.refs == ("KENT-3.6.10",)
    checked = timezone.localdate()
    services.records_check_record(by=world["coordinator"], package=package, checked_on=checked)
    done, next_one = deadlines("records.check")
    assert done.done_at is not None and next_one.done_at is None
    assert next_one.due_at > done.due_at


def test_long_stays_are_flagged_after_six_weeks(world, under, deadlines):
    """LAN-ST-4.13: care lasts up to about six weeks; longer stays are flagged."""
    package = under("lan-st", start_days_ago=43)
    [d] = deadlines("package.max_length")
    assert d.due_at == end_of_day(package.start_date + timedelta(weeks=6))
    assert d.due_at < timezone.now()
    assert d.refs == ("LAN-ST-4.13",)
    package_services.package_transition(
        by=world["coordinator"],
        package=package,
        to_status="ceased",
        effective_on=timezone.localdate(),
    )
    assert deadlines("package.max_length") == []


def test_ongoing_care_is_not_flagged(world, under, deadlines):
    under("kent", start_days_ago=400)
    assert deadlines("package.max_length") == []


def test_a_contract_override_changes_the_deadline(world, under, deadlines):
    """Contracts are data: a contract's override moves the deadline."""
    package = under("kent", start_days_ago=10)
    world["contract"].rulebook_overrides = {"review.first": 6}
    world["contract"].save(update_fields=["rulebook_overrides"])
    [d] = deadlines("review.first")
    assert d.due_at == end_of_day(package.start_date + timedelta(weeks=6))


def test_the_quick_open_only_path_gives_the_same_open_deadlines(world, under, issue_plan):
    """The page's shortcut (done and far-off deadlines skipped while building)
    leaves exactly the open deadlines the full computation has."""
    from homecare.packages.models import CarePackage
    from homecare.plans.deadlines import collect, collect_open

    package = under("kent", start_days_ago=400)
    issue_plan()
    for held, kind in [(package.start_date + timedelta(days=30), "light_touch")] + [
        (timezone.localdate() - timedelta(days=d), "statutory") for d in (300, 20)
    ]:
        services.review_hold(
            by=world["coordinator"], package=package, kind=kind, held_on=held, summary="Held"
        )
    for d in (70, 40, 10):
        services.records_check_record(
            by=world["coordinator"], package=package, checked_on=timezone.localdate() - timedelta(d)
        )
    packages, now = CarePackage.objects.all(), timezone.now()
    full = {d.key: d for d in collect(packages, now) if d.done_at is None}
    quick = {d.key: d for d in collect_open(packages, now)}
    assert quick == full and len(full) >= 3
    until = now + timedelta(days=7)
    assert {d.key for d in collect_open(packages, now, until=until)} == {
        k for k, d in full.items() if d.due_at <= until
    }


def test_each_open_goal_is_due_by_its_target_date(world, issue_plan, deadlines):
    """KENT-3.1.1: SMART goals are time-bound; achieved, the deadline clears."""
    from .conftest import smart

    issue_plan()
    goal = services.goal_add(by=world["coordinator"], package=world["package"], **smart())
    [d] = deadlines("goal.target")
    assert d.due_at == end_of_day(goal.target_date) and d.refs == ("KENT-3.1.1",)
    assert d.url.endswith(f"/plans/goal/{goal.pk}/") and d.done_at is None
    services.goal_achieve(by=world["coordinator"], goal=goal)
    [d] = deadlines("goal.target")
    assert d.done_at is not None
