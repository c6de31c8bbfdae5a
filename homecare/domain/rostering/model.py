"""The optimizer's input and output: plain frozen data, no Django.

Times are minutes from the problem's day origin (``Problem.day_origin``, an
aware datetime kept only for the caller's convenience). The engine accepts
floats (the HHCRSP benchmark has fractional travel times); the rota uses whole
minutes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

SIMULTANEOUS = "simultaneous"
SEQUENTIAL = "sequential"

#: A location is whatever the travel provider understands: an index into a
#: given matrix (``MatrixTravel``) or a ``(lat, lon)`` pair (the others).
Location = Hashable


class ProblemError(ValueError):
    """The input cannot be rostered as given; ``reasons`` says why, one line each."""

    def __init__(self, reasons: Sequence[str]):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


@dataclass(frozen=True)
class Visit:
    """One visit to one person, needing one or two workers.

    ``earliest``/``latest`` bound the *start*. Starting after ``latest`` is
    lateness (a cost); ``max_lateness`` caps it (0 = the window end is hard,
    ``None`` = no cap, as in the HHCRSP benchmark).

    A double-handed visit (``workers_required=2``) has two *parts*, done by two
    different workers. ``sync`` is ``"simultaneous"`` (both start together,
    KENT-3.3.7) or ``"sequential"``: part 1 starts between ``gap[0]`` and
    ``gap[1]`` minutes after part 0 (``first`` says which part goes first: 0
    or 1; the parts' order otherwise follows ``part_skills``).
    ``skills`` are needed by every worker; ``part_skills`` (one frozenset per
    part) adds what each part needs; ``part_durations`` overrides ``duration``
    per part.

    ``preferred`` are the person's usual workers, ``trusted`` the trusted team
    (KENT-8.1); both are soft. ``pinned`` names the worker(s) who must keep the
    visit (manual moves, visits in progress); ``pinned_start`` fixes its start.
    """

    id: Hashable
    client_id: Hashable
    location: Location
    earliest: float
    latest: float
    duration: float
    workers_required: int = 1
    sync: str = SIMULTANEOUS
    gap: tuple[float, float] = (0, 0)
    first: int = 0
    skills: frozenset = frozenset()
    part_skills: tuple[frozenset, ...] | None = None
    part_durations: tuple[float, ...] | None = None
    gender: str | None = None
    preferred: frozenset = frozenset()
    trusted: frozenset = frozenset()
    pinned: tuple = ()
    pinned_start: float | None = None
    max_lateness: float | None = 0

    def part_duration(self, part: int) -> float:
        if self.part_durations:
            return self.part_durations[part]
        return self.duration

    def part_skill_set(self, part: int) -> frozenset:
        extra = self.part_skills[part] if self.part_skills else frozenset()
        return frozenset(self.skills) | frozenset(extra)


@dataclass(frozen=True)
class Worker:
    """A care worker's day.

    ``shifts`` are ``(start, end)`` intervals when the worker may be working;
    ``breaks`` are fixed ``(start, end)`` intervals inside them with no visit.
    A visit (its start to its end) must lie inside one shift and overlap no
    break. Travel may happen at any time. ``max_minutes`` caps visit time plus
    travel. ``start_location``/``end_location`` (home or office) add the legs
    out and back; ``None`` means the day starts at the first visit.
    ``unavailable`` (off sick) means no visits at all.
    """

    id: Hashable
    skills: frozenset = frozenset()
    gender: str | None = None
    shifts: tuple[tuple[float, float], ...] = ((0, 24 * 60),)
    breaks: tuple[tuple[float, float], ...] = ()
    max_minutes: float | None = None
    start_location: Location | None = None
    end_location: Location | None = None
    unavailable: bool = False


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals; a provider configures its own.

    ``travel``: per minute of travel. ``lateness``: per minute late, summed over
    visit parts. ``max_lateness``: per minute of the single worst lateness.
    ``continuity``: per visit part done by a worker outside the person's
    trusted team (when the team is known, KENT-8.1). ``continuity_share``: per
    percentage point such a part takes off the share of that person's visit
    parts done by their team (a person with two visits loses 50 points for one
    stranger, a person with ten loses 10), so that the few-visit people, whose
    share a single stranger ruins, are not the ones traded away. ``unusual``: per part
    done by someone not among the person's usual workers (when known).
    ``balance``: per (hours worked)^2 per worker, which spreads the work.
    ``long_leg``: per minute by which one leg exceeds
    ``Problem.travel_allowance`` (the travel time built into each visit,
    LAN-HC-4.1). ``unassigned``: per visit left without workers.
    ``team_share``: not a weight but the provider's goal for continuity, the
    percentage of each person's visit parts their trusted team should do
    (KENT-8.1); the people below it get team members moved in after the search
    (``Problem.team_share``, ``room.share_polish``); 0 turns that off.
    """

    travel: float = 1.0
    lateness: float = 2.0
    max_lateness: float = 0.0
    continuity: float = 60.0
    continuity_share: float = 0.0
    unusual: float = 10.0
    balance: float = 0.0
    long_leg: float = 0.0
    unassigned: float = 100_000.0
    team_share: float = 85.0


@dataclass
class Problem:
    """Everything the optimizer needs for one day of one provider."""

    visits: Sequence[Visit]
    workers: Sequence[Worker]
    travel: object  # a provider from .travel (has .matrix(locations))
    weights: Weights = field(default_factory=Weights)
    day_origin: datetime | None = None
    travel_allowance: float | None = None
    #: The share of each person's visit parts their trusted team should do (KENT-8.1,
    #: as the provider measures it, e.g. 0.85); ``solve(polish=True)`` then moves team
    #: members in for the people below it (``room.share_polish``). None: not measured.
    team_share: float | None = None


class Stop(NamedTuple):
    """One visit part in a worker's route: which visit, when, and which part (0/1)."""

    visit_id: Hashable
    start: float
    end: float
    part: int = 0


@dataclass
class Solution:
    """A rota: ordered stops per worker, what could not be placed and why, the cost.

    A double-handed visit appears in both workers' routes (``part`` 0 and 1).
    ``cost`` breaks the objective down (``travel``, ``lateness``,
    ``max_lateness``, ``continuity``, ``unusual``, ``balance``, ``long_leg``,
    ``unassigned`` as weighted terms, plus raw ``travel_minutes``,
    ``late_minutes``, ``max_late_minutes`` and ``total``). ``counts`` gives
    ``visits``, ``assigned``, ``unassigned``, ``parts``, ``by_trusted`` (parts
    by the trusted team, of ``with_team``), ``by_usual`` (of ``with_usual``),
    ``moved`` (repair only). ``stats`` records the search (seconds, iterations,
    seed).
    """

    routes: dict
    unassigned: dict = field(default_factory=dict)
    cost: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)

    def assignment(self) -> dict:
        """``{visit id: (worker id for part 0, worker id for part 1 or None)}``."""
        out: dict = {}
        for worker_id, stops in self.routes.items():
            for stop in stops:
                pair = list(out.get(stop.visit_id, (None, None)))
                pair[stop.part] = worker_id
                out[stop.visit_id] = tuple(pair)
        return out

    def starts(self) -> dict:
        """``{(visit id, part): start}``."""
        return {(s.visit_id, s.part): s.start for stops in self.routes.values() for s in stops}
