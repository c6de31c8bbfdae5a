"""Reviews: booked, held, asked for early; bad dates refused with the clause."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.notifications.models import Notification
from homecare.plans import services
from homecare.plans.models import Review


def test_a_review_dated_before_the_package_started_is_refused(world):
    """KENT-3.11.1: reviews follow the start of the package."""
    package = world["package"]
    before = package.start_date - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.review_hold(
            by=world["coordinator"],
            package=package,
            kind="light_touch",
            held_on=before,
            summary="x",
        )
    [message] = caught.value.message_dict["held_on"]
    assert "before the package started" in message and "KENT-3.11.1" in message
    assert not Review.objects.exists()


def test_a_review_cannot_be_held_in_the_future(world):
    with pytest.raises(ValidationError, match="future"):
        services.review_hold(
            by=world["coordinator"],
            package=world["package"],
            kind="light_touch",
            held_on=timezone.localdate() + timedelta(days=1),
            summary="x",
        )


def test_a_review_is_held_once(world):
    review = services.review_schedule(
        by=world["coordinator"],
        package=world["package"],
        kind="statutory",
        scheduled_for=timezone.localdate(),
    )
    services.review_hold(
        by=world["coordinator"],
        package=world["package"],
        review=review,
        kind="statutory",
        held_on=timezone.localdate(),
        summary="Done",
    )
    with pytest.raises(ValidationError, match="already"):
        services.review_hold(
            by=world["coordinator"],
            package=world["package"],
            review=review,
            kind="statutory",
            held_on=timezone.localdate(),
            summary="Again",
        )


def test_the_pre_review_form_answers_every_question(world):
    """KENT-3.11.3: PPRIFs clarify hours, development, new and current goals."""
    review = services.review_schedule(
        by=world["coordinator"],
        package=world["package"],
        kind="light_touch",
        scheduled_for=timezone.localdate() + timedelta(days=20),
    )
    with pytest.raises(ValidationError, match=r"KENT-3\.11\.3"):
        services.review_pprif_complete(by=world["coordinator"], review=review, answers={})
    review.refresh_from_db()
    assert review.pprif_completed_at is None


def test_an_early_review_request_tells_the_council(world):
    """KENT-3.12.1: the provider signals the need for an early review on a significant change."""
    review = services.review_request_early(
        by=world["coordinator"], package=world["package"], reason="Two falls this week"
    )
    assert review.kind == "early" and review.requested_at
    [n] = Notification.objects.filter(kind="early_review")
    assert n.refs == ["KENT-3.12.1"] and "Two falls this week" in n.body
    assert n.council == world["council"]


def test_an_early_review_needs_a_reason(world):
    with pytest.raises(ValidationError, match=r"KENT-3\.12\.1"):
        services.review_request_early(by=world["coordinator"], package=world["package"], reason="")
    assert not Notification.objects.exists()


def test_a_records_check_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError, match="future"):
        services.records_check_record(
            by=world["coordinator"],
            package=world["package"],
            checked_on=timezone.localdate() + timedelta(days=1),
        )
