"""Between a :class:`~homecare.rostering.day.Day` and the optimizer
(:mod:`homecare.domain.rostering`): build the ``Problem``, run ``solve`` or
``repair``, and turn the ``Solution`` into a proposal with figures and reasons.

Plain Python (no Django import), so the benchmark runs it without a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from homecare.domain.rostering.model import Problem, ProblemError, Solution, Stop, Weights
from homecare.domain.rostering.model import Visit as OptVisit
from homecare.domain.rostering.model import Worker as OptWorker
from homecare.domain.rostering.solver import repair as opt_repair
from homecare.domain.rostering.solver import solve as opt_solve
from homecare.domain.rostering.travel import StraightLineTravel

from . import rules

if TYPE_CHECKING:
    from .day import Day

DAY_END = 24 * 60


#: The optimizer's straight-line travel (whole matrix with numpy), under its old name here.
QuickStraightLine = StraightLineTravel


@dataclass
class Outcome:
    """What a run proposes: workers and start per visit, figures before and after, reasons."""

    proposal: dict
    before: dict
    after: dict
    report: dict = field(default_factory=dict)


def _cut(intervals, holes) -> list[tuple[int, int]]:
    out = list(intervals)
    for ha, hb in holes:
        nxt = []
        for a, b in out:
            if hb <= a or ha >= b:
                nxt.append((a, b))
                continue
            if ha > a:
                nxt.append((a, ha))
            if hb < b:
                nxt.append((hb, b))
        out = nxt
    return [(a, b) for a, b in out if b > a]


def _qualified(v, w) -> bool:
    return v.skills <= w.skills and (v.preferred_gender == "none" or w.gender == v.preferred_gender)


def label(v) -> str:
    return f"{v.person} {rules.span(v.planned, v.minutes)}"


def build_problem(
    day: Day,
    *,
    weights: Weights | None = None,
    from_minute: int | None = None,
    travel_allowance: int | None = None,
):
    """The optimizer's ``Problem`` for ``day`` and the visits kept out of it with the reason.

    ``from_minute`` (a repair of today) leaves out visits already started: they stay
    as rostered, and each worker's day goes on from where their last one ends.
    """
    kept_out: dict[str, str] = {}
    fixed: set[str] = set()
    visits = []
    busy_until: dict[str, int] = {}
    last_place: dict[str, tuple[float, float]] = {}
    able_for: dict = {}
    for v in sorted(day.visits, key=lambda v: v.planned):
        if v.status != "planned" or (from_minute is not None and v.planned < from_minute):
            fixed.add(v.id)
            for w in v.workers:
                busy_until[w] = max(busy_until.get(w, 0), v.planned + v.minutes)
                last_place[w] = (v.latitude, v.longitude)
            continue
        key = (v.skills, v.preferred_gender)
        if key not in able_for:
            able_for[key] = sum(1 for w in day.workers if _qualified(v, w))
        able = able_for[key]
        if able < v.workers_required:
            need = ", ".join(sorted(v.skills)) or "no particular skills"
            who = f" and a {v.preferred_gender} worker" if v.preferred_gender != "none" else ""
            kept_out[v.id] = (
                f"nobody on the staff is qualified: it needs {need}{who}"
                if not able
                else "needs two qualified workers and only one is on the staff"
            )
            continue
        pinned: tuple = ()
        if v.pinned and len(v.workers) == v.workers_required:
            pinned = tuple(v.workers)
        visits.append(
            OptVisit(
                id=v.id,
                client_id=v.individual_id,
                location=(v.latitude, v.longitude),
                earliest=v.start - v.window,
                latest=v.start + v.window,
                duration=v.minutes,
                workers_required=v.workers_required,
                skills=frozenset(v.skills),
                gender=None if v.preferred_gender == "none" else v.preferred_gender,
                preferred=frozenset(v.usual),
                trusted=frozenset(rules.trusted_team(v)),
                pinned=pinned,
            )
        )
    workers = []
    no_time = []
    for w in day.workers:
        start = max(from_minute or 0, busy_until.get(w.id, 0))
        shifts = _cut(w.shifts, [(0, start)] if start else [])
        shifts = _cut(shifts, w.absent)
        home = (w.latitude, w.longitude)
        if not w.shifts:
            no_time.append(w.name)
        workers.append(
            OptWorker(
                id=w.id,
                skills=frozenset(w.skills),
                gender=w.gender,
                shifts=tuple(shifts) or ((0, 1),),
                breaks=tuple(w.breaks),
                max_minutes=w.cap_minutes,
                start_location=last_place.get(w.id, home),
                end_location=home,
                unavailable=not shifts,
            )
        )
    # A pin on a worker who can no longer work is dropped (the visit needs cover).
    gone = {ow.id for ow in workers if ow.unavailable}
    visits = [v if not (set(v.pinned) & gone) else _unpinned(v) for v in visits]
    problem = Problem(
        visits=visits,
        workers=workers,
        travel=QuickStraightLine(),
        weights=weights or Weights(),
        travel_allowance=travel_allowance,
        team_share=(weights or Weights()).team_share / 100 or None,
    )
    notes = [f"{name} has no availability on this day." for name in no_time]
    return problem, kept_out, fixed, notes


def _unpinned(v: OptVisit) -> OptVisit:
    return replace(v, pinned=())


def _free_intervals(worker) -> list[tuple[float, float]]:
    """The worker's shifts less their breaks."""
    return [piece for shift in worker.shifts for piece in _cut([shift], worker.breaks)]


