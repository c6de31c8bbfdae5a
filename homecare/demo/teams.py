"""Each person's regular team, and the normal week its members work.

Plain data in, plain data out (no database).

:func:`regular_teams` builds each person's regular team as a coordinator does
over the weeks (KENT-8.1: at most ``team_target`` workers, ``team_max`` for a
package with double-handed visits or blocks). A team is the workers who do the
person's visits on a normal week: each visit of the week (weekday and time) goes
to a worker who suits the person (gender preference, skills), lives nearby, is
on shift and off their rest break at its time, and can get there from their
other regular visits of that day (starting it inside its window), within a day's
and a week's hours; the workers who can take most of the week join first. Every
member visits on two days or more where the week allows; members beyond those the week needs (up to
the team's size) take two visits each, so that a day off or a busy hour leaves
others who know the person, and a person whose visits would all go to one worker
gets a second who takes one of them (on shift at the times of the others where
one nearby is); a visit no member can take goes to a regular from further afield
while the team has room. The week so planned is what the demo rota follows
(:mod:`.rota`) and its last two weeks were rostered to (:mod:`.billing`), and :func:`fit_contracts` gives each worker a contract that holds
their week.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from homecare.domain.rostering.travel import StraightLineTravel

from .places import distance_km
from .rota import travel_minutes
from .staffing import visit_lines

#: How many of the nearest suitable workers are considered for a team.
NEAREST = 60
#: How many times as many are considered when none of them can do the whole week.
WIDER = 3
#: Minutes kept free either side of the visits of a person with one regular worker, so
#: that the day's rota can move them about and still keep that worker.
PAD = 15
#: How many nearby workers are asked to join a team beyond those its visits need.
FILL_TRIES = 20
#: Most minutes of regular visits in a worker's day (the rest of a shift goes on
#: travel, rest and covering for others).
DAY_CARE_MINUTES = 7 * 60
#: Most minutes of regular visits in a worker's week (with travel, about the 48 hours of
#: the Working Time Regulations); their contract is then set to hold them.
WEEK_CARE_MINUTES = 40 * 60
#: Contracted hours a worker may be on (zero hours stay zero hours), and the share of
#: their paid time that visits take (the rest is travel).
CONTRACT_HOURS = (16, 24, 30, 37.5, 42, 48)
VISIT_SHARE = 0.85
#: Road minutes per straight-line km, as the optimizer's default travel has it (its
#: road factor and speed), so that the planned week is one the optimizer can keep to.
_TRAVEL = StraightLineTravel()
ROAD_MINUTES_PER_KM = _TRAVEL.road_factor * 60 / _TRAVEL.speed_kmh
#: Minutes between the start times tried for a visit, from its ordered time to the end
#: of its window (the demo rota starts a visit on time or late within its window).
STEP = 10
#: Score against a worker who would visit a person on one day of the week only.
LONE_DAY = 10_000
#: Score per km between a worker's home and the person (against minutes of care covered).
KM_COST = 8


@dataclass
class Teams:
    """Each person's regular team, and who does each of their visits on a normal week."""

    #: person id -> (worker id, ...), most of the person's visits first.
    team: dict = field(default_factory=dict)
    #: (person id, weekday, start minute) -> (worker id, ...) planned for that visit,
    #: and the minute they start it (inside its window).
    planned: dict = field(default_factory=dict)
    starts: dict = field(default_factory=dict)
    #: Visit parts of the week no team member could take (left to the day's rota).
    uncovered: Counter = field(default_factory=Counter)
    #: worker id -> minutes of regular visits in their week.
    week: dict = field(default_factory=dict)

    def get(self, person_id, default=()):
        return self.team.get(person_id, default)


