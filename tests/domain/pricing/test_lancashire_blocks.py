"""Lancashire short-term block contracts (LAN-ST-4.1, 4.2, 4.16, 4.17, 4.18, 9.5)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from homecare.domain.pricing import (
    BlockContract,
    BlockLevelChange,
    BlockLevels,
    PricingError,
    gauge,
    validate_level_change,
)
from homecare.domain.pricing.units import Terms
from homecare.domain.rulebook import load_rulebook
from tests.domain.pricing.helpers import START, commission, price, visit

LAN_ST = load_rulebook("lan-st")
LEVELS = BlockLevels(
    minimum_week=100,
    start_week=150,
    maximum_week=200,
    minimum_period=400,
    start_period=600,
    maximum_period=800,
)


def block(**changes) -> BlockContract:
    values = dict(
        contract_id="B1",
        name="East Lancashire",
        hourly_rate=Decimal("20.00"),
        levels=LEVELS,
        package_ids=frozenset({"P1"}),
        valid_from=date(2026, 4, 6),
    )
    values.update(changes)
    return BlockContract(**values)


def delivered(weekly_hours):
    """Ten-hour blocks of care (LAN-ST-4.10c) adding up to each week's hours."""
    visits = []
    for week, total in enumerate(weekly_hours):
        for n in range(total // 10):
            visits.append(visit(START + timedelta(days=7 * week + n % 7), 600, kind="block"))
    return visits


def priced(weekly_hours, **contract):
    result = price(
        "lan-st",
        visits=delivered(weekly_hours),
        commissions=[commission()],
        blocks=[block(**contract)],
    )
    (period,) = result.blocks
    return result, period


def test_the_minimum_level_is_always_paid():
    """LAN-ST-4.2: "The Block Contract guarantees payment for minimum volume of hours." 300
    hours used of a 600-hour block with a 400-hour minimum: 300 hours used plus a 100-hour
    top-up are paid."""
    result, period = priced([80, 70, 80, 70])
    assert (period.delivered_minutes, period.paid_minutes) == (300 * 60, 400 * 60)
    used, top_up = (line for line in result.lines if line.visit_id is None)
    assert (used.amount, top_up.amount) == (Decimal("6000.00"), Decimal("2000.00"))
    assert top_up.description.startswith("Minimum guarantee") and "LAN-ST-4.2" in top_up.refs
    assert result.total == Decimal("8000.00")
    assert all(line.amount == 0 for line in result.lines if line.visit_id)


@pytest.mark.parametrize(
    ("weekly", "carried"),
    [([140, 140, 140, 130], 50), ([120, 110, 110, 110], 120), ([80, 70, 80, 70], 120)],
)
def test_unused_hours_carry_forward_capped_at_20_percent_of_the_block(weekly, carried):
    """LAN-ST-4.17: "At the end of each 4 week period any unused hours (to a maximum of 20% of
    the block) will be carried forward to the following four week period." 20% of 600 is 120."""
    _, period = priced(weekly)
    assert period.carry_out_minutes == carried * 60
    assert period.carry_out_minutes <= period.block_minutes * 20 // 100


def test_hours_carried_in_are_available_and_paid_when_used():
    """LAN-ST-4.17: the carried hours add to the next period's block."""
    result, period = priced([180, 180, 180, 160], carried_in_minutes=120 * 60)
    assert period.available_minutes == 720 * 60
    assert period.paid_minutes == 700 * 60 and period.offset_out_minutes == 0
    assert result.total == Decimal("14000.00")


def test_demand_beyond_block_and_carried_hours_is_offset_against_the_next_period():
    """LAN-ST-4.18: "Where the demand for care is greater than the carried forward and block
    hours ... the Authority reserves the right to offset this sum against the following
    payment period." 700 hours on a 600-hour block: 600 paid, 100 offset forward."""
    result, period = priced([180, 180, 180, 160])
    assert (period.paid_minutes, period.offset_out_minutes) == (600 * 60, 100 * 60)
    assert result.total == Decimal("12000.00")
    assert any("offset against the next period" in w.message for w in result.warnings)
    # The next period starts with those 100 hours already used.
    _, following = priced([110, 110, 110, 120], offset_in_minutes=period.offset_out_minutes)
    assert following.used_minutes == 550 * 60 and following.paid_minutes == 550 * 60


def test_a_week_above_the_maximum_level_is_flagged():
    """LAN-ST-4.1: maximum levels per week; LAN-ST-4.4: capacity of the block maximised."""
    result, _ = priced([210, 100, 100, 100])
    assert any("above the maximum level of 200" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("hours", "weeks_notice", "agreed", "problem"),
    [
        (700, 6, False, None),
        (700, 5, False, "needs 6 weeks' notice"),
        (500, 4, False, None),
        (500, 3, False, "needs 4 weeks' notice"),
        (500, 1, True, None),
        (900, 8, False, "outside the block's levels"),
    ],
)
def test_flexing_the_block_up_or_down_needs_the_notice(hours, weeks_notice, agreed, problem):
    """LAN-ST-4.16: the Authority notifies an increase "a minimum of six weeks prior" and a
    decrease "a minimum of four weeks prior"; the notice may be agreed otherwise "in liaison
    with the Service Provider". Levels stay within the call-off's minimum and maximum (4.1)."""
    effective = START
    change = BlockLevelChange(
        effective_from=effective,
        period_hours=hours,
        week_hours=hours // 4 if hours <= 800 else 225,
        notified_on=effective - timedelta(weeks=weeks_notice),
        agreed_short_notice=agreed,
    )
    problems = validate_level_change(LAN_ST, block(), change)
    if problem is None:
        assert problems == []
        _, period = priced([100, 100, 100, 100], changes=(change,))
        assert period.block_minutes == hours * 60
    else:
        assert any(problem in text for text in problems)
        with pytest.raises(PricingError, match=problem):
            priced([100, 100, 100, 100], changes=(change,))


def test_usage_gauge_alerts_at_80_percent_of_the_block():
    """LAN-ST-9.5: "notify the Authority at the point in which usage of the block hours
    reaches 80%" (block.usage_alert)."""
    terms = Terms.from_rulebook(LAN_ST)
    assert not gauge(terms, block(), START, 479 * 60).alert
    at = gauge(terms, block(), START, 480 * 60)
    assert at.alert and at.percent == Decimal("80.0") and at.refs == ("LAN-ST-9.5",)
    with_carry = gauge(terms, block(carried_in_minutes=120 * 60), START, 480 * 60)
    assert not with_carry.alert and with_carry.available_minutes == 720 * 60
    assert with_carry.carry_forward_cap_minutes == 120 * 60
    result, period = priced([120, 120, 120, 120])
    assert period.gauge.alert
    assert any("80.0% of the available hours used" in w.message for w in result.warnings)


def test_overlapping_block_contracts_are_refused():
    """Overlapping contract periods are broken data: nothing is priced."""
    with pytest.raises(PricingError, match="block contract periods overlap"):
        price(
            "lan-st",
            visits=delivered([10, 0, 0, 0]),
            blocks=[block(), block(contract_id="B2", valid_from=date(2026, 10, 1))],
        )


def test_block_levels_out_of_order_are_refused():
    """LAN-ST-4.1: minimum, start and maximum levels, in that order."""
    levels = BlockLevels(100, 150, 200, 700, 600, 800)
    with pytest.raises(PricingError, match="minimum <= start <= maximum"):
        priced([100, 100, 100, 100], levels=levels)
