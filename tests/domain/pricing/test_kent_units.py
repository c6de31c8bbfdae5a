"""Kent day units, sessions, nights and the complex rate (KENT-3.7.2, 3.7.3, 3.7.5, 3.3.8, 3.4.1)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.domain.pricing.helpers import START, commission, price, visit, visit_lines


def _one(minutes, planned=None, overrides=None, **flags):
    item = visit(minutes=minutes, planned=planned, **flags)
    result = price(visits=[item], overrides=overrides)
    (line,) = visit_lines(result, item.visit_id)
    return line, result


@pytest.mark.parametrize(
    ("minutes", "unit", "amount"),
    [(30, 30, "12.82"), (45, 45, "17.10"), (60, 60, "21.37")],
)
def test_day_units_are_paid_at_60_80_and_100_percent_of_the_hourly_rate(minutes, unit, amount):
    """KENT-3.7.2: "Half Hour Paid at 60% of Provider's contracted Full Hourly Rate. Three
    Quarter Hour Paid at 80% ... Full Hour Paid at the Provider's contracted Full Hourly Rate."
    At £21.37 an hour: 60% = 12.822 -> £12.82; 80% = 17.096 -> £17.10 (half up)."""
    line, _ = _one(minutes)
    assert line.minutes == unit
    assert line.quantity_unit == "units" and line.quantity == 1
    assert line.unit_price == line.amount == Decimal(amount)
    assert line.refs == ("KENT-3.7.2",)
    assert f"{unit}-minute day unit" in line.explanation


@pytest.mark.parametrize(("minutes", "amount"), [(75, "26.71"), (90, "32.06"), (120, "42.74")])
def test_sessions_over_an_hour_are_pro_rata_from_the_full_hourly_rate(minutes, amount):
    """KENT-3.7.3: "Sessions (continuous support of more than one Full hour) will be paid on a
    prorata basis from the Provider's contracted Full Hourly Rate." 90 minutes at £21.37 is
    £32.055, rounded half up to £32.06."""
    line, _ = _one(minutes)
    assert line.amount == Decimal(amount)
    assert line.quantity_unit == "hours" and line.quantity == Decimal(minutes) / 60
    assert line.unit_price == Decimal("21.37")
    assert line.refs == ("KENT-3.7.3",)


def test_double_handed_visit_is_one_unit_per_worker():
    """KENT-3.7.2: each worker's half hour is a half-hour unit; quantity x price = amount."""
    line, _ = _one(30, workers=2)
    assert (line.quantity, line.unit_price, line.amount) == (2, Decimal("12.82"), Decimal("25.64"))
    assert line.minutes == 60


@pytest.mark.parametrize(
    ("actual", "unit"),
    [(26, 30), (39, 30), (40, 45), (54, 45), (55, 60), (58, 60), (64, 60), (70, 75)],
)
def test_kent_maps_actual_minutes_down_to_the_unit_reached_with_5_minutes_tolerance(actual, unit):
    """KENT-3.7.2 with the rulebook's billing.duration_basis = actual (KENT-3.7.4: only hours
    actually delivered are invoiced), billing.unit_rounding = down, billing.rounding_step =
    15 and billing.unit_tolerance = 5: a visit is paid the largest unit it reached, allowing
    5 minutes short of it."""
    line, _ = _one(actual, planned=60)
    assert line.minutes == unit


def test_a_visit_shorter_than_half_an_hour_is_paid_a_half_hour_unit_and_flagged():
    """KENT-3.7.2: the half hour is the shortest unit bought."""
    line, result = _one(18, planned=30)
    assert line.minutes == 30 and line.amount == Decimal("12.82")
    assert any("under the shortest day unit" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("overrides", "actual", "planned", "unit"),
    [
        ({"billing.duration_basis": "planned"}, 40, 60, 60),
        ({"billing.duration_basis": "actual_capped"}, 60, 45, 45),
        ({"billing.duration_basis": "actual_capped"}, 30, 45, 30),
        ({"billing.unit_rounding": "up"}, 34, 60, 30),
        ({"billing.unit_rounding": "up"}, 36, 60, 45),
        ({"billing.unit_rounding": "nearest"}, 37, 60, 30),
        ({"billing.unit_rounding": "nearest"}, 38, 60, 45),
        ({"billing.unit_tolerance": 0}, 44, 60, 30),
        ({"billing.unit_tolerance": 10}, 35, 60, 45),
    ],
)
def test_how_a_duration_maps_to_a_unit_is_the_rulebooks_setting(overrides, actual, planned, unit):
    """KENT-3.7.2: planned vs actual, rounding and tolerance are rulebook entries
    (billing.duration_basis, billing.unit_rounding, billing.unit_tolerance), not code."""
    line, _ = _one(actual, planned=planned, overrides=overrides)
    assert line.minutes == unit


@pytest.mark.parametrize(("minutes", "sessions"), [(540, 1), (545, 1), (560, 2)])
def test_night_support_is_paid_in_9_hour_sessional_units(minutes, sessions):
    """KENT-3.7.5: "Night Support (22:00 07:00); ... purchased and calculated for payment in
    9-hour sessional units." Anything beyond a session (past the tolerance) is a further one."""
    line, _ = _one(minutes, kind="night", start="22:00")
    assert (line.quantity, line.quantity_unit) == (sessions, "sessions")
    assert line.amount == Decimal("110.00") * sessions
    assert line.refs == ("KENT-3.7.5",)


