"""Plans, goals and reviews are read through the access helpers: the provider's
office and the council of the contract see them; nobody else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from homecare.core import access
from homecare.plans import services

from .conftest import smart


@pytest.fixture
def records(world, issue_plan):
    version = issue_plan()
    goal = services.goal_add(by=world["coordinator"], package=world["package"], **smart())
    review = services.review_schedule(
        by=world["coordinator"],
        package=world["package"],
        kind="statutory",
        scheduled_for=timezone.localdate() + timedelta(days=10),
    )
    return version.plan, goal, review


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("manager", True),
        ("broker", True),
        ("commissioner", True),
        ("daughter", True),  # her mother's plan, through the easy-read page only
        ("outsider", False),
        ("other_broker", False),
    ],
)
def test_who_sees_the_plan_goals_and_reviews(world, records, who, sees):
    plan, goal, review = records
    user = world[who]
    assert (plan in access.plans_for(user)) is sees
    assert (goal in access.goals_for(user)) is sees
    assert (review in access.reviews_for(user)) is sees


@pytest.mark.parametrize(
    ("who", "writes"),
    [
        ("coordinator", True),
        ("manager", True),
        ("broker", False),
        ("commissioner", False),
        ("worker", False),
        ("daughter", False),
    ],
)
def test_only_a_providers_office_writes_plans(world, who, writes):
    """Another provider's office may write plans too, but finds none of these
    packages (see the outsider sweep)."""
    assert access.may_write_plans(world[who]) is writes
