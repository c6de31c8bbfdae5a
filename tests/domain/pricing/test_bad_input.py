"""Broken data gets a clear error naming what is wrong, and no lines at all (issue 7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from homecare.domain.pricing import DeliveredVisit, PricingError
from tests.domain.pricing.helpers import END, NOW, START, commission, price, tariff, visit

V = dict(package="P1", person="A")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            dict(
                tariffs=[tariff(valid_to=START + timedelta(days=7))],
                visits=[visit(START + timedelta(days=9))],
            ),
            "no rate for 2026-11-11",
        ),
        (
            dict(
                tariffs=[
                    tariff(valid_to=START + timedelta(days=7)),
                    tariff(valid_from=START + timedelta(days=7)),
                ]
            ),
            "rates from 2026-04-01 overlap rates from 2026-11-09",
        ),
        (
            dict(commissions=[commission(), commission(valid_from=START)]),
            "package P1: commissioned hours from 2026-04-01 overlap those from 2026-11-02",
        ),
        (
            dict(visits=[visit(actual_minutes=None, visit_id="V-open")]),
            "visit V-open .* has no check-out",
        ),
        (dict(visits=[visit(minutes=-5, visit_id="V-neg")]), "visit V-neg .* lasts -5 minutes"),
        (
            dict(visits=[visit(minutes=25 * 60, visit_id="V-long")]),
            "lasts 1500 minutes .* between 0 and 24 hours \\(billing.max_duration\\)",
        ),
        (dict(now=datetime(2026, 11, 29, 23, 0, tzinfo=UTC)), "is not closed yet"),
        (dict(period_start=START + timedelta(days=1)), "not whole weeks from Monday to Sunday"),
        (dict(visits=[visit(END + timedelta(days=1))]), "outside the period"),
        (dict(visits=[visit(package="P9")]), "package P9 has no commissioned hours on"),
        (
            dict(tariffs=[tariff(hourly_rate=Decimal("21.37501"))], visits=[visit()]),
            "more than four decimal places",
        ),
        (
            dict(
                tariffs=[tariff(complex_hourly_rate=None)],
                commissions=[commission(band="complex")],
                visits=[visit()],
            ),
            "package P1 is complex support but the rates from 2026-04-01 have no complex",
        ),
        (
            dict(
                tariffs=[tariff(night_session_rate=None)],
                visits=[visit(minutes=540, kind="night", start="22:00")],
            ),
            "no night session rate",
        ),
        (dict(visits=[visit(workers=0)]), "at least one worker"),
        (dict(now=NOW.replace(tzinfo=None)), "has no time zone"),
    ],
)
def test_broken_data_is_refused_with_a_clear_message(kwargs, message):
    """Issue 7, bad input: a rate missing for a period, overlapping contract periods, a visit
    with no check-out, a negative or absurd duration, a period not yet closed."""
    with pytest.raises(PricingError, match=message):
        price(**kwargs)


def test_from_times_needs_aware_datetimes_and_reads_london_time():
    """Timezone-aware datetimes: the local date and minute are Europe/London's (BST here)."""
    start = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)  # 07:30 BST
    item = DeliveredVisit.from_times(
        visit_id="V1",
        package_id="P1",
        person_id="A",
        planned_start=start,
        planned_end=start + timedelta(minutes=45),
        actual_start=start + timedelta(minutes=2),
        actual_end=start + timedelta(minutes=44),
    )
    assert (item.local_date, item.start_minute) == (date(2026, 6, 1), 7 * 60 + 30)
    assert (item.planned_minutes, item.actual_minutes) == (45, 42)
    with pytest.raises(PricingError, match=r"planned start .* has no time zone"):
        DeliveredVisit.from_times(
            visit_id="V2",
            package_id="P1",
            person_id="A",
            planned_start=start.replace(tzinfo=None),
            planned_end=start,
            actual_start=None,
            actual_end=None,
        )
    no_checkout = DeliveredVisit.from_times(
        visit_id="V3",
        package_id="P1",
        person_id="A",
        planned_start=start,
        planned_end=start + timedelta(minutes=30),
        actual_start=start,
        actual_end=None,
    )
    assert no_checkout.actual_minutes is None
