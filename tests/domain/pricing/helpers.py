"""Small builders for pricing tests: a 4-week Kent period from Monday 2 November 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from homecare.domain.pricing import (
    CommissionedHours,
    DeliveredVisit,
    Tariff,
    price_period,
)
from homecare.domain.rulebook import load_rulebook

START = date(2026, 11, 2)  # a Monday
END = START + timedelta(days=27)  # Sunday 29 November
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RATE = Decimal("21.37")
NIGHT = Decimal("110.00")
COMPLEX = Decimal("25.50")


def tariff(**changes) -> Tariff:
    values = dict(
        valid_from=date(2026, 4, 1),
        valid_to=None,
        hourly_rate=RATE,
        night_session_rate=NIGHT,
        complex_hourly_rate=COMPLEX,
    )
    values.update(changes)
    return Tariff(**values)


def commission(package="P1", person="A", weekly_hours=10, **changes) -> CommissionedHours:
    values = dict(
        package_id=package,
        person_id=person,
        weekly_minutes=weekly_hours * 60,
        valid_from=date(2026, 4, 1),
    )
    values.update(changes)
    return CommissionedHours(**values)


_counter = iter(range(1, 10**9))


def visit(day=START, minutes=30, planned=None, start="09:00", package="P1", person="A", **flags):
    hour, minute = (int(part) for part in start.split(":"))
    return DeliveredVisit(
        visit_id=flags.pop("visit_id", f"V{next(_counter)}"),
        package_id=package,
        person_id=person,
        local_date=day,
        start_minute=hour * 60 + minute,
        planned_minutes=minutes if planned is None else planned,
        actual_minutes=flags.pop("actual_minutes", minutes),
        **flags,
    )


def week_visits(weekly_hours, package="P1", person="A", start=START, length=60):
    """One-hour day visits spread over each week: ``weekly_hours`` a list per week."""
    visits = []
    for week, total in enumerate(weekly_hours):
        for n in range(int(total * 60) // length):
            day = start + timedelta(days=7 * week + n % 7)
            hour = 8 + n // 7 * 2
            visits.append(
                visit(day, length, start=f"{hour:02d}:00", package=package, person=person)
            )
    return visits


def price(slug="kent", overrides=None, **kwargs):
    rulebook = load_rulebook(slug)
    if overrides:
        rulebook = rulebook.with_overrides(overrides, source="test")
    values = dict(
        rulebook=rulebook,
        period_start=START,
        period_end=END,
        now=NOW,
        tariffs=[tariff()],
        commissions=[commission()],
    )
    values.update(kwargs)
    return price_period(**values)


def visit_lines(result, visit_id):
    return [line for line in result.lines if line.visit_id == visit_id]
