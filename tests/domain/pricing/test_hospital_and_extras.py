"""Hospital holds, first assessments, emergency extra time and granted travel
(LAN-HC-6.1, LAN-HC-3.10, KENT-8.4.7, LAN-HC-4.3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from homecare.domain.pricing import HospitalAdmission, PricingError
from homecare.domain.pricing.model import LONDON
from tests.domain.pricing.helpers import START, commission, price, visit, visit_lines

ADMITTED = datetime(2026, 11, 3, 10, 0, tzinfo=LONDON)


def _held(after_hours, slug="lan-hc"):
    when = ADMITTED + timedelta(hours=after_hours)
    item = visit(
        when.date(),
        30,
        start=when.strftime("%H:%M"),
        hospital_hold=True,
        actual_minutes=None,
    )
    return item


@pytest.mark.parametrize(
    ("after_hours", "paid"),
    [(8, "10.69"), (47.5, "10.69"), (71.5, "10.69"), (72, "0.00"), (80, "0.00")],
)
def test_package_is_paid_in_full_for_72_hours_from_admission_and_not_beyond(after_hours, paid):
    """LAN-HC-6.1: "The Service Provider must ensure that the Care Package remains in place for
    a period of 72 hours from the date of admission. The Service Provider will be paid 100% of
    the Care Package cost for this period and will not be paid for a period longer than 72
    hours." A planned half hour at £21.37 an hour is £10.685 -> £10.69."""
    item = _held(after_hours)
    result = price("lan-hc", visits=[item], admissions=[HospitalAdmission("P1", ADMITTED)])
    (line,) = visit_lines(result, item.visit_id)
    assert line.amount == Decimal(paid)
    assert line.refs == ("LAN-HC-6.1",)
    assert "Admitted 2026-11-03 10:00" in line.explanation


def test_a_contract_with_no_paid_hold_pays_nothing_for_cancelled_visits():
    """KENT-3.7.4 (billing.hospital_hold = 0 for Kent): under-delivered hours are not paid."""
    item = _held(8)
    result = price("kent", visits=[item], admissions=[HospitalAdmission("P1", ADMITTED)])
    (line,) = visit_lines(result, item.visit_id)
    assert line.amount == 0 and "pays nothing while a package is held" in line.explanation


def test_a_hold_without_a_recorded_admission_is_refused():
    """LAN-HC-6.1: the hold runs from the admission, so one must be recorded."""
    with pytest.raises(PricingError, match="no admission before it is recorded for package P1"):
        price("lan-hc", visits=[_held(8)])


@pytest.mark.parametrize(("minutes", "paid"), [(45, "16.03"), (60, "21.37"), (90, "21.37")])
def test_initial_risk_assessment_is_paid_up_to_one_hour(minutes, paid):
    """LAN-HC-3.10: the initial Health and Safety/Risk assessment "is undertaken at the
    Authority's expense up to a maximum of payment for 1 hour of service delivery"."""
    item = visit(minutes=minutes, initial_assessment=True)
    result = price("lan-hc", visits=[item])
    (line,) = visit_lines(result, item.visit_id)
    assert line.amount == Decimal(paid) and line.refs == ("LAN-HC-3.10",)
    assert result.flexible_use[0].delivered_minutes == 0  # not commissioned care


def test_a_contract_that_does_not_pay_assessments_says_so():
    """KENT: billing.assessment_paid_max is 0; the line explains why nothing is paid."""
    item = visit(minutes=60, initial_assessment=True)
    (line,) = visit_lines(price("kent", visits=[item]), item.visit_id)
    assert line.amount == 0 and "pays nothing for the first assessment" in line.explanation


def test_emergency_extra_hour_is_paid_by_the_council_not_charged_to_the_person():
    """KENT-8.4.7: "the Provider will deploy additional Care/Support Worker time without the
    prior consent of the Council for the period of 1 hour ... The person will not be required
    to make any payment to the Provider." Capped at change.emergency_extra (60 minutes);
    outside the commissioned hours' cap."""
    ordinary = visit(minutes=30)
    emergency = visit(minutes=90, emergency_extra=True)
    result = price("kent", visits=[ordinary, emergency])
    (line,) = visit_lines(result, emergency.visit_id)
    assert line.minutes == 60 and line.amount == Decimal("21.37")
    assert line.charge_person is False
    assert line.refs == ("KENT-3.7.2", "KENT-8.4.7")
    assert line.description.startswith("Emergency extra")
    assert result.total == Decimal("34.19")
    assert result.person_total == Decimal("12.82")
    assert result.flexible_use[0].delivered_minutes == 30


def test_granted_additional_travel_time_is_paid_on_its_own_line():
    """LAN-HC-4.3/4.4: additional travel time, where the Authority grants it, is paid for the
    minutes granted, on a line of its own beside the visit."""
    item = visit(minutes=30, travel_granted_minutes=15)
    result = price("lan-hc", visits=[item])
    visit_line, travel = visit_lines(result, item.visit_id)
    assert visit_line.amount == Decimal("10.69")
    assert travel.description.startswith("Additional travel time")
    assert (travel.minutes, travel.amount, travel.refs) == (15, Decimal("5.34"), ("LAN-HC-4.3",))


def test_lancashire_homecare_pays_the_planned_length_including_travel():
    """LAN-HC-4.1: a half-hour visit includes up to 10 minutes of travel, so the rulebook's
    billing.duration_basis is planned: 22 minutes in the home on a planned half hour is a
    half hour."""
    item = visit(minutes=22, planned=30)
    (line,) = visit_lines(price("lan-hc", visits=[item]), item.visit_id)
    assert line.minutes == 30 and line.amount == Decimal("10.69")
    assert line.refs == ("LAN-HC-4.1",)


def test_commissioned_hours_for_a_person_other_than_the_visits_are_refused():
    with pytest.raises(PricingError, match="commissioned for person B"):
        price(visits=[visit(START)], commissions=[commission(person="B")])