class _Week:
    """Every worker's regular week as the coordinator plans it (keyed by the worker)."""

    def __init__(self):
        self.visits: dict = defaultdict(list)  # (worker, weekday) -> [(start, end, lat, lon)]
        self.day_minutes: Counter = Counter()  # (worker, weekday)
        self.week_minutes: Counter = Counter()  # worker
        self.breaks: dict = {}  # (worker, weekday) -> [(start, end)]
        self.open: dict = {}  # (worker, weekday, start, minutes, window) -> starts to try

    def _breaks(self, w, day):
        key = (w, day)
        if key not in self.breaks:
            from homecare.rostering.day import breaks_for

            self.breaks[key] = breaks_for(sorted(w.windows.get(day, ())))
        return self.breaks[key]

    def fits(self, w, line, lat, lon, extra_day=0, extra_week=0, at=None) -> int | None:
        """The start nearest the ordered time, within its window (or ``at``), at which
        ``w`` can take ``line`` of a person at (lat, lon) on top of their week (and of
        ``extra_day``/``extra_week`` minutes they are about to take); None if none."""
        day, a, b, _, skills, window = line
        minutes = b - a
        if not skills <= w.skills or not w.windows.get(day):
            return None
        key = (w, day)
        if self.day_minutes[key] + extra_day + minutes > DAY_CARE_MINUTES:
            return None
        if self.week_minutes[w] + extra_week + minutes > WEEK_CARE_MINUTES:
            return None
        opens = self._opens(w, day, a, minutes, window)
        if at is not None:
            opens = (at,) if at in opens else ()
        if not opens:
            return None
        lo, hi = a - window - 60, b + window + 60
        gaps = [
            (c, d, _travel(w, distance_km(lat, lon, clat, clon)))
            for c, d, clat, clon in self.visits[key]
            if c < hi and lo < d
        ]
        for start in opens:
            end = start + minutes
            if all(d + g <= start or end + g <= c for c, d, g in gaps):
                return start
        return None

    def _opens(self, w, day, a, minutes, window) -> tuple[int, ...]:
        """The starts to try (nearest the ordered time ``a`` first) at which ``w`` is on
        shift and off their break for the whole visit; none unless they are at ``a``
        itself (the window is for the journeys between visits, not to squeeze a visit
        in beside a break or the end of a shift)."""
        key = (w, day, a, minutes, window)
        if key not in self.open:
            shifts, breaks = w.windows[day], self._breaks(w, day)

            def free(start):
                end = start + minutes
                return any(x <= start and end <= y for x, y in shifts) and not any(
                    x < end and start < y for x, y in breaks
                )

            self.open[key] = tuple(s for s in _starts(a, window) if free(s)) if free(a) else ()
        return self.open[key]

    def take(self, w, line, lat, lon, start) -> None:
        minutes = line[2] - line[1]
        self.visits[(w, line[0])].append((start, start + minutes, lat, lon))
        self.day_minutes[(w, line[0])] += minutes
        self.week_minutes[w] += minutes

    def drop(self, w, line, lat, lon, start) -> None:
        minutes = line[2] - line[1]
        self.visits[(w, line[0])].remove((start, start + minutes, lat, lon))
        self.day_minutes[(w, line[0])] -= minutes
        self.week_minutes[w] -= minutes


def _travel(w, km: float) -> int:
    """Minutes from one visit to the next: the demo rota's (walking is slow) or the
    optimizer's road time, whichever is longer."""
    return max(travel_minutes(w.drives, km), math.ceil(km * ROAD_MINUTES_PER_KM))


