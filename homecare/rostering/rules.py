"""The hard rules of one rostered day, checked with messages a coordinator understands,
and the day's figures (travel, continuity, lateness, unassigned).

Plain Python over :mod:`homecare.rostering.day` rows (no Django import): the rota
page marks conflicts with it, a manual move is refused with it, and the
benchmark validates the baseline with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from homecare.domain.rostering.travel import StraightLineTravel

#: The default travel provider (straight line, road factor, speed), as the optimizer's.
TRAVEL = StraightLineTravel()


def travel_minutes(a, b, *, drives: bool = True) -> int:
    """Minutes from place ``a`` to ``b`` (anything with latitude and longitude)."""
    return _leg(a.latitude, a.longitude, b.latitude, b.longitude)


@lru_cache(maxsize=200_000)
def _leg(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> int:
    return int(TRAVEL.minutes((a_lat, a_lon), (b_lat, b_lon)))


def hhmm(minute: int) -> str:
    minute = int(minute) % (24 * 60)
    return f"{minute // 60:02d}:{minute % 60:02d}"


def span(start: int, minutes: int) -> str:
    return f"{hhmm(start)}–{hhmm(start + minutes)}"


@dataclass(frozen=True)
class Placed:
    """A visit as placed on a worker's day: its start and end in minutes."""

    visit_id: str
    start: int
    end: int


def starts_of(day, assignment: dict, starts: dict | None = None) -> dict[str, int]:
    starts = starts or {}
    return {v.id: int(starts.get(v.id, v.planned)) for v in day.visits}


def worker_days(day, assignment: dict, starts: dict | None = None) -> dict[str, list[Placed]]:
    """Each worker's visits in time order."""
    begin = starts_of(day, assignment, starts)
    visits = day.visit
    out: dict[str, list[Placed]] = defaultdict(list)
    for visit_id, workers in assignment.items():
        v = visits.get(visit_id)
        if v is None:
            continue
        for w in workers:
            out[w].append(Placed(visit_id, begin[visit_id], begin[visit_id] + v.minutes))
    for placed in out.values():
        placed.sort(key=lambda p: (p.start, p.visit_id))
    return out


def visit_problems(
    day, visit_id: str, workers, assignment: dict, starts=None, *, _days=None, _index=None
) -> list[str]:
    """Why ``workers`` may not do ``visit_id`` given the rest of ``assignment`` (empty: fine)."""
    v = (_index or day.visit)[visit_id]
    people = day.worker
    begin = int((starts or {}).get(visit_id, v.planned))
    end = begin + v.minutes
    problems: list[str] = []
    workers = list(workers)
    if len(set(workers)) != len(workers):
        problems.append("The same worker is named twice.")
    if len(set(workers)) != v.workers_required:
        problems.append(
            "This visit is double-handed: it needs two workers."
            if v.workers_required == 2
            else "This visit needs one worker."
        )
    if _days is None:
        others = {k: ws for k, ws in assignment.items() if k != visit_id}
        _days = worker_days(day, others, starts)
    days = _days
    for worker_id in dict.fromkeys(workers):
        w = people.get(worker_id)
        if w is None:
            problems.append("That worker is not on this provider's staff for the day.")
            continue
        missing = sorted(v.skills - w.skills)
        if missing:
            problems.append(f"{w.name} lacks the skills this visit needs: {', '.join(missing)}.")
        if v.preferred_gender != "none" and w.gender != v.preferred_gender:
            problems.append(
                f"{v.person} asks for {v.preferred_gender} workers; {w.name} is {w.gender}."
            )
        if not any(a <= begin and end <= b for a, b in w.shifts):
            shifts = ", ".join(f"{hhmm(a)}–{hhmm(b)}" for a, b in w.shifts) or "none"
            problems.append(
                f"{w.name} is not available {span(begin, v.minutes)} (shifts that day: {shifts})."
            )
        if any(a < end and begin < b for a, b in w.absent):
            problems.append(f"{w.name} is off sick at {hhmm(begin)}.")
        for a, b in w.breaks:
            if a < end and begin < b:
                problems.append(f"{w.name} has a break {hhmm(a)}–{hhmm(b)}.")
        placed = [p for p in days.get(worker_id, []) if p.visit_id != visit_id]
        problems.extend(_clashes(_index or day.visit, v, w, begin, end, placed))
    return problems


def _clashes(visits, v, w, begin: int, end: int, placed: list[Placed]) -> list[str]:
    out = []
    for p in placed:
        other = visits[p.visit_id]
        if p.start < end and begin < p.end:
            out.append(f"{w.name} is with {other.person} {span(p.start, other.minutes)} then.")
            continue
        if p.end <= begin:
            need = travel_minutes(other, v, drives=w.drives)
            if p.end + need > max(begin, v.start + v.window):
                out.append(
                    f"{w.name} cannot get from {other.person} (until {hhmm(p.end)}) "
                    f"to {v.person} by {hhmm(max(begin, v.start + v.window))}: "
                    f"{need} minutes' travel."
                )
        elif end <= p.start:
            need = travel_minutes(v, other, drives=w.drives)
            latest = max(p.start, other.start + other.window)
            if end + need > latest:
                out.append(
                    f"{w.name} cannot get from {v.person} (until {hhmm(end)}) "
                    f"to {other.person} by {hhmm(latest)}: "
                    f"{need} minutes' travel."
                )
    return out


def conflicts(day, assignment: dict, starts=None) -> dict[str, list[str]]:
    """Every visit of the day that breaks a hard rule, with the reasons; a visit
    with nobody on it is listed as unassigned."""
    out: dict[str, list[str]] = {}
    days = worker_days(day, assignment, starts)
    index = day.visit
    for v in day.visits:
        workers = assignment.get(v.id, ())
        if not workers:
            out[v.id] = ["Nobody is rostered for this visit."]
            continue
        problems = visit_problems(day, v.id, workers, assignment, starts, _days=days, _index=index)
        if problems:
            out[v.id] = problems
    return out


def trusted_team(v) -> tuple[str, ...]:
    """KENT-8.1: the person's usual workers, at most the team size for their package."""
    return tuple(v.usual[: v.team_limit])


def figures(day, assignment: dict, starts=None, *, problems: dict | None = None) -> dict:
    """Travel minutes, continuity share (worker-visits by the person's trusted team, of
    those with a trusted team), lateness minutes, and unassigned visits."""
    begin = starts_of(day, assignment, starts)
    travel = 0
    visits = day.visit
    people = day.worker
    for worker_id, placed in worker_days(day, assignment, starts).items():
        w = people.get(worker_id)
        if w is None:
            continue
        here = w
        for p in placed:
            travel += travel_minutes(here, visits[p.visit_id], drives=w.drives)
            here = visits[p.visit_id]
        travel += travel_minutes(here, w, drives=w.drives)
    trusted = counted = late = 0
    unassigned = 0
    for v in day.visits:
        workers = assignment.get(v.id, ())
        if len(workers) < v.workers_required:
            unassigned += 1
        if workers:
            late += max(0, begin[v.id] - (v.start + v.window))
        team = trusted_team(v)
        if team:
            counted += len(workers)
            trusted += sum(1 for w in workers if w in team)
    return {
        "visits": len(day.visits),
        "travel_minutes": travel,
        "continuity": round(100 * trusted / counted, 1) if counted else None,
        "late_minutes": late,
        "unassigned": unassigned,
        "conflicts": sum(
            1
            for k in (conflicts(day, assignment, starts) if problems is None else problems)
            if assignment.get(k)
        ),
    }
