"""Make room for a visit nobody could take: move one other visit to another worker.

After a repair's search, a visit can be left without workers although it
would fit if one visit of someone on shift went to a third worker (typically
a double-handed visit whose two workers must start together). For each such
visit this looks, in the workers' gaps at the starts the rota already has,
for a place for the visit, first as it is, then with one single-handed,
unpinned visit of one of its workers moved to another qualified worker's gap.
Every change is checked with the exact schedule (``Engine.schedule``) and the
workers' maximum minutes before it is kept; nothing else moves.
"""

from __future__ import annotations

from .engine import SIM, Engine

#: Candidate changes checked with the exact schedule per visit, at most.
TRIES = 30


def _windows(e: Engine, k: int, route: list[int], start, t: int, skip: int = -1):
    """(position, lowest start, highest start) where task ``t`` fits in worker k's
    route (without task ``skip``) leaving every other start as it is."""
    r = [x for x in route if x != skip]
    out = []
    for pos in range(len(r) + 1):
        if pos:
            prev = r[pos - 1]
            lo = start[prev] + e.dur[prev] + e.T[e.tloc[prev]][e.tloc[t]]
        else:
            lo = e.day_start[k] + (e.leg(e.wstart[k], e.tloc[t]))
        lo = max(lo, e.te[t])
        hi = e.hard[t]
        if pos < len(r):
            nxt = r[pos]
            hi = min(hi, start[nxt] - e.T[e.tloc[t]][e.tloc[nxt]] - e.dur[t])
        if hi < lo:
            continue
        for a, b in e.intervals[k]:
            s, z = max(lo, a), min(hi, b - e.dur[t])
            if s <= z:
                out.append((pos, s, z))
    return out


def _work_ok(e: Engine, k: int, route: list[int]) -> bool:
    if e.maxmin[k] == float("inf"):
        return True
    return e.route_work(k, route, e.route_travel(k, route)[0]) <= e.maxmin[k] + 1e-6


def _try(e: Engine, routes, changes) -> list | None:
    """``routes`` with ``changes`` ((worker, route)) applied, if the whole day schedules."""
    trial = list(routes)
    for k, r in changes:
        trial[k] = r
        if not _work_ok(e, k, r):
            return None
    start = [0.0] * e.n
    return trial if e.schedule(trial, start) else None


def _without(route, x):
    return [y for y in route if y != x]


def _with(route, pos, t, skip=-1):
    r = _without(route, skip)
    return [*r[:pos], t, *r[pos:]]


def _relocations(e: Engine, routes, start, x: int, avoid: set):
    """Other workers' gaps for task x, nearest start to its present one first."""
    out = []
    for k in e.elig[x]:
        if k in avoid:
            continue
        for pos, lo, hi in _windows(e, k, routes[k], start, x):
            out.append((abs(min(max(start[x], lo), hi) - start[x]), k, pos))
    out.sort()
    return out


def make_room(e: Engine, routes: list[list[int]], left: dict) -> tuple[list[list[int]], dict]:
    """Place what it can of ``left`` (visit index -> reason) by moving at most one other
    visit each; returns the new routes and what is still left."""
    routes = [list(r) for r in routes]
    left = dict(left)
    for vi in sorted(left, key=lambda vi: e.te[e.visit_tasks[vi][0]]):
        start = [0.0] * e.n
        if not e.schedule(routes, start):
            break
        got = _place(e, routes, start, vi)
        if got is not None:
            routes = got
            del left[vi]
    return routes, left


