"""Changes to care: the provider proposes with evidence, the rules decide who
agrees, the pattern changes for the future only, the rota hears of it, and
the council can reverse it."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.journey import changes
from homecare.journey.models import PackageChange
from homecare.journey.signals import visits_moved
from homecare.notifications.models import Notification
from homecare.packages.models import Visit

from .conftest import EVIDENCE, contract_for


def _propose(journey, **kw):
    args = dict(
        by=journey["coordinator"],
        package=journey["package"],
        starts_on=timezone.localdate(),
        **EVIDENCE,
    )
    args.update(kw)
    return changes.package_change_propose(**args)


def test_an_increase_within_the_limit_applies_at_once_and_reports_the_evidence(
    journey, django_capture_on_commit_callbacks
):
    """LAN-HC-5.4 (up to 1 hour a day) and LAN-HC-5.5 (the evidence sent to the council)."""
    heard = []

    def listener(sender, change, visit_ids, **kw):
        heard.append(set(visit_ids))

    visits_moved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            change = _propose(
                journey,
                kind="increase",
                operation="resize",
                entry=journey["entry"],
                start_time=time(11, 0),
                end_time=time(12, 0),
            )
    finally:
        visits_moved.disconnect(listener)
    assert change.status == PackageChange.Status.APPLIED
    assert change.weekly_after - change.weekly_before == 15
    note = Notification.objects.get(event_key=f"journey.change:{change.pk}")
    for words in [
        "LAS",
        "Date of birth",
        "Agreed with: Margaret",
        "Reason: Needs help",
        "Risk assessments done: yes",
    ]:
        assert words in note.body
    monday = journey["package"].visits.filter(date=timezone.localdate())
    assert monday.get(status="planned").duration_minutes == 60
    assert monday.get(status="cancelled").duration_minutes == 45
    assert heard == [set(change.moved_visit_ids)]
    assert len(change.moved_visit_ids) >= 2


def test_past_visits_are_never_rewritten(journey, at):
    """The past stays: only visits after now move."""
    package = journey["package"]
    done = package.visits.get(date=timezone.localdate())
    at.shift(timedelta(days=1))
    _propose(
        journey,
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11, 0),
        end_time=time(11, 50),
    )
    done.refresh_from_db()
    assert (done.status, done.duration_minutes) == ("planned", 45)
    next_monday = package.visits.get(date=done.date + timedelta(days=7), status="planned")
    assert next_monday.duration_minutes == 50


def test_an_increase_beyond_the_limit_becomes_a_request_and_changes_nothing(journey):
    """LAN-HC-5.4: more than 1 hour a day needs the council."""
    before = list(journey["package"].visits.values_list("pk", "duration_minutes", "status"))
    change = _propose(
        journey,
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11, 0),
        end_time=time(13, 0),
    )
    assert change.status == PackageChange.Status.REQUESTED
    assert "LAN-HC-5.4" in change.council_reasons[0]["refs"]
    assert list(journey["package"].visits.values_list("pk", "duration_minutes", "status")) == before
    assert Notification.objects.get(event_key=f"journey.change:{change.pk}").kind == (
        "change_request"
    )


def test_the_council_agrees_a_request_and_it_applies(journey):
    change = _propose(
        journey,
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11, 0),
        end_time=time(13, 0),
    )
    changes.package_change_decide(by=journey["broker"], change=change, approve=True)
    change.refresh_from_db()
    assert change.status == PackageChange.Status.APPLIED
    assert (
        journey["package"].visits.get(date=timezone.localdate(), status="planned").duration_minutes
        == 120
    )


def test_a_decline_needs_a_reason(journey):
    change = _propose(
        journey,
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11, 0),
        end_time=time(13, 0),
    )
    with pytest.raises(ValidationError):
        changes.package_change_decide(by=journey["broker"], change=change, approve=False)
    changes.package_change_decide(
        by=journey["broker"], change=change, approve=False, note="Ask the OT first"
    )
    change.refresh_from_db()
    assert change.status == PackageChange.Status.DECLINED


def test_a_reduction_to_zero_presented_as_a_reduction_is_refused(journey):
    """LAN-HC-5.3: reduce by any amount, provided the package does not cease."""
    package = journey["package"]
    for entry in package.pattern.exclude(weekday=0):
        from homecare.packages import services as package_services

        package_services.pattern_entry_archive(by=journey["coordinator"], entry=entry)
    with pytest.raises(ValidationError) as caught:
        _propose(journey, kind="reduction", operation="remove", entry=journey["entry"])
    assert "LAN-HC-5.3" in str(caught.value)
    assert not PackageChange.objects.exists()
    assert package.pattern.filter(archived_at__isnull=True).count() == 1


def test_a_change_dated_in_the_past_is_refused(journey):
    """LAN-HC-5.5: agreed with a start date."""
    with pytest.raises(ValidationError) as caught:
        _propose(
            journey,
            kind="reduction",
            operation="remove",
            entry=journey["entry"],
            starts_on=timezone.localdate() - timedelta(days=1),
        )
    assert "past" in str(caught.value)
    assert not PackageChange.objects.exists()


def test_a_reduction_starting_later_applies_on_its_date(journey, at):
    change = _propose(
        journey,
        kind="reduction",
        operation="remove",
        entry=journey["entry"],
        starts_on=timezone.localdate() + timedelta(days=2),
    )
    assert change.status == PackageChange.Status.AGREED
    assert changes.changes_apply_due() == 0
    at.shift(timedelta(days=2))
    assert changes.changes_apply_due() == 1
    change.refresh_from_db()
    assert change.status == PackageChange.Status.APPLIED
    assert (
        not journey["package"]
        .visits.filter(
            pattern_entry=journey["entry"], status="planned", planned_start__gt=timezone.now()
        )
        .exists()
    )


def test_the_council_reverses_a_change(journey):
    """LAN-HC-5.8: the authority may reverse any such change."""
    change = _propose(
        journey,
        kind="reduction",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11, 0),
        end_time=time(11, 30),
    )
    changes.package_change_reverse(by=journey["broker"], change=change, reason="Not agreed with us")
    change.refresh_from_db()
    assert change.status == PackageChange.Status.REVERSED
    today = journey["package"].visits.get(
        date=timezone.localdate() + timedelta(days=7), status="planned"
    )
    assert today.duration_minutes == 45
    with pytest.raises(ValidationError):
        changes.package_change_reverse(by=journey["broker"], change=change, reason="again")


def test_short_term_cessation_with_a_safeguarding_alert_is_a_request(journey):
    """LAN-ST-6.5: no cessation without permission during an active safeguarding alert."""
    package = contract_for(journey, "lan-st")
    person = package.individual
    person.safeguarding_concern = True
    person.save()
    change = _propose(journey, package=package, kind="cessation", operation="cease", goals_met=True)
    assert change.status == PackageChange.Status.REQUESTED
    assert "safeguarding_alert" in change.concerns
    assert "LAN-ST-6.5" in change.council_reasons[0]["refs"]
    package.refresh_from_db()
    assert package.status == "active"


def test_short_term_cessation_with_a_clear_checklist_ends_the_care_and_is_reported(journey):
    """LAN-ST-6.5, LAN-ST-6.8: ceased without permission, reported within 24 hours."""
    package = contract_for(journey, "lan-st")
    change = _propose(journey, package=package, kind="cessation", operation="cease", goals_met=True)
    assert change.status == PackageChange.Status.APPLIED
    assert change.report_due_at == change.created_at + timedelta(hours=24) or (
        change.report_due_at - timezone.now() == timedelta(hours=24)
    )
    assert change.reported_at is not None
    package.refresh_from_db()
    assert package.status == "ceased"
    assert not Visit.objects.filter(
        package=package, status="planned", date__gt=timezone.localdate()
    ).exists()


def test_derby_needs_the_council_for_an_increase(journey):
    """DERBY-3.5: hours change only with council agreement."""
    package = contract_for(journey, "derby")
    change = _propose(
        journey,
        package=package,
        kind="increase",
        operation="add",
        weekdays=[2],
        start_time=time(17, 0),
        end_time=time(17, 30),
    )
    assert change.status == PackageChange.Status.REQUESTED


def test_double_handed_needs_an_ot_assessment_and_a_plan_review(journey):
    """KENT-3.3.7."""
    with pytest.raises(ValidationError) as caught:
        _propose(journey, kind="handedness", operation="workers", entry=journey["entry"])
    assert "KENT-3.3.7" in str(caught.value)
    change = _propose(
        journey,
        kind="handedness",
        operation="workers",
        entry=journey["entry"],
        ot_assessed=True,
        plan_reviewed=True,
    )
    assert change.status == PackageChange.Status.APPLIED
    assert (
        journey["package"].visits.get(date=timezone.localdate(), status="planned").workers_required
        == 2
    )


def test_a_cessation_reversed_by_the_council_puts_the_visits_back(journey):
    """LAN-HC-5.3 (a cessation is the council's) and LAN-HC-5.8 (it may reverse it)."""
    change = _propose(journey, kind="cessation", operation="cease")
    assert change.status == PackageChange.Status.REQUESTED
    changes.package_change_decide(by=journey["broker"], change=change, approve=True)
    package = journey["package"]
    package.refresh_from_db()
    assert package.status == "ceased"
    future = package.visits.filter(planned_start__gt=timezone.now())
    assert not future.filter(status="planned").exists()
    change.refresh_from_db()
    changes.package_change_reverse(by=journey["broker"], change=change, reason="Too soon")
    package.refresh_from_db()
    assert package.status == "active"
    assert future.filter(status="planned").count() == future.count()
