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

Speed: boards and nightly jobs compute clocks by the hundred thousand, so each
clock first tries a quick path built on remembered days: the open windows of
a calendar year as sorted UTC instants with running totals of open time (one
bisection finds where a deadline ends), and for day counts the fixed shift
from a local day to its due day. Anything the quick path cannot answer
exactly (a day the clocks change, a year far from now, a fractional amount)
takes the careful day-by-day walk below, which is the definition.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache, partial

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


@lru_cache(maxsize=1)
def _default_calendar() -> Calendar:
    return Calendar()


def due_at(
    start: datetime,
    amount: int,
    unit: str,
    *,
    clock: str = "calendar",
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
    calendar = calendar or _default_calendar()
    if unit == "working_days" or (clock == "working_days" and unit == "days"):
        return _add_working_days(start, amount, calendar.nation)
    if unit == "days":
        return _add_days(start, amount)
    if unit not in UNITS_ELAPSED:
        raise ValueError(f"A clock counts minutes, hours, days or working_days, not {unit!r}")
    minutes = amount * UNITS_ELAPSED[unit]
    if clock == "operating_hours":
        return _add_operating_minutes(start, minutes, calendar)
    if clock == "working_days":
        return _add_working_minutes(start, minutes, calendar.nation)
    if clock != "calendar":
        raise ValueError(f"Unknown clock {clock!r}")
    return start.astimezone(UTC) + _minutes(minutes)


def due_times(
    starts: Iterable[datetime],
    amount: int,
    unit: str,
    *,
    clock: str = "calendar",
    calendar: Calendar | None = None,
) -> list[datetime]:
    """``[due_at(start, amount, unit, ...) for start in starts]``, faster.

    One clock for many starts (a board, a nightly job): the rules are read
    once and the days the starts share are worked out once.
    """
    starts = list(starts)
    if not starts:
        return []
    due_at(starts[0], amount, unit, clock=clock, calendar=calendar)  # refuses what due_at refuses
    calendar = calendar or _default_calendar()
    nation = calendar.nation
    one: Callable[[datetime], datetime]
    if unit == "working_days" or (clock == "working_days" and unit == "days"):
        one = partial(_add_working_days, days=amount, nation=nation)
    elif unit == "days":
        one = partial(_add_days, days=amount)
    else:
        minutes = amount * UNITS_ELAPSED[unit]
        if clock == "operating_hours":
            one = partial(_add_operating_minutes, minutes=minutes, cal=calendar)
        elif clock == "working_days":
            one = partial(_add_working_minutes, minutes=minutes, nation=nation)
        else:
            one = partial(_add_elapsed, step=_minutes(minutes))
    out = []
    for start in starts:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        out.append(one(start))
    return out


# The careful walks: one day at a time, the definition of each clock.


def _walk_operating_minutes(start: datetime, minutes: int, cal: Calendar) -> datetime:
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


def _walk_working_minutes(start: datetime, minutes: int, nation: str) -> datetime:
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


def _walk_working_days(start: datetime, days: int, nation: str) -> datetime:
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


def _walk_days(start: datetime, days: int) -> datetime:
    local = start.astimezone(LONDON)
    return local_to_utc(local.date() + timedelta(days=days), local.time().replace(tzinfo=None))


# The quick paths: the same answers from remembered days, or None.

#: Years the quick paths serve (London's offset is never negative in them, so
#: a UTC instant's local date is never before its UTC date).
_QUICK_YEARS = range(1972, 2200)
_MISSING = object()
_UTC_DAY_OFFSET: dict[date, timedelta | None] = {}
_LOCAL_DAY_OFFSET: dict[date, timedelta | None] = {}
_SHIFTS: dict[tuple, dict[date, timedelta | datetime | None]] = {}
_WINDOWS: dict[tuple, tuple[list, list, list, list]] = {}
_CAP = 200_000  # remembered days per table before it starts again
_LAST_OPERATING: tuple = (None, None, None)


@lru_cache(maxsize=1024)
def _minutes(minutes) -> timedelta:
    return timedelta(minutes=minutes)


def _utc_day_offset(day: date) -> timedelta | None:
    """London's UTC offset all through the UTC day ``day``; None when it changes."""
    if day.year not in _QUICK_YEARS:
        return None
    midnight = datetime.combine(day, time(0), UTC)
    first = midnight.astimezone(LONDON).utcoffset()
    last = (midnight + timedelta(days=1)).astimezone(LONDON).utcoffset()
    return first if first == last else None


def _local_day_offset(day: date) -> timedelta | None:
    """London's UTC offset all through the local day ``day``; None when it changes."""
    found = _LOCAL_DAY_OFFSET.get(day, _MISSING)
    if found is _MISSING:
        first = LONDON.utcoffset(datetime.combine(day, time(0)))
        last = LONDON.utcoffset(datetime.combine(day + timedelta(days=1), time(0)))
        found = first if first == last else None
        if len(_LOCAL_DAY_OFFSET) > _CAP:
            _LOCAL_DAY_OFFSET.clear()
        _LOCAL_DAY_OFFSET[day] = found
    return found


def _shifted(start: datetime, mode: str, nation: str, amount: int) -> datetime | None:
    """A day-count deadline from remembered days: the start plus the fixed shift
    from its local day to the due day (or the due instant itself when the
    start is not a working day)."""
    if type(amount) is not int:
        return None
    cursor = start if start.tzinfo is UTC else start.astimezone(UTC)
    utc_day = cursor.date()
    offset = _UTC_DAY_OFFSET.get(utc_day, _MISSING)
    if offset is _MISSING:
        if len(_UTC_DAY_OFFSET) > _CAP:
            _UTC_DAY_OFFSET.clear()
        offset = _UTC_DAY_OFFSET[utc_day] = _utc_day_offset(utc_day)
    if offset is None:
        return None
    day = (cursor + offset).date()
    table = _SHIFTS.get((mode, nation, amount))
    if table is None or len(table) > _CAP:
        if len(_SHIFTS) > 256:
            _SHIFTS.clear()
        table = _SHIFTS[mode, nation, amount] = {}
    shift = table.get(day, _MISSING)
    if shift is _MISSING:
        shift = table[day] = _shift(mode, nation, amount, day)
    if shift is None:
        return None
    if type(shift) is timedelta:
        return cursor + shift
    return shift


def _shift(mode: str, nation: str, amount: int, day: date) -> timedelta | datetime | None:
    if mode == "working_days":
        if not is_working_day(day, nation):
            while not is_working_day(day, nation):
                day += timedelta(days=1)
            return _instant(_working_day_after(day, amount, nation), time(0))
        due_day = _working_day_after(day, amount, nation)
    else:
        due_day = day + timedelta(days=amount)
    if due_day.year not in _QUICK_YEARS:
        return None
    first, last = _local_day_offset(day), _local_day_offset(due_day)
    if first is None or last is None:
        return None
    return (due_day - day) + first - last


def _operating_windows(cal: Calendar, year: int) -> tuple[list, list, list, list]:
    global _LAST_OPERATING
    last = _LAST_OPERATING  # the same calendar object, asked again: skip hashing it
    if last[0] is cal and last[1] == year:
        return last[2]
    found = _WINDOWS.get((cal, year))
    if found is None:
        found = _windows(cal, year, lambda day: _hours_on(cal, day))
    _LAST_OPERATING = (cal, year, found)
    return found


def _working_windows(nation: str, year: int) -> tuple[list, list, list, list]:
    found = _WINDOWS.get((nation, year))
    if found is None:
        found = _windows(nation, year, lambda day: _working_day_hours(day, nation))
    return found


def _working_day_hours(day: date, nation: str) -> tuple[datetime, datetime] | None:
    if not is_working_day(day, nation):
        return None
    return _instant(day, time(0)), _instant(day + timedelta(days=1), time(0))


def _windows(key, year: int, hours_on) -> tuple[list, list, list, list]:
    """The open windows of the local days 1 January ``year`` to 31 December
    ``year + 1``: opening and closing instants and the open time before and
    up to the end of each."""
    opens, closes, before, upto = [], [], [], []
    total = timedelta(0)
    day, last = date(year, 1, 1), date(year + 1, 12, 31)
    while day <= last:
        hours = hours_on(day)
        if hours is not None and hours[0] < hours[1]:
            opens.append(hours[0])
            closes.append(hours[1])
            before.append(total)
            total += hours[1] - hours[0]
            upto.append(total)
        day += timedelta(days=1)
    if len(_WINDOWS) > 256:
        _WINDOWS.clear()
    found = _WINDOWS[key, year] = (opens, closes, before, upto)
    return found


def _windowed(start: datetime, minutes, windows, key) -> datetime | None:
    """An open-time deadline from one year's windows: bisect for the window the
    start falls in (or before), then for the window where the time runs out."""
    cursor = start if start.tzinfo is UTC else start.astimezone(UTC)
    if cursor.year not in _QUICK_YEARS:
        return None
    opens, closes, before, upto = windows(key, cursor.year)
    i = bisect_right(closes, cursor)
    if i == len(closes):
        return None
    opening = opens[i]
    begin = cursor if cursor > opening else opening
    remaining = _minutes(minutes)
    due = begin + remaining
    if due <= closes[i]:
        return due
    total = before[i] + (begin - opening) + remaining
    j = bisect_left(upto, total, i + 1)
    if j == len(upto):
        return None
    return opens[j] + (total - before[j])


def _add_operating_minutes(start: datetime, minutes: int, cal: Calendar) -> datetime:
    if type(minutes) is int:
        due = _windowed(start, minutes, _operating_windows, cal)
        if due is not None:
            return due
    return _walk_operating_minutes(start, minutes, cal)


def _add_working_minutes(start: datetime, minutes: int, nation: str) -> datetime:
    if type(minutes) is int:
        due = _windowed(start, minutes, _working_windows, nation)
        if due is not None:
            return due
    return _walk_working_minutes(start, minutes, nation)


def _add_working_days(start: datetime, days: int, nation: str) -> datetime:
    due = _shifted(start, "working_days", nation, days)
    return _walk_working_days(start, days, nation) if due is None else due


def _add_elapsed(start: datetime, step: timedelta) -> datetime:
    """Real elapsed time (calendar minutes and hours), in UTC."""
    return (start if start.tzinfo is UTC else start.astimezone(UTC)) + step


def _add_days(start: datetime, days: int) -> datetime:
    due = _shifted(start, "days", "", days)
    return _walk_days(start, days) if due is None else due


def _forget() -> None:
    """Forget every remembered day (benchmarks start cold, as a new process)."""
    global _LAST_OPERATING
    for table in (_UTC_DAY_OFFSET, _LOCAL_DAY_OFFSET, _SHIFTS, _WINDOWS):
        table.clear()
    _LAST_OPERATING = (None, None, None)
    for cached in (
        bank_holidays,
        is_working_day,
        _instant,
        _working_day_after,
        _hours_on,
        _minutes,
    ):
        cached.cache_clear()


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