def _place(e: Engine, routes, start, vi: int):
    tasks = e.visit_tasks[vi]
    tries = 0
    if len(tasks) == 1:
        (t,) = tasks
        for k in e.elig[t]:
            for pos, _, _ in _windows(e, k, routes[k], start, t):
                got = _try(e, routes, [(k, _with(routes[k], pos, t))])
                if got is not None:
                    return got
        for k in e.elig[t]:
            for x in _blockers(e, routes[k], start, t):
                for pos, _, _ in _windows(e, k, routes[k], start, t, skip=x):
                    for _, k2, pos2 in _relocations(e, routes, start, x, {k})[:3]:
                        tries += 1
                        if tries > TRIES:
                            return None
                        got = _try(
                            e,
                            routes,
                            [
                                (k, _with(routes[k], pos, t, skip=x)),
                                (k2, _with(routes[k2], pos2, x)),
                            ],
                        )
                        if got is not None:
                            return got
        return None
    a, b = tasks
    if e.kind[a] != SIM:
        return None
    # Each worker's windows for the visit as the routes stand, and with one visit moved.
    both = sorted(set(e.elig[a]) & set(e.elig[b]))
    free = {k: _windows(e, k, routes[k], start, a) for k in both}
    freed = {}
    for k in both:
        for x in _blockers(e, routes[k], start, a):
            for w in _windows(e, k, routes[k], start, a, skip=x):
                freed.setdefault(k, []).append((x, w))
    options = []
    for ka, wins_a in free.items():
        for kb, wins_b in free.items():
            if kb <= ka:
                continue
            for pa, la, ha in wins_a:
                for pb, lb, hb in wins_b:
                    s = max(la, lb)
                    if s <= min(ha, hb):
                        options.append((0, s, ka, pa, kb, pb, -1, -1, -1))
    if not options:
        for ka, opts in freed.items():
            for x, (pa, la, ha) in opts:
                for kb, wins_b in free.items():
                    if kb == ka:
                        continue
                    for pb, lb, hb in wins_b:
                        s = max(la, lb)
                        if s <= min(ha, hb):
                            options.append((1, abs(s - e.te[a]), ka, pa, kb, pb, x, 0, 0))
    options.sort(key=lambda o: (o[0], o[1]))
    for moved, _, ka, pa, kb, pb, x, _, _ in options:
        if tries > TRIES:
            return None
        if not moved:
            tries += 1
            changes = [(ka, _with(routes[ka], pa, a)), (kb, _with(routes[kb], pb, b))]
            got = _try(e, routes, changes)
            if got is not None:
                return got
            continue
        for _, k2, pos2 in _relocations(e, routes, start, x, {ka, kb})[:3]:
            tries += 1
            changes = [
                (ka, _with(routes[ka], pa, a, skip=x)),
                (kb, _with(routes[kb], pb, b)),
                (k2, _with(routes[k2], pos2, x)),
            ]
            got = _try(e, routes, changes)
            if got is not None:
                return got
    return None


def _blockers(e: Engine, route: list[int], start, t: int) -> list[int]:
    """Single-handed, unpinned tasks of a route that overlap task t's window (with an
    hour either side for travel)."""
    lo, hi = e.te[t] - 60, e.hard[t] + e.dur[t] + 60
    return [
        x
        for x in route
        if e.partner[x] < 0 and not e.pinned_task[x] and start[x] < hi and lo < start[x] + e.dur[x]
    ]


def team_polish(e: Engine, routes: list[list[int]]) -> list[list[int]]:
    """Each single-handed visit done outside the person's trusted team goes to a team
    member with a gap for it (no lateness) when that lowers the day's cost: what the
    team saves against the extra travel of both routes. Checked with the exact
    schedule; nothing else moves."""
    routes = [list(r) for r in routes]
    start = [0.0] * e.n
    if not e.schedule(routes, start):
        return routes
    for k in range(e.K):
        for t in list(routes[k]):
            if e.partner[t] >= 0 or e.pinned_task[t] or e.cont[t][k] <= 0:
                continue
            best = None
            without = _without(routes[k], t)
            here = e.route_cost(k, without) - e.route_cost(k, routes[k])
            for k2 in e.elig[t]:
                if k2 == k or e.cont[t][k2] > 0:
                    continue
                for pos, lo, _ in _windows(e, k2, routes[k2], start, t):
                    if lo > e.tl[t]:
                        continue
                    r2 = _with(routes[k2], pos, t)
                    there = e.route_cost(k2, r2) - e.route_cost(k2, routes[k2])
                    delta = here + there + e.static[t][k2] - e.static[t][k]
                    if delta < -1e-9 and (best is None or delta < best[0]):
                        best = (delta, k2, r2)
            if best is None:
                continue
            got = _try(e, routes, [(k, without), (best[1], best[2])])
            if got is not None:
                routes = got
                e.schedule(routes, start)
    return routes