def settle(problem: Problem, solution: Solution, ordered: dict) -> Solution:
    """Each visit moved from the earliest start the search gave it towards its ordered
    time, as far as the worker's next visit (and travel to it), their shift and their
    breaks allow; both workers of a double-handed visit move together. Latest visits
    first, so each makes room for the one before. Nothing moves earlier, so no visit
    becomes late and no earlier leg gets shorter."""
    visits = {v.id: v for v in problem.visits}
    workers = {w.id: w for w in problem.workers}
    free = {wid: _free_intervals(w) for wid, w in workers.items()}
    start: dict = {}
    who: dict = {}
    after: dict = {}
    for wid, stops in solution.routes.items():
        for i, stop in enumerate(stops):
            start[stop.visit_id] = stop.start
            who.setdefault(stop.visit_id, []).append(wid)
            if i + 1 < len(stops):
                after[(wid, stop.visit_id)] = stops[i + 1].visit_id
    for vid in sorted(start, key=lambda k: -start[k]):
        v = visits[vid]
        s, goal = start[vid], ordered.get(vid, start[vid])
        if s >= goal or v.pinned_start is not None:
            continue
        new = goal
        for wid in who[vid]:
            nxt = after.get((wid, vid))
            if nxt is not None:
                leg = problem.travel.minutes(v.location, visits[nxt].location)
                new = min(new, start[nxt] - leg - v.duration)
            ends = [b for a, b in free[wid] if a <= s and s + v.duration <= b]
            new = min(new, (ends[0] if ends else s + v.duration) - v.duration)
        if new > s:
            start[vid] = new
    routes = {
        wid: [
            Stop(st.visit_id, start[st.visit_id], start[st.visit_id] + st.end - st.start, st.part)
            for st in stops
        ]
        for wid, stops in solution.routes.items()
    }
    return replace(solution, routes=routes)


def current_solution(day: Day) -> Solution:
    """The rota as it stands, in the optimizer's terms (for a repair)."""
    routes: dict = {}
    for v in day.visits:
        for part, w in enumerate(sorted(v.workers)[: v.workers_required]):
            routes.setdefault(w, []).append(Stop(v.id, v.planned, v.planned + v.minutes, part))
    for stops in routes.values():
        stops.sort(key=lambda s: s.start)
    return Solution(routes=routes)


def _readable(day: Day, reasons) -> list[str]:
    names = {v.id: label(v) for v in day.visits}
    names.update({w.id: w.name for w in day.workers})
    out = []
    for text in reasons:
        for key, name in names.items():
            if key in text:
                text = text.replace(f"visit {key}", name).replace(key, name)
        out.append(text)
    return out


def run(
    day: Day,
    *,
    kind: str,
    time_limit_s: float,
    from_minute: int | None = None,
    weights: Weights | None = None,
    travel_allowance: int | None = None,
    progress=None,
) -> Outcome:
    """Optimise or repair ``day``; raises ``ProblemError`` with readable reasons."""
    before_assignment = day.current()
    before = rules.figures(day, before_assignment)
    problem, kept_out, fixed, notes = build_problem(
        day, weights=weights, from_minute=from_minute, travel_allowance=travel_allowance
    )
    try:
        if kind == "repair":
            solution = opt_repair(
                problem,
                current_solution(day),
                time_limit_s=time_limit_s,
                progress=progress,
                room=True,
            )
        else:
            solution = opt_solve(problem, time_limit_s=time_limit_s, progress=progress, polish=True)
    except ProblemError as exc:
        raise ProblemError(_readable(day, exc.reasons)) from exc
    solution = settle(problem, solution, {v.id: v.start for v in day.visits})
    pairs = solution.assignment()
    starts = {vid: start for (vid, part), start in solution.starts().items() if part == 0}
    proposal = {}
    after_assignment = {k: ws for k, ws in before_assignment.items() if k in fixed}
    for v in day.visits:
        if v.id in fixed:
            continue
        workers = tuple(sorted(w for w in pairs.get(v.id, ()) if w is not None))
        after_assignment[v.id] = workers
        proposal[v.id] = {
            "workers": list(workers),
            "was": list(v.workers),
            "start": round(starts[v.id]) if v.id in starts else v.planned,
        }
    after_starts = {k: row["start"] for k, row in proposal.items()}
    after = rules.figures(day, after_assignment, after_starts)
    visits = day.visit
    unassigned = [
        {"visit": vid, "label": label(visits[vid]), "reason": reason}
        for vid, reason in list(kept_out.items()) + list(solution.unassigned.items())
    ]
    changed = sum(1 for row in proposal.values() if set(row["workers"]) != set(row["was"]))
    report = {
        "unassigned": unassigned,
        "notes": notes,
        "cost": {k: round(x, 1) for k, x in solution.cost.items() if isinstance(x, int | float)},
        "counts": solution.counts,
        "seconds": round(solution.stats.get("seconds", 0.0), 2),
        "would_change": changed,
        "moved": solution.counts.get("moved"),
    }
    return Outcome(proposal=proposal, before=before, after=after, report=report)
