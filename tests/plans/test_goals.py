"""SMART goals (KENT-3.1.1) with progress from visits and reviews; a goal
achieved tells the council (KENT-3.8.1)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.notifications.models import Notification
from homecare.plans import services
from homecare.plans.models import Goal

from .conftest import smart


@pytest.fixture
def goal(world, issue_plan):
    issue_plan()
    return services.goal_add(by=world["coordinator"], package=world["package"], **smart())


def test_a_smart_goal_has_every_part(goal):
    """KENT-3.1.1: goals towards the plan's outcomes, specific, measurable,
    achievable, relevant and time-bound."""
    assert goal.plan.package_id and goal.status == "open"
    assert goal.measurable and goal.target_date


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"measurable": ""}, "measurable"),
        ({"target_date": None}, "target_date"),
        ({"specific": "  "}, "specific"),
        ({"outcome": ""}, "outcome"),
        ({"target_date": timezone.localdate() - timedelta(days=1)}, "target_date"),
    ],
)
def test_a_goal_that_is_not_smart_is_refused(world, issue_plan, extra, field):
    """KENT-3.1.1: a goal without a measure or a target date is refused, with the clause."""
    issue_plan()
    with pytest.raises(ValidationError) as caught:
        services.goal_add(by=world["coordinator"], package=world["package"], **smart(**extra))
    assert any("KENT-3.1.1" in m for m in caught.value.message_dict[field])
    assert not Goal.objects.exists()


def test_no_goal_before_the_plan(world):
    with pytest.raises(ValidationError, match="plan first"):
        services.goal_add(by=world["coordinator"], package=world["package"], **smart())


def test_progress_from_a_visit_and_from_a_review(world, goal):
    visit = world["visit"]
    p1 = services.goal_progress_record(
        by=world["coordinator"], goal=goal, percent=40, note="Put on her cardigan", visit=visit
    )
    review = services.review_hold(
        by=world["coordinator"],
        package=world["package"],
        kind="light_touch",
        held_on=timezone.localdate(),
        summary="Good progress",
        progress={goal: (60, "Seen at the review")},
    )
    assert p1.source == "visit" and p1.visit == visit
    p2 = goal.progress.get(review=review)
    assert p2.source == "review" and p2.percent == 60
    assert goal.latest_percent == 60


def test_progress_needs_a_note_and_a_share(world, goal):
    with pytest.raises(ValidationError):
        services.goal_progress_record(by=world["coordinator"], goal=goal, percent=120, note="x")
    with pytest.raises(ValidationError):
        services.goal_progress_record(by=world["coordinator"], goal=goal, percent=10, note="")
    assert not goal.progress.exists()


def test_a_goal_achieved_tells_the_council_once(
    world, goal, mailbox, django_capture_on_commit_callbacks
):
    """KENT-3.8.1: the council is notified of an improvement, including a goal achieved."""
    world["council"].email = "adult.social.care@lancashire.example.org"
    world["council"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_progress_record(
            by=world["coordinator"], goal=goal, percent=100, note="Dressed alone all week"
        )
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.achieved_at
    [n] = Notification.objects.filter(kind="goal_achieved")
    assert n.package == world["package"] and n.council == world["council"]
    assert "Dress her upper body" in n.body
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_achieve(by=world["coordinator"], goal=goal)
    assert Notification.objects.filter(kind="goal_achieved").count() == 1
    assert any("Goal achieved" in m for m in mailbox())


def test_kent_cites_its_clause(world, under, goal):
    """KENT-3.8.1 cited on the notification under a Kent contract."""
    under("kent", start_days_ago=30)
    services.goal_achieve(by=world["coordinator"], goal=goal)
    assert Notification.objects.get(kind="goal_achieved").refs == ["KENT-3.8.1"]


def test_no_notification_where_the_contract_turns_it_off(world, goal):
    world["contract"].rulebook_overrides = {"notify.goal_achieved": False}
    world["contract"].save(update_fields=["rulebook_overrides"])
    services.goal_achieve(by=world["coordinator"], goal=goal)
    assert not Notification.objects.exists()


def test_a_goal_set_aside_needs_a_reason_and_stops_being_due(world, goal, deadlines):
    with pytest.raises(ValidationError):
        services.goal_stop(by=world["coordinator"], goal=goal, reason="")
    services.goal_stop(by=world["coordinator"], goal=goal, reason="Moved to a care home")
    goal.refresh_from_db()
    assert goal.status == "stopped"
    assert "Moved to a care home" in goal.progress.last().note
    assert deadlines("goal.target") == []
    with pytest.raises(ValidationError):
        services.goal_stop(by=world["coordinator"], goal=goal, reason="Again")
