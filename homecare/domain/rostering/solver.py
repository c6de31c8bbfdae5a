"""``solve`` and ``repair``: build routes, improve them within the time limit, report."""

from __future__ import annotations

import time

from .construct import greedy, unplaceable_reason
from .engine import Engine
from .kernels import warm_up
from .model import Problem, Solution, Stop
from .search import Search

#: Most seconds of the time limit kept for ``room.share_polish`` (a tenth at most).
SHARE_SECONDS = 3.0


def _solution(engine: Engine, routes, left: dict[int, str], stats: dict) -> Solution:
    start = [0.0] * engine.n
    if not engine.schedule(routes, start):
        raise AssertionError("the optimizer produced an infeasible rota")
    cost = engine.evaluate(routes, start, len(left))
    out_routes = {}
    for k, r in enumerate(routes):
        w = engine.workers[k]
        out_routes[w.id] = [
            Stop(engine.visits[engine.tv[t]].id, start[t], start[t] + engine.dur[t], engine.tp[t])
            for t in r
        ]
    unassigned = {
        engine.visits[vi].id: reason or unplaceable_reason(engine, vi)
        for vi, reason in sorted(left.items())
    }
    with_team = by_team = with_usual = by_usual = parts = 0
    for k, r in enumerate(routes):
        wid = engine.workers[k].id
        for t in r:
            parts += 1
            v = engine.visits[engine.tv[t]]
            if v.trusted:
                with_team += 1
                by_team += wid in v.trusted
            if v.preferred:
                with_usual += 1
                by_usual += wid in v.preferred
    counts = {
        "visits": len(engine.visits),
        "assigned": len(engine.visits) - len(left),
        "unassigned": len(left),
        "parts": parts,
        "double_handed": sum(1 for v in engine.visits if v.workers_required == 2),
        "with_team": with_team,
        "by_trusted": by_team,
        "with_usual": with_usual,
        "by_usual": by_usual,
    }
    return Solution(routes=out_routes, unassigned=unassigned, cost=cost, counts=counts, stats=stats)


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    initial: Solution | None = None,
    progress=None,
    polish: bool = False,
) -> Solution:
    """Build a rota for ``problem`` within ``time_limit_s`` seconds.

    ``initial`` (a previous ``Solution``) seeds the search when given: its
    assignments that are still valid are kept as the starting point.
    ``progress(fraction, best_total)`` is called now and then from the search.
    With ``polish``, single-handed visits done outside the person's trusted team
    then move to a team member with a gap when that is cheaper
    (``room.team_polish``), and, with ``problem.team_share``, the people still below
    that share of their visits by their trusted team get team members moved in
    (``room.share_polish``, in the last tenth of the time limit, ``SHARE_SECONDS`` at
    most).
    Raises ``ProblemError`` when the input cannot be rostered as given.

    The first call in a process loads the compiled search kernels (numba,
    cached on disk; the very first run on a machine compiles them, which takes
    tens of seconds); that happens before the clock starts.
    """
    warm_up()
    t0 = time.monotonic()
    c0 = time.process_time()
    engine = Engine(problem)
    if initial is not None:
        routes, left = _from_solution(engine, initial)
        routes, left = _insert_all(engine, routes, left, seed)
    else:
        routes, left = greedy(engine)
    # The time kept for bringing team members back to people below the team share.
    spare = min(SHARE_SECONDS, time_limit_s / 10) if polish and problem.team_share else 0.0
    search = Search(engine, routes, left, seed=seed)
    search.run(deadline=t0 + time_limit_s - spare, progress=progress)
    routes = search.best_routes
    if polish:
        from .room import share_polish, team_polish

        routes = team_polish(engine, routes)
        if spare:
            routes = share_polish(engine, routes, problem.team_share, seconds=spare)
    stats = {
        "seconds": time.monotonic() - t0,
        "cpu_seconds": time.process_time() - c0,
        "seed": seed,
        **search.stats,
    }
    return _solution(engine, routes, search.best_left, stats)