def regular_teams(people, workers, *, target: int, most: int) -> Teams:
    """Every person with an active package: their team and their planned week."""
    by_provider: dict = defaultdict(list)
    for w in workers:
        by_provider[w.provider_id].append(w)
    week = _Week()
    out = Teams()
    plans = [p for p in people if p.package.status == "active"]
    # People with the most care on the days they are visited first: their teams are
    # the hardest to make.
    plans.sort(
        key=lambda p: (_days_of(p) > 3, -p.needs.weekly_minutes / _days_of(p), str(p.individual.id))
    )
    for plan in plans:
        lines = visit_lines(plan)
        person = plan.individual
        if not lines:
            out.team[person.id] = ()
            continue
        big = any(line.workers_required > 1 or line.kind != "visit" for line in plan.needs.lines)
        pref = person.preferred_worker_gender
        lat, lon = float(person.latitude), float(person.longitude)
        ranked = sorted(
            (
                (distance_km(lat, lon, w.latitude, w.longitude), str(w.id), w)
                for w in by_provider.get(plan.package.organisation_id, [])
                if pref == "none" or w.gender == pref
            ),
            key=lambda x: (x[0], x[1]),
        )
        size = most if big else target
        near = [(w, km) for km, _, w in ranked[:NEAREST]]
        team, doers, starts = _team(lines, lat, lon, near, size, week)
        if _gaps(lines, doers) and len(ranked) > NEAREST:
            # Nobody near can do the whole week: look further afield, keep the better.
            _undo(lines, doers, starts, lat, lon, week)
            wide = [(w, km) for km, _, w in ranked[: WIDER * NEAREST]]
            wide = _team(lines, lat, lon, wide, size, week)
            if _gaps(lines, wide[1]) >= _gaps(lines, doers):
                _undo(lines, wide[1], wide[2], lat, lon, week)
                for line, who, start in zip(lines, doers, starts, strict=True):
                    for w in who:
                        week.take(w, line, lat, lon, start)
            else:
                team, doers, starts = wide
        if len(team) < size and _gaps(lines, doers):
            wide = [w for _, _, w in ranked[: WIDER * NEAREST]]
            team = _cover(team, size, wide, lines, doers, starts, lat, lon, week)
        if len(team) == 1 < size and len(lines) >= 2:
            team = _second(team, near, lines, doers, starts, lat, lon, week)
        if len(team) == 1:
            # One worker for all their visits: leave them room either side of each.
            _pad(lines, doers, starts, lat, lon, week)
        out.team[person.id] = team
        for line, who, start in zip(lines, doers, starts, strict=True):
            out.planned[(person.id, line[0], line[1])] = tuple(w.id for w in who)
            out.starts[(person.id, line[0], line[1])] = start
            out.uncovered[plan.package.organisation_id] += line[3] - len(who)
    out.week = {w.id: week.week_minutes[w] for w in workers}
    return out


def _days_of(plan) -> int:
    return len({line.weekday for line in plan.needs.lines}) or 1


def _gaps(lines, doers) -> int:
    """Visit parts without a team member, and members who visit on one day only."""
    missing = sum(line[3] - len(who) for line, who in zip(lines, doers, strict=True))
    if len({line[0] for line in lines}) < 2:
        return missing
    days: dict = defaultdict(set)
    for line, who in zip(lines, doers, strict=True):
        for w in who:
            days[w].add(line[0])
    return missing + sum(len(d) == 1 for d in days.values())


def _pad(lines, doers, starts, lat, lon, week) -> None:
    for line, who, start in zip(lines, doers, starts, strict=True):
        for w in who:
            mine = week.visits[(w, line[0])]
            mine.remove((start, start + line[2] - line[1], lat, lon))
            mine.append((start - PAD, start + line[2] - line[1] + PAD, lat, lon))


def _undo(lines, doers, starts, lat, lon, week) -> None:
    for line, who, start in zip(lines, doers, starts, strict=True):
        for w in who:
            week.drop(w, line, lat, lon, start)


def fit_contracts(worker_plans, teams: Teams) -> None:
    """A worker's contract holds their regular week with its travel: a contract too
    short for it goes up to the next usual length (zero-hours contracts stay)."""
    for plan in worker_plans:
        w = plan.worker
        needed = teams.week.get(w.id, 0) / VISIT_SHARE
        if w.contracted_minutes and needed > w.contracted_minutes:
            hours = next((h for h in CONTRACT_HOURS if h * 60 >= needed), CONTRACT_HOURS[-1])
            w.contracted_minutes = round(hours * 60)


