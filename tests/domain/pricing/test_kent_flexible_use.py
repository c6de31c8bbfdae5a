"""KENT-3.7.4 flexible use of commissioned hours: the specification's worked examples A-E.

"Client requires 10 hours of one to one support each week, totalling 40 hours over a 4-week
period" (KENT-3.7.4.1). "The provider may flexibly provide the commissioned hours within the
agreed payment cycle or period but must not exceed the total unless by agreed exception"
(a full week is calculated Monday through Sunday).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from homecare.domain.pricing import ApprovedException, PricingError, review_claim
from homecare.domain.rulebook import load_rulebook
from tests.domain.pricing.helpers import price, week_visits

KENT = load_rulebook("kent")
HOUR = Decimal("21.37")


def _period(weekly, **kwargs):
    result = price(visits=week_visits(weekly), **kwargs)
    (use,) = result.flexible_use
    return result, use


def test_example_a_hours_used_flexibly_within_the_period_are_all_paid():
    """KENT-3.7.4 Example A (correct): delivered 10, 12, 10, 8 = 40 "(commissioned hours
    flexibly used within period)". Week 2's 12 hours are paid: the period total is 40."""
    result, use = _period([10, 12, 10, 8])
    assert [week.delivered_minutes // 60 for week in use.weeks] == [10, 12, 10, 8]
    assert [week.commissioned_minutes // 60 for week in use.weeks] == [10, 10, 10, 10]
    assert use.verdict == "within" and use.withheld_minutes == 0
    assert result.total == 40 * HOUR
    assert review_claim(KENT, use, claimed_minutes=40 * 60).accepted


def test_example_b_extra_hours_without_approval_are_not_paid():
    """KENT-3.7.4 Example B (incorrect): delivered 10, 16, 10, 8 "(no KCC approval sought by
    exception for additional hours)". The 4 hours past the 40 commissioned are withheld,
    line by line against the latest visits, and a claim for 44 is refused."""
    result, use = _period([10, 16, 10, 8])
    assert use.verdict == "over_refused"
    assert (use.delivered_minutes, use.payable_minutes, use.withheld_minutes) == (
        44 * 60,
        40 * 60,
        4 * 60,
    )
    withheld = [line for line in result.lines if line.amount < 0]
    assert len(withheld) == 4 and all(line.refs == ("KENT-3.7.4",) for line in withheld)
    assert result.total == 40 * HOUR
    review = review_claim(KENT, use, claimed_minutes=44 * 60)
    assert not review.accepted and "agreement by exception" in review.reasons[0]
    assert "KENT-3.7.4" in review.refs


def test_example_b_with_an_approved_exception_is_paid_in_full():
    """KENT-3.7.4: "must not exceed the total unless by agreed exception"."""
    result, use = _period(
        [10, 16, 10, 8], exceptions=[ApprovedException("P1", 4 * 60, reference="KCC-123")]
    )
    assert use.verdict == "over_approved" and use.approved_extra_minutes == 240
    assert result.total == 44 * HOUR
    assert review_claim(KENT, use, claimed_minutes=44 * 60).accepted


def test_example_c_rolling_unused_hours_over_is_refused():
    """KENT-3.7.4 Example C (incorrect): delivered 10, 6, 8, 10 = 34 "(commissioned hours are
    under delivered and provider wishes to roll remainder over)". The rulebook's
    billing.carry_forward_cap is 0 for Kent."""
    _result, use = _period([10, 6, 8, 10])
    review = review_claim(KENT, use, claimed_minutes=34 * 60, roll_over_minutes=6 * 60)
    assert not review.accepted
    assert "does not carry hours forward" in review.reasons[0]


def test_example_d_only_the_hours_delivered_are_invoiced():
    """KENT-3.7.4 Example D (correct): delivered 34 "(commissioned hours are under delivered but
    the provider only invoices for actual hours delivered and communicated with Care
    Manager)". The invoice is for 34 hours, and the under-delivery is flagged to pass on."""
    result, use = _period([10, 6, 8, 10])
    assert use.verdict == "under_delivered"
    assert result.total == 34 * HOUR
    assert review_claim(KENT, use, claimed_minutes=34 * 60).accepted
    assert any("Under-delivered" in warning.message for warning in result.warnings)


def test_example_e_invoicing_the_commissioned_hours_when_fewer_were_delivered_is_refused():
    """KENT-3.7.4 Example E (incorrect): delivered 8, 8, 8, 8 "(commissioned hours are under
    delivered but the provider has invoiced for the full 80 commissioned hours)"."""
    result, use = _period([8, 8, 8, 8])
    assert result.total == 32 * HOUR
    for claimed in (40, 80):
        review = review_claim(KENT, use, claimed_minutes=claimed * 60)
        assert not review.accepted
        assert "only hours actually delivered are invoiced" in review.reasons[0]


def test_a_weekly_window_caps_each_week_on_its_own():
    """KENT-3.7.4 "a full week is calculated Monday through Sunday": where the rulebook's
    billing.flexible_window is a week, Example A's 12 hours in week 2 are 2 too many."""
    result, use = _period([10, 12, 10, 8], overrides={"billing.flexible_window": "week"})
    assert use.withheld_minutes == 120
    assert result.total == 38 * HOUR


def test_a_contract_without_a_cap_only_flags_over_delivery():
    """billing.flexible_window = no_cap (the other specifications are silent): pay what was
    delivered, flag the excess for the council."""
    result, use = _period([10, 16, 10, 8], overrides={"billing.flexible_window": "no_cap"})
    assert use.verdict == "over_flagged" and use.withheld_minutes == 0
    assert result.total == 44 * HOUR
    assert any("Over-delivered" in warning.message for warning in result.warnings)


def test_a_contract_that_carries_hours_forward_allows_a_capped_roll_over():
    """billing.carry_forward_cap: where a rulebook allows carrying unused hours (Lancashire's
    blocks carry up to 20%, LAN-ST-4.17) a roll-over within the cap stands; beyond it does not."""
    rulebook = KENT.with_overrides({"billing.carry_forward_cap": 20}, source="test")
    _, use = _period([10, 6, 8, 10])
    assert review_claim(rulebook, use, claimed_minutes=34 * 60, roll_over_minutes=6 * 60).accepted
    review = review_claim(rulebook, use, claimed_minutes=34 * 60, roll_over_minutes=9 * 60)
    assert not review.accepted and "at most 6 hours" in review.reasons[0]


def test_a_negative_approved_exception_is_refused():
    """KENT-3.7.4: an agreed exception adds hours; a negative one is broken data."""
    with pytest.raises(PricingError, match="approved exception of -60 minutes is negative"):
        _period([10, 10, 10, 10], exceptions=[ApprovedException("P1", -60)])
