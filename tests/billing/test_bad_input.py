"""Broken data gets a clear error naming what is wrong, and no invoice (issue 7, "Bad input")."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.billing import delivery, services
from homecare.billing.models import BillingPeriod, ContractRate, Invoice


def _draft(world, period):
    return services.invoice_draft(
        by=world["coordinator"], contract=world["contract"], period=period
    )


def _message(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_a_rate_missing_for_part_of_the_period_is_named_and_nothing_is_invoiced(
    world, period, rate
):
    ContractRate.objects.filter(pk=rate.pk).update(valid_to=period.start + timedelta(days=9))
    with pytest.raises(ValidationError) as excinfo:
        _draft(world, period)
    message = _message(excinfo)
    assert "no rate for" in message
    assert str(period.start + timedelta(days=10)) in message
    assert world["contract"].reference in message
    assert not Invoice.objects.exists()


def test_overlapping_periods_of_a_contract_are_refused(world, period):
    with pytest.raises(ValidationError, match="overlaps"):
        services.billing_period_open(
            by=world["commissioner"], contract=world["contract"], start=period.start
        )
    # A period that came in some other way (an import, the support admin) still stops the invoice.
    BillingPeriod.objects.create(
        organisation=world["council"],
        contract=world["contract"],
        start=period.start + timedelta(days=7),
        end=period.end + timedelta(days=7),
    )
    with pytest.raises(ValidationError) as excinfo:
        _draft(world, period)
    assert "overlap" in _message(excinfo)
    assert "invoiced twice" in _message(excinfo)
    assert not Invoice.objects.exists()


@pytest.fixture
def actuals():
    """Call monitoring's check-in and check-out times for some visits (the ECM plug)."""
    times = {}

    def source(ids):
        return {i: times[i] for i in ids if i in times}

    delivery.register_actuals(source)
    yield times
    delivery.unregister_actuals(source)


def test_a_visit_with_no_check_out_is_named_and_nothing_is_invoiced(
    world, period, delivered, actuals
):
    visit = delivered[3]
    actuals[str(visit.pk)] = (visit.planned_start, None)
    with pytest.raises(ValidationError) as excinfo:
        _draft(world, period)
    assert "no check-out" in _message(excinfo)
    assert str(visit.pk) in _message(excinfo)
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("minutes", [-20, 30 * 60])
def test_a_negative_or_absurd_duration_is_named_and_nothing_is_invoiced(
    world, period, delivered, actuals, minutes
):
    visit = delivered[1]
    actuals[str(visit.pk)] = (visit.planned_start, visit.planned_start + timedelta(minutes=minutes))
    with pytest.raises(ValidationError) as excinfo:
        _draft(world, period)
    message = _message(excinfo)
    assert str(visit.pk) in message
    assert f"lasts {minutes} minutes" in message
    assert not Invoice.objects.exists()


def test_a_period_not_yet_closed_is_not_invoiced(world, dates, rate, delivered):
    period = services.billing_period_open(
        by=world["commissioner"], contract=world["contract"], start=dates[0]
    )
    with pytest.raises(ValidationError, match="not closed yet"):
        _draft(world, period)
    assert not Invoice.objects.exists()


def test_a_period_cannot_be_closed_before_its_last_day_is_over(world):
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    period = services.billing_period_open(
        by=world["commissioner"], contract=world["contract"], start=this_monday
    )
    with pytest.raises(ValidationError, match="before its last day is over"):
        services.billing_period_close(by=world["commissioner"], period=period)
    assert not BillingPeriod.objects.get(pk=period.pk).is_closed


def test_a_four_week_period_starts_on_a_monday(world):
    """KENT-3.7.4 (a week is Monday to Sunday), used for every weekly payment period."""
    tuesday = date(2026, 11, 3)
    with pytest.raises(ValidationError, match="starts on a Monday"):
        services.billing_period_open(
            by=world["commissioner"], contract=world["contract"], start=tuesday
        )


def test_a_bad_draft_leaves_the_last_good_draft_as_it_was(
    world, invoice, period, delivered, actuals
):
    total, lines = invoice.total, invoice.lines.filter(archived_at__isnull=True).count()
    actuals[str(delivered[0].pk)] = (delivered[0].planned_start, None)
    with pytest.raises(ValidationError):
        _draft(world, period)
    invoice.refresh_from_db()
    assert (invoice.total, invoice.lines.filter(archived_at__isnull=True).count()) == (total, lines)


def test_overlapping_rates_are_refused(world, rate):
    with pytest.raises(ValidationError, match="already has a rate"):
        services.contract_rate_set(
            by=world["commissioner"],
            contract=world["contract"],
            valid_from=rate.valid_from + timedelta(days=30),
            hourly_rate=rate.hourly_rate,
        )