def _team(lines, lat, lon, near, size: int, week: _Week):
    """Greedy: the worker who can take the most minutes of the person's week still
    without a worker joins the team and takes them, nearest first; then each member
    visits on two days or more. Returns (team, the workers of each line)."""
    need = [line[3] for line in lines]
    doers: list[list] = [[] for _ in lines]
    starts: list = [None] * len(lines)  # the planned start (two workers start together)
    ndays = len({line[0] for line in lines})
    ok: dict = {}  # worker -> the lines they can take alone, worked out when first asked
    team: list = []
    while len(team) < size and any(need):
        best = None
        most = sum(line[2] - line[1] for line, n in zip(lines, need, strict=True) if n)
        for w, km in near:
            if best is not None and most - KM_COST * km <= best[0]:
                break  # nobody further away can score better
            if any(m is w for m in team):
                continue
            if w not in ok:  # (the lines still wanting a worker never grow)
                ok[w] = [
                    i
                    for i, line in enumerate(lines)
                    if need[i] and week.fits(w, line, lat, lon) is not None
                ]
            takes = _takes(w, [i for i in ok[w] if need[i]], lines, starts, lat, lon, week)
            if not takes:
                continue
            gain = sum(lines[i][2] - lines[i][1] for i, _ in takes)
            score = gain - KM_COST * km
            steal = None
            if team and len({lines[i][0] for i, _ in takes}) == 1 < ndays:
                # Visiting on one day only: worth it if they take a visit on another too.
                if best is not None and score <= best[0]:
                    continue
                steal = _steal(w, lines[takes[0][0]][0], lines, doers, starts, lat, lon, week)
                if steal is None:
                    score -= LONE_DAY
            if best is None or score > best[0]:
                best = (score, w, takes, steal)
        if best is None:
            break
        _, w, takes, steal = best
        team.append(w)
        if steal is not None:
            _hand_over(w, steal, lines, doers, starts, lat, lon, week)
        for i, start in takes:
            need[i] -= 1
            doers[i].append(w)
            starts[i] = start
            week.take(w, lines[i], lat, lon, start)
    _share_days(team, lines, doers, starts, lat, lon, week)
    if ndays >= 4:
        _fill(team, size, near, lines, doers, starts, lat, lon, week)
    # Most visits first, as the rota history will rank them.
    count = Counter(w.id for who in doers for w in who)
    team.sort(key=lambda w: -count[w.id])
    return tuple(w.id for w in team if count[w.id]), doers, starts


def _takes(w, candidates, lines, starts, lat, lon, week) -> list[tuple[int, int]]:
    """Of ``candidates`` (line indices, each fitting ``w`` alone), those ``w`` can take
    together within their day's and week's hours, with their starts. Of a person
    visited on four days or more, one worker takes at most all but two of the days, so
    that whoever covers their days off visits on two days or more as well."""
    ndays = len({line[0] for line in lines})
    most = ndays - 2 if ndays >= 4 else ndays
    takes, days, total = [], Counter(), 0
    for i in candidates:
        line = lines[i]
        if line[0] not in days and len(days) >= most:
            continue
        start = week.fits(w, line, lat, lon, days[line[0]], total, at=starts[i])
        if start is not None:
            takes.append((i, start))
            days[line[0]] += line[2] - line[1]
            total += line[2] - line[1]
    return takes


def _share_days(team, lines, doers, starts, lat, lon, week) -> None:
    """A member who visits on one day of the week only is a stranger the week after a
    day off of theirs; hand them a visit on another day from a member who keeps two
    days or more, where they can take it."""
    if len({line[0] for line in lines}) < 2:
        return
    for w in team:
        mine = _days(w, lines, doers)
        if len(mine) != 1:
            continue
        steal = _steal(w, next(iter(mine)), lines, doers, starts, lat, lon, week)
        if steal is not None:
            _hand_over(w, steal, lines, doers, starts, lat, lon, week)


def _steal(w, day, lines, doers, starts, lat, lon, week):
    """A visit on another day than ``day`` that ``w`` can take over from a member who
    keeps two days or more: (line index, that member, start), or None."""
    for i, who in enumerate(doers):
        if lines[i][0] == day or not who or w in who:
            continue
        if (found := _could_take(w, i, lines, doers, starts, lat, lon, week)) is not None:
            return i, *found
    return None


def _could_take(w, i, lines, doers, starts, lat, lon, week):
    """Whether ``w`` could take visit line ``i`` over from a member who keeps two days
    or more: (that member, the start), or None. The week is left as it was."""
    giver = next((m for m in doers[i] if _gives(m, i, lines, doers)), None)
    if giver is None:
        return None
    line = lines[i]
    week.drop(giver, line, lat, lon, starts[i])
    start = week.fits(w, line, lat, lon, at=starts[i] if line[3] > 1 else None)
    week.take(giver, line, lat, lon, starts[i])
    return None if start is None else (giver, start)


