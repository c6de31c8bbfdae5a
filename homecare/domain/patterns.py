"""Weekly visit patterns and the visits they generate, across daylight saving.

Rules (LAN-ST-4.10, LAN-ST-4.11):
- a *visit* starts at its ordered local time and lasts ``duration_minutes``
  of real time;
- a *block* (day block of 2+ hours, overnight block of 8+ hours, waking night,
  sleep-in) runs from its local start to its local end, crossing midnight when
  the end is not after the start, so on the nights the clocks change an
  overnight block is an hour shorter (March) or longer (October);
- a local time that does not exist (01:30 on the spring change) moves forward
  by the gap (02:30 BST); an ambiguous one (01:30 on the autumn change) means
  the first occurrence (BST).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class PackageStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CEASED = "ceased"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Which status may follow which. Suspended is a hospital stay or similar.
TRANSITIONS: dict[PackageStatus, frozenset[PackageStatus]] = {
    PackageStatus.PROPOSED: frozenset({PackageStatus.ACTIVE, PackageStatus.CLOSED}),
    PackageStatus.ACTIVE: frozenset({PackageStatus.SUSPENDED, PackageStatus.CEASED}),
    PackageStatus.SUSPENDED: frozenset({PackageStatus.ACTIVE, PackageStatus.CEASED}),
    PackageStatus.CEASED: frozenset({PackageStatus.CLOSED, PackageStatus.ACTIVE}),
    PackageStatus.CLOSED: frozenset(),
}

#: Statuses in which visits are generated.
VISITING = frozenset({PackageStatus.ACTIVE})


def can_transition(old: str, new: str) -> bool:
    return PackageStatus(new) in TRANSITIONS[PackageStatus(old)]


class VisitKind(enum.StrEnum):
    VISIT = "visit"
    DAY_BLOCK = "day_block"
    OVERNIGHT_BLOCK = "overnight_block"
    WAKING_NIGHT = "waking_night"
    SLEEP_IN = "sleep_in"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_block(self) -> bool:
        return self is not VisitKind.VISIT


@dataclass(frozen=True)
class PatternLine:
    """One line of a weekly pattern, as plain data."""

    key: object
    weekday: int  # Monday = 0
    start_time: time
    duration_minutes: int
    kind: VisitKind = VisitKind.VISIT
    end_time: time | None = None
    workers_required: int = 1
    window_minutes: int = 30
    tasks: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Occurrence:
    key: object
    date: date
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def local_to_utc(day: date, at: time, tz: ZoneInfo = LONDON) -> datetime:
    """The UTC instant of a local wall-clock time, with the rules in the module doc.

    PEP 495's ``fold=0`` gives exactly those rules: in the spring gap it reads
    the time with the offset from before the change (so 01:30 becomes 02:30
    BST), and in the autumn overlap it picks the first occurrence.
    """
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def occurrence(line: PatternLine, day: date, tz: ZoneInfo = LONDON) -> Occurrence:
    start = local_to_utc(day, line.start_time, tz)
    if line.kind.is_block and line.end_time is not None:
        end_day = day if line.end_time > line.start_time else day + timedelta(days=1)
        end = local_to_utc(end_day, line.end_time, tz)
    else:
        end = start + timedelta(minutes=line.duration_minutes)
    return Occurrence(key=line.key, date=day, start=start, end=end)


def occurrences(
    lines: list[PatternLine], first: date, last: date, tz: ZoneInfo = LONDON
) -> list[Occurrence]:
    """Every occurrence of ``lines`` on the dates ``first`` to ``last`` inclusive."""
    by_weekday: dict[int, list[PatternLine]] = {}
    for line in lines:
        by_weekday.setdefault(line.weekday, []).append(line)
    out: list[Occurrence] = []
    day = first
    while day <= last:
        for line in by_weekday.get(day.weekday(), ()):
            out.append(occurrence(line, day, tz))
        day += timedelta(days=1)
    return out


def block_minutes(start_time: time, end_time: time) -> int:
    """Nominal length of a block from local start to end (crossing midnight if needed)."""
    start = start_time.hour * 60 + start_time.minute
    end = end_time.hour * 60 + end_time.minute
    return end - start if end > start else end + 24 * 60 - start


def validate_line(
    *,
    kind: VisitKind,
    start_time: time,
    end_time: time | None,
    duration_minutes: int | None,
    workers_required: int,
    overnight_min_minutes: int,
    day_block_min_minutes: int,
) -> dict[str, str]:
    """Problems with a pattern line, by field, in words a coordinator understands."""
    errors: dict[str, str] = {}
    if workers_required not in (1, 2):
        errors["workers_required"] = "A visit needs one worker, or two when double-handed."
    if kind.is_block:
        if end_time is None:
            errors["end_time"] = "A block needs an end time."
            return errors
        if kind is VisitKind.DAY_BLOCK and end_time <= start_time:
            errors["end_time"] = (
                f"The block ends at {end_time:%H:%M}, before it starts at {start_time:%H:%M}."
            )
            return errors
        minutes = block_minutes(start_time, end_time)
        if kind is VisitKind.DAY_BLOCK and minutes < day_block_min_minutes:
            errors["end_time"] = (
                f"A day block lasts at least {day_block_min_minutes // 60} hours (LAN-ST-4.10)."
            )
        if kind is VisitKind.OVERNIGHT_BLOCK and minutes < overnight_min_minutes:
            errors["end_time"] = (
                f"An overnight block lasts at least {overnight_min_minutes // 60} hours "
                "(LAN-ST-4.10)."
            )
    else:
        if end_time is not None and end_time <= start_time:
            errors["end_time"] = (
                f"The visit ends at {end_time:%H:%M}, before it starts at {start_time:%H:%M}."
            )
        elif duration_minutes is None or duration_minutes <= 0:
            errors["duration_minutes"] = "A visit lasts at least one minute."
        elif duration_minutes > 24 * 60:
            errors["duration_minutes"] = "A visit cannot last more than 24 hours; use a block."
    return errors
