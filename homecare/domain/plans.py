"""Rules of plans, SMART goals and reviews, in plain Python.

- What a plan, a goal or a review must have, and why a bad one is refused
  (each refusal names the clause).
- When each plan and review deadline falls, from plain dates: the page's
  sources (``homecare/plans/sources.py``) fetch rows in a few queries and
  call these per package.

No Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from homecare.domain.deadlines import after, before, end_of_day, start_of_day


class PlanRefused(ValueError):
    """A write the rules refuse: ``errors`` maps a field ("" for the whole
    form) to messages, each naming the clause."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# ---- What must be there ------------------------------------------------------

#: The SMART parts of a goal (KENT-3.1.1) and what each asks.
SMART_PARTS = {
    "specific": "what exactly the person will do",
    "measurable": "how everyone will know it is done",
    "achievable": "why it is within reach and the help given",
    "relevant": "how it serves the outcome",
}


def check_goal(
    *,
    outcome: str,
    specific: str,
    measurable: str,
    achievable: str,
    relevant: str,
    target_date: date | None,
    today: date,
    package_start: date,
) -> None:
    """Refuse a goal that is not SMART (KENT-3.1.1): every part stated, and a
    target date (time-bound) after the package started and not in the past."""
    errors: dict[str, list[str]] = {}
    if not (outcome or "").strip():
        _add(errors, "outcome", "Name the outcome this goal works towards (KENT-3.1.1).")
    given = {
        "specific": specific,
        "measurable": measurable,
        "achievable": achievable,
        "relevant": relevant,
    }
    for part, asks in SMART_PARTS.items():
        if not (given[part] or "").strip():
            _add(
                errors,
                part,
                f"A SMART goal says {asks}: the {part} part is missing (KENT-3.1.1).",
            )
    if target_date is None:
        _add(
            errors,
            "target_date",
            "A SMART goal is time-bound: give the date it should be achieved by (KENT-3.1.1).",
        )
    elif target_date < today:
        _add(errors, "target_date", "The target date is in the past (KENT-3.1.1).")
    elif target_date < package_start:
        _add(errors, "target_date", "The target date is before the package started (KENT-3.1.1).")
    if errors:
        raise PlanRefused(errors)


def check_plan_version(
    *,
    package_archived: bool,
    package_status: str,
    form_of_address: str,
    outcomes: str,
    review_date: date | None,
    actions: Sequence[dict],
    today: date,
) -> None:
    """Refuse a plan version the rules do not allow (DERBY-3.4): no plan for
    an archived or closed package; the form of address, the outcomes and a
    review date are required; each action says what, who and by when."""
    errors: dict[str, list[str]] = {}
    if package_archived:
        _add(errors, "", "This package is archived: its plan cannot change (DERBY-3.4).")
    elif package_status in ("ceased", "closed"):
        _add(errors, "", f"This package is {package_status}: its plan cannot change (DERBY-3.4).")
    if not (form_of_address or "").strip():
        _add(errors, "form_of_address", "Say how the person likes to be addressed (DERBY-3.4).")
    if not (outcomes or "").strip():
        _add(errors, "outcomes", "A plan states the outcomes the person wants (DERBY-3.4).")
    if review_date is None:
        _add(errors, "review_date", "A plan has a review date (DERBY-3.4).")
    elif review_date < today:
        _add(errors, "review_date", "The review date is in the past (DERBY-3.4).")
    for n, action in enumerate(actions, start=1):
        missing = [k for k in ("what", "who", "when") if not str(action.get(k) or "").strip()]
        if missing:
            _add(
                errors,
                "actions",
                f"Action {n} needs {', '.join(missing)}: actions say who does what by when "
                "(DERBY-3.4).",
            )
    if errors:
        raise PlanRefused(errors)


def check_review_dates(
    *,
    package_start: date,
    today: date,
    held_on: date | None = None,
    scheduled_for: date | None = None,
) -> None:
    """Refuse a review dated before the package started, or held in the
    future (KENT-3.11.1: reviews follow the start of the package)."""
    errors: dict[str, list[str]] = {}
    for field, day in (("held_on", held_on), ("scheduled_for", scheduled_for)):
        if day is not None and day < package_start:
            _add(
                errors,
                field,
                f"A review cannot be dated {day:%d %B %Y}, before the package started on "
                f"{package_start:%d %B %Y} (KENT-3.11.1).",
            )
    if held_on is not None and held_on > today:
        _add(errors, "held_on", "A review cannot be recorded as held on a future date.")
    if errors:
        raise PlanRefused(errors)


def check_progress(*, percent: int | None, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if percent is None or not 0 <= percent <= 100:
        _add(errors, "percent", "Progress is a share from 0 to 100.")
    if not (note or "").strip():
        _add(errors, "note", "Say what was seen: progress is recorded from notes (KENT-3.1.1).")
    if errors:
        raise PlanRefused(errors)


# ---- When things are due -------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One deadline of one package before it becomes a :class:`Deadline`:
    ``suffix`` makes its key unique among the package's deadlines of a kind."""

    suffix: str
    due_at: datetime
    done_at: datetime | None = None


@lru_cache(maxsize=16384)
def due_after(start: date, amount: int, unit: str) -> datetime:
    """The end (local midnight) of the day ``amount`` ``unit`` after ``start``."""
    return end_of_day(after(start, amount, unit))


def done_on(day: date | None) -> datetime | None:
    """A deadline met on a day counts from the start of that day."""
    return None if day is None else start_of_day(day)


def cycles(start: date, done_days: Iterable[date], amount: int, unit: str, name: str) -> list[Due]:
    """A repeating deadline (statutory review, records check): each is due
    ``amount`` ``unit`` after the previous one was done (the first after
    ``start``). Returns the last one done (if any) and the one now open."""
    days = sorted(d for d in done_days if d >= start)
    out: list[Due] = []
    base = start
    if days:
        previous = days[-2] if len(days) > 1 else start
        out.append(Due(f"{name}:{previous}", due_after(previous, amount, unit), done_on(days[-1])))
        base = days[-1]
    out.append(Due(f"{name}:{base}", due_after(base, amount, unit)))
    return out


def pprif_due(review_day: date, amount: int, unit: str) -> datetime:
    """The pre-review form is due ``amount`` ``unit`` before the review day
    (KENT-3.11.3): by the end of that day."""
    return end_of_day(before(review_day, amount, unit))


def report_weekdays(per_week: int) -> tuple[int, ...]:
    """The weekdays (Monday = 0) a list sent ``per_week`` times a week goes
    out, spread evenly from Monday: 2 -> Monday and Thursday (LAN-ST-9.6)."""
    if per_week <= 0:
        return ()
    per_week = min(per_week, 7)
    return tuple(sorted({i * 7 // per_week for i in range(per_week)}))


def days_on_service(start: date, today: date) -> int:
    """Days since the start, the start day being day 0."""
    return (today - start).days
