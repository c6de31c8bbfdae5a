"""When is a call late, early, missed or short? Plain rules over plain data.

A *call* is one visit as it happens. The ordered time is the visit's planned
start (the time on the service delivery order). The thresholds are contract
data (rulebook keys, never constants here):

- ``visit.late_threshold`` (KENT-3.9.4): a call that *starts* that many
  minutes or more after (late) or before (early) the ordered time;
- ``visit.missed_threshold`` (KENT-3.9.5): a call not made, or started *more
  than* that many minutes after the ordered time, is missed;
- ``visit.double_handed_arrival_together`` (KENT-3.3.7): a double-handed call
  starts when the second worker is in, not when the first arrives;
- ``visit.travel_allowance`` (LAN-HC-4.1): a call cut short by up to that many
  minutes is not short.

Nothing here imports Django; the monitor, the board and the benchmark share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

PLANNED = "planned"
DUE = "due"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
LATE = "late"
MISSED = "missed"
CANCELLED = "cancelled"

#: States in which nobody has started the call yet and the clock still runs.
WAITING = (PLANNED, DUE, LATE)
#: States the monitor never moves again.
FINAL = (COMPLETED, MISSED, CANCELLED)


@dataclass(frozen=True)
class CallRules:
    """The four contract values the call rules need, in minutes (or a yes/no)."""

    late_minutes: int
    missed_minutes: int
    travel_allowance_minutes: int = 0
    arrival_together: bool = True

    @classmethod
    def from_rulebook(cls, rulebook) -> CallRules:
        """Read the values from a :class:`homecare.domain.rulebook.Rulebook`."""
        return cls(
            late_minutes=rulebook.minutes("visit.late_threshold"),
            missed_minutes=rulebook.minutes("visit.missed_threshold"),
            travel_allowance_minutes=rulebook.minutes("visit.travel_allowance"),
            arrival_together=bool(rulebook.value("visit.double_handed_arrival_together")),
        )

    @property
    def late(self) -> timedelta:
        return timedelta(minutes=self.late_minutes)

    @property
    def missed(self) -> timedelta:
        return timedelta(minutes=self.missed_minutes)


def start_of_care(
    arrivals: Iterable[datetime], *, workers_required: int, rules: CallRules
) -> datetime | None:
    """When care starts, given the arrival times of the workers who are in.

    Single-handed: the first arrival. Double-handed with arrival together
    (KENT-3.3.7): the moment the second worker is in; until then ``None``
    ("waiting for partner"). Without that rule, the first arrival.
    """
    times = sorted(arrivals)
    if not times:
        return None
    if workers_required >= 2 and rules.arrival_together:
        return times[workers_required - 1] if len(times) >= workers_required else None
    return times[0]


def judge_start(ordered: datetime, started: datetime, rules: CallRules) -> str:
    """``"on_time"``, ``"early"``, ``"late"`` or ``"missed"`` for a call that started.

    Late/early at exactly the threshold or more (KENT-3.9.4: "45 minutes or
    more"); missed only *more than* the missed threshold (KENT-3.9.5).
    """
    offset = started - ordered
    if offset > rules.missed:
        return MISSED
    if offset >= rules.late:
        return LATE
    if -offset >= rules.late:
        return "early"
    return "on_time"


def waiting_state(ordered: datetime, now: datetime, rules: CallRules) -> str:
    """The state of a call nobody has started, at ``now``.

    Planned before the ordered time, due from it, late from ordered + late
    threshold, missed from ordered + missed threshold: the call has then not
    been made within the threshold (KENT-3.9.5).
    """
    if now >= ordered + rules.missed:
        return MISSED
    if now >= ordered + rules.late:
        return LATE
    if now >= ordered:
        return DUE
    return PLANNED


def next_alert(
    state: str, *, ordered: datetime, planned_end: datetime, rules: CallRules
) -> datetime | None:
    """The next moment the monitor must look at a call in ``state``.

    Waiting calls wake at their next threshold; a call in progress wakes when
    it should long have ended (planned end + late threshold) to flag a missing
    check-out; final states never wake.
    """
    if state == PLANNED:
        return ordered
    if state == DUE:
        return ordered + rules.late
    if state == LATE:
        return ordered + rules.missed
    if state == IN_PROGRESS:
        return planned_end + rules.late
    return None


def checkout_due(
    *, started: datetime, ordered: datetime, planned_end: datetime, rules: CallRules
) -> datetime:
    """When a started call with no check-out gets flagged: its full length plus the
    late threshold after it started."""
    return started + (planned_end - ordered) + rules.late


def is_short(*, ordered_minutes: int, delivered_minutes: int, rules: CallRules) -> bool:
    """Whether a call was cut short: by more than the travel allowance (LAN-HC-4.1).

    With a 10-minute allowance a 30-minute call of 20 minutes is not short,
    19 minutes is.
    """
    return delivered_minutes < ordered_minutes - rules.travel_allowance_minutes


def delivered_minutes(started: datetime, ended: datetime) -> int:
    """Whole minutes of care between start and end (never negative)."""
    return max(0, int((ended - started).total_seconds() // 60))


def refusals_in_a_row(outcomes: Iterable[bool]) -> int:
    """How many of the latest visits in a row were refused.

    ``outcomes`` runs from the most recent visit backwards, ``True`` where the
    person refused support at that visit (KENT-3.8.1: "three or more times in
    consecutive visits").
    """
    count = 0
    for refused in outcomes:
        if not refused:
            break
        count += 1
    return count


def board_counts(states: Iterable[str]) -> Mapping[str, int]:
    """How many calls are in each state (for the board's summary line)."""
    counts = dict.fromkeys((PLANNED, DUE, IN_PROGRESS, COMPLETED, LATE, MISSED, CANCELLED), 0)
    for state in states:
        counts[state] = counts.get(state, 0) + 1
    return counts