def _from_solution(engine: Engine, solution: Solution):
    """Routes of a previous solution restricted to what is still valid here."""
    vindex = {v.id: vi for vi, v in enumerate(engine.visits)}
    windex = {w.id: k for k, w in enumerate(engine.workers)}
    routes: list[list[int]] = [[] for _ in range(engine.K)]
    placed: dict[int, list[tuple[int, int]]] = {}
    for wid, stops in solution.routes.items():
        k = windex.get(wid)
        if k is None:
            continue
        for stop in stops:
            vi = vindex.get(stop.visit_id)
            if vi is None or stop.part >= len(engine.visit_tasks[vi]):
                continue
            placed.setdefault(vi, []).append((k, stop.part))
    for vi, got in sorted(placed.items()):
        tasks = engine.visit_tasks[vi]
        if len(got) != len(tasks) or len({k for k, _ in got}) != len(tasks):
            continue
        if any(k not in engine.elig[tasks[p]] for k, p in got):
            continue
        for k, p in got:
            routes[k].append(tasks[p])
    # keep each worker's previous order
    order = {}
    for wid, stops in solution.routes.items():
        k = windex.get(wid)
        for i, stop in enumerate(stops):
            vi = vindex.get(stop.visit_id)
            if vi is not None and k is not None and stop.part < len(engine.visit_tasks[vi]):
                order[engine.visit_tasks[vi][stop.part]] = i
    for r in routes:
        r.sort(key=lambda t: order[t])
    kept = {engine.tv[t] for r in routes for t in r}
    left = {vi: "" for vi in range(len(engine.visits)) if vi not in kept}
    # drop routes the hard rules no longer allow (a pinned time moved, a shift shortened)
    start = [0.0] * engine.n
    while not engine.schedule(routes, start):
        worst = max(range(engine.K), key=lambda k: len(routes[k]))
        for t in routes[worst]:
            left[engine.tv[t]] = ""
        drop = {engine.tv[t] for t in routes[worst]}
        routes = [[t for t in r if engine.tv[t] not in drop] for r in routes]
    return routes, left


def _insert_all(engine: Engine, routes, left: dict[int, str], seed: int):
    search = Search(engine, routes, {}, seed=seed)
    still = {}
    for vi in sorted(left, key=lambda vi: engine.te[engine.visit_tasks[vi][0]]):
        if not search.insert_visit(vi):
            still[vi] = unplaceable_reason(engine, vi)
    return search.routes, still


def repair(
    problem: Problem,
    previous: Solution,
    *,
    time_limit_s: float = 5.0,
    seed: int = 0,
    move_weight: float | None = None,
    progress=None,
    room: bool = False,
) -> Solution:
    """Re-plan after a change (a worker off sick, a visit added or cancelled).

    Keeps every still-valid assignment of ``previous`` in its order, puts the
    displaced and new visits in the cheapest places, then improves with a
    penalty of ``move_weight`` (default: the unassigned weight / 100) for each
    visit part given to a different worker than before, so other workers'
    visits move only when that pays for itself. ``solution.counts["moved"]``
    says how many visits changed worker. With ``room``, a visit the search could not
    place is given a place by moving one other visit (``room.make_room``).
    """
    warm_up()
    t0 = time.monotonic()
    c0 = time.process_time()
    engine = Engine(problem)
    routes, left = _from_solution(engine, previous)
    before = previous.assignment()
    penalty = engine.w_unassigned / 100 if move_weight is None else move_weight
    windex = {w.id: k for k, w in enumerate(engine.workers)}
    for t in range(engine.n):
        was = before.get(engine.visits[engine.tv[t]].id)
        if not was or was[engine.tp[t]] is None:
            continue
        k0 = windex.get(was[engine.tp[t]])
        row = engine.static[t]
        engine.static[t] = [c + (penalty if k != k0 else 0.0) for k, c in enumerate(row)]
    routes, left = _insert_all(engine, routes, left, seed)
    search = Search(engine, routes, left, seed=seed)
    search.run(deadline=t0 + time_limit_s, progress=progress)
    stats = {
        "seconds": time.monotonic() - t0,
        "cpu_seconds": time.process_time() - c0,
        "seed": seed,
        **search.stats,
    }
    routes, left = search.best_routes, search.best_left
    if room and left:  # a visit still without workers: move one other visit for it
        from .room import make_room

        routes, left = make_room(engine, routes, left)
        stats["seconds"] = time.monotonic() - t0
    sol = _solution(engine, routes, left, stats)
    after = sol.assignment()
    sol.counts["moved"] = sum(
        1 for vid, was in before.items() if vid in after and after[vid] != was
    )
    return sol
