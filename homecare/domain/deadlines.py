"""Deadlines: one shape for every clock a person's journey runs on, and how
they are sorted for the morning's what-is-due page.

A *source* (a plan due by the second visit, a review within 8 weeks, a
hospital hold of 72 hours...) turns records into :class:`Deadline` values;
:func:`classify` puts the open ones into overdue / due today / due this week /
later, by the days of Europe/London. The same values feed the KPIs later.

Plain Python: no Django import.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

#: The days after today that count as "this week" (a rolling week, so that
#: Friday's page still shows Monday's deadlines).
WEEK_DAYS = 7

BUCKETS = ("overdue", "today", "this_week", "later")
BUCKET_TITLES = {
    "overdue": "Overdue",
    "today": "Due today",
    "this_week": "Due this week",
    "later": "Later",
}


@dataclass(frozen=True)
class Deadline:
    """One thing someone must do by a time, with the clause that says so.

    ``key`` is unique for the thing (``"plan.smart:<package id>"``), so the
    same deadline computed twice is the same value; ``kind`` groups keys
    (``"plan.smart"``); ``url`` is the page where it is done. ``done_at`` is
    set when it has been done (then it is no longer open).
    """

    key: str
    kind: str
    title: str
    due_at: datetime
    refs: tuple[str, ...]
    clause: str
    individual_id: object
    package_id: object
    provider_id: object
    council_id: object
    url: str
    done_at: datetime | None = None

    def __post_init__(self):
        if self.due_at.tzinfo is None:
            raise ValueError(f"{self.key}: due_at must be timezone-aware")
        if self.done_at is not None and self.done_at.tzinfo is None:
            raise ValueError(f"{self.key}: done_at must be timezone-aware")
        if isinstance(self.refs, str):
            raise TypeError(f"{self.key}: refs is a tuple of requirement IDs, not a string")

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def was_late(self) -> bool:
        """Done, but after it was due (what a KPI counts)."""
        return self.done_at is not None and self.done_at > self.due_at


@dataclass
class Classified:
    """Open deadlines by bucket, each list sorted by due time then title."""

    overdue: list[Deadline] = field(default_factory=list)
    today: list[Deadline] = field(default_factory=list)
    this_week: list[Deadline] = field(default_factory=list)
    later: list[Deadline] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(getattr(self, b)) for b in BUCKETS)

    def groups(self, *, with_later: bool = False) -> list[tuple[str, str, list[Deadline]]]:
        """``(bucket, title, deadlines)`` in page order."""
        names = BUCKETS if with_later else BUCKETS[:-1]
        return [(b, BUCKET_TITLES[b], getattr(self, b)) for b in names]

    def counts(self) -> dict[str, int]:
        return {b: len(getattr(self, b)) for b in BUCKETS}


def local_day(moment: datetime) -> date:
    """The Europe/London date of an aware instant."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(LONDON).date()


@lru_cache(maxsize=8192)
def start_of_day(day: date) -> datetime:
    """Local midnight at the start of ``day``, in UTC (clock changes included)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


@lru_cache(maxsize=8192)
def end_of_day(day: date) -> datetime:
    """The last instant a deadline due on ``day`` may fall: local midnight
    that starts the next day (exclusive), in UTC."""
    return start_of_day(day + timedelta(days=1))


def bucket_of(deadline: Deadline, now: datetime) -> str:
    """Where an open deadline belongs at ``now``: overdue once its time has
    passed; due today if it falls by the end of today (local midnight, as a
    deadline "within N days" does); this week if by the end of the seventh day
    after today; later otherwise."""
    if deadline.due_at <= now:
        return "overdue"
    today = local_day(now)
    if deadline.due_at <= end_of_day(today):
        return "today"
    if deadline.due_at <= end_of_day(today + timedelta(days=WEEK_DAYS)):
        return "this_week"
    return "later"


def classify(deadlines: Iterable[Deadline], now: datetime) -> Classified:
    """Open deadlines sorted into overdue / due today / due this week / later.

    Done deadlines (``done_at`` set) are left out: a deadline clears when the
    thing is done. One pass, no per-item date arithmetic beyond comparisons.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = local_day(now)
    today_ends = end_of_day(today)
    week_ends = end_of_day(today + timedelta(days=WEEK_DAYS))
    out = Classified()
    for d in deadlines:
        if d.done_at is not None:
            continue
        if d.due_at <= now:
            out.overdue.append(d)
        elif d.due_at <= today_ends:
            out.today.append(d)
        elif d.due_at <= week_ends:
            out.this_week.append(d)
        else:
            out.later.append(d)
    for name in BUCKETS:
        getattr(out, name).sort(key=lambda d: (d.due_at, d.title, d.key))
    return out


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's last day
    (31 January + 1 month = 28 or 29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def after(day: date, amount: int, unit: str) -> date:
    """The date ``amount`` ``unit`` after ``day`` (days, weeks, months or years;
    working days are counted by :mod:`homecare.domain.clocks`)."""
    if amount < 0:
        raise ValueError("A deadline cannot be negative")
    if unit == "days":
        return day + timedelta(days=amount)
    if unit == "weeks":
        return day + timedelta(weeks=amount)
    if unit == "months":
        return add_months(day, amount)
    if unit == "years":
        return add_months(day, 12 * amount)
    raise ValueError(f"Cannot count {unit!r} on a calendar")


def before(day: date, amount: int, unit: str) -> date:
    """The date ``amount`` ``unit`` before ``day`` (days or weeks)."""
    if unit == "days":
        return day - timedelta(days=amount)
    if unit == "weeks":
        return day - timedelta(weeks=amount)
    if unit == "months":
        return add_months(day, -amount)
    raise ValueError(f"Cannot count {unit!r} back on a calendar")


def due_label(due_at: datetime) -> str:
    """How a page shows a due time: a deadline at local midnight is "end of"
    the day before ("end of Wed 25 Nov"); any other time with its hour."""
    local = due_at.astimezone(LONDON)
    if local.time() == time(0):
        return f"end of {local.date() - timedelta(days=1):%a %d %b %Y}"
    return f"{local:%a %d %b %Y %H:%M}"


def describe(deadline: Deadline, now: datetime) -> str:
    """ "3 days overdue", "due in 4 hours", "due today at 17:00"... for a page."""
    delta = deadline.due_at - now
    late = delta.total_seconds() <= 0
    span = -delta if late else delta
    if span < timedelta(hours=1):
        amount, word = max(1, int(span.total_seconds() // 60)), "minute"
    elif span < timedelta(days=2):
        amount, word = int(span.total_seconds() // 3600), "hour"
    else:
        amount, word = span.days, "day"
    text = f"{amount} {word}{'' if amount == 1 else 's'}"
    return f"{text} overdue" if late else f"due in {text}"