def _hand_over(w, steal, lines, doers, starts, lat, lon, week) -> None:
    """Give ``w`` the visit :func:`_steal` found, in place of the member who gave it."""
    i, giver, start = steal
    week.drop(giver, lines[i], lat, lon, starts[i])
    doers[i][doers[i].index(giver)] = w
    starts[i] = start
    week.take(w, lines[i], lat, lon, start)


def _fill(team, size, near, lines, doers, starts, lat, lon, week) -> None:
    """Up to the team's size, a nearby worker takes two of the person's visits on
    different days from members who keep two days or more: every visit then has more
    members who know the person, for a day off or a busy morning."""
    tried = 0
    for w, _ in near:
        if len(team) >= size or tried >= FILL_TRIES:
            return
        if any(m is w for m in team):
            continue
        tried += 1
        moved = []  # (line index, the member who gave it)
        for i, who in enumerate(doers):
            if not who or w in who or any(lines[j][0] == lines[i][0] for j, _, _ in moved):
                continue
            found = _could_take(w, i, lines, doers, starts, lat, lon, week)
            if found is None:
                continue
            giver, start = found
            moved.append((i, giver, starts[i]))
            _hand_over(w, (i, giver, start), lines, doers, starts, lat, lon, week)
            if len(moved) == 2:
                break
        if len(moved) == 2:
            team.append(w)
            continue
        for i, giver, start in moved:  # only one: give it back
            week.drop(w, lines[i], lat, lon, starts[i])
            week.take(giver, lines[i], lat, lon, start)
            doers[i][doers[i].index(w)] = giver
            starts[i] = start


def _cover(team, size, wide, lines, doers, starts, lat, lon, week) -> tuple:
    """Visit parts of the week no member can take go, while the team has room, to the
    nearest worker further afield who can (a regular for that visit, as a provider
    finds one, rather than whoever is free each week). Returns the team's ids."""
    team = list(team)
    for i, line in enumerate(lines):
        for w in wide:
            if len(doers[i]) >= line[3] or len(team) >= size:
                break
            if w.id in team or w in doers[i]:
                continue
            start = week.fits(w, line, lat, lon, at=starts[i] if doers[i] else None)
            if start is None:
                continue
            week.take(w, line, lat, lon, start)
            doers[i].append(w)
            starts[i] = start
            team.append(w.id)
    return tuple(team)


def _second(team, near, lines, doers, starts, lat, lon, week) -> tuple:
    """A person whose visits all go to one worker gets a second, who takes one of them
    (single-handed), so that a busy hour or a day off of the first leaves someone who
    knows the person: the nearest who is on shift at the time of every visit of theirs,
    else the nearest who can take one. Returns the team's ids."""
    first = next(w for who in doers for w in who)
    singles = [i for i, line in enumerate(lines) if line[3] == 1 and first in doers[i]]
    for everywhere in (True, False):
        for w, _ in near[:FILL_TRIES]:
            if w is first:
                continue
            if everywhere and not all(
                line[4] <= w.skills
                and w.windows.get(line[0])
                and week._opens(w, line[0], line[1], line[2] - line[1], line[5])
                for line in lines
            ):
                continue
            for i in reversed(singles):
                line = lines[i]
                week.drop(first, line, lat, lon, starts[i])
                start = week.fits(w, line, lat, lon)
                if start is None:
                    week.take(first, line, lat, lon, starts[i])
                    continue
                week.take(w, line, lat, lon, start)
                doers[i] = [w]
                starts[i] = start
                return (*team, w.id)
    return team


def _days(w, lines, doers) -> set:
    return {lines[i][0] for i, who in enumerate(doers) if w in who}


def _gives(m, i, lines, doers) -> bool:
    """``m`` still visits on two days or more without line ``i``."""
    return len({lines[j][0] for j, who in enumerate(doers) if m in who and j != i}) >= 2


def _main(who, days_of):
    return max(who, key=lambda m: (len(days_of[m.id]), str(m.id)))


@functools.cache
def _starts(a: int, window: int) -> tuple[int, ...]:
    """Start times to try: on time first, then further from it either way."""
    out = [a]
    for o in range(STEP, window + 1, STEP):
        out += [a - o, a + o]
    return tuple(out)
