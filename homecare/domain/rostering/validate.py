"""An independent check of every hard rule of a rota (shares no code with the search).

``validate(problem, solution)`` returns one message per broken rule; an empty
list means the rota may be used. It recomputes travel from the problem's own
provider and walks each route from the worker's start.
"""

from __future__ import annotations

from .model import SEQUENTIAL, Problem, Solution

TOL = 1e-3


def _skills_needed(visit, part) -> frozenset:
    extra = visit.part_skills[part] if visit.part_skills else frozenset()
    return frozenset(visit.skills) | frozenset(extra)


def _duration(visit, part) -> float:
    return visit.part_durations[part] if visit.part_durations else visit.duration


def _inside(start, end, worker) -> bool:
    in_shift = any(a - TOL <= start and end <= b + TOL for a, b in worker.shifts)
    in_break = any(start < bb - TOL and end > ba + TOL for ba, bb in worker.breaks)
    return in_shift and not in_break


def validate(problem: Problem, solution: Solution) -> list[str]:
    errors: list[str] = []
    visits = {v.id: v for v in problem.visits}
    workers = {w.id: w for w in problem.workers}
    locs = []
    for v in problem.visits:
        locs.append(v.location)
    for w in problem.workers:
        locs.extend(x for x in (w.start_location, w.end_location) if x is not None)
    locs = list(dict.fromkeys(locs))
    m = problem.travel.matrix(locs) if locs else []
    where = {x: i for i, x in enumerate(locs)}

    def travel(a, b) -> float:
        if a is None or b is None:
            return 0.0
        return m[where[a]][where[b]]

    done: dict = {}
    for wid, stops in solution.routes.items():
        w = workers.get(wid)
        if w is None:
            errors.append(f"route for unknown worker {wid}")
            continue
        if stops and w.unavailable:
            errors.append(f"worker {wid} is unavailable but has {len(stops)} visits")
        here = w.start_location
        free = min((a for a, _ in w.shifts), default=0)
        minutes = 0.0
        for stop in stops:
            v = visits.get(stop.visit_id)
            if v is None:
                errors.append(f"worker {wid}: unknown visit {stop.visit_id}")
                continue
            if stop.part not in range(v.workers_required):
                errors.append(f"visit {v.id}: part {stop.part} does not exist")
                continue
            done.setdefault(v.id, []).append((stop.part, wid, stop.start))
            d = _duration(v, stop.part)
            if abs(stop.end - stop.start - d) > TOL:
                errors.append(f"visit {v.id} ({wid}): lasts {stop.end - stop.start}, not {d}")
            if not _skills_needed(v, stop.part) <= frozenset(w.skills):
                errors.append(f"visit {v.id}: worker {wid} lacks the skills it needs")
            if v.gender is not None and w.gender != v.gender:
                errors.append(f"visit {v.id}: needs a {v.gender} worker, {wid} is not")
            if v.pinned and wid not in v.pinned:
                errors.append(f"visit {v.id}: pinned to {list(v.pinned)}, given to {wid}")
            if v.pinned_start is not None and abs(stop.start - v.pinned_start) > TOL:
                errors.append(f"visit {v.id}: pinned at {v.pinned_start}, starts {stop.start}")
            if stop.start < v.earliest - TOL:
                errors.append(f"visit {v.id} ({wid}): starts {stop.start} before {v.earliest}")
            if v.max_lateness is not None and stop.start > v.latest + v.max_lateness + TOL:
                errors.append(
                    f"visit {v.id} ({wid}): starts {stop.start}, later than allowed "
                    f"({v.latest} + {v.max_lateness})"
                )
            leg = travel(here, v.location)
            if stop.start < free + leg - TOL:
                errors.append(
                    f"visit {v.id} ({wid}): starts {stop.start}, cannot get there before "
                    f"{free + leg} (in two places at once or no time to travel)"
                )
            if not _inside(stop.start, stop.end, w):
                errors.append(f"visit {v.id} ({wid}): outside the worker's shift or in a break")
            minutes += leg + d
            free = stop.end
            here = v.location
        if stops:
            minutes += travel(here, w.end_location)
        if w.max_minutes is not None and minutes > w.max_minutes + TOL:
            errors.append(f"worker {wid}: {minutes:.0f} minutes, more than {w.max_minutes}")

    for v in problem.visits:
        got = done.get(v.id, [])
        if not got:
            if v.id not in solution.unassigned:
                errors.append(f"visit {v.id}: neither rostered nor reported unassigned")
            continue
        if v.id in solution.unassigned:
            errors.append(f"visit {v.id}: rostered and also reported unassigned")
        parts = sorted(p for p, _, _ in got)
        if parts != list(range(v.workers_required)):
            errors.append(
                f"visit {v.id}: needs parts {list(range(v.workers_required))}, has {parts}"
            )
            continue
        if v.workers_required == 2:
            by_part = {p: (wid, s) for p, wid, s in got}
            (w0, s0), (w1, s1) = by_part[0], by_part[1]
            if w0 == w1:
                errors.append(f"visit {v.id}: both parts given to the same worker {w0}")
            if v.sync == SEQUENTIAL:
                lead, follow = (s0, s1) if v.first == 0 else (s1, s0)
                gap = follow - lead
                if gap < v.gap[0] - TOL or gap > v.gap[1] + TOL:
                    errors.append(
                        f"visit {v.id}: second part starts {gap:.1f} min after the first, "
                        f"outside {v.gap[0]}-{v.gap[1]}"
                    )
            elif abs(s0 - s1) > TOL:
                errors.append(f"visit {v.id}: the two workers start at {s0} and {s1}, not together")
    for vid in solution.unassigned:
        if vid not in visits:
            errors.append(f"unknown visit {vid} reported unassigned")
    return errors
