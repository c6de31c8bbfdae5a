"""Hand-backs with notice in working days, the hand-over on the last day,
closure after onward needs; Discharge to Assess."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.journey import endings
from homecare.journey.models import HandBack

from .conftest import contract_for

ALL_ITEMS = ["communications_record", "action_plan", "onward_needs"]


def _notice(journey, last_day, package=None):
    return endings.handback_give_notice(
        by=journey["coordinator"],
        package=package or journey["package"],
        last_day=last_day,
        reason="We no longer have staff in this area",
    )


def test_ten_working_days_notice_is_needed(journey):
    """KENT-3.10.1: given Monday 30 November, the last day is Monday 14 December at the earliest."""
    with pytest.raises(ValidationError) as caught:
        _notice(journey, date(2026, 12, 11))
    assert "Monday 14 December 2026" in str(caught.value)
    assert "KENT-3.10.1" in str(caught.value)
    assert not HandBack.objects.exists()
    handback = _notice(journey, date(2026, 12, 14))
    assert handback.status == HandBack.Status.NOTICE


def test_notice_over_christmas_skips_the_bank_holidays(journey, at):
    """KENT-3.10.1: bank holidays are excluded (25 and 28 December 2026, 1 January 2027)."""
    at.move_to(timezone.make_aware(timezone.datetime(2026, 12, 21, 9, 0)))
    with pytest.raises(ValidationError):
        _notice(journey, date(2027, 1, 6))
    assert _notice(journey, date(2027, 1, 7)).last_day == date(2027, 1, 7)


def test_the_records_are_handed_over_on_the_last_day_then_the_case_closes(journey, at):
    """KENT-3.10.2 (records on the last day) and LAN-ST-4.26 (closed after onward needs)."""
    handback = _notice(journey, date(2026, 12, 14))
    with pytest.raises(ValidationError) as early:
        endings.handback_complete(
            by=journey["coordinator"], handback=handback, handed_to="Council", handed_over=ALL_ITEMS
        )
    assert "KENT-3.10.2" in str(early.value)
    at.move_to(timezone.make_aware(timezone.datetime(2026, 12, 14, 16, 0)))
    with pytest.raises(ValidationError) as missing:
        endings.handback_complete(
            by=journey["coordinator"],
            handback=handback,
            handed_to="Council",
            handed_over=ALL_ITEMS[:2],
        )
    assert "LAN-ST-4.26" in str(missing.value)
    endings.handback_complete(
        by=journey["coordinator"],
        handback=handback,
        handed_to="Lancashire County Council",
        handed_over=ALL_ITEMS,
    )
    package = journey["package"]
    package.refresh_from_db()
    assert package.status == "closed"
    assert package.visits.filter(date=date(2026, 12, 14), status="planned").exists()
    assert not package.visits.filter(date__gt=date(2026, 12, 14), status="planned").exists()


def test_discharge_to_assess_runs_three_days_and_extends_once_by_two(journey):
    """KENT-2.1.8."""
    package = contract_for(journey, "kent")
    d2a = endings.d2a_start(
        by=journey["coordinator"], package=package, starts_on=timezone.localdate()
    )
    assert d2a.ends_on == timezone.localdate() + timedelta(days=2)
    endings.d2a_extend(by=journey["coordinator"], d2a=d2a, reason="Walking again; review Friday")
    assert d2a.ends_on == timezone.localdate() + timedelta(days=4)
    with pytest.raises(ValidationError) as again:
        endings.d2a_extend(by=journey["coordinator"], d2a=d2a, reason="More")
    assert "KENT-2.1.8" in str(again.value)


def test_discharge_to_assess_is_refused_where_the_contract_has_none(journey):
    with pytest.raises(ValidationError):
        endings.d2a_start(
            by=journey["coordinator"], package=journey["package"], starts_on=timezone.localdate()
        )
