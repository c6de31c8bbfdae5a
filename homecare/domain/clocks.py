"""Deadline clocks: when is an answer, a plan or a notice due?

Every deadline in the rulebooks is an amount and a unit, counted on one of
three clocks (rulebook entry ``referral.response.clock``):

- ``calendar``: minutes and hours are real elapsed time (so "24 hours" across
  the spring change ends at the same UTC instant 24 hours later, which is 25
  wall-clock hours); days are calendar days at the same local wall time;
- ``operating_hours``: only time inside the contract's operating hours
  counts (``operating_hours.start`` to ``.end`` on ``operating_hours.days``);
  a referral that arrives out of hours starts its clock at the next opening
  (LAN-ST-4.5: "within 2 hours of receipt during operating hours");
- ``working_days``: weekends and the bank holidays of the contract's nation
  are skipped (England and Scotland differ), e.g. KENT-3.10.1's 10 working
  days' notice.

All in Europe/London; instants in and out are timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from .patterns import LONDON, local_to_utc

_SUBDIVISION = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern_ireland": "NIR"}
UNITS_ELAPSED = {"minutes": 1, "hours": 60}


@lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """The bank holidays of ``nation`` in ``year`` (the ``holidays`` package)."""
    try:
        subdiv = _SUBDIVISION[nation]
    except KeyError:
        raise ValueError(f"Unknown nation {nation!r}; use one of {sorted(_SUBDIVISION)}") from None
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year))


def is_bank_holiday(day: date, nation: str) -> bool:
    return day in bank_holidays(nation, day.year)


@lru_cache(maxsize=8192)
def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day, nation)


@lru_cache(maxsize=65536)
def _instant(day: date, at: time) -> datetime:
    """local_to_utc, remembered: boards compute thousands of clocks over few days."""
    return local_to_utc(day, at)


@lru_cache(maxsize=65536)
def _working_day_after(day: date, days: int, nation: str) -> date:
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


@dataclass(frozen=True)
class Calendar:
    """A contract's calendar: its nation and its operating hours."""

    nation: str = "england"
    opening: time = time(8, 0)
    closing: time = time(18, 0)
    days: str = "mon-fri"  # or "every_day"

    def __post_init__(self):
        if self.closing <= self.opening:
            raise ValueError("Operating hours must close after they open.")
        if self.days not in ("mon-fri", "every_day"):
            raise ValueError(f"Operating days must be 'mon-fri' or 'every_day', not {self.days!r}")
        bank_holidays(self.nation, 2026)  # validates the nation

    def is_open_day(self, day: date) -> bool:
        return self.days == "every_day" or is_working_day(day, self.nation)

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC opening and closing instants on ``day``, or None when closed."""
        return _hours_on(self, day)

    @classmethod
    def from_rulebook(cls, rules) -> Calendar:
        """The calendar a rulebook sets (``operating_hours.*`` and its nation)."""
        return cls(
            nation=rules.nation,
            opening=rules.value("operating_hours.start"),
            closing=rules.value("operating_hours.end"),
            days=rules.value("operating_hours.days"),
        )


@lru_cache(maxsize=65536)
def _hours_on(cal: Calendar, day: date) -> tuple[datetime, datetime] | None:
    if not cal.is_open_day(day):
        return None
    return local_to_utc(day, cal.opening), local_to_utc(day, cal.closing)


def due_at(
    start: datetime, amount: int, unit: str, *, clock: str = "calendar",
    calendar: Calendar | None = None,
) -> datetime:
    """The instant a deadline of ``amount`` ``unit`` started at ``start`` falls due.

    ``unit``: minutes, hours, days or working_days. ``clock``: calendar,
    operating_hours or working_days. The result is in UTC.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if amount < 0:
        raise ValueError("A deadline cannot be negative")
    calendar = calendar or Calendar()
    if unit == "working_days" or (clock == "working_days" and unit == "days"):
        return _add_working_days(start, amount, calendar.nation)
    if unit == "days":
        local = start.astimezone(LONDON)
        return local_to_utc(local.date() + timedelta(days=amount), local.time().replace(tzinfo=None))
    if unit not in UNITS_ELAPSED:
        raise ValueError(f"A clock counts minutes, hours, days or working_days, not {unit!r}")
    minutes = amount * UNITS_ELAPSED[unit]
    if clock == "operating_hours":
        return _add_operating_minutes(start, minutes, calendar)
    if clock == "working_days":
        return _add_working_minutes(start, minutes, calendar.nation)
    if clock != "calendar":
        raise ValueError(f"Unknown clock {clock!r}")
    return start.astimezone(UTC) + timedelta(minutes=minutes)


def _add_operating_minutes(start: datetime, minutes: int, cal: Calendar) -> datetime:
    local = start.astimezone(LONDON)
    day = local.date()
    cursor = start.astimezone(UTC)
    remaining = timedelta(minutes=minutes)
    for _ in range(3700):  # ten years of days: a bound, never reached by real rulebooks
        hours = _hours_on(cal, day)
        if hours is not None:
            open_at, close_at = hours
            begin = max(cursor, open_at)
            if begin < close_at:
                if begin + remaining <= close_at:
                    return begin + remaining
                remaining -= close_at - begin
        day += timedelta(days=1)
    raise ValueError("Deadline too far ahead to compute")


def _add_working_minutes(start: datetime, minutes: int, nation: str) -> datetime:
    """Elapsed time that pauses over weekends and bank holidays."""
    cursor = start.astimezone(UTC)
    remaining = timedelta(minutes=minutes)
    day = start.astimezone(LONDON).date()
    for _ in range(3700):
        if is_working_day(day, nation):
            day_end = _instant(day + timedelta(days=1), time(0))
            begin = max(cursor, _instant(day, time(0)))
            if begin + remaining <= day_end:
                return begin + remaining
            remaining -= day_end - begin
        day += timedelta(days=1)
    raise ValueError("Deadline too far ahead to compute")


def _add_working_days(start: datetime, days: int, nation: str) -> datetime:
    """The same local wall time ``days`` working days later. Starting on a
    non-working day counts from the start of the next working day."""
    local = start.astimezone(LONDON)
    day, at = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day, nation):
        at = time(0)
        while not is_working_day(day, nation):
            day += timedelta(days=1)
        if days == 0:
            return _instant(day, at)
    return local_to_utc(_working_day_after(day, days, nation), at)


def working_days_between(first: date, last: date, nation: str) -> int:
    """Working days after ``first`` up to and including ``last`` (notice periods)."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day, nation)
    return count


def remaining(due: datetime, now: datetime) -> timedelta:
    """Time left before ``due`` (negative once overdue)."""
    return due - now


def describe_remaining(due: datetime, now: datetime) -> str:
    """'1 h 05 min left', '25 min overdue', for boards and inboxes."""
    left = due - now
    overdue = left < timedelta(0)
    minutes = int(abs(left).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {mins:02d} min"
    else:
        text = f"{mins} min"
    return f"{text} overdue" if overdue else f"{text} left"
