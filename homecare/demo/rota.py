"""A simple first rota for the demo: the normal week, then nearest free worker.

Plain data in, plain data out. For each provider and day, visits are taken
in order of their start; each goes to the workers planned for it on a normal
week (``teams.regular_teams``: the person's regular team, at the planned start
inside the visit's window) when they can go, else to the best of the person's
other regular workers, else to anyone (two for a double-handed visit, or none):
available then, holding the skills, suiting the person's preference of worker
gender, able to get there within the visit's window from the previous visit
and still make their own planned visits after it, scoring best on travel,
lateness, being one of the person's regular workers and having seen the person
already. A small share is left open on purpose, so that the coordinator has
work to do. This is not the rostering optimizer.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .places import distance_km

#: Score per visit a regular has already made to the person (the team takes turns).
ROTATE = 4
#: Longest a worker is rostered in a day, in minutes of care and travel.
DAY_LIMIT_MINUTES = 10 * 60


@dataclass(eq=False)
class RotaWorker:
    id: object
    provider_id: object
    gender: str
    skills: frozenset[str]
    latitude: float
    longitude: float
    drives: bool
    #: weekday -> [(start minute, end minute)], local time; 1440 means midnight.
    windows: dict[int, list[tuple[int, int]]]

    def available(self, weekday: int, start: int, end: int) -> bool:
        for a, b in self.windows.get(weekday, ()):
            if a <= start and end <= b:
                return True
            if end > 1440 and a <= start and b >= 1440:
                after = (weekday + 1) % 7
                return any(c == 0 and end - 1440 <= d for c, d in self.windows.get(after, ()))
        return False


@dataclass
class RotaVisit:
    id: object
    provider_id: object
    individual_id: object
    weekday: int
    day_index: int
    start: int  # local minutes after midnight
    minutes: int
    workers_required: int
    skills: frozenset[str]
    latitude: float
    longitude: float
    preferred_gender: str  # "none", "female" or "male"
    window: int = 30
    regulars: tuple = ()
    #: The team members who do this visit on a normal week (``teams.Teams.planned``).
    planned: tuple = ()
    #: When they start it on a normal week (inside the window; None: on time).
    planned_start: int | None = None


@dataclass
class _State:
    latitude: float
    longitude: float
    free_at: int | None = None
    minutes: int = 0
    seen: set = field(default_factory=set)


def travel_minutes(drives: bool, km: float) -> int:
    return int(3 + km * (2.0 if drives else 12.0))


def assign(
    visits: list[RotaVisit],
    workers: list[RotaWorker],
    *,
    rng: random.Random,
    leave_open: float = 0.04,
) -> list[tuple[object, object]]:
    """(visit id, worker id) pairs: every visit gets as many workers as it needs, or none."""
    by_provider: dict = defaultdict(list)
    for worker in workers:
        by_provider[worker.provider_id].append(worker)
    days: dict = defaultdict(list)
    for visit in visits:
        days[(visit.provider_id, visit.day_index)].append(visit)
    seen: dict = defaultdict(set)  # worker id -> people visited on earlier days
    done: Counter = Counter()  # (worker id, person id) -> visits so far
    pairs: list[tuple[object, object]] = []
    for provider_id, day_index in sorted(days, key=lambda k: (str(k[0]), k[1])):
        todays = sorted(days[(provider_id, day_index)], key=lambda v: (_first(v), str(v.id)))
        weekday = todays[0].weekday
        team = [w for w in by_provider.get(provider_id, []) if w.windows.get(weekday)]
        states = {w.id: _State(w.latitude, w.longitude) for w in team}
        on = {w.id: w for w in team}
        booked: dict = defaultdict(list)  # worker id -> their planned visits of the day
        for visit in todays:
            for worker_id in visit.planned:
                booked[worker_id].append(visit)
        for visit in todays:
            if rng.random() < leave_open:
                continue
            planned = [on[r] for r in visit.planned if r in on]
            chosen = _best(visit, planned, states, seen, done, first=visit.planned_start)
            if len(chosen) < visit.workers_required:
                taken = {w.id for w, _, _ in chosen}
                regulars = [on[r] for r in visit.regulars if r in on and r not in taken]
                chosen += _best(visit, regulars, states, seen, done, booked=booked)
                chosen = chosen[: visit.workers_required]
            if len(chosen) < visit.workers_required:
                taken = {w.id for w, _, _ in chosen}
                others = [w for w in team if w.id not in taken]
                chosen += _best(visit, others, states, seen, booked=booked)
                chosen = chosen[: visit.workers_required]
            if len(chosen) < visit.workers_required:
                continue
            begins = max(b for _, _, b in chosen)  # two workers start together
            for worker, travel, _ in chosen:
                state = states[worker.id]
                state.free_at = begins + visit.minutes
                state.minutes += visit.minutes + travel
                state.latitude, state.longitude = visit.latitude, visit.longitude
                state.seen.add(visit.individual_id)
                done[(worker.id, visit.individual_id)] += 1
                pairs.append((visit.id, worker.id))
        for worker_id, state in states.items():
            seen[worker_id] |= state.seen
    return pairs


def _first(visit: RotaVisit) -> int:
    return visit.start if visit.planned_start is None else visit.planned_start


def _clear(visit: RotaVisit, worker: RotaWorker, ends: int, booked) -> bool:
    """``worker``, taking ``visit`` (not one of their planned visits) until ``ends``,
    still gets to the planned visits of their day after it within their windows."""
    for other in booked.get(worker.id, ()):
        if other is visit or _first(other) + other.minutes <= visit.start - visit.window:
            continue
        km = distance_km(visit.latitude, visit.longitude, other.latitude, other.longitude)
        if ends + travel_minutes(worker.drives, km) > other.start + other.window:
            return False
    return True


def _best(visit: RotaVisit, team, states, seen, done=None, first=None, booked=None) -> list:
    """The best ``visit.workers_required`` of ``team`` as (worker, travel, start). With
    ``done`` (visits so far per worker and person) the person's regular team takes
    turns, so that every member knows them. A visit starts on time, or at ``first``
    (the planned workers' usual start inside its window), or later within its window.
    With ``booked`` (each worker's planned visits of the day) a worker it is not
    planned for takes it only if they can still make their own planned visits."""
    scored = []
    latest = visit.start + visit.window
    first = visit.start if first is None else first
    for worker in team:
        if visit.preferred_gender != "none" and worker.gender != visit.preferred_gender:
            continue
        if not visit.skills <= worker.skills:
            continue
        state = states[worker.id]
        if state.minutes + visit.minutes > DAY_LIMIT_MINUTES:
            continue
        if state.free_at is None:
            travel, begins = 0, first
        else:
            if state.free_at > latest:
                continue
            km = distance_km(state.latitude, state.longitude, visit.latitude, visit.longitude)
            travel = travel_minutes(worker.drives, km)
            begins = max(first, state.free_at + travel)
            if begins > latest:
                continue
        if not worker.available(visit.weekday, begins, begins + visit.minutes):
            continue
        if booked is not None and not _clear(visit, worker, begins + visit.minutes, booked):
            continue
        score = travel + abs(begins - visit.start) / 2 + state.minutes / 60
        if worker.id in visit.regulars:
            score -= 20
        if done is not None:
            score += ROTATE * done[(worker.id, visit.individual_id)]
        elif visit.individual_id in state.seen or visit.individual_id in seen[worker.id]:
            score -= 15
        scored.append((score, str(worker.id), worker, travel, begins))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [(w, t, b) for _, _, w, t, b in scored[: visit.workers_required]]
