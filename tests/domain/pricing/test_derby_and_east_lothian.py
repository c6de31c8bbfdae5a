"""Derby extra care blocks (DERBY-APP4) and East Lothian's two models (ELOTH-3.6a, 3.6b)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from homecare.domain.pricing import (
    PersonalBudget,
    PricingError,
    QuarterlyBlock,
    QuarterMonitoring,
)
from tests.domain.pricing.helpers import commission, price, tariff, visit, visit_lines

Q_START, Q_END = date(2026, 10, 1), date(2026, 12, 31)
AFTER_QUARTER = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
MET = QuarterMonitoring(
    quality_met=True, emergency_calls=100, emergency_calls_in_target=95, wellbeing_delivered=True
)


def scheme(monitoring=MET, monthly=(), **changes) -> QuarterlyBlock:
    values = dict(
        scheme_id="S1",
        name="Rowan Court",
        quarter_start=Q_START,
        amount=Decimal("45000.00"),
        quarter_hours=1500,
        package_ids=frozenset({"P1"}),
        monitoring=monitoring,
        monthly_hours=tuple(Decimal(value) for value in monthly),
    )
    values.update(changes)
    return QuarterlyBlock(**values)


def derby(block):
    result = price(
        "derby",
        period_start=Q_START,
        period_end=Q_END,
        now=AFTER_QUARTER,
        tariffs=[],
        visits=[visit(date(2026, 10, 5), 60), visit(date(2026, 11, 9), 45)],
        quarterly_blocks=[block],
    )
    (quarter,) = result.extra_care
    return result, quarter


def test_quarterly_block_is_released_when_the_monitoring_is_met():
    """DERBY-APP4: "Payment will be linked to the receipt of monitoring being delivered at the
    end of the quarter that indicates that: Requirements of the Appendix 2, Quality Assurance
    have been delivered; 24/7 Emergency service has been available and is meeting its 90%
    target; Wellbeing Service has been delivered"."""
    result, quarter = derby(scheme())
    assert quarter.released and result.total == Decimal("45000.00")
    assert quarter.delivered_minutes == 105
    (line,) = [line for line in result.lines if line.visit_id is None]
    assert line.refs == ("DERBY-APP4",) and "Released" in line.explanation


@pytest.mark.parametrize(
    ("monitoring", "reason"),
    [
        (None, "no monitoring return"),
        (
            QuarterMonitoring(True, 100, 85, True),
            "answered 85.0% of calls in target, below 90%",
        ),
        (QuarterMonitoring(False, 100, 95, True), "quality assurance requirements"),
        (QuarterMonitoring(True, 100, 95, False), "wellbeing service"),
    ],
)
def test_quarterly_block_is_withheld_until_the_monitoring_shows_it_is_earned(monitoring, reason):
    """DERBY-APP4: payment is released against the quarter's monitoring (emergency target from
    the rulebook's emergency_response.target_share, 90%)."""
    result, quarter = derby(scheme(monitoring=monitoring))
    assert not quarter.released and result.total == 0
    assert any(reason in text for text in quarter.reasons)
    assert any("withheld" in warning.message for warning in result.warnings)


@pytest.mark.parametrize(
    ("monthly", "reoffer", "proposed"),
    [
        ((500, 500, 500, 500, 500, 500), False, 1500),
        ((525, 525, 525, 525, 525, 525), False, 1575),  # exactly 5%: not "more than"
        ((500, 520, 530, 530, 540, 540), True, 1580),
        ((480, 470, 470, 470, 480, 470), True, 1420),
    ],
)
def test_block_is_re_offered_when_six_months_volume_differs_by_more_than_5_percent(
    monthly, reoffer, proposed
):
    """DERBY-APP4: "If the volume of block contract in the previous 6 months varies from the
    current volume by more than 5% the Council will offer the Provider an updated block
    payment" (block.review_window 6 months, block.reoffer_variance 5%)."""
    result, quarter = derby(scheme(monthly=monthly))
    assert quarter.review.reoffer is reoffer
    assert quarter.review.proposed_quarter_hours == proposed
    assert any("offer an updated block" in w.message for w in result.warnings) is reoffer


ELOTH_RATE = Decimal("19.50")


def eloth(visits, budgets=(), commissions=None):
    return price(
        "eloth",
        tariffs=[tariff(hourly_rate=ELOTH_RATE)],
        commissions=commissions
        or [commission("P1", "A"), commission("P2", "B", model="personal_budget")],
        visits=visits,
        personal_budgets=budgets,
    )


@pytest.mark.parametrize(("actual", "planned", "amount"), [(27, 30, "8.78"), (35, 30, "9.75")])
def test_time_and_task_is_paid_at_the_hourly_rate_for_the_time_delivered(actual, planned, amount):
    """ELOTH-3.6a: "Each visit is restricted by a pre-arranged time ... This support is paid for
    through an agreed hourly rate." Paid to the minute, never above the pre-arranged time
    (billing.duration_basis = actual_capped). 27 minutes at £19.50 = £8.775 -> £8.78."""
    item = visit(minutes=actual, planned=planned)
    result = eloth([item], budgets=[PersonalBudget("P2", "B", Decimal("300"), Decimal("320"))])
    (line,) = visit_lines(result, item.visit_id)
    assert line.amount == Decimal(amount) and line.refs == ("ELOTH-3.6a",)


def test_personal_budget_packages_are_paid_their_agreed_budget_beside_time_and_task():
    """ELOTH-3.6b: "The cost of meeting these outcomes is given an approximate cost known as the
    Indicative Budget ... This is then checked and verified to become an agreed Personal
    Budget." Four weeks at an agreed £320 a week is £1,280; the visits are within it."""
    task = visit(minutes=60)
    budget_visit = visit(minutes=90, package="P2", person="B")
    result = eloth(
        [task, budget_visit], budgets=[PersonalBudget("P2", "B", Decimal("300"), Decimal("320"))]
    )
    (budget_line,) = [line for line in result.lines if line.visit_id is None]
    assert budget_line.amount == Decimal("1280.00") and budget_line.refs == ("ELOTH-3.6b",)
    assert "indicative £300" in budget_line.explanation
    (within,) = visit_lines(result, budget_visit.visit_id)
    assert within.amount == 0 and within.minutes == 90
    assert result.total == Decimal("1299.50")
    assert [use.package_id for use in result.flexible_use] == ["P1"]


def test_an_indicative_budget_not_yet_agreed_is_not_invoiced():
    """ELOTH-3.6b: only the agreed personal budget is paid."""
    result = eloth([], budgets=[PersonalBudget("P2", "B", Decimal("300"))])
    assert result.total == 0
    assert any("not yet agreed" in warning.message for warning in result.warnings)


def test_a_personal_budget_package_without_a_budget_is_refused():
    with pytest.raises(PricingError, match="package P2 is paid by personal budget"):
        eloth([])