def test_complex_support_is_paid_at_the_complex_rate():
    """KENT-3.3.8: "the Care and Support in the Home Complex Service contracted rates are
    higher than those of Standard Support"; the unit rules still apply (3.7.2)."""
    item = visit(minutes=30)
    result = price(visits=[item], commissions=[commission(band="complex")])
    (line,) = visit_lines(result, item.visit_id)
    assert line.amount == Decimal("15.30")  # 60% of £25.50
    assert line.refs == ("KENT-3.7.2", "KENT-3.3.8")


def test_no_unsocial_hours_uplift_in_the_evening_or_at_the_weekend():
    """KENT-3.4.1: "Unsocial rates will not be applied, as these will be accounted for in the
    unit cost of the Service." A Sunday 21:00 visit costs what a Monday 09:00 one does."""
    monday = visit(START, 45, start="09:00")
    sunday = visit(START + timedelta(days=6), 45, start="21:00")
    result = price(visits=[monday, sunday])
    amounts = {line.visit_id: line.amount for line in result.lines}
    assert amounts[monday.visit_id] == amounts[sunday.visit_id] == Decimal("17.10")
    assert not any("outside day support hours" in w.message for w in result.warnings)


def test_a_day_unit_running_past_22_00_is_flagged():
    """KENT-3.7.2 / 3.7.5: day units are for 07:00-22:00; later care is night support."""
    _, result = _one(45, start="21:30")
    assert any("outside day support hours" in w.message for w in result.warnings)


def test_the_same_input_gives_the_same_lines_to_the_penny():
    """Money in Decimal with explicit rounding: a re-run, or the same visits in another
    order, gives the same lines and total to the penny."""
    rng = random.Random(4)
    visits = [
        visit(START + timedelta(days=rng.randrange(28)), rng.randrange(20, 130), planned=60)
        for _ in range(120)
    ]
    first = price(visits=visits, commissions=[commission(weekly_hours=40)])
    again = price(visits=visits, commissions=[commission(weekly_hours=40)])
    assert first.lines == again.lines and first.total == again.total
    shuffled = list(visits)
    rng.shuffle(shuffled)
    other = price(visits=shuffled, commissions=[commission(weekly_hours=40)])
    assert sorted((line.key(), line.amount) for line in other.lines) == sorted(
        (line.key(), line.amount) for line in first.lines
    )
    assert other.total == first.total
    assert first.total == sum((line.amount for line in first.lines), Decimal(0))


def test_bank_holidays_are_paid_the_same_under_kent():
    """KENT-3.4.1: "available 365 days a year, including Bank Holidays. Unsocial rates will not
    be applied" (billing.bank_holiday_uplift = 0): a bank holiday adds no line."""
    item = visit(START, 45)
    result = price(visits=[item], bank_holidays=[START])
    assert [line.amount for line in result.lines] == [Decimal("17.10")]


def test_a_contract_with_a_bank_holiday_uplift_adds_it_on_its_own_line():
    """billing.bank_holiday_uplift: where a contract pays one, the uplift is a line of its own
    beside the visit, citing the rulebook entry."""
    item = visit(START, 45)
    result = price(
        visits=[item], bank_holidays=[START], overrides={"billing.bank_holiday_uplift": 50}
    )
    visit_line, uplift = visit_lines(result, item.visit_id)
    assert uplift.description == "Bank holiday uplift, 50%"
    assert uplift.amount == Decimal("8.55")  # 50% of £17.10
    assert "No unsocial-hours uplift" not in visit_line.explanation


def test_over_an_hour_in_further_day_units_where_the_rulebook_says_so():
    """KENT-3.7.3 is pro rata; a contract with billing.over_hour = day_units pays the hour and
    then a further day unit: 90 minutes = £21.37 + £12.82."""
    line, _ = _one(90, overrides={"billing.over_hour": "day_units"})
    assert (line.quantity, line.amount) == (2, Decimal("34.19"))


def test_every_line_names_the_clause_that_priced_it_and_adds_up():
    """Issue 7: every line traceable to a visit and a clause. Over a mixed Kent period (units,
    sessions, nights, double-handed, an emergency hour, care past the cap) each line cites a
    Kent requirement, names its visit, and whole-unit lines show quantity x price = amount."""
    rng = random.Random(9)
    visits = [
        visit(
            START + timedelta(days=rng.randrange(28)),
            rng.choice((30, 45, 60, 75, 120)),
            workers=rng.choice((1, 1, 2)),
        )
        for _ in range(80)
    ]
    visits.append(visit(START, 540, kind="night", start="22:00"))
    visits.append(visit(START, 60, emergency_extra=True))
    result = price(visits=visits)
    assert any(line.amount < 0 for line in result.lines)
    for line in result.lines:
        assert line.visit_id and line.refs and all(ref.startswith("KENT-") for ref in line.refs)
        if line.quantity_unit in ("units", "sessions"):
            assert line.quantity * line.unit_price == line.amount
